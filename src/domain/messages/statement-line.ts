// 61, a statement line: "6!n[4!n]2a[1!a]15d1!a3!c16x[//16x]" and a second line "[34x]", e.g.
// "910117D10000,S604F56445677": value date, entry date, mark, funds code, amount, type, references.
import type { Parsed } from '../decimal.ts';
import { date as dateCodec, NO_OPTION } from './codecs.ts';
import type { Codec } from './fields.ts';
import {
  checkReference,
  checkSwiftText,
  jsonDigits,
  jsonObject,
  jsonOptionalString,
  jsonString,
  oneOf,
} from './text.ts';
import { readFineOunces, readSwiftDate, writeFineOunces, writeSwiftDate } from './values.ts';

/** Statement line marks: credit, debit, reversal of a credit, reversal of a debit. */
export const LINE_MARKS = ['C', 'D', 'RC', 'RD'] as const;
/** The mark of a statement line. */
export type LineMark = (typeof LINE_MARKS)[number];

/** 61: one entry of a statement. */
export interface StatementLine {
  readonly value_date: string;
  /** MMDD, or null. */
  readonly entry_date: string | null;
  /** C credit, D debit, RC reversal of a credit, RD reversal of a debit. */
  readonly mark: LineMark;
  readonly funds_code: string | null;
  readonly fine_milli_oz: bigint;
  /** "S604" (from an MT604), "NTRF", "FCHG": S and a message type, or N or F and a code. */
  readonly transaction_type: string;
  readonly owner_reference: string;
  readonly servicer_reference: string | null;
  readonly details: string | null;
}

/** The JSON form of a statement line. */
export type StatementLineJson = {
  readonly [K in keyof StatementLine]: K extends 'fine_milli_oz' ? string : StatementLine[K];
};

/** What a line adds to the balance: credits and reversed debits add; debits and reversed credits subtract. */
export function signedLine(line: StatementLine): bigint {
  return line.mark === 'C' || line.mark === 'RD' ? line.fine_milli_oz : -line.fine_milli_oz;
}

/** Checks an entry date MMDD (any year: 0229 is allowed). */
function checkEntryDate(text: string): Parsed<string> {
  const month = Number.parseInt(text.slice(0, 2), 10);
  const day = Number.parseInt(text.slice(2), 10);
  const days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return /^\d{4}$/.test(text) && days !== undefined && day >= 1 && day <= days
    ? { ok: true, value: text }
    : { ok: false, reason: `entry date "${text}" is not a date MMDD` };
}

/** Checks the parts of a statement line after its dates, mark and amount. */
function checkLineTail(line: StatementLine): Parsed<StatementLine> {
  if (line.funds_code !== null && !/^[A-Z]$/.test(line.funds_code)) {
    return { ok: false, reason: `funds code "${line.funds_code}" is not one letter` };
  }
  if (!/^(?:S\d{3}|[NF][A-Z0-9]{3})$/.test(line.transaction_type)) {
    return {
      ok: false,
      reason: `transaction type "${line.transaction_type}" is not like S604, NTRF or FCHG`,
    };
  }
  const owner = checkReference(line.owner_reference, 'reference for the account owner');
  if (!owner.ok) return owner;
  if (line.servicer_reference !== null) {
    const servicer = checkSwiftText(line.servicer_reference, 16, 'reference of the account servicer');
    if (!servicer.ok) return servicer;
  }
  if (line.details !== null) {
    const details = checkSwiftText(line.details, 34, 'supplementary details');
    if (!details.ok) return details;
  }
  return { ok: true, value: line };
}

/** Reads the first line of a statement line, subfield by subfield, naming the one at fault. */
function readEntry(text: string, details: string | null): Parsed<StatementLine> {
  const valueDate = readSwiftDate(text.slice(0, 6), 'value date');
  if (!valueDate.ok) return valueDate;
  let at = 6;
  let entryDate: string | null = null;
  if (/^\d{4}/.test(text.slice(at))) {
    const entry = checkEntryDate(text.slice(at, at + 4));
    if (!entry.ok) return entry;
    entryDate = entry.value;
    at += 4;
  }
  const mark = /^(RC|RD|C|D)/.exec(text.slice(at))?.[1] as LineMark | undefined;
  if (mark === undefined) {
    return { ok: false, reason: `debit/credit mark "${text.slice(at, at + 2)}" is not C, D, RC or RD` };
  }
  at += mark.length;
  const funds = /^[A-Z]/.test(text.slice(at)) ? text.slice(at, at + 1) : null;
  if (funds !== null) at += 1;
  const amountText = /^[0-9.,]*/.exec(text.slice(at))?.[0] ?? '';
  const milli = readFineOunces(amountText, 'amount');
  if (!milli.ok) return milli;
  at += amountText.length;
  const transactionType = text.slice(at, at + 4);
  const references = text.slice(at + 4);
  const split = references.indexOf('//');
  return checkLineTail({
    value_date: valueDate.value,
    entry_date: entryDate,
    mark,
    funds_code: funds,
    fine_milli_oz: milli.value,
    transaction_type: transactionType,
    owner_reference: split === -1 ? references : references.slice(0, split),
    servicer_reference: split === -1 ? null : references.slice(split + 2),
    details,
  });
}

/** Reads a statement line from JSON, checking what the text form checks. */
function readLineJson(value: unknown): Parsed<StatementLine> {
  const keys = [
    'value_date',
    'entry_date',
    'mark',
    'funds_code',
    'fine_milli_oz',
    'transaction_type',
    'owner_reference',
    'servicer_reference',
    'details',
  ];
  const record = jsonObject(value, keys, 'statement line');
  if (!record.ok) return record;
  const line = record.value;
  const valueDate = dateCodec.readJson(line.value_date);
  if (!valueDate.ok) return valueDate;
  const entryText = jsonOptionalString(line.entry_date, 'entry date');
  if (!entryText.ok) return entryText;
  const entry = entryText.value === null ? null : checkEntryDate(entryText.value);
  if (entry !== null && !entry.ok) return entry;
  const mark = oneOf(line.mark, LINE_MARKS, 'debit/credit mark');
  if (!mark.ok) return mark;
  const milli = jsonDigits(line.fine_milli_oz, 'statement line fine_milli_oz');
  if (!milli.ok) return milli;
  const funds = jsonOptionalString(line.funds_code, 'funds code');
  if (!funds.ok) return funds;
  const transactionType = jsonString(line.transaction_type, 'transaction type');
  if (!transactionType.ok) return transactionType;
  const owner = jsonString(line.owner_reference, 'reference for the account owner');
  if (!owner.ok) return owner;
  const servicer = jsonOptionalString(line.servicer_reference, 'reference of the account servicer');
  if (!servicer.ok) return servicer;
  const details = jsonOptionalString(line.details, 'supplementary details');
  if (!details.ok) return details;
  return checkLineTail({
    value_date: valueDate.value,
    entry_date: entry === null ? null : entry.value,
    mark: mark.value,
    funds_code: funds.value,
    fine_milli_oz: milli.value,
    transaction_type: transactionType.value,
    owner_reference: owner.value,
    servicer_reference: servicer.value,
    details: details.value,
  });
}

/** 61: a statement line. */
export const statementLine: Codec<StatementLine, StatementLineJson> = {
  options: NO_OPTION,
  readText: (text) => {
    const [entry = '', ...rest] = text.split('\n');
    if (rest.length > 1)
      return { ok: false, reason: 'a statement line has two lines at most: the entry and its details' };
    return readEntry(entry, rest[0] ?? null);
  },
  writeText: (line) => {
    const servicer = line.servicer_reference === null ? '' : `//${line.servicer_reference}`;
    const entry =
      `${writeSwiftDate(line.value_date)}${line.entry_date ?? ''}${line.mark}${line.funds_code ?? ''}` +
      `${writeFineOunces(line.fine_milli_oz)}${line.transaction_type}${line.owner_reference}${servicer}`;
    return { option: '', text: line.details === null ? entry : `${entry}\n${line.details}` };
  },
  readJson: readLineJson,
  writeJson: (line) => ({ ...line, fine_milli_oz: line.fine_milli_oz.toString() }),
};
