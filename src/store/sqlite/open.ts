// The embedded store: one SQLite file in WAL mode with full durability, through Kysely.
import { chmodSync, closeSync, openSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { codeOf, fault, StorageFault } from '../faults.ts';
import { groupCommitter } from '../group-commit.ts';
import { migrate } from '../migrations.ts';
import type { BarRow, Database } from '../schema.ts';
import type { Store, Tx } from '../store.ts';
import { readThenWriteIn } from '../writes.ts';
import { barWriter } from './bars.ts';
import { missingFolder, reportingFaults, sqliteFault } from './faults.ts';
import { routingDialect } from './routing.ts';
import { oneConnectionOnly, type SqliteSnapshots, sqliteSnapshots } from './snapshot.ts';
import { withStatementCache } from './statements.ts';

/**
 * Pages of the file kept in memory, in KiB (SQLite's default is 2 MiB). A bar import updates five
 * indexes, two of them in no particular order: with 2 MiB their pages were read again and again
 * (a 1,000,000-bar import took 19.8 s; 17.8 s with 64 MiB). Pages are held only once read.
 */
export const PAGE_CACHE_KIB = 65_536;

export interface SqliteOptions {
  /** synchronous=FULL (the default) syncs every commit to disk; NORMAL trades that for speed. */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** Where to say that a database file others could read was made owner-only (default stderr). */
  readonly warn?: (line: string) => void;
}

/** Warnings of the store on the standard error, which the command's or server's output leaves alone. */
export function warnOnStandardError(line: string): void {
  process.stderr.write(`warning: ${line}\n`);
}

/**
 * Opens (creating if needed) and migrates an SQLite store at `path` (":memory:" for a scratch one).
 * A fault of the storage (a folder that is not there, a read-only file system, a full disk) comes
 * out as a StorageFault, when opening as for every query after.
 */
export async function openSqliteStore(path: string, options: SqliteOptions = {}): Promise<Store> {
  const missing = missingFolder(path);
  if (missing) throw missing;
  try {
    return await openFile(path, options);
  } catch (error) {
    throw sqliteFault(error, path) ?? error;
  }
}

/**
 * Permission bits of a new database file: read and write by its owner only. SQLite gives the
 * -wal and -shm files it creates beside it the database file's own permissions.
 */
export const DATABASE_FILE_MODE = 0o600;

/**
 * Creates the database file, empty (an empty file is an empty SQLite database), owner-only, before
 * SQLite opens it with the process's umask (often world-readable). A file that exists is left as it
 * is; a file that cannot be created is left to SQLite, which reports why.
 */
export function createOwnerOnly(path: string): void {
  if (path === '' || path === ':memory:' || path.startsWith('file:')) return;
  try {
    closeSync(openSync(path, 'wx', DATABASE_FILE_MODE));
  } catch {
    // It exists, or SQLite will say why it cannot be opened.
  }
}

/** Permission bits of a database file that let its group or anyone else read or write it. */
const SHARED_MODE_BITS = 0o077;
/** Permission bits that let anyone at all read or write it. */
const EVERYONE_MODE_BITS = 0o006;

/**
 * Makes a database file that exists, and its -wal and -shm files, owner-only before it is opened
 * (SQLite gives the files it creates the database's permissions). One that others could read (left
 * by an earlier Ingot, or made by hand) is tightened, with a warning naming it and its old mode;
 * one that cannot be changed (another user's) is refused if anyone may read it, else warned of.
 */
export function tightenToOwnerOnly(path: string, warn: (line: string) => void): void {
  if (path === '' || path === ':memory:' || path.startsWith('file:')) return;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    let mode: number;
    try {
      mode = statSync(file).mode & 0o777;
    } catch {
      continue;
    }
    if ((mode & SHARED_MODE_BITS) === 0) continue;
    const octal = mode.toString(8).padStart(4, '0');
    try {
      chmodSync(file, DATABASE_FILE_MODE);
    } catch (error) {
      const why = `${file} may be read by others (mode ${octal}) and cannot be made owner-only`;
      if ((mode & EVERYONE_MODE_BITS) !== 0)
        throw new StorageFault(codeOf(error) ?? 'EPERM', fault(why), error);
      warn(`${why}: its owner should chmod 600 it`);
      continue;
    }
    warn(`${file} could be read by others (mode ${octal}); made owner-only (0600)`);
  }
}

async function openFile(path: string, options: SqliteOptions): Promise<Store> {
  createOwnerOnly(path);
  tightenToOwnerOnly(path, options.warn ?? warnOnStandardError);
  const database = new BetterSqlite3(path, { timeout: WRITE_LOCK_WAIT_MS });
  // Reads outside a transaction go to the readers, so they never wait behind a long write (an
  // import holds the writer's connection to its end); a database in memory has only this one.
  const snapshots = sqliteSnapshots(path, database, () => db);
  let db: Kysely<Database> | undefined;
  try {
    database.defaultSafeIntegers(true);
    database.pragma('journal_mode = WAL');
    database.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    database.pragma('foreign_keys = ON');
    database.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    const guarded = reportingFaults(database, path);
    const writer = withStatementCache(guarded);
    const opened = new Kysely<Database>({
      dialect: oneConnectionOnly(path)
        ? new SqliteDialect({ database: writer })
        : routingDialect(writer, snapshots),
    });
    db = opened;
    await migrate(opened, 'sqlite');
    return storeOver(opened, path, barWriter(guarded), snapshots);
  } catch (error) {
    // The migrations read on a reader: it closes with the writer.
    await snapshots.close();
    database.close();
    throw error;
  }
}

function storeOver(
  db: Kysely<Database>,
  path: string,
  write: (bars: readonly BarRow[]) => number,
  snapshots: SqliteSnapshots,
): Store {
  // SQLite runs one writer at a time; BEGIN IMMEDIATE takes the write lock up front, so a
  // transaction that reads then writes never fails half-way because another process wrote first.
  const committer = groupCommitter(db, beginImmediate);
  return {
    dialect: 'sqlite',
    location: path,
    db,
    write: <T>(work: (tx: Tx) => Promise<T>) => committer.write(work),
    readThenWrite: (step) => committer.write((tx) => readThenWriteIn(tx, 'sqlite', step)),
    // One connection: the transaction `tx` belongs to is the one the statement runs in.
    writeBars: async (_tx, bars) => write(bars),
    // Long reads on connections of their own, so the writer never waits for them (WAL).
    openSnapshot: () => snapshots.open(),
    // Kysely first, so a read that comes meanwhile is refused as one after close, not lent a reader.
    close: async () => {
      await db.destroy();
      await snapshots.close();
    },
  };
}

/** How long a writer waits for another process to let go of the file's write lock. */
export const WRITE_LOCK_WAIT_MS = 10_000;
/** Between two tries for the lock, a writer waits 1 ms and up to this many more, at random. */
const WRITE_LOCK_RETRY_JITTER_MS = 2;

/**
 * Opens a write transaction, waiting for another process's write lock without stopping this one.
 * SQLite's own busy handler sleeps the thread, in steps of up to 100 ms: a process waiting for the
 * lock answers nothing meanwhile, and catches the lock only if it wakes in a gap between the other's
 * transactions (seen as stalls of seconds with two desks on one file). Here the wait is a timer,
 * tried every few milliseconds.
 */
async function beginImmediate(connection: Tx): Promise<void> {
  const deadline = Date.now() + WRITE_LOCK_WAIT_MS;
  await sql`pragma busy_timeout = 0`.execute(connection);
  try {
    for (;;) {
      try {
        await sql`begin immediate`.execute(connection);
        return;
      } catch (error) {
        if (codeOf(error) !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      }
      const wait = 1 + Math.random() * WRITE_LOCK_RETRY_JITTER_MS;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  } finally {
    await sql.raw(`pragma busy_timeout = ${WRITE_LOCK_WAIT_MS}`).execute(connection);
  }
}
