// The columns of a bar row in the order both stores' bulk writers list them.
import type { BarRow } from './schema.ts';

/** Every column of `bars`, in the order the bulk writers bind them. */
export const BAR_COLUMNS = [
  'id',
  'refiner',
  'serial',
  'year',
  'gross_milli_oz',
  'fineness',
  'fine_milli_oz',
  'vault',
  'location',
  'external_bar_id',
  'owner_account_id',
  'state',
  'trade_id',
  'received_entry_id',
  'instruction_id',
] as const satisfies readonly (keyof BarRow)[];

/** The column list of an INSERT into `bars`. */
export const BAR_COLUMN_LIST = BAR_COLUMNS.join(', ');

/** A bar's values in the order of BAR_COLUMNS. */
export function barValues(bar: BarRow): unknown[] {
  return [
    bar.id,
    bar.refiner,
    bar.serial,
    bar.year,
    bar.gross_milli_oz,
    bar.fineness,
    bar.fine_milli_oz,
    bar.vault,
    bar.location,
    bar.external_bar_id,
    bar.owner_account_id,
    bar.state,
    bar.trade_id,
    bar.received_entry_id,
    bar.instruction_id,
  ];
}
