// INGOT-BARLIST, Ingot's own message: the bar list (weight list) of a metal account on a date, sent
// by the custodian to the owner. One 26B field per bar, "REFINER/SERIAL/YEAR/GROSS/FINENESS/FINE"
// (e.g. "MSK/100000/1955/401,125/995,8/399,44"); 18A counts the bars and 32F totals their fine
// weight, both checked, as is each bar's fine weight against gross × fineness (truncated).
import type { Parsed } from '../decimal.ts';
import type { Outcome } from '../outcome.ts';
import { fineWeight } from '../weight.ts';
import { account, date, NO_OPTION, narrative, quantity, reference } from './codecs.ts';
import {
  type Codec,
  type FieldJson,
  type FieldProblem,
  type FieldValues,
  fromJson,
  type MessageFormat,
  optional,
  parseText,
  renderText,
  repeated,
  required,
  toJson,
} from './fields.ts';
import { metal } from './metal.ts';
import { party } from './party.ts';
import { fineness as finenessCodec } from './terms.ts';
import { checkSwiftText, jsonDigits, jsonObject, jsonString } from './text.ts';
import { readFineOunces, writeFineOunces } from './values.ts';

/** The most bars one bar list message may carry (a vault of 100,000 bars goes in several). */
export const BAR_LIST_BARS_MAXIMUM = 100_000;
/** Refiner codes and serial numbers: at most this many characters of SWIFT's set, no "/". */
export const BAR_MARK_CHARACTERS_MAXIMUM = 32;

/** One bar as the list states it: weights in 0.001 oz, fineness in parts per ten thousand. */
export interface ListedBar {
  readonly refiner: string;
  readonly serial: string;
  readonly year: number;
  readonly gross_milli_oz: bigint;
  readonly fineness: bigint;
  readonly fine_milli_oz: bigint;
}

/** The JSON form of a listed bar: weights and fineness as strings. */
export type ListedBarJson = {
  readonly refiner: string;
  readonly serial: string;
  readonly year: number;
  readonly gross_milli_oz: string;
  readonly fineness: string;
  readonly fine_milli_oz: string;
};

/** Checks a refiner code or serial number. */
function checkMark(text: string, what: string): Parsed<string> {
  if (text.includes('/')) return { ok: false, reason: `${what} "${text}" may not hold "/"` };
  return checkSwiftText(text, BAR_MARK_CHARACTERS_MAXIMUM, what);
}

/** Checks every part of a bar, and that its fine weight follows from gross × fineness. */
function checkBar(bar: ListedBar): Parsed<ListedBar> {
  const refiner = checkMark(bar.refiner, 'refiner');
  if (!refiner.ok) return refiner;
  const serial = checkMark(bar.serial, 'serial number');
  if (!serial.ok) return serial;
  if (!Number.isSafeInteger(bar.year) || bar.year < 1000 || bar.year > 9999) {
    return { ok: false, reason: `bar ${bar.refiner}/${bar.serial}: year ${bar.year} is not four digits` };
  }
  if (bar.gross_milli_oz <= 0n)
    return { ok: false, reason: `bar ${bar.serial}: gross weight must be above 0` };
  if (bar.fineness <= 0n || bar.fineness > 10000n) {
    return { ok: false, reason: `bar ${bar.serial}: fineness must be above 0 and at most 1000,0‰` };
  }
  const expected = fineWeight(bar.gross_milli_oz, bar.fineness);
  if (expected !== bar.fine_milli_oz) {
    const stated = writeFineOunces(bar.fine_milli_oz);
    const computed = writeFineOunces(expected);
    const named = `bar ${bar.refiner}/${bar.serial}`;
    const reason = `${named}: fine weight ${stated} is not gross × fineness (${computed})`;
    return { ok: false, reason };
  }
  return { ok: true, value: bar };
}

/** Reads "MSK/100000/1955/401,125/995,8/399,44". */
function readBarText(text: string): Parsed<ListedBar> {
  const parts = text.split('/');
  if (parts.length !== 6) {
    return { ok: false, reason: `bar "${text}" is not REFINER/SERIAL/YEAR/GROSS/FINENESS/FINE` };
  }
  const [refiner = '', serial = '', year = '', gross = '', fineness = '', fine = ''] = parts;
  if (!/^\d{4}$/.test(year)) return { ok: false, reason: `bar "${text}": year "${year}" is not four digits` };
  const grossMilli = readFineOunces(gross, 'gross weight');
  if (!grossMilli.ok) return grossMilli;
  const per10k = finenessCodec.readText(fineness, '');
  if (!per10k.ok) return per10k;
  const fineMilli = readFineOunces(fine, 'fine weight');
  if (!fineMilli.ok) return fineMilli;
  return checkBar({
    refiner,
    serial,
    year: Number.parseInt(year, 10),
    gross_milli_oz: grossMilli.value,
    fineness: per10k.value,
    fine_milli_oz: fineMilli.value,
  });
}

/** Reads a listed bar from JSON. */
function readBarJson(value: unknown): Parsed<ListedBar> {
  const keys = ['refiner', 'serial', 'year', 'gross_milli_oz', 'fineness', 'fine_milli_oz'];
  const record = jsonObject(value, keys, 'bar');
  if (!record.ok) return record;
  const bar = record.value;
  const refiner = jsonString(bar.refiner, 'refiner');
  if (!refiner.ok) return refiner;
  const serial = jsonString(bar.serial, 'serial number');
  if (!serial.ok) return serial;
  if (typeof bar.year !== 'number') return { ok: false, reason: 'bar year must be a number' };
  const gross = jsonDigits(bar.gross_milli_oz, 'bar gross_milli_oz');
  if (!gross.ok) return gross;
  const per10k = jsonDigits(bar.fineness, 'bar fineness');
  if (!per10k.ok) return per10k;
  const fine = jsonDigits(bar.fine_milli_oz, 'bar fine_milli_oz');
  if (!fine.ok) return fine;
  return checkBar({
    refiner: refiner.value,
    serial: serial.value,
    year: bar.year,
    gross_milli_oz: gross.value,
    fineness: per10k.value,
    fine_milli_oz: fine.value,
  });
}

/** 26B (Ingot): one bar of the list. */
export const listedBar: Codec<ListedBar, ListedBarJson> = {
  options: ['B'],
  readText: (text) => readBarText(text),
  writeText: (bar) => ({
    option: 'B',
    text: [
      bar.refiner,
      bar.serial,
      String(bar.year),
      writeFineOunces(bar.gross_milli_oz),
      finenessCodec.writeText(bar.fineness).text,
      writeFineOunces(bar.fine_milli_oz),
    ].join('/'),
  }),
  readJson: readBarJson,
  writeJson: (bar) => ({
    refiner: bar.refiner,
    serial: bar.serial,
    year: bar.year,
    gross_milli_oz: bar.gross_milli_oz.toString(),
    fineness: bar.fineness.toString(),
    fine_milli_oz: bar.fine_milli_oz.toString(),
  }),
};

/** Reads a count of bars, 1 to BAR_LIST_BARS_MAXIMUM. */
function checkCount(read: Parsed<bigint>): Parsed<number> {
  if (!read.ok) return read;
  if (read.value < 1n || read.value > BigInt(BAR_LIST_BARS_MAXIMUM)) {
    return { ok: false, reason: `number of bars ${read.value} is not 1 to ${BAR_LIST_BARS_MAXIMUM}` };
  }
  // A bounded count of bars, not a weight: safe as a number.
  return { ok: true, value: Number.parseInt(read.value.toString(), 10) };
}

/** 18A: the number of bars listed, digits only. */
export const barCount: Codec<number, number> = {
  options: NO_OPTION,
  readText: (text) =>
    /^\d{1,6}$/.test(text)
      ? checkCount({ ok: true, value: BigInt(text) })
      : { ok: false, reason: `number of bars "${text}" is not digits` },
  writeText: (count) => ({ option: '', text: String(count) }),
  readJson: (value) =>
    typeof value === 'number' && Number.isSafeInteger(value)
      ? checkCount({ ok: true, value: BigInt(value) })
      : { ok: false, reason: 'number of bars must be a whole number' },
  writeJson: (count) => count,
};

const FIELDS = {
  reference: required('20', reference),
  related_reference: optional('21', reference),
  account: required('25', account),
  date: required('30', date),
  custodian: optional('82', party),
  owner: optional('87', party),
  metal: required('26C', metal),
  count: required('18A', barCount),
  bars: repeated('26', listedBar),
  total_fine_milli_oz: required('32F', quantity),
  sender_to_receiver: optional('72', narrative),
};

/** INGOT-BARLIST: the bars of an account on a date, with their count and total fine weight. */
export interface BarListMessage extends FieldValues<typeof FIELDS> {
  readonly type: 'INGOT-BARLIST';
}
/** The JSON form of a bar list. */
export type BarListMessageJson = { readonly type: 'INGOT-BARLIST' } & FieldJson<typeof FIELDS>;

/** The count and the total agree with the bars, and no bar is listed twice. */
function check(list: BarListMessage): FieldProblem | null {
  if (list.bars.length !== list.count) {
    return { field: 'count', reason: `${list.count} bars are announced but ${list.bars.length} are listed` };
  }
  const seen = new Set<string>();
  for (const bar of list.bars) {
    const key = `${bar.refiner.toUpperCase()}/${bar.serial}`;
    if (seen.has(key)) return { field: 'bars', reason: `bar ${key} is listed twice`, tag: '26B' };
    seen.add(key);
  }
  const sum = list.bars.reduce((total, bar) => total + bar.fine_milli_oz, 0n);
  if (sum !== list.total_fine_milli_oz) {
    const stated = writeFineOunces(list.total_fine_milli_oz);
    return {
      field: 'total_fine_milli_oz',
      reason: `the total ${stated} FOZ is not the bars' ${writeFineOunces(sum)}`,
    };
  }
  return null;
}

/** The bar list format: its fields and checks. */
export const BAR_LIST: MessageFormat<'INGOT-BARLIST', typeof FIELDS> = {
  type: 'INGOT-BARLIST',
  fields: FIELDS,
  check,
};

/** The total gross weight of the bars listed. */
export function totalGross(list: BarListMessage): bigint {
  return list.bars.reduce((total, bar) => total + bar.gross_milli_oz, 0n);
}

/** Renders a bar list as text. */
export function renderBarListText(message: BarListMessage): string {
  return renderText(BAR_LIST, message);
}

/** Parses a bar list from text, listing the fields it left out. */
export function parseBarListText(
  text: string,
): Outcome<{ message: BarListMessage; ignored_fields: string[] }> {
  return parseText(BAR_LIST, text);
}

/** The JSON form of a bar list. */
export function toBarListJson(message: BarListMessage): BarListMessageJson {
  return toJson(BAR_LIST, message);
}

/** Reads a bar list from its JSON form. */
export function fromBarListJson(value: unknown): Outcome<{ message: BarListMessage }> {
  return fromJson(BAR_LIST, value);
}
