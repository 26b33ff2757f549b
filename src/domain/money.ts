// Money, exact, per currency. Rounding rules are stated here once and in docs/ROUNDING.md.
import {
  divideFloor,
  divideHalfUp,
  formatScaled,
  groupThousands,
  type Parsed,
  parseScaled,
} from './decimal.ts';
import type { FineMilliOz } from './weight.ts';

export type CurrencyCode = 'GBP' | 'USD' | 'EUR';

/**
 * The most minor units of any amount, price, weight or balance, either way: 18 digits, below 2^63
 * (what both stores hold in a bigint column) and far above any real sum (10^18 minor units is
 * 2·10^14 £, or 3·10^10 t of gold). Past it an amount is bad input, never an overflow.
 */
export const MINOR_MAX = 999_999_999_999_999_999n;

/** True when a count of minor units is within ±MINOR_MAX. */
export function withinMinorRange(minor: bigint): boolean {
  return minor <= MINOR_MAX && minor >= -MINOR_MAX;
}
export const CURRENCY_CODES: readonly CurrencyCode[] = ['GBP', 'USD', 'EUR'];

/**
 * Sterling is kept in 1/4800ths of a pound: the smallest unit that counts both the pre-decimal
 * farthing (£1/960, five units) and the decimal penny (£1/100, 48 units) exactly.
 */
export const STERLING_UNITS_PER_POUND = 4800n;
export const STERLING_UNITS_PER_SHILLING = 240n;
export const STERLING_UNITS_PER_OLD_PENNY = 20n;
export const STERLING_UNITS_PER_FARTHING = 5n;
/** Decimal Day: from 15 February 1971 sterling is decimal. */
export const DECIMAL_DAY = '1971-02-15';

interface Currency {
  readonly code: CurrencyCode;
  readonly symbol: string;
  /** Minor units in one major unit (pound, dollar, euro). */
  readonly minor_per_major: bigint;
}

const CURRENCIES: Record<CurrencyCode, Currency> = {
  GBP: { code: 'GBP', symbol: '£', minor_per_major: STERLING_UNITS_PER_POUND },
  USD: { code: 'USD', symbol: '$', minor_per_major: 100n },
  EUR: { code: 'EUR', symbol: '€', minor_per_major: 100n },
};

/** An exact amount: `minor` counts the currency's minor unit (for GBP, 1/4800 £). */
export interface Money {
  readonly currency: CurrencyCode;
  readonly minor: bigint;
}

export function money(currency: CurrencyCode, minor: bigint): Money {
  return { currency, minor };
}

export function isCurrencyCode(text: string): text is CurrencyCode {
  return (CURRENCY_CODES as readonly string[]).includes(text);
}

export function minorPerMajor(currency: CurrencyCode): bigint {
  return CURRENCIES[currency].minor_per_major;
}

/**
 * The smallest amount that changes hands on a date, in minor units: the farthing before Decimal
 * Day, the new halfpenny until 1984, the penny after; the cent for USD and EUR.
 */
export function coinOf(currency: CurrencyCode, date: string): bigint {
  if (currency !== 'GBP') return 1n;
  if (date < DECIMAL_DAY) return STERLING_UNITS_PER_FARTHING;
  if (date < '1985-01-01') return 24n;
  return 48n;
}

/** Rule R3: an amount rounded to the coin of its date, to nearest, halves away from zero. */
export function roundToCoinHalfUp(numerator: bigint, denominator: bigint, coin: bigint): bigint {
  return divideHalfUp(numerator, denominator * coin) * coin;
}

/** Rule R4: an amount rounded down (toward negative infinity) to the coin of its date. */
export function roundToCoinDown(numerator: bigint, denominator: bigint, coin: bigint): bigint {
  return divideFloor(numerator, denominator * coin) * coin;
}

/** Parses "USD 20,000,000", "GBP 7142857.14", "£12 10s 4½d", "254s 0d", "$5.25", "12.5 GBP". */
export function parseMoney(text: string, fallback?: CurrencyCode): Parsed<Money> {
  const parsed = parseAnyMoney(text, fallback);
  if (parsed.ok && !withinMinorRange(parsed.value.minor)) {
    return { ok: false, reason: `amount "${text}" is beyond ${MINOR_MAX} minor units (18 digits)` };
  }
  return parsed;
}

function parseAnyMoney(text: string, fallback?: CurrencyCode): Parsed<Money> {
  const trimmed = text.trim();
  const lsd = parseLsd(trimmed);
  if (lsd) return lsd.ok ? { ok: true, value: money('GBP', lsd.value) } : lsd;
  const match = /^(?:([A-Za-z]{3})\s*|([£$€])\s*)?([-+]?[0-9][0-9,]*(?:\.[0-9]+)?)\s*([A-Za-z]{3})?$/.exec(
    trimmed,
  );
  if (!match) return { ok: false, reason: `amount "${text}" is not like "GBP 1234.56" or "£12 10s 4½d"` };
  const symbolCurrency = Object.values(CURRENCIES).find((c) => c.symbol === match[2])?.code;
  const code = (match[1] ?? match[4])?.toUpperCase() ?? symbolCurrency ?? fallback;
  if (!code) return { ok: false, reason: `amount "${text}" names no currency (write e.g. "GBP 100")` };
  if (!isCurrencyCode(code)) return { ok: false, reason: `amount "${text}": unknown currency ${code}` };
  const parsed = parseScaled(match[3] ?? '', 2, `amount in ${code}`);
  if (!parsed.ok) return parsed;
  const perHundredth = minorPerMajor(code) / 100n;
  return { ok: true, value: money(code, parsed.value * perHundredth) };
}

const FRACTIONS: Record<string, bigint> = {
  '': 0n,
  '¼': 1n,
  '½': 2n,
  '¾': 3n,
  '1/4': 1n,
  '1/2': 2n,
  '3/4': 3n,
};

/**
 * Parses pre-decimal sterling: "£12 10s 4½d", "254s 0d", "£12 14s", "10¼d".
 * Returns undefined when the text is not written in £sd at all.
 */
export function parseLsd(text: string): Parsed<bigint> | undefined {
  const pattern =
    /^(?:£\s*([0-9][0-9,]*))?\s*(?:([0-9]+)\s*s)?\s*(?:([0-9]+)?\s*(¼|½|¾|1\/4|1\/2|3\/4)?\s*d)?$/;
  const match = pattern.exec(text.trim());
  if (!match || (match[2] === undefined && match[3] === undefined && match[4] === undefined)) {
    return undefined;
  }
  const pounds = BigInt((match[1] ?? '0').replaceAll(',', ''));
  const shillings = BigInt(match[2] ?? '0');
  const pence = BigInt(match[3] ?? '0');
  if (match[1] !== undefined && shillings >= 20n) {
    return { ok: false, reason: `"${text}": shillings must be below 20 when pounds are given` };
  }
  if (pence >= 12n) return { ok: false, reason: `"${text}": pence must be below 12` };
  const farthings = FRACTIONS[match[4] ?? ''] ?? 0n;
  const units =
    pounds * STERLING_UNITS_PER_POUND +
    shillings * STERLING_UNITS_PER_SHILLING +
    pence * STERLING_UNITS_PER_OLD_PENNY +
    farthings * STERLING_UNITS_PER_FARTHING;
  return { ok: true, value: units };
}

const FARTHING_SIGNS: Record<string, string> = { '0': '', '1': '¼', '2': '½', '3': '¾' };

/**
 * Formats sterling units as pounds, shillings and pence: "£12 10s 4½d". An amount finer than a
 * farthing (possible only for decimal-era amounts) is shown to the farthing below, marked "≈".
 */
export function formatLsd(units: bigint, options: { shillingsOnly?: boolean } = {}): string {
  const negative = units < 0n;
  let rest = negative ? -units : units;
  const exact = rest % STERLING_UNITS_PER_FARTHING === 0n;
  // The farthing below: toward zero for a credit, away from it for a debit.
  if (!exact && negative) rest += STERLING_UNITS_PER_FARTHING - (rest % STERLING_UNITS_PER_FARTHING);
  const pounds = options.shillingsOnly ? 0n : rest / STERLING_UNITS_PER_POUND;
  rest -= pounds * STERLING_UNITS_PER_POUND;
  const shillings = rest / STERLING_UNITS_PER_SHILLING;
  rest -= shillings * STERLING_UNITS_PER_SHILLING;
  const pence = rest / STERLING_UNITS_PER_OLD_PENNY;
  rest -= pence * STERLING_UNITS_PER_OLD_PENNY;
  const farthings = rest / STERLING_UNITS_PER_FARTHING;
  const penceText = `${pence}${FARTHING_SIGNS[farthings.toString()]}d`;
  const poundsText = options.shillingsOnly ? '' : `£${groupThousands(pounds.toString())} `;
  return `${exact ? '' : '≈'}${negative ? '-' : ''}${poundsText}${shillings}s ${penceText}`;
}

/**
 * Formats an amount in decimal: "GBP 7,142,857.14". Sterling that is not a whole number of
 * pence (a farthing, say) is shown to the penny below, marked "≈"; `formatLsd` shows it exactly.
 */
export function formatDecimal(amount: Money): string {
  const perHundredth = minorPerMajor(amount.currency) / 100n;
  const hundredths = divideFloor(amount.minor, perHundredth);
  const exact = hundredths * perHundredth === amount.minor;
  return `${exact ? '' : '≈'}${amount.currency} ${formatScaled(hundredths, 2, { group: true })}`;
}

/** Formats an amount the way its date wrote it: £sd for sterling before Decimal Day. */
export function formatMoney(amount: Money, date?: string): string {
  if (amount.currency === 'GBP' && date !== undefined && date < DECIMAL_DAY) {
    return formatLsd(amount.minor);
  }
  return formatDecimal(amount);
}

/** Minor units as a plain decimal string of the major unit, exact to six places ("7142857.140625"). */
export function toMajorString(amount: Money): string {
  const scaled = divideHalfUp(amount.minor * 1_000_000n, minorPerMajor(amount.currency));
  return formatScaled(scaled, 6);
}

/** A price of fine gold: minor units of `currency` per fine troy ounce. */
export interface PricePerOz {
  readonly currency: CurrencyCode;
  readonly minor_per_oz: bigint;
}

/** Parses a price per fine ounce: "254s 0d", "£12 14s", "GBP 1850.35", "1850.35" (in `fallback`). */
export function parsePrice(text: string, fallback: CurrencyCode = 'GBP'): Parsed<PricePerOz> {
  const parsed = parseMoney(text, fallback);
  if (!parsed.ok) return { ok: false, reason: parsed.reason.replace('amount', 'price') };
  if (parsed.value.minor <= 0n) return { ok: false, reason: `price "${text}" must be above zero` };
  return { ok: true, value: { currency: parsed.value.currency, minor_per_oz: parsed.value.minor } };
}

/**
 * The consideration for fine gold: price × fine weight, rounded once to the coin of the
 * settlement date, halves away from zero (rule R3).
 */
export function consideration(price: PricePerOz, fine: FineMilliOz, date: string): Money {
  const coin = coinOf(price.currency, date);
  return money(price.currency, roundToCoinHalfUp(price.minor_per_oz * fine, 1000n, coin));
}

/** The fine weight a sum buys at a price, to 0.001 oz below (rule R1: never more than paid for). */
export function weightForAmount(amount: Money, price: PricePerOz): FineMilliOz {
  if (amount.currency !== price.currency) throw new Error('weightForAmount: currency mismatch');
  return divideFloor(amount.minor * 1000n, price.minor_per_oz);
}

/**
 * The most fine gold a sum pays for at a price on a date: the weight whose consideration (rule R3,
 * rounded to the coin of the date) is at most the sum. Never more than `weightForAmount`.
 */
export function affordableWeight(amount: Money, price: PricePerOz, date: string): FineMilliOz {
  const estimate = weightForAmount(amount, price);
  if (estimate <= 0n) return estimate;
  // Rounding half up can lift the price of the truncated weight above the sum by under a coin.
  // The consideration of f is at most k coins exactly when price × f / 1000 < (k + ½) coins, so
  // the most that fits is the ceiling of (2k + 1) × 1000 × coin / (2 × price), less one. Worked
  // out, not searched: at a price of one minor unit an ounce it is 1.5 oz below the estimate.
  const coin = coinOf(price.currency, date);
  const coins = divideFloor(amount.minor, coin);
  const bound = (2n * coins + 1n) * 1000n * coin;
  const most = -divideFloor(-bound, 2n * price.minor_per_oz) - 1n;
  return estimate < most ? estimate : most;
}

/** An exchange rate: `quote_per_base_e10` units of `quote` for one `base`, scaled by 10^10. */
export interface FxRate {
  readonly base: CurrencyCode;
  readonly quote: CurrencyCode;
  readonly quote_per_base_e10: bigint;
}

/** Parses "2.80" as quote-currency units per one base-currency unit, up to ten decimals. */
export function parseFxRate(text: string, base: CurrencyCode, quote: CurrencyCode): Parsed<FxRate> {
  const parsed = parseScaled(text, 10, `exchange rate (${quote} per ${base})`);
  if (!parsed.ok) return parsed;
  if (parsed.value <= 0n) return { ok: false, reason: `exchange rate ${text} must be above zero` };
  return { ok: true, value: { base, quote, quote_per_base_e10: parsed.value } };
}

/**
 * Converts an amount at a stated rate, rounded down to the target's coin of the date (rule R4):
 * a budget converted never exceeds the sum it came from.
 */
export function convert(amount: Money, rate: FxRate, target: CurrencyCode, date: string): Money {
  const coin = coinOf(target, date);
  const fromMinor = minorPerMajor(amount.currency);
  const toMinor = minorPerMajor(target);
  if (amount.currency === rate.quote && target === rate.base) {
    const numerator = amount.minor * toMinor * 10_000_000_000n;
    return money(target, roundToCoinDown(numerator, fromMinor * rate.quote_per_base_e10, coin));
  }
  if (amount.currency === rate.base && target === rate.quote) {
    const numerator = amount.minor * toMinor * rate.quote_per_base_e10;
    return money(target, roundToCoinDown(numerator, fromMinor * 10_000_000_000n, coin));
  }
  throw new Error(`convert: rate ${rate.quote}/${rate.base} cannot convert ${amount.currency}→${target}`);
}
