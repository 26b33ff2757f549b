// A stored bar as every reader shows it: the API, the command line's --json, the statement and
// the trade's bar list. One mapping, so a bar reads the same whichever way it is asked for.
import type { BarSpec } from '../../domain/barlist.ts';
import type { BarRow } from '../../store/schema.ts';

/** A bar as shown: its identity, weights in their minor units, where it lies and who holds it. */
export interface BarView {
  readonly id: bigint;
  readonly refiner: string;
  readonly serial: string;
  readonly year: number;
  readonly gross_milli_oz: bigint;
  readonly fineness: bigint;
  readonly fine_milli_oz: bigint;
  readonly vault: string | null;
  readonly location: string | null;
  readonly bar_id: string | null;
  readonly owner_account_id: string;
  readonly state: string;
  readonly trade_id: string | null;
}

/** The view of a stored bar. */
export function barView(row: BarRow): BarView {
  return {
    id: row.id,
    refiner: row.refiner,
    serial: row.serial,
    year: Number(row.year),
    gross_milli_oz: row.gross_milli_oz,
    fineness: row.fineness,
    fine_milli_oz: row.fine_milli_oz,
    vault: row.vault,
    location: row.location,
    bar_id: row.external_bar_id,
    owner_account_id: row.owner_account_id,
    state: row.state,
    trade_id: row.trade_id,
  };
}

/** A bar as the domain's bar lists carry it (CSV, messages): the external bar id, else Ingot's. */
export function toBarSpec(bar: BarView): BarSpec {
  return {
    serial: bar.serial,
    refiner: bar.refiner,
    year: bar.year,
    gross_milli_oz: bar.gross_milli_oz,
    fineness: bar.fineness,
    fine_milli_oz: bar.fine_milli_oz,
    vault: bar.vault,
    location: bar.location,
    bar_id: bar.bar_id ?? bar.id.toString(),
  };
}
