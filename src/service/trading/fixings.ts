// The table of London fixings: imported from the LBMA feed or CSV, or entered one by one.
import type { Fixing } from '../../domain/fixing.ts';
import type { CurrencyCode, PricePerOz } from '../../domain/money.ts';
import { type Outcome, refuse } from '../../domain/outcome.ts';
import type { FixingRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { atomically } from '../kernel/idempotency.ts';
import { fixingOn, recordFixing } from './queries-fixings.ts';

// The reads of the table live in queries-fixings.ts; these are where the rest of Ingot finds them.
export { fixingOn, latestFixing, listFixings } from './queries-fixings.ts';

/**
 * Records fixings, all or none. A fixing already recorded at the same price is left as it is;
 * at a different price the import is refused (a correction is a reviewed change, not an import).
 */
export async function recordFixings(
  ingot: Ingot,
  fixings: readonly Fixing[],
): Promise<Outcome<{ added: number; unchanged: number }>> {
  return atomically(ingot, (tx) => recordFixingsIn(tx, fixings, ingot.user, ingot.now()));
}

/** Records fixings in the caller's transaction, entered by `enteredBy`; see `recordFixings`. */
export async function recordFixingsIn(
  tx: Tx,
  fixings: readonly Fixing[],
  enteredBy: string,
  now: string,
): Promise<Outcome<{ added: number; unchanged: number }>> {
  let added = 0;
  let unchanged = 0;
  for (const fixing of fixings) {
    const existing = await fixingOn(tx, fixing.date, fixing.currency);
    if (existing) {
      if (existing.minor_per_oz !== fixing.minor_per_oz) {
        return refuse(
          'fixing_exists_with_different_price',
          `the ${fixing.currency} fixing of ${fixing.date} is already recorded at a different price`,
          'date',
        );
      }
      unchanged += 1;
      continue;
    }
    await recordFixing(tx, fixing, enteredBy, now);
    added += 1;
  }
  return { ok: true, added, unchanged };
}

/** A stored fixing as a price. */
export function priceOf(row: FixingRow): PricePerOz {
  return { currency: row.currency as CurrencyCode, minor_per_oz: row.minor_per_oz };
}
