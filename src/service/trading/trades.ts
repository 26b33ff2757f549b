// Trades: a client's acceptance of an offer, the bars allocated to it, and its cancellation.
import { allocate, type BarPool, withinTolerance } from '../../domain/allocation.ts';
import { affordableWeight } from '../../domain/money.ts';
import { type Asked, checkAcceptance, type Offer, type Trade } from '../../domain/offer.ts';
import { assert, type Outcome, refuse } from '../../domain/outcome.ts';
import { describeWeight, type FineMilliOz } from '../../domain/weight.ts';
import type { TradeRow } from '../../store/schema.ts';
import { INSERT_CHUNK_ROWS, type Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { atomically, idempotent, type Replayable } from '../kernel/idempotency.ts';
import { nextInSequence } from '../kernel/sequence.ts';
import { fixingOn, latestFixing, priceOf } from './fixings.ts';
import { findOffer } from './offers.ts';
import { takenFromOffer } from './queries-offers.ts';
import {
  barPoolQueries,
  type Release,
  recordAllocation,
  recordRelease,
  recordTrade,
  recordTradeBars,
  releaseTradeBars,
  reserveHeldBars,
  tradeRow,
} from './queries-trades.ts';
import { toTrade } from './trade-rows.ts';

export interface AcceptRequest {
  readonly offer_id: string;
  readonly by_party_id: string;
  readonly date: string;
  readonly asked: Asked;
  readonly key: string;
}

/** Accepts all or part of an offer, by fine weight or by a sum; the trade awaits allocation. */
export async function acceptOffer(
  ingot: Ingot,
  request: AcceptRequest,
): Promise<Replayable<{ trade_id: string }>> {
  const { key, ...identity } = request;
  return idempotent(ingot, key, 'trades.accept', identity, async (tx) => {
    const found = await findOffer(tx, request.offer_id);
    if (!found.ok) return found;
    const taken = await takenFromOffer(tx, request.offer_id);
    const checked = checkAcceptance(found.offer, request, taken);
    if (!checked.ok) return checked;
    const id = `TRADE-${await nextInSequence(tx, 'trade')}`;
    const asked = request.asked;
    await recordTrade(tx, {
      id,
      offer_id: request.offer_id,
      accepted_on: request.date,
      asked_kind: asked.kind,
      asked_fine_milli_oz: asked.kind === 'quantity' ? asked.fine_milli_oz : null,
      budget_minor: asked.kind === 'amount' ? asked.budget.minor : null,
      budget_currency: asked.kind === 'amount' ? asked.budget.currency : null,
      budget_stated: asked.kind === 'amount' ? asked.stated : null,
      state: 'accepted',
      allocated_fine_milli_oz: null,
      allocation_target_milli_oz: null,
      reference_date: null,
      settlement_date: null,
      price_minor_per_oz: null,
      consideration_minor: null,
      settlement_entry_id: null,
      pending_reason: null,
      created_at: ingot.now(),
    });
    return { ok: true, trade_id: id };
  });
}

/** One trade with its offer, or a refusal naming it. */
export async function findTrade(
  tx: Tx,
  id: string,
): Promise<Outcome<{ trade: Trade; row: TradeRow; offer: Offer }>> {
  const row = await tradeRow(tx, id);
  if (!row) return refuse('trade_not_found', `trade ${id} does not exist`, 'trade');
  const offer = await findOffer(tx, row.offer_id);
  assert(offer.ok, `trade ${id} refers to a missing offer`);
  return { ok: true, trade: toTrade(row), row, offer: offer.offer };
}

export interface AllocationSummary {
  readonly trade_id: string;
  readonly bars: number;
  readonly target_fine_milli_oz: FineMilliOz;
  readonly allocated_fine_milli_oz: FineMilliOz;
  readonly gap_fine_milli_oz: FineMilliOz;
  readonly reference_date: string | null;
}

/**
 * Allocates bars to an accepted trade and reserves them for it. A trade accepted by amount is
 * sized at the fixing of `reference_date` (default: the latest recorded), capped at what remains
 * of the offer.
 */
export async function allocateTrade(
  ingot: Ingot,
  request: { trade_id: string; reference_date?: string },
): Promise<Outcome<AllocationSummary>> {
  return atomically(ingot, async (tx) => {
    const found = await findTrade(tx, request.trade_id);
    if (!found.ok) return found;
    const { trade, offer } = found;
    if (trade.state === 'allocated')
      return refuse('trade_already_allocated', `trade ${trade.id} already has bars`);
    if (trade.state === 'settled')
      return refuse('trade_already_settled', `trade ${trade.id} is already settled`);
    if (trade.state === 'cancelled') return refuse('trade_cancelled', `trade ${trade.id} was cancelled`);
    const sized = await allocationTarget(tx, trade, offer, request.reference_date);
    if (!sized.ok) return sized;
    const pool = heldBarPool(tx, offer.seller_stock_account_id, offer.minimum_fineness);
    const allocation = await allocate(sized.target, pool);
    if (!withinTolerance(allocation)) {
      const got = describeWeight(allocation.total_fine_milli_oz);
      return refuse(
        'insufficient_stock',
        `the eligible stock of ${offer.seller_stock_account_id} (≥ ${offer.minimum_fineness} per 10,000) ` +
          `makes up only ${got} of the ${describeWeight(sized.target)} asked`,
      );
    }
    await reserveBars(
      tx,
      trade.id,
      allocation.bars.map((bar) => bar.id),
    );
    await recordAllocation(tx, trade.id, {
      allocated_fine_milli_oz: allocation.total_fine_milli_oz,
      allocation_target_milli_oz: sized.target,
      reference_date: sized.reference_date,
    });
    return {
      ok: true,
      trade_id: trade.id,
      bars: allocation.bars.length,
      target_fine_milli_oz: sized.target,
      allocated_fine_milli_oz: allocation.total_fine_milli_oz,
      gap_fine_milli_oz: allocation.gap_fine_milli_oz,
      reference_date: sized.reference_date,
    };
  });
}

async function allocationTarget(
  tx: Tx,
  trade: Trade,
  offer: Offer,
  referenceDate: string | undefined,
): Promise<Outcome<{ target: FineMilliOz; reference_date: string | null }>> {
  const remaining = offer.maximum_fine_milli_oz - (await takenFromOffer(tx, offer.id, trade.id));
  if (trade.asked.kind === 'quantity') {
    if (trade.asked.fine_milli_oz > remaining) {
      return refuse(
        'exceeds_offer_maximum',
        `only ${describeWeight(remaining)} of offer ${offer.id} remains`,
      );
    }
    return { ok: true, target: trade.asked.fine_milli_oz, reference_date: null };
  }
  if (remaining <= 0n) return refuse('offer_fully_taken', `offer ${offer.id} is fully taken`);
  const fixing = referenceDate
    ? await fixingOn(tx, referenceDate, offer.currency)
    : await latestFixing(tx, offer.currency);
  if (!fixing) {
    const when = referenceDate ?? 'any date';
    return refuse(
      'no_fixing_for_date',
      `no London fixing in ${offer.currency} is recorded for ${when}`,
      'date',
    );
  }
  const affordable = affordableWeight(trade.asked.budget, priceOf(fixing), fixing.date);
  if (affordable <= 0n)
    return refuse('insufficient_stock', 'the accepted amount buys no gold at this fixing');
  const target = affordable < remaining ? affordable : remaining;
  return { ok: true, target, reference_date: fixing.date };
}

/** An account's free bars, held and unreserved, of at least a fineness: what allocation may choose. */
export function heldBarPool(tx: Tx, accountId: string, minimumFineness: bigint): BarPool {
  const queries = barPoolQueries(tx, accountId, minimumFineness);
  return {
    inOrder: (after, limit) => queries.inOrder(after, limit).execute(),
    heaviestBetween: (above, atMost, limit, after) =>
      queries.heaviestBetween(above, atMost, limit, after).execute(),
    lightest: async () => (await queries.lightest().executeTakeFirst())?.fine_milli_oz ?? null,
  };
}

async function reserveBars(tx: Tx, tradeId: string, ids: readonly bigint[]): Promise<void> {
  for (let start = 0; start < ids.length; start += INSERT_CHUNK_ROWS) {
    const chunk = ids.slice(start, start + INSERT_CHUNK_ROWS);
    const reserved = await reserveHeldBars(tx, tradeId, chunk);
    assert(reserved === BigInt(chunk.length), `bars of ${tradeId} were reserved elsewhere`);
    await recordTradeBars(tx, tradeId, chunk);
  }
}

/** Cancels a trade that has not settled, releasing its bars; `unallocate` keeps the trade open. */
export async function cancelTrade(
  ingot: Ingot,
  request: { trade_id: string; mode: 'cancel' | 'unallocate'; reason?: string | undefined },
): Promise<Outcome<{ trade_id: string; state: string }>> {
  return atomically(ingot, async (tx) => {
    const found = await findTrade(tx, request.trade_id);
    if (!found.ok) return found;
    const { trade } = found;
    if (trade.state === 'settled')
      return refuse('trade_already_settled', `trade ${trade.id} is already settled`);
    if (trade.state === 'cancelled') return refuse('trade_cancelled', `trade ${trade.id} was cancelled`);
    if (request.mode === 'unallocate' && trade.state !== 'allocated') {
      return refuse('trade_not_allocated', `trade ${trade.id} has no bars allocated`);
    }
    await releaseTradeBars(tx, trade.id);
    const release: Release =
      request.mode === 'cancel'
        ? { state: 'cancelled', reason: request.reason ?? null }
        : { state: 'accepted' };
    await recordRelease(tx, trade.id, release);
    return { ok: true, trade_id: trade.id, state: release.state };
  });
}
