// The table of London fixings as stored (fixings.ts, fixing-import.ts): a fixing recorded, the
// fixing of a date, the latest on or before one, and a range of them. Each function runs on the
// executor it is given (the store's handle or a transaction), so it runs where its caller's
// statements run.
import type { Fixing } from '../../domain/fixing.ts';
import type { CurrencyCode } from '../../domain/money.ts';
import { prepare } from '../../store/prepared.ts';
import type { FixingRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';

/** Records a fixing, with who entered it and when. */
export async function recordFixing(tx: Tx, fixing: Fixing, enteredBy: string, now: string): Promise<void> {
  await tx
    .insertInto('fixings')
    .values({ ...fixing, entered_by: enteredBy, entered_at: now })
    .execute();
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
