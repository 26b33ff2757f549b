// The codecs of Ingot's own fields in offers and acceptances: fineness, pricing, fee, exchange rate.
import type { Parsed } from '../decimal.ts';
import type { CurrencyCode, FxRate } from '../money.ts';
import type { PricingRule } from '../offer.ts';
import { NO_OPTION } from './codecs.ts';
import type { Codec } from './fields.ts';
import { jsonDigits, jsonObject, jsonString } from './text.ts';
import { readCurrency, readSwiftNumber, writeSwiftNumber } from './values.ts';

/** 36F (Ingot): a fineness in per mille with one decimal, "990,0"; parts per ten thousand in JSON. */
export const fineness: Codec<bigint, string> = {
  options: NO_OPTION,
  readText: (text) => checkFineness(readSwiftNumber(text, 1, 'fineness (‰)')),
  writeText: (per10k) => ({ option: '', text: writeSwiftNumber(per10k, 1, 1) }),
  readJson: (value) => checkFineness(jsonDigits(value, 'fineness (parts per ten thousand)')),
  writeJson: (per10k) => per10k.toString(),
};

/** A fineness must be above 0 and at most 1000.0‰. */
function checkFineness(read: Parsed<bigint>): Parsed<bigint> {
  if (!read.ok) return read;
  return read.value > 0n && read.value <= 10000n
    ? read
    : { ok: false, reason: 'fineness must be above 0 and at most 1000,0‰' };
}

/** 71F (Ingot): the custody fee in percent a year, "0,25"; parts per ten thousand (basis points) in JSON. */
export const feePercent: Codec<bigint, string> = {
  options: NO_OPTION,
  readText: (text) => readSwiftNumber(text, 2, 'custody fee (% a year)'),
  writeText: (per10k) => ({ option: '', text: writeSwiftNumber(per10k, 2) }),
  readJson: (value) => jsonDigits(value, 'custody fee (parts per ten thousand a year)'),
  writeJson: (per10k) => per10k.toString(),
};

/** The text codes of pricing rules. */
export const PRICING_CODES: Readonly<Record<PricingRule, string>> = {
  london_fixing_of_payment_day: 'FIXPAYDAY',
};

/** How an offer is priced: a rule and the currency of the price. */
export interface Pricing {
  readonly currency: CurrencyCode;
  readonly rule: PricingRule;
}

/** Reads a pricing rule from its text code or its name. */
function readRule(text: string, byCode: boolean): Parsed<PricingRule> {
  for (const [rule, code] of Object.entries(PRICING_CODES) as [PricingRule, string][]) {
    if (text === (byCode ? code : rule)) return { ok: true, value: rule };
  }
  const known = byCode ? Object.values(PRICING_CODES) : Object.keys(PRICING_CODES);
  return { ok: false, reason: `pricing rule "${text}" is not one of ${known.join(', ')}` };
}

/** 33P (Ingot): the pricing, "GBP/FIXPAYDAY": in sterling, at the London fixing of the payment day. */
export const pricing: Codec<Pricing, { readonly currency: CurrencyCode; readonly rule: PricingRule }> = {
  options: NO_OPTION,
  readText: (text) => {
    const match = /^([A-Z]{3})\/(.*)$/.exec(text);
    if (!match) return { ok: false, reason: `pricing "${text}" is not like GBP/FIXPAYDAY` };
    const currency = readCurrency(match[1] ?? '', 'pricing');
    if (!currency.ok) return currency;
    const rule = readRule(match[2] ?? '', true);
    return rule.ok ? { ok: true, value: { currency: currency.value, rule: rule.value } } : rule;
  },
  writeText: (p) => ({ option: '', text: `${p.currency}/${PRICING_CODES[p.rule]}` }),
  readJson: (value) => {
    const record = jsonObject(value, ['currency', 'rule'], 'pricing');
    if (!record.ok) return record;
    const currency = jsonString(record.value.currency, 'pricing currency');
    if (!currency.ok) return currency;
    const code = readCurrency(currency.value, 'pricing');
    if (!code.ok) return code;
    const rule = jsonString(record.value.rule, 'pricing rule');
    if (!rule.ok) return rule;
    const known = readRule(rule.value, false);
    return known.ok ? { ok: true, value: { currency: code.value, rule: known.value } } : known;
  },
  writeJson: (p) => ({ currency: p.currency, rule: p.rule }),
};

/** Checks the currencies of a rate: known, and two different ones. */
function readPair(base: string, quote: string): Parsed<{ base: CurrencyCode; quote: CurrencyCode }> {
  const baseCode = readCurrency(base, 'exchange rate base');
  if (!baseCode.ok) return baseCode;
  const quoteCode = readCurrency(quote, 'exchange rate quote');
  if (!quoteCode.ok) return quoteCode;
  if (baseCode.value === quoteCode.value) {
    return { ok: false, reason: `exchange rate ${base}${quote} names one currency twice` };
  }
  return { ok: true, value: { base: baseCode.value, quote: quoteCode.value } };
}

/** A rate must be above zero. */
function positiveRate(rate: Parsed<bigint>): Parsed<bigint> {
  if (!rate.ok) return rate;
  return rate.value > 0n ? rate : { ok: false, reason: 'exchange rate must be above zero' };
}

/** The JSON form of an exchange rate. */
export type ExchangeRateJson = {
  readonly base: CurrencyCode;
  readonly quote: CurrencyCode;
  readonly quote_per_base_e10: string;
};

/**
 * 36 (Ingot's form): an exchange rate as a currency pair and the price of the first in the second,
 * "GBPUSD2,8" for USD 2.80 per pound (SWIFT's 36 is the number alone), up to ten decimals.
 */
export const exchangeRate: Codec<FxRate, ExchangeRateJson> = {
  options: NO_OPTION,
  readText: (text) => {
    const match = /^([A-Z]{3})([A-Z]{3})(.*)$/.exec(text);
    if (!match) return { ok: false, reason: `exchange rate "${text}" is not like GBPUSD2,8` };
    const pair = readPair(match[1] ?? '', match[2] ?? '');
    if (!pair.ok) return pair;
    const rate = positiveRate(readSwiftNumber(match[3] ?? '', 10, 'exchange rate'));
    return rate.ok ? { ok: true, value: { ...pair.value, quote_per_base_e10: rate.value } } : rate;
  },
  writeText: (r) => ({
    option: '',
    text: `${r.base}${r.quote}${writeSwiftNumber(r.quote_per_base_e10, 10)}`,
  }),
  readJson: (value) => {
    const record = jsonObject(value, ['base', 'quote', 'quote_per_base_e10'], 'exchange rate');
    if (!record.ok) return record;
    const base = jsonString(record.value.base, 'exchange rate base');
    if (!base.ok) return base;
    const quote = jsonString(record.value.quote, 'exchange rate quote');
    if (!quote.ok) return quote;
    const pair = readPair(base.value, quote.value);
    if (!pair.ok) return pair;
    const rate = positiveRate(
      jsonDigits(record.value.quote_per_base_e10, 'exchange rate quote_per_base_e10'),
    );
    return rate.ok ? { ok: true, value: { ...pair.value, quote_per_base_e10: rate.value } } : rate;
  },
  writeJson: (r) => ({ base: r.base, quote: r.quote, quote_per_base_e10: r.quote_per_base_e10.toString() }),
};
