// The reads of offers and trades that the server and the command line offer: one function each,
// so a trade or an offer reads the same whichever way it is asked for.
import type { CurrencyCode } from '../../domain/money.ts';
import type { Offer } from '../../domain/offer.ts';
import type { Outcome } from '../../domain/outcome.ts';
import type { FixingRow, TradeRow } from '../../store/schema.ts';
import type { Ingot } from '../kernel/context.ts';
import { type BarView, barView } from '../vault/bar-view.ts';
import { barsWhere } from '../vault/bars.ts';
import { latestFixing } from './fixings.ts';
import { findOffer } from './offers.ts';
import { takenFromOffer } from './queries-offers.ts';
import { findTrade } from './trades.ts';

/** The buyer and seller of a trade's offer, or undefined when there is no such trade. */
export async function tradeParties(
  ingot: Ingot,
  tradeId: string,
): Promise<{ seller_party_id: string; buyer_party_id: string } | undefined> {
  return ingot.store.db
    .selectFrom('trades')
    .innerJoin('offers', 'offers.id', 'trades.offer_id')
    .select(['offers.seller_party_id', 'offers.buyer_party_id'])
    .where('trades.id', '=', tradeId)
    .executeTakeFirst();
}

/** An offer, or offer_not_found. */
export function offerById(ingot: Ingot, id: string): Promise<Outcome<{ offer: Offer }>> {
  return findOffer(ingot.store.db, id);
}

/** The fine weight taken of an offer by its trades not cancelled. */
export function takenOf(ingot: Ingot, offerId: string): Promise<bigint> {
  return takenFromOffer(ingot.store.db, offerId);
}

/** The latest fixing recorded in a currency, if any. */
export function latestFixingIn(ingot: Ingot, currency: CurrencyCode): Promise<FixingRow | undefined> {
  return latestFixing(ingot.store.db, currency);
}

/** A trade as shown: its row and the bars allocated to it, in custody order. */
export interface TradeWithBars {
  readonly trade: TradeRow;
  readonly bars: BarView[];
}

/** A trade and its bar list, or trade_not_found. */
export async function tradeWithBars(ingot: Ingot, tradeId: string): Promise<Outcome<TradeWithBars>> {
  const found = await findTrade(ingot.store.db, tradeId);
  if (!found.ok) return found;
  const bars: BarView[] = [];
  for await (const row of barsWhere(ingot, { trade_id: tradeId })) bars.push(barView(row));
  return { ok: true, trade: found.row, bars };
}
