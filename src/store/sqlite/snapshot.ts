// SQLite's read snapshots: a read transaction on a connection of its own. In WAL mode a reader
// sees the file as it was when its transaction began, and the writer goes on committing beside
// it: the reader only keeps a checkpoint from passing its mark, so the WAL file grows while it lasts.
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { assert } from '../../domain/outcome.ts';
import type { Database } from '../schema.ts';
import type { Snapshot } from '../snapshot.ts';
import { reportingFaults, sqliteFault } from './faults.ts';
import type { Readers } from './routing.ts';
import { withStatementCache } from './statements.ts';

/**
 * Connections kept open for the next snapshot once one is released; more are closed. A new one
 * reads the schema before its first query: with 2 kept, 16 statements at a time cost about 25 %
 * more CPU than with 8.
 */
const READERS_IDLE_MAX = 8;
/** A reader's page cache, in KiB (8 kept: 64 MiB at most): a long listing reads a page about once. */
const READER_CACHE_KIB = 8192;
/** How long a reader waits on a lock (in WAL, only while another connection recovers the file). */
const READER_BUSY_MS = 10_000;

export interface SqliteSnapshots extends Readers {
  /** Opens a snapshot of the books as last committed. */
  open(): Promise<Snapshot>;
  /** Closes the idle readers; one still in use closes when released. */
  close(): Promise<void>;
}

/** Whether `path` names a database only one connection can see (in memory, or temporary). */
export function oneConnectionOnly(path: string): boolean {
  return path === '' || path === ':memory:' || path.includes('mode=memory');
}

/**
 * Snapshots of the books at `path`, and the readers they are taken on, lent also for single reads
 * (src/store/sqlite/routing.ts). `main` is the store's own connection and `db` the Kysely over
 * it; a database in memory has no second connection, so its snapshot is a copy taken between two
 * of the writer's transactions (a test's or a scratch store's: its size is small), and it lends no
 * readers.
 */
export function sqliteSnapshots(
  path: string,
  main: BetterSqlite3.Database,
  db: () => Kysely<Database> | undefined,
): SqliteSnapshots {
  const idle: Kysely<Database>[] = [];
  let closed = false;
  const copy = async () => {
    const writer = db();
    assert(writer, 'a snapshot of a store still being opened');
    // Holding the connection, no write transaction of this store is under way: a committed state.
    return writer.connection().execute(async () => {
      assert(!main.inTransaction, 'a snapshot of an in-memory store taken inside a transaction');
      return new BetterSqlite3(main.serialize());
    });
  };
  const reader = async () =>
    idle.pop() ?? readerOver(oneConnectionOnly(path) ? await copy() : openReader(path), path);
  const keep = async (reading: Kysely<Database>) => {
    if (closed || oneConnectionOnly(path) || idle.length >= READERS_IDLE_MAX) await reading.destroy();
    else idle.push(reading);
  };
  let shared: Kysely<Database> | undefined;
  const lending = () => {
    assert(!closed, 'a read of a closed store');
    assert(!oneConnectionOnly(path), 'a store in memory has no readers to lend');
  };
  return {
    shared() {
      lending();
      shared ??= readerOver(openReader(path), path);
      return shared;
    },
    async borrow() {
      lending();
      return reader();
    },
    // A reader whose use failed may be left inside a read transaction: it is not lent again.
    giveBack: (reading, failed) => (failed ? reading.destroy() : keep(reading)),
    async open() {
      assert(!closed, 'a snapshot of a closed store');
      const reading = await reader();
      try {
        // A deferred transaction begins reading at its first query: the query fixes the snapshot.
        await sql`begin`.execute(reading);
        await sql`select count(*) as n from sqlite_schema`.execute(reading);
      } catch (error) {
        await reading.destroy();
        throw error;
      }
      let released: Promise<void> | undefined;
      const release = async () => {
        await sql`rollback`.execute(reading).catch(() => undefined);
        await keep(reading);
      };
      return {
        db: reading,
        release: () => {
          released ??= release();
          return released;
        },
      };
    },
    async close() {
      closed = true;
      const open = [...idle.splice(0), ...(shared ? [shared] : [])];
      await Promise.all(open.map((reading) => reading.destroy()));
    },
  };
}

/** A connection to the file that can only read, integers as bigint. */
function openReader(path: string): BetterSqlite3.Database {
  try {
    const database = new BetterSqlite3(path, { timeout: READER_BUSY_MS, fileMustExist: true });
    database.defaultSafeIntegers(true);
    database.pragma('query_only = ON');
    database.pragma(`cache_size = -${READER_CACHE_KIB}`);
    return database;
  } catch (error) {
    throw sqliteFault(error, path) ?? error;
  }
}

function readerOver(database: BetterSqlite3.Database, path: string): Kysely<Database> {
  database.defaultSafeIntegers(true);
  const guarded = reportingFaults(database, path);
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(guarded) }) });
}
