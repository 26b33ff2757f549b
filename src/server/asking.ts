// What a client asks of an offer over HTTP, read into the core's terms: a fine weight, or a sum in
// the offer's currency (converted at a stated rate when given in another), and a quote of its cost.
import {
  affordableWeight,
  type CurrencyCode,
  consideration,
  convert,
  formatMoney,
  type Money,
  parseFxRate,
} from '../domain/money.ts';
import type { Asked } from '../domain/offer.ts';
import { ApiError } from './errors.ts';

export interface AskBody {
  readonly quantity_fine_milli_oz?: string | undefined;
  readonly amount?: { readonly currency: CurrencyCode; readonly minor: string } | undefined;
  /** Units of the amount's currency per one unit of the offer's, e.g. "2.80" USD per GBP. */
  readonly rate?: string | undefined;
}

/** The asked quantity or sum; refuses a request that gives neither or both, or lacks a rate. */
export function askedOf(body: AskBody, currency: CurrencyCode, date: string): Asked {
  if ((body.quantity_fine_milli_oz === undefined) === (body.amount === undefined)) {
    throw new ApiError(
      'invalid_input',
      'give exactly one of quantity_fine_milli_oz and amount',
      'quantity_fine_milli_oz',
    );
  }
  if (body.quantity_fine_milli_oz !== undefined) {
    return { kind: 'quantity', fine_milli_oz: BigInt(body.quantity_fine_milli_oz) };
  }
  const given = body.amount ?? { currency, minor: '0' };
  const amount: Money = { currency: given.currency, minor: BigInt(given.minor) };
  if (amount.currency === currency)
    return { kind: 'amount', budget: amount, stated: formatMoney(amount, date) };
  if (body.rate === undefined) {
    throw new ApiError(
      'invalid_input',
      `an amount in ${amount.currency} needs a rate (${amount.currency} per ${currency})`,
      'rate',
    );
  }
  const rate = parseFxRate(body.rate, currency, amount.currency);
  if (!rate.ok) throw new ApiError('invalid_input', rate.reason, 'rate');
  return {
    kind: 'amount',
    budget: convert(amount, rate.value, currency, date),
    stated: `${formatMoney(amount)} at ${body.rate} ${amount.currency} per ${currency}`,
  };
}

/** The fine weight an asking buys and what it costs at a price on a date. */
export function quoteOf(asked: Asked, price: { currency: CurrencyCode; minor_per_oz: bigint }, date: string) {
  const fine = asked.kind === 'quantity' ? asked.fine_milli_oz : affordableWeight(asked.budget, price, date);
  return { fine_milli_oz: fine, cost: consideration(price, fine, date) };
}
