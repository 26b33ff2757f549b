// The embedded store: one SQLite file in WAL mode with full durability, through Kysely.
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect } from 'kysely';
import { groupCommitter } from '../group-commit.ts';
import { migrate } from '../migrations.ts';
import type { Database } from '../schema.ts';
import type { Store, Tx } from '../store.ts';
import { readThenWriteIn } from '../writes.ts';

export interface SqliteOptions {
  /** synchronous=FULL (the default) syncs every commit to disk; NORMAL trades that for speed. */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

/** Opens (creating if needed) and migrates an SQLite store at `path` (":memory:" for a scratch one). */
export async function openSqliteStore(path: string, options: SqliteOptions = {}): Promise<Store> {
  const database = new BetterSqlite3(path, { timeout: 10_000 });
  database.defaultSafeIntegers(true);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  await migrate(db, 'sqlite');
  // SQLite runs one writer at a time; BEGIN IMMEDIATE takes the write lock up front, so a
  // transaction that reads then writes never fails half-way because another process wrote first.
  const committer = groupCommitter(db, ['begin immediate']);
  return {
    dialect: 'sqlite',
    location: path,
    db,
    write: <T>(work: (tx: Tx) => Promise<T>) => committer.write(work),
    readThenWrite: (step) => committer.write((tx) => readThenWriteIn(tx, 'sqlite', step)),
    close: () => db.destroy(),
  };
}

/** Statements kept prepared, by SQL text; the hot paths run the same few dozen over and over. */
const STATEMENT_CACHE_MAX = 512;

/**
 * Kysely prepares every query afresh; preparing costs as much as running a small one. This hands
 * Kysely the same prepared statement for the same SQL (safe: better-sqlite3 runs one at a time).
 */
function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare: (text: string) => {
      let statement = cache.get(text);
      if (!statement) {
        if (cache.size >= STATEMENT_CACHE_MAX) cache.clear();
        statement = database.prepare(text);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}
