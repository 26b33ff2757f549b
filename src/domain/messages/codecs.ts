// The codecs of single-part fields: references, dates, narrative, quantities, money and prices.
import type { Parsed } from '../decimal.ts';
import type { CurrencyCode, Money, PricePerOz } from '../money.ts';
import type { Codec } from './fields.ts';
import {
  checkFreeLine,
  checkFreeText,
  checkReference,
  checkSwiftText,
  jsonDigits,
  jsonObject,
  jsonString,
  oneOf,
} from './text.ts';
import {
  checkIsoDate,
  readCurrency,
  readFineOunces,
  readSwiftDate,
  readSwiftMoney,
  writeFineOunces,
  writeSwiftDate,
  writeSwiftMoney,
} from './values.ts';

/** The options of a tag without an option letter. */
export const NO_OPTION: readonly string[] = [''];

/** A codec whose JSON form is its text form, a string, checked the same way in both. */
function stringCodec(what: string, check: (text: string) => Parsed<string>): Codec<string, string> {
  return {
    options: NO_OPTION,
    readText: (text) => check(text),
    writeText: (value) => ({ option: '', text: value }),
    readJson: (value) => {
      const text = jsonString(value, what);
      return text.ok ? check(text.value) : text;
    },
    writeJson: (value) => value,
  };
}

/** 20, 21: a reference, "16x" with no "/" at either end and no "//". */
export const reference = stringCodec('reference', (text) => checkReference(text, 'reference'));
/** 23: further identification, "16x" (e.g. TRANSFER, DELIVERY). */
export const identification = stringCodec('identification', (text) =>
  checkSwiftText(text, 16, 'identification'),
);
/** 25: an account, "35x". */
export const account = stringCodec('account', (text) => checkSwiftText(text, 35, 'account'));
/** 72, 79: narrative in any script; SWIFT's line limits are not applied, so no letter is cut short. */
export const narrative = stringCodec('narrative', (text) => checkFreeText(text, null, 'narrative'));

/** 30, 31C, 31E: a date, YYMMDD in text and YYYY-MM-DD in JSON. */
export const date: Codec<string, string> = {
  options: NO_OPTION,
  readText: (text) => readSwiftDate(text, 'date'),
  writeText: (value) => ({ option: '', text: writeSwiftDate(value) }),
  readJson: (value) => {
    const text = jsonString(value, 'date');
    return text.ok ? checkIsoDate(text.value, 'date') : text;
  },
  writeJson: (value) => value,
};

/** Checks bar number lines: printable, at most 65 characters each (SWIFT's 30 lines are not enforced). */
function checkBarLines(lines: readonly string[]): Parsed<readonly string[]> {
  if (lines.length === 0) return { ok: false, reason: 'bar numbers are empty' };
  for (const [index, line] of lines.entries()) {
    const what = `bar number line ${index + 1}`;
    if (line === '') return { ok: false, reason: `${what} is empty` };
    const checked = checkFreeLine(line, 65, what);
    if (!checked.ok) return checked;
  }
  return { ok: true, value: lines };
}

/** 26D: certificate or bar numbers, one per line. */
export const barNumbers: Codec<readonly string[], readonly string[]> = {
  options: NO_OPTION,
  readText: (text) => checkBarLines(text.split('\n')),
  writeText: (lines) => ({ option: '', text: lines.join('\n') }),
  readJson: (value) => {
    if (!Array.isArray(value) || !value.every((line) => typeof line === 'string')) {
      return { ok: false, reason: 'bar numbers must be a list of strings' };
    }
    return checkBarLines(value);
  },
  writeJson: (lines) => lines,
};

/** Reads a positive amount of fine gold in milli-ounces from JSON. */
function positiveMilliOunces(value: unknown, what: string): Parsed<bigint> {
  const digits = jsonDigits(value, what);
  if (!digits.ok) return digits;
  return digits.value > 0n ? digits : { ok: false, reason: `${what} must be above zero` };
}

/** 32F: a quantity of fine gold, "FOZ400,125" in text, milli-ounces ("400125") in JSON. */
export const quantity: Codec<bigint, string> = {
  options: NO_OPTION,
  readText: (text) => {
    const match = /^([A-Z]{3})(.*)$/.exec(text);
    if (!match) return { ok: false, reason: `"${text}" is not a unit and an amount, like FOZ400,125` };
    if (match[1] !== 'FOZ') {
      return { ok: false, reason: `unit "${match[1]}" is not FOZ; Ingot keeps gold in fine troy ounces` };
    }
    const milli = readFineOunces(match[2] ?? '', 'amount');
    if (!milli.ok) return milli;
    return milli.value > 0n ? milli : { ok: false, reason: 'amount must be above zero' };
  },
  writeText: (milli) => ({ option: '', text: `FOZ${writeFineOunces(milli)}` }),
  readJson: (value) => positiveMilliOunces(value, 'quantity (milli-ounces)'),
  writeJson: (milli) => milli.toString(),
};

/** Reads "GBP12,7" into a currency and a positive number of minor units. */
export function readCurrencyAmount(text: string, what: string): Parsed<Money> {
  const match = /^([A-Z]{3})(.*)$/.exec(text);
  if (!match) return { ok: false, reason: `${what} "${text}" is not a currency and an amount, like GBP12,7` };
  const currency = readCurrency(match[1] ?? '', what);
  if (!currency.ok) return currency;
  const minor = readSwiftMoney(match[2] ?? '', currency.value, what);
  if (!minor.ok) return minor;
  if (minor.value <= 0n) return { ok: false, reason: `${what} must be above zero` };
  return { ok: true, value: { currency: currency.value, minor: minor.value } };
}

/** Reads `{ currency, <minorName> }` from JSON into a currency and a positive number of minor units. */
function readJsonMoney(value: unknown, minorName: string, what: string): Parsed<Money> {
  const record = jsonObject(value, ['currency', minorName], what);
  if (!record.ok) return record;
  const currency = jsonString(record.value.currency, `${what} currency`);
  if (!currency.ok) return currency;
  const code = readCurrency(currency.value, what);
  if (!code.ok) return code;
  const minor = jsonDigits(record.value[minorName], `${what} ${minorName}`);
  if (!minor.ok) return minor;
  if (minor.value <= 0n) return { ok: false, reason: `${what} must be above zero` };
  return { ok: true, value: { currency: code.value, minor: minor.value } };
}

/** The JSON form of money: the currency and minor units as a string. */
export type MoneyJson = {
  readonly currency: CurrencyCode;
  readonly minor: string;
};

/** 32B: an amount of money, "USD20000000," in text. */
export const amount: Codec<Money, MoneyJson> = {
  options: NO_OPTION,
  readText: (text) => readCurrencyAmount(text, 'amount'),
  writeText: (money) => ({
    option: '',
    text: `${money.currency}${writeSwiftMoney(money.minor, money.currency)}`,
  }),
  readJson: (value) => readJsonMoney(value, 'minor', 'amount'),
  writeJson: (money) => ({ currency: money.currency, minor: money.minor.toString() }),
};

/** 33G: the price per fine ounce, "GBP12,7" in text. The code SEE72 (price per another unit) is refused. */
export const price: Codec<PricePerOz, { readonly currency: CurrencyCode; readonly minor_per_oz: string }> = {
  options: NO_OPTION,
  readText: (text) => {
    if (text.endsWith('SEE72')) {
      return { ok: false, reason: 'price code SEE72 (a price per another unit than 32F) is not supported' };
    }
    const money = readCurrencyAmount(text, 'price');
    return money.ok
      ? { ok: true, value: { currency: money.value.currency, minor_per_oz: money.value.minor } }
      : money;
  },
  writeText: (p) => ({ option: '', text: `${p.currency}${writeSwiftMoney(p.minor_per_oz, p.currency)}` }),
  readJson: (value) => {
    const money = readJsonMoney(value, 'minor_per_oz', 'price');
    return money.ok
      ? { ok: true, value: { currency: money.value.currency, minor_per_oz: money.value.minor } }
      : money;
  },
  writeJson: (p) => ({ currency: p.currency, minor_per_oz: p.minor_per_oz.toString() }),
};

/** 34P / 34R: the consideration, paid (P) or received (R) by the sender, on a value date. */
export interface Consideration {
  readonly direction: 'paid' | 'received';
  readonly value_date: string;
  readonly amount: Money;
}

const DIRECTIONS = ['paid', 'received'] as const;

/** 34P / 34R: "610131GBP7142857/2/10,25" in text. */
export const consideration: Codec<
  Consideration,
  { readonly direction: 'paid' | 'received'; readonly value_date: string; readonly amount: MoneyJson }
> = {
  options: ['P', 'R'],
  readText: (text, option) => {
    const valueDate = readSwiftDate(text.slice(0, 6), 'value date');
    if (!valueDate.ok) return valueDate;
    const money = readCurrencyAmount(text.slice(6), 'consideration');
    if (!money.ok) return money;
    const direction = option === 'P' ? 'paid' : 'received';
    return { ok: true, value: { direction, value_date: valueDate.value, amount: money.value } };
  },
  writeText: (c) => ({
    option: c.direction === 'paid' ? 'P' : 'R',
    text: `${writeSwiftDate(c.value_date)}${amount.writeText(c.amount).text}`,
  }),
  readJson: (value) => {
    const record = jsonObject(value, ['direction', 'value_date', 'amount'], 'consideration');
    if (!record.ok) return record;
    const direction = oneOf(record.value.direction, DIRECTIONS, 'direction');
    if (!direction.ok) return direction;
    const valueDate = date.readJson(record.value.value_date);
    if (!valueDate.ok) return valueDate;
    const money = readJsonMoney(record.value.amount, 'minor', 'consideration');
    if (!money.ok) return money;
    return {
      ok: true,
      value: { direction: direction.value, value_date: valueDate.value, amount: money.value },
    };
  },
  writeJson: (c) => ({
    direction: c.direction,
    value_date: c.value_date,
    amount: amount.writeJson(c.amount),
  }),
};
