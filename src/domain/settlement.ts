// Delivery versus payment: the gold and the money move together, or nothing moves.
import { type Account, applyPostings, type Posting } from './ledger.ts';
import { consideration, formatMoney, type Money, type PricePerOz } from './money.ts';
import type { Offer, Trade } from './offer.ts';
import { assert, type Outcome, refuse } from './outcome.ts';
import type { FineMilliOz } from './weight.ts';

/** The bars reserved for a trade, as settlement sees them, summed by the store. */
export interface SettlingBars {
  readonly count: bigint;
  readonly fine_milli_oz: FineMilliOz;
  /** Bars reserved for the trade that are not held in the seller's stock account: must be zero. */
  readonly misplaced: bigint;
}

export interface SettlementInput {
  readonly trade: Trade;
  readonly offer: Offer;
  readonly date: string;
  /** The London fixing of the settlement date in the offer's currency, if one is recorded. */
  readonly fixing: PricePerOz | undefined;
  readonly accounts: ReadonlyMap<string, Account>;
  readonly bars: SettlingBars;
}

export interface SettlementPlan {
  readonly price: PricePerOz;
  readonly fine_milli_oz: FineMilliOz;
  readonly consideration: Money;
  readonly postings: readonly Posting[];
  readonly balances: ReadonlyMap<string, bigint>;
}

/** Checks every rule of a settlement in order and returns the postings, or the first refusal. */
export function planSettlement(input: SettlementInput): Outcome<SettlementPlan> {
  const { trade, offer, date, fixing } = input;
  if (trade.state === 'settled')
    return refuse('trade_already_settled', `trade ${trade.id} is already settled`);
  if (trade.state === 'cancelled') return refuse('trade_cancelled', `trade ${trade.id} was cancelled`);
  if (trade.state !== 'allocated' || trade.allocated_fine_milli_oz === null) {
    return refuse('trade_not_allocated', `trade ${trade.id} has no bars allocated yet`);
  }
  if (date < trade.accepted_on) {
    return refuse(
      'settlement_before_acceptance',
      `settlement date ${date} is before the acceptance on ${trade.accepted_on}`,
      'date',
    );
  }
  if (!fixing) {
    return refuse(
      'no_fixing_for_date',
      `no London fixing in ${offer.currency} is recorded for ${date}`,
      'date',
    );
  }
  assert(fixing.currency === offer.currency, 'fixing looked up in the wrong currency');
  const fine = input.bars.fine_milli_oz;
  assert(input.bars.misplaced === 0n, `trade ${trade.id} has bars outside the seller's stock`);
  assert(input.bars.count > 0n, `trade ${trade.id} has no bars`);
  assert(fine === trade.allocated_fine_milli_oz, `trade ${trade.id} bars sum to ${fine}, not its allocation`);
  const cost = consideration(fixing, fine, date);
  if (trade.asked.kind === 'amount' && cost.minor > trade.asked.budget.minor) {
    return refuse(
      'cost_exceeds_accepted_amount',
      `at the fixing of ${date} the bars cost ${formatMoney(cost, date)}, above the accepted ` +
        `${formatMoney(trade.asked.budget, date)}; reallocate the trade at this price`,
    );
  }
  const postings: Posting[] = [
    { account_id: offer.buyer_cash_account_id, unit: offer.currency, amount: -cost.minor },
    { account_id: offer.seller_cash_account_id, unit: offer.currency, amount: cost.minor },
    { account_id: offer.seller_stock_account_id, unit: 'XAU', amount: -fine },
    { account_id: offer.buyer_custody_account_id, unit: 'XAU', amount: fine },
  ];
  const applied = applyPostings(postings, input.accounts);
  if (!applied.ok) {
    if (applied.code !== 'insufficient_funds') return applied;
    const held = input.accounts.get(offer.buyer_cash_account_id)?.balance ?? 0n;
    return refuse(
      'insufficient_funds',
      `${offer.buyer_party_id} holds ${formatMoney({ currency: offer.currency, minor: held }, date)} ` +
        `in ${offer.buyer_cash_account_id}; the trade costs ${formatMoney(cost, date)}`,
    );
  }
  return {
    ok: true,
    price: fixing,
    fine_milli_oz: fine,
    consideration: cost,
    postings,
    balances: applied.balances,
  };
}
