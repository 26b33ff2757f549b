// The statements of trades: recorded on acceptance, read one by one or a page at a time, sized and
// reserved by allocation, released by cancellation; and the free stock allocation chooses from.
import { type Kysely, sql } from 'kysely';
import type { CandidateBar } from '../../domain/allocation.ts';
import { prepare } from '../../store/prepared.ts';
import type { Database, TradeRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';

/** Records a trade as accepted. */
export async function recordTrade(tx: Tx, trade: Omit<TradeRow, 'cancellation_reason'>): Promise<void> {
  await tx.insertInto('trades').values(trade).execute();
}

const tradeById = prepare((db, $) => db.selectFrom('trades').selectAll().where('id', '=', $('id')));

/** A trade's row, or undefined when there is no such trade. */
export async function tradeRow(tx: Tx, id: string): Promise<TradeRow | undefined> {
  const [row] = (await tradeById.run(tx, { id })).rows;
  return row;
}

/** What allocation settled for a trade: the bars' fine weight, its target and the fixing's date. */
export interface AllocationRecord {
  readonly allocated_fine_milli_oz: bigint;
  readonly allocation_target_milli_oz: bigint;
  readonly reference_date: string | null;
}

/** Marks a trade allocated, with what its bars weigh and what they were sized at; it waits no more. */
export async function recordAllocation(tx: Tx, tradeId: string, allocation: AllocationRecord): Promise<void> {
  await tx
    .updateTable('trades')
    .set({
      state: 'allocated',
      allocated_fine_milli_oz: allocation.allocated_fine_milli_oz,
      allocation_target_milli_oz: allocation.allocation_target_milli_oz,
      reference_date: allocation.reference_date,
      pending_reason: null,
    })
    .where('id', '=', tradeId)
    .execute();
}

/**
 * Reserves those of the bars that are still held for a trade; how many it reserved. Call with at
 * most INSERT_CHUNK_ROWS ids.
 */
export async function reserveHeldBars(tx: Tx, tradeId: string, ids: readonly bigint[]): Promise<bigint> {
  const updated = await tx
    .updateTable('bars')
    .set({ state: 'reserved', trade_id: tradeId })
    .where('id', 'in', ids)
    .where('state', '=', 'held')
    .executeTakeFirst();
  return updated.numUpdatedRows;
}

/** Records the bars of a trade's allocation (at most INSERT_CHUNK_ROWS of them). */
export async function recordTradeBars(tx: Tx, tradeId: string, ids: readonly bigint[]): Promise<void> {
  await tx
    .insertInto('trade_bars')
    .values(ids.map((bar_id) => ({ trade_id: tradeId, bar_id })))
    .execute();
}

/** Hands a trade's reserved bars back to the seller's free stock and forgets its allocation. */
export async function releaseTradeBars(tx: Tx, tradeId: string): Promise<void> {
  await tx
    .updateTable('bars')
    .set({ state: 'held', trade_id: null })
    .where('trade_id', '=', tradeId)
    .execute();
  await tx.deleteFrom('trade_bars').where('trade_id', '=', tradeId).execute();
}

/** A release of a trade's bars: cancelled with the canceller's reason, or open again for allocation. */
export type Release =
  | { readonly state: 'cancelled'; readonly reason: string | null }
  | { readonly state: 'accepted' };

/** Records a release: the trade's state, its allocation cleared. */
export async function recordRelease(tx: Tx, tradeId: string, release: Release): Promise<void> {
  // A cancelled trade no longer waits for anything: its reason for waiting goes, its reason for
  // being cancelled is kept.
  const cancelled =
    release.state === 'cancelled' ? { pending_reason: null, cancellation_reason: release.reason } : {};
  await tx
    .updateTable('trades')
    .set({
      state: release.state,
      allocated_fine_milli_oz: null,
      allocation_target_milli_oz: null,
      reference_date: null,
      ...cancelled,
    })
    .where('id', '=', tradeId)
    .execute();
}

/** Which trades a page holds: of a party's offers, of an offer, in a state; after a position. */
export interface TradeFilter {
  readonly party?: string | undefined;
  readonly offer_id?: string | undefined;
  readonly state?: string | undefined;
  /** Only trades before this one, newest first: its creation time and id. */
  readonly before?: { readonly created_at: string; readonly id: string } | undefined;
}

/** Trades newest first (by creation, then id), at most `rows` of them. */
export async function tradesNewestFirst(
  ingot: Ingot,
  filter: TradeFilter,
  rows: number,
): Promise<TradeRow[]> {
  let select = ingot.store.db
    .selectFrom('trades')
    .innerJoin('offers', 'offers.id', 'trades.offer_id')
    .selectAll('trades');
  const party = filter.party;
  if (party) {
    select = select.where((eb) =>
      eb.or([eb('offers.buyer_party_id', '=', party), eb('offers.seller_party_id', '=', party)]),
    );
  }
  if (filter.offer_id) select = select.where('trades.offer_id', '=', filter.offer_id);
  if (filter.state) select = select.where('trades.state', '=', filter.state);
  const before = filter.before;
  if (before) {
    select = select.where((eb) =>
      eb.or([
        eb('trades.created_at', '<', before.created_at),
        eb.and([eb('trades.created_at', '=', before.created_at), eb('trades.id', '<', before.id)]),
      ]),
    );
  }
  return select.orderBy('trades.created_at', 'desc').orderBy('trades.id', 'desc').limit(rows).execute();
}

/**
 * The queries allocation reads an account's free bars with (held, unreserved, of at least a
 * fineness), each walking one index range: the bars in custody order, the heaviest in a band of
 * weight, the lightest. Kept apart from running them, so their plans can be checked.
 */
export function barPoolQueries(db: Kysely<Database>, accountId: string, minimumFineness: bigint) {
  const eligible = () =>
    db
      .selectFrom('bars')
      .select(['id', 'fine_milli_oz'])
      .where('owner_account_id', '=', accountId)
      .where('state', '=', 'held')
      .where('fineness', '>=', minimumFineness);
  return {
    inOrder: (after: bigint, limit: number) => eligible().where('id', '>', after).orderBy('id').limit(limit),
    heaviestBetween: (above: bigint, atMost: bigint, limit: number, after?: CandidateBar) =>
      eligible()
        .where('fine_milli_oz', '>', above)
        .where('fine_milli_oz', '<=', after ? after.fine_milli_oz : atMost)
        .where((eb) =>
          after
            ? eb.or([eb('fine_milli_oz', '<', after.fine_milli_oz), eb('id', '>', after.id)])
            : eb.lit(true),
        )
        .orderBy('fine_milli_oz', 'desc')
        .orderBy('id')
        .limit(limit),
    // The first bar of (owner, state, fine weight) is the answer. SQLite would rather range over
    // (owner, fineness) and sort the whole stock, a scan of the vault; `+fineness` keeps the
    // minimum fineness a filter, not a key (PostgreSQL reads it the same way).
    lightest: () =>
      db
        .selectFrom('bars')
        .select('fine_milli_oz')
        .where('owner_account_id', '=', accountId)
        .where('state', '=', 'held')
        .where(sql<bigint>`+${sql.ref('fineness')}`, '>=', minimumFineness)
        .orderBy('fine_milli_oz')
        .limit(1),
  };
}
