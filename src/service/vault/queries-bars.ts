// The reads and writes of a bar list's import and export (bars.ts, bar-sinks.ts): the bars of an
// account or a trade a page at a time, how many there are, and what an import needs to number its
// bars and name the ones that collide. The bars themselves are written by the store's writeBars.
import { sql } from 'kysely';
import type { BarRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** Which bars a bar list holds: one account's, one trade's, or (with neither) every bar. */
export interface BarFilter {
  readonly owner_account_id?: string;
  readonly trade_id?: string;
}

/** A page of the bars a filter selects: those after a bar id in id order, at most `limit`. */
export function barsPage(
  db: Tx,
  filter: BarFilter,
  page: { readonly after: bigint; readonly limit: number },
): Promise<BarRow[]> {
  let query = db.selectFrom('bars').selectAll().where('id', '>', page.after).orderBy('id').limit(page.limit);
  if (filter.owner_account_id) query = query.where('owner_account_id', '=', filter.owner_account_id);
  if (filter.trade_id) {
    const tradeId = filter.trade_id;
    query = query.where('id', 'in', (eb) =>
      eb.selectFrom('trade_bars').select('bar_id').where('trade_id', '=', tradeId),
    );
  }
  return query.execute();
}

/** How many bars a filter selects: counted on the owner's or the trade's index. */
export async function countBars(db: Tx, filter: BarFilter): Promise<number> {
  let query = db.selectFrom(filter.trade_id ? 'trade_bars' : 'bars');
  if (filter.trade_id) query = query.where('trade_id', '=', filter.trade_id);
  if (filter.owner_account_id) query = query.where('owner_account_id', '=', filter.owner_account_id);
  const row = await query.select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The highest bar id in the vault (0 when it holds none). */
export async function lastBarId(tx: Tx): Promise<bigint> {
  const row = await tx
    .selectFrom('bars')
    .select((eb) => eb.fn.max('id').as('last'))
    .executeTakeFirst();
  return row?.last ?? 0n;
}

/** Rewrites the memo of an entry not yet sealed. */
export async function setEntryMemo(tx: Tx, entryId: bigint, memo: string): Promise<void> {
  await tx.updateTable('entries').set({ memo }).where('id', '=', entryId).execute();
}

/** Refreshes PostgreSQL's statistics of the bars table (ANALYZE reads a sample, whatever its size). */
export async function analyzeBars(db: Tx): Promise<void> {
  await sql`analyze bars`.execute(db);
}

/** The ids of the bars written with ids `first`..`last`. */
export async function barIdsBetween(tx: Tx, first: bigint, last: bigint): Promise<bigint[]> {
  const rows = await tx
    .selectFrom('bars')
    .select('id')
    .where('id', '>=', first)
    .where('id', '<=', last)
    .execute();
  return rows.map((row) => row.id);
}

/** The bar that bears a refiner's mark and serial number, and the entry that received it. */
export function barBearing(
  tx: Tx,
  refiner: string,
  serial: string,
): Promise<{ id: bigint; received_entry_id: bigint }> {
  return tx
    .selectFrom('bars')
    .select(['id', 'received_entry_id'])
    .where('refiner', '=', refiner)
    .where('serial', '=', serial)
    .executeTakeFirstOrThrow();
}
