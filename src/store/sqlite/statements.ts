// Prepared statements kept by their SQL text, for every connection of the store.
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Statements kept prepared, by SQL text; the hot paths run the same few dozen over and over. */
const STATEMENT_CACHE_MAX = 512;

/**
 * Kysely prepares every query afresh; preparing costs as much as running a small one. This hands
 * Kysely the same prepared statement for the same SQL (safe: better-sqlite3 runs one at a time).
 */
export function withStatementCache(database: SqliteDatabase): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
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
