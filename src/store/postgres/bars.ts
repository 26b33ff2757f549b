// Writing many bars at once on PostgreSQL: one INSERT over an array per column (unnest), so a
// chunk of thousands of bars is one short statement the server parses once, not a VALUES list of
// tens of thousands of parameters.
import { sql } from 'kysely';
import { BAR_COLUMN_LIST, BAR_COLUMNS } from '../bar-columns.ts';
import type { BarRow } from '../schema.ts';
import type { Tx } from '../store.ts';

/** The SQL type of each column's array. */
const ARRAY_TYPES: Readonly<Record<(typeof BAR_COLUMNS)[number], string>> = {
  id: 'bigint[]',
  refiner: 'text[]',
  serial: 'text[]',
  year: 'bigint[]',
  gross_milli_oz: 'bigint[]',
  fineness: 'bigint[]',
  fine_milli_oz: 'bigint[]',
  vault: 'text[]',
  location: 'text[]',
  external_bar_id: 'text[]',
  owner_account_id: 'text[]',
  state: 'text[]',
  trade_id: 'text[]',
  received_entry_id: 'bigint[]',
  instruction_id: 'text[]',
};

/**
 * Writes bars in `tx`, skipping those whose refiner and serial are known already; returns how
 * many were written.
 */
export async function writeBars(tx: Tx, bars: readonly BarRow[]): Promise<number> {
  if (bars.length === 0) return 0;
  const arrays = BAR_COLUMNS.map(
    (column) => sql`${bars.map((bar) => bar[column])}::${sql.raw(ARRAY_TYPES[column])}`,
  );
  const result = await sql`insert into bars (${sql.raw(BAR_COLUMN_LIST)})
    select * from unnest(${sql.join(arrays)})
    on conflict (refiner, serial) do nothing`.execute(tx);
  return Number(result.numAffectedRows ?? 0n);
}
