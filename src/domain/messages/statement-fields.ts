// The fields of a statement of a metal account: 28 statement number, 60a/62a balances, 61 lines.
import type { Parsed } from '../decimal.ts';
import { date as dateCodec, NO_OPTION } from './codecs.ts';
import type { Codec } from './fields.ts';
import { jsonDigits, jsonObject, oneOf } from './text.ts';
import { readFineOunces, readSwiftDate, writeFineOunces, writeSwiftDate } from './values.ts';

/** The largest statement or page number (SWIFT's "5n"). */
export const STATEMENT_NUMBER_MAXIMUM = 99999;

/** 28: the statement number and, when a statement runs over several messages, the page. */
export interface StatementNumber {
  readonly statement_number: number;
  readonly page_number: number | null;
}

/** The JSON form of a statement number: the same members. */
export type StatementNumberJson = { readonly [K in keyof StatementNumber]: StatementNumber[K] };

/** Checks a statement or page number: a whole number from 1 to 99999. */
function checkCount(value: unknown, what: string): Parsed<number> {
  return typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value >= 1 &&
    value <= STATEMENT_NUMBER_MAXIMUM
    ? { ok: true, value }
    : { ok: false, reason: `${what} ${JSON.stringify(value)} is not a whole number from 1 to 99999` };
}

/** 28: "5/1" for statement 5, page 1; "5" for statement 5. */
export const statementNumber: Codec<StatementNumber, StatementNumberJson> = {
  options: NO_OPTION,
  readText: (text) => {
    const match = /^(\d{1,5})(?:\/(\d{1,5}))?$/.exec(text);
    if (!match) return { ok: false, reason: `statement number "${text}" is not like 5 or 5/1` };
    const statement = checkCount(Number.parseInt(match[1] ?? '', 10), 'statement number');
    if (!statement.ok) return statement;
    if (match[2] === undefined)
      return { ok: true, value: { statement_number: statement.value, page_number: null } };
    const page = checkCount(Number.parseInt(match[2], 10), 'page number');
    return page.ok
      ? { ok: true, value: { statement_number: statement.value, page_number: page.value } }
      : page;
  },
  writeText: (n) => ({
    option: '',
    text: `${n.statement_number}${n.page_number === null ? '' : `/${n.page_number}`}`,
  }),
  readJson: (value) => {
    const record = jsonObject(value, ['statement_number', 'page_number'], 'statement number');
    if (!record.ok) return record;
    const statement = checkCount(record.value.statement_number, 'statement number');
    if (!statement.ok) return statement;
    const pageValue = record.value.page_number ?? null;
    if (pageValue === null)
      return { ok: true, value: { statement_number: statement.value, page_number: null } };
    const page = checkCount(pageValue, 'page number');
    return page.ok
      ? { ok: true, value: { statement_number: statement.value, page_number: page.value } }
      : page;
  },
  writeJson: (n) => ({ ...n }),
};

/** Balance marks: credit or debit. */
export const MARKS = ['C', 'D'] as const;
/** The mark of a balance. */
export type Mark = (typeof MARKS)[number];

/** 60a / 62a: a balance, credit or debit, on a date, in fine milli-ounces. */
export interface Balance {
  /** Option M: an intermediate balance of a statement over several messages; F: the first or final. */
  readonly intermediate: boolean;
  readonly mark: Mark;
  readonly date: string;
  readonly fine_milli_oz: bigint;
}

/** The JSON form of a balance. */
export type BalanceJson = {
  readonly intermediate: boolean;
  readonly mark: Mark;
  readonly date: string;
  readonly fine_milli_oz: string;
};

/** A balance as a signed number: credit positive, debit negative. */
export function signedBalance(balance: Balance): bigint {
  return balance.mark === 'C' ? balance.fine_milli_oz : -balance.fine_milli_oz;
}

/** 60a / 62a: "C610117FOZ100000," in text. */
export const balance: Codec<Balance, BalanceJson> = {
  options: ['F', 'M'],
  readText: (text, option) => {
    const mark = oneOf(text.slice(0, 1), MARKS, 'debit/credit mark');
    if (!mark.ok) return mark;
    const date = readSwiftDate(text.slice(1, 7), 'date');
    if (!date.ok) return date;
    const unit = text.slice(7, 10);
    if (unit !== 'FOZ') {
      return { ok: false, reason: `unit "${unit}" is not FOZ; Ingot keeps gold in fine troy ounces` };
    }
    const milli = readFineOunces(text.slice(10), 'amount');
    if (!milli.ok) return milli;
    return {
      ok: true,
      value: { intermediate: option === 'M', mark: mark.value, date: date.value, fine_milli_oz: milli.value },
    };
  },
  writeText: (b) => ({
    option: b.intermediate ? 'M' : 'F',
    text: `${b.mark}${writeSwiftDate(b.date)}FOZ${writeFineOunces(b.fine_milli_oz)}`,
  }),
  readJson: (value) => {
    const record = jsonObject(value, ['intermediate', 'mark', 'date', 'fine_milli_oz'], 'balance');
    if (!record.ok) return record;
    const intermediate = record.value.intermediate ?? false;
    if (typeof intermediate !== 'boolean')
      return { ok: false, reason: 'balance intermediate must be true or false' };
    const mark = oneOf(record.value.mark, MARKS, 'debit/credit mark');
    if (!mark.ok) return mark;
    const date = dateCodec.readJson(record.value.date);
    if (!date.ok) return date;
    const milli = jsonDigits(record.value.fine_milli_oz, 'balance fine_milli_oz');
    if (!milli.ok) return milli;
    return {
      ok: true,
      value: { intermediate, mark: mark.value, date: date.value, fine_milli_oz: milli.value },
    };
  },
  writeJson: (b) => ({ ...b, fine_milli_oz: b.fine_milli_oz.toString() }),
};
