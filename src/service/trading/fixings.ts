// The table of London fixings: imported from the LBMA feed or CSV, or entered one by one.
import type { Fixing } from '../../domain/fixing.ts';
import type { CurrencyCode, PricePerOz } from '../../domain/money.ts';
import { type Outcome, refuse } from '../../domain/outcome.ts';
import { prepare } from '../../store/prepared.ts';
import type { FixingRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { atomically } from '../kernel/idempotency.ts';

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
    await tx
      .insertInto('fixings')
      .values({ ...fixing, entered_by: enteredBy, entered_at: now })
      .execute();
    added += 1;
  }
  return { ok: true, added, unchanged };
}

const fixingByDate = prepare((db, $) =>
  db.selectFrom('fixings').selectAll().where('date', '=', $('date')).where('currency', '=', $('currency')),
);

/** The fixing of a date in a currency, if recorded. */
export async function fixingOn(tx: Tx, date: string, currency: CurrencyCode): Promise<FixingRow | undefined> {
  const [row] = (await fixingByDate.run(tx, { date, currency })).rows;
  return row;
}

/** The latest fixing on or before a date. */
export async function latestFixing(
  tx: Tx,
  currency: CurrencyCode,
  onOrBefore?: string,
): Promise<FixingRow | undefined> {
  let query = tx.selectFrom('fixings').selectAll().where('currency', '=', currency);
  if (onOrBefore) query = query.where('date', '<=', onOrBefore);
  return query.orderBy('date', 'desc').limit(1).executeTakeFirst();
}

/** Fixings in a date range, oldest first. */
export async function listFixings(
  ingot: Ingot,
  filter: { currency?: CurrencyCode; from?: string; to?: string },
): Promise<FixingRow[]> {
  let query = ingot.store.db.selectFrom('fixings').selectAll().orderBy('date').orderBy('currency');
  if (filter.currency) query = query.where('currency', '=', filter.currency);
  if (filter.from) query = query.where('date', '>=', filter.from);
  if (filter.to) query = query.where('date', '<=', filter.to);
  return query.execute();
}

/** A stored fixing as a price. */
export function priceOf(row: FixingRow): PricePerOz {
  return { currency: row.currency as CurrencyCode, minor_per_oz: row.minor_per_oz };
}
