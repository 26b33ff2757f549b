// SQLite's storage faults: which of its result codes mean the disk or the file failed (not Ingot),
// and a database handle whose statements report them as StorageFaults.
import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { codeOf, fault, StorageFault } from '../faults.ts';

/** Result codes that are faults of the storage; their extended codes start alike (SQLITE_IOERR_WRITE). */
const SQLITE_FAULTS: readonly (readonly [code: string, reason: string])[] = [
  ['SQLITE_FULL', 'the disk is full'],
  ['SQLITE_IOERR', 'the disk failed to read or write'],
  ['SQLITE_READONLY', 'the database is read-only'],
  ['SQLITE_CANTOPEN', 'the database file cannot be opened'],
  ['SQLITE_NOTADB', 'the file is not an SQLite database'],
  ['SQLITE_CORRUPT', 'the database file is damaged'],
  ['SQLITE_BUSY', 'another process kept the database locked'],
  ['SQLITE_PERM', 'access to the database file is denied'],
];

/** Why a database file cannot be opened, as far as the file system tells. */
function cannotOpen(path: string): string {
  const folder = dirname(resolve(path));
  if (!existsSync(folder)) return `the database cannot be opened: the folder ${folder} does not exist`;
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    if (codeOf(error) === 'EROFS')
      return 'the database cannot be opened for writing: its file system is read-only';
    if (codeOf(error) === 'EACCES')
      return `the database cannot be opened: writing to ${folder} is not permitted`;
  }
  return 'the database file cannot be opened';
}

/** Whether the file system holding `path` has no space left for an ordinary user. */
function diskFull(path: string): boolean {
  try {
    return statfsSync(dirname(resolve(path))).bavail === 0;
  } catch {
    return false;
  }
}

/**
 * Why SQLite failed, in words. A full disk does not always say SQLITE_FULL: the shared-memory file
 * that cannot grow says SQLITE_IOERR_SHMSIZE, so the file system is asked.
 */
function reasonOf(known: string, reason: string, path: string): string {
  if (known === 'SQLITE_IOERR' || known === 'SQLITE_CANTOPEN') {
    if (diskFull(path)) return 'the disk is full';
  }
  return known === 'SQLITE_CANTOPEN' ? cannotOpen(path) : reason;
}

/** The StorageFault an SQLite error stands for, or null when it is not a fault of the storage. */
export function sqliteFault(error: unknown, path: string): StorageFault | null {
  if (error instanceof StorageFault) return error;
  const code = codeOf(error);
  if (code === undefined) return null;
  const found = SQLITE_FAULTS.find(([known]) => code === known || code.startsWith(`${known}_`));
  if (!found) return null;
  return new StorageFault(code, fault(reasonOf(found[0], found[1], path)), error);
}

/** Opening a file in a folder that is not there: better-sqlite3 says so without a code. */
export function missingFolder(path: string): StorageFault | null {
  if (path === ':memory:' || path === '' || existsSync(dirname(resolve(path)))) return null;
  const cause = new Error(`the folder of ${path} does not exist`);
  return new StorageFault('ENOENT', fault(cannotOpen(path)), cause);
}

/** A database whose statements throw StorageFaults for faults of the storage, other errors as they are. */
export function reportingFaults(database: SqliteDatabase, path: string): SqliteDatabase {
  const guard = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      throw sqliteFault(error, path) ?? error;
    }
  };
  const statementOf = (statement: SqliteStatement): SqliteStatement => ({
    reader: statement.reader,
    all: (parameters) => guard(() => statement.all(parameters)),
    run: (parameters) => guard(() => statement.run(parameters)),
    iterate: (parameters) => {
      const rows = guard(() => statement.iterate(parameters));
      const iterator: IterableIterator<unknown> = {
        next: () => guard(() => rows.next()),
        return: (value?: unknown) => rows.return?.(value) ?? { done: true, value },
        [Symbol.iterator]: () => iterator,
      };
      return iterator;
    },
  });
  return {
    close: () => database.close(),
    prepare: (text) => statementOf(guard(() => database.prepare(text))),
  };
}
