// Writing many bars at once on SQLite: one prepared statement, run row by row without leaving the
// thread, inside the write transaction under way (the store has one connection, so it is that
// transaction's). Building a multi-row INSERT per chunk cost more than SQLite's own work.
import type { SqliteDatabase } from 'kysely';
import { BAR_COLUMN_LIST, BAR_COLUMNS, barValues } from '../bar-columns.ts';
import type { BarRow } from '../schema.ts';

const INSERT_BAR =
  `insert into bars (${BAR_COLUMN_LIST}) values (${BAR_COLUMNS.map(() => '?').join(', ')}) ` +
  'on conflict (refiner, serial) do nothing';

/** Writes bars, skipping those whose refiner and serial are known already; returns how many were. */
export function barWriter(database: SqliteDatabase): (bars: readonly BarRow[]) => number {
  let statement: ReturnType<SqliteDatabase['prepare']> | undefined;
  return (bars) => {
    statement ??= database.prepare(INSERT_BAR);
    let written = 0;
    for (const bar of bars) {
      written += Number(statement.run(barValues(bar)).changes);
    }
    return written;
  };
}
