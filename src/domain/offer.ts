// Offers of gold and their acceptance in tranches, by quantity or by amount.
import {
  affordableWeight,
  type CurrencyCode,
  consideration,
  convert,
  formatMoney,
  MINOR_MAX,
  type Money,
  type PricePerOz,
  parseFxRate,
} from './money.ts';
import { type Outcome, refuse } from './outcome.ts';
import { describeWeight, type FineMilliOz, type FinenessPer10k, formatFineness } from './weight.ts';

/** How the price is set: the only rule so far is the 1961 one. */
export type PricingRule = 'london_fixing_of_payment_day';

export interface Offer {
  readonly id: string;
  readonly seller_party_id: string;
  readonly buyer_party_id: string;
  readonly seller_stock_account_id: string;
  readonly seller_cash_account_id: string;
  readonly buyer_custody_account_id: string;
  readonly buyer_cash_account_id: string;
  readonly maximum_fine_milli_oz: FineMilliOz;
  readonly minimum_fineness: FinenessPer10k;
  readonly currency: CurrencyCode;
  readonly pricing: PricingRule;
  /** Custody fee under the agreement: zero per year in 1961. */
  readonly custody_fee_per_year_per10k: bigint;
  readonly valid_from: string;
  readonly valid_until: string;
}

/** What the client asked for: a fine weight, or a sum in the agreement's currency. */
export type Asked =
  | { readonly kind: 'quantity'; readonly fine_milli_oz: FineMilliOz }
  | { readonly kind: 'amount'; readonly budget: Money; readonly stated: string };

export type TradeState = 'accepted' | 'allocated' | 'settled' | 'cancelled';

/** Every state of a trade, in the order a trade passes through them. */
export const TRADE_STATES: readonly TradeState[] = ['accepted', 'allocated', 'settled', 'cancelled'];

export interface Trade {
  readonly id: string;
  readonly offer_id: string;
  readonly accepted_on: string;
  readonly asked: Asked;
  readonly state: TradeState;
  readonly allocated_fine_milli_oz: FineMilliOz | null;
  readonly pending_reason: string | null;
}

/** The fine weight a trade holds against its offer's maximum. */
export function committedWeight(trade: Trade): FineMilliOz {
  if (trade.state === 'cancelled') return 0n;
  if (trade.allocated_fine_milli_oz !== null) return trade.allocated_fine_milli_oz;
  return trade.asked.kind === 'quantity' ? trade.asked.fine_milli_oz : 0n;
}

/** Checks an offer's own terms before it is made. */
export function checkOfferTerms(offer: Offer): Outcome<object> {
  if (offer.seller_party_id === offer.buyer_party_id) {
    return refuse('invalid_input', 'an offer needs a seller and a different buyer', 'buyer');
  }
  if (offer.maximum_fine_milli_oz <= 0n) {
    return refuse('invalid_input', 'the offered maximum must be above zero', 'maximum');
  }
  if (offer.minimum_fineness <= 0n || offer.minimum_fineness > 10000n) {
    return refuse('invalid_input', 'the minimum fineness must be within 0–1000.0‰', 'min_fineness');
  }
  if (offer.valid_until < offer.valid_from) {
    return refuse('invalid_input', `validity ends ${offer.valid_until} before it starts`, 'valid_until');
  }
  return { ok: true };
}

export interface AcceptanceRequest {
  readonly by_party_id: string;
  readonly date: string;
  readonly asked: Asked;
}

/** Checks an acceptance against the offer and the tranches already taken from it. */
export function checkAcceptance(
  offer: Offer,
  request: AcceptanceRequest,
  taken: FineMilliOz,
): Outcome<object> {
  if (request.by_party_id !== offer.buyer_party_id) {
    return refuse(
      'not_offer_buyer',
      `offer ${offer.id} is made to ${offer.buyer_party_id}, not ${request.by_party_id}`,
    );
  }
  if (request.date < offer.valid_from) {
    return refuse('offer_not_yet_valid', `offer ${offer.id} is valid from ${offer.valid_from}`, 'date');
  }
  if (request.date > offer.valid_until) {
    return refuse('offer_expired', `offer ${offer.id} expired on ${offer.valid_until}`, 'date');
  }
  if (request.asked.kind === 'quantity' && request.asked.fine_milli_oz <= 0n) {
    return refuse('invalid_input', 'the quantity must be above zero', 'quantity');
  }
  const remaining = offer.maximum_fine_milli_oz - taken;
  if (remaining <= 0n) {
    return refuse('offer_fully_taken', `offer ${offer.id} is fully taken`);
  }
  const asked = request.asked;
  if (asked.kind === 'amount' && asked.budget.currency !== offer.currency) {
    return refuse(
      'currency_mismatch',
      `offer ${offer.id} is priced in ${offer.currency}, not ${asked.budget.currency}`,
      'amount',
    );
  }
  if (asked.kind === 'amount' && asked.budget.minor <= 0n) {
    return refuse('invalid_input', 'the amount must be above zero', 'amount');
  }
  if (asked.kind === 'quantity' && asked.fine_milli_oz > remaining) {
    return refuse(
      'exceeds_offer_maximum',
      `asked ${describeWeight(asked.fine_milli_oz)}, but only ${describeWeight(remaining)} of offer ${offer.id} remains`,
      'quantity',
    );
  }
  return { ok: true };
}

/** What a client asks of an offer, as given: a fine weight, or a sum with the rate it is converted at. */
export interface Asking {
  readonly quantity?: FineMilliOz | undefined;
  readonly amount?: Money | undefined;
  /** Units of the amount's currency per one unit of the offer's, e.g. "2.80" USD per GBP. */
  readonly rate?: string | undefined;
}

/**
 * What a client asks of an offer in `currency`, in the core's terms: a fine weight, or a sum in
 * the offer's currency, converted (rounded down to the coin of `date`) when given in another at
 * a stated rate. Refuses an asking of neither or both, and a sum in another currency without a
 * rate or with a rate that is not one; the field named is `quantity` or `rate`.
 */
export function askedOf(asking: Asking, currency: CurrencyCode, date: string): Outcome<{ asked: Asked }> {
  if ((asking.quantity === undefined) === (asking.amount === undefined)) {
    return refuse('invalid_input', 'give exactly one of a quantity and an amount', 'quantity');
  }
  if (asking.quantity !== undefined) {
    return { ok: true, asked: { kind: 'quantity', fine_milli_oz: asking.quantity } };
  }
  const amount = asking.amount ?? { currency, minor: 0n };
  if (amount.currency === currency) {
    return { ok: true, asked: { kind: 'amount', budget: amount, stated: formatMoney(amount, date) } };
  }
  if (asking.rate === undefined) {
    return refuse(
      'invalid_input',
      `an amount in ${amount.currency} needs a rate (${amount.currency} per ${currency})`,
      'rate',
    );
  }
  const rate = parseFxRate(asking.rate, currency, amount.currency);
  if (!rate.ok) return refuse('invalid_input', rate.reason, 'rate');
  const budget = convert(amount, rate.value, currency, date);
  const stated = `${formatMoney(amount)} at ${asking.rate} ${amount.currency} per ${currency}`;
  if (budget.minor > MINOR_MAX) {
    const message = `${stated} is ${budget.minor} ${currency} minor units, beyond ${MINOR_MAX} (18 digits)`;
    return refuse('invalid_input', message, 'amount');
  }
  return { ok: true, asked: { kind: 'amount', budget, stated } };
}

/**
 * The fine weight an asking buys and what it costs at a price on a date; refused (naming
 * `quantity` or `amount`) when either is past MINOR_MAX, as no amount of the books may be.
 */
export function quoteOf(
  asked: Asked,
  price: PricePerOz,
  date: string,
): Outcome<{ fine_milli_oz: FineMilliOz; cost: Money }> {
  const fine = asked.kind === 'quantity' ? asked.fine_milli_oz : affordableWeight(asked.budget, price, date);
  const cost = consideration(price, fine, date);
  if (fine > MINOR_MAX || cost.minor > MINOR_MAX) {
    const message = `it buys ${fine} thousandths of an ounce for ${cost.minor} ${cost.currency} minor units, beyond ${MINOR_MAX} (18 digits)`;
    return refuse('invalid_input', message, asked.kind === 'quantity' ? 'quantity' : 'amount');
  }
  return { ok: true, fine_milli_oz: fine, cost };
}

/** One line describing an offer's terms. */
export function describeOffer(offer: Offer): string {
  return (
    `${offer.seller_party_id} offers ${offer.buyer_party_id} up to ${describeWeight(offer.maximum_fine_milli_oz)} ` +
    `in bars of at least ${formatFineness(offer.minimum_fineness)}‰, priced at the London fixing of ` +
    `the payment day in ${offer.currency}; valid ${offer.valid_from} to ${offer.valid_until}`
  );
}

/** One line describing what a client asked for. */
export function describeAsked(asked: Asked, date: string): string {
  return asked.kind === 'quantity'
    ? describeWeight(asked.fine_milli_oz)
    : `${formatMoney(asked.budget, date)} (${asked.stated})`;
}
