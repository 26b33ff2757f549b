// The London fixing price table's inputs: the LBMA JSON feed and Ingot's own CSV, read exactly.
import { isBlankLine, mapCsvHeader, splitCsvLine } from './barlist.ts';
import { type CurrencyCode, isCurrencyCode, parsePrice } from './money.ts';

/** One fixing: the price of a fine troy ounce on a date, in minor units (GBP: 1/4800 £). */
export interface Fixing {
  /** YYYY-MM-DD */
  date: string;
  currency: CurrencyCode;
  minor_per_oz: bigint;
  source: string;
}

/** A problem of an import; `index` is the JSON array position (0-based) or the CSV row. */
export interface FixingProblem {
  index: number | null;
  reason: string;
}

/** A date with no price in the input (null, zero or empty), left out with the reason. */
export interface SkippedFixing {
  date: string;
  reason: string;
}

/** The outcome of importing fixings: all of them, or every problem found. */
export type FixingImport =
  | { ok: true; fixings: Fixing[]; skipped: SkippedFixing[] }
  | { ok: false; problems: FixingProblem[] };

/** True in a leap year of the Gregorian calendar. */
function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Splits a YYYY-MM-DD text into a real calendar date's numbers, or null. */
function calendarDate(text: string): { year: number; month: number; day: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const year = Number.parseInt(match[1] ?? '', 10);
  const month = Number.parseInt(match[2] ?? '', 10);
  const day = Number.parseInt(match[3] ?? '', 10);
  if (month < 1 || month > 12) return null;
  const monthDays = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day >= 1 && day <= monthDays ? { year, month, day } : null;
}

/** True when `text` is a real date of the Gregorian calendar written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  return calendarDate(text) !== null;
}

/** Days since 1970-01-01 of a Gregorian date (Howard Hinnant's days_from_civil). */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** True on a Saturday or Sunday, when London has no fixing. Throws on a text that is no date. */
export function isLondonWeekend(date: string): boolean {
  const parts = calendarDate(date);
  if (parts === null) throw new Error(`isLondonWeekend: "${date}" is not a YYYY-MM-DD date`);
  // 1970-01-01 was a Thursday; 0 is Sunday.
  const weekday = (((daysSinceEpoch(parts.year, parts.month, parts.day) + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
}

// ---- A small exact JSON reader: numbers keep the text they were written as. ----

/** A JSON number as written, never converted to a JavaScript number. */
interface JsonNumber {
  readonly kind: 'number';
  readonly text: string;
}
/** A JSON object; its members in order. */
interface JsonObject {
  readonly kind: 'object';
  readonly members: ReadonlyMap<string, JsonValue>;
}
type JsonValue = null | boolean | string | JsonNumber | JsonObject | JsonValue[];
type JsonRead = { ok: true; value: JsonValue; next: number } | { ok: false; reason: string };

const MAXIMUM_JSON_DEPTH = 32;
const NUMBER_PATTERN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** A JSON string literal; raw control characters inside it are refused by `readString`. */
const STRING_PATTERN = /"(?:[^"\\]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;
const WHITESPACE_PATTERN = /[ \t\n\r]*/y;
const JSON_LITERALS: readonly (readonly [string, null | boolean])[] = [
  ['null', null],
  ['true', true],
  ['false', false],
];

/** The index of the first character after JSON whitespace at `position`. */
function skipWhitespace(text: string, position: number): number {
  WHITESPACE_PATTERN.lastIndex = position;
  WHITESPACE_PATTERN.exec(text);
  return WHITESPACE_PATTERN.lastIndex;
}

/** "line 3, column 14" for a position in the text. */
function describePosition(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return `line ${line}, column ${position - before.lastIndexOf('\n')}`;
}

/** A syntax error at `position`, describing what was found there. */
function syntaxError(text: string, position: number, expected: string): JsonRead {
  const found = position >= text.length ? 'the end of the text' : `"${text.slice(position, position + 12)}"`;
  return {
    ok: false,
    reason: `expected ${expected} at ${describePosition(text, position)}, found ${found}`,
  };
}

/** Reads one JSON value starting at `position` (whitespace before it allowed). */
function readValue(text: string, start: number, depth: number): JsonRead {
  const position = skipWhitespace(text, start);
  const character = text[position];
  if (character === '[' || character === '{') {
    if (depth >= MAXIMUM_JSON_DEPTH) return syntaxError(text, position, 'a shallower value');
    return character === '[' ? readArray(text, position, depth) : readObject(text, position, depth);
  }
  if (character === '"') return readString(text, position);
  for (const [word, value] of JSON_LITERALS) {
    if (text.startsWith(word, position)) return { ok: true, value, next: position + word.length };
  }
  NUMBER_PATTERN.lastIndex = position;
  const number = NUMBER_PATTERN.exec(text);
  if (number)
    return {
      ok: true,
      value: { kind: 'number', text: number[0] },
      next: position + number[0].length,
    };
  return syntaxError(text, position, 'a value');
}

/** True when the text holds a character below U+0020, which JSON strings must escape. */
function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    if (text.charCodeAt(index) < 0x20) return true;
  }
  return false;
}

/** Reads a JSON string at `position`; escapes are decoded by JSON.parse (exact for strings). */
function readString(text: string, position: number): JsonRead {
  STRING_PATTERN.lastIndex = position;
  const match = STRING_PATTERN.exec(text);
  if (!match || hasControlCharacter(match[0])) {
    return syntaxError(text, position, 'a well-formed string');
  }
  const value: unknown = JSON.parse(match[0]);
  if (typeof value !== 'string') throw new Error('readString: JSON.parse gave no string');
  return { ok: true, value, next: position + match[0].length };
}

/** Reads the items of a JSON array whose "[" is at `position`. */
function readArray(text: string, position: number, depth: number): JsonRead {
  const items: JsonValue[] = [];
  let next = skipWhitespace(text, position + 1);
  if (text[next] === ']') return { ok: true, value: items, next: next + 1 };
  for (;;) {
    const item = readValue(text, next, depth + 1);
    if (!item.ok) return item;
    items.push(item.value);
    next = skipWhitespace(text, item.next);
    if (text[next] === ']') return { ok: true, value: items, next: next + 1 };
    if (text[next] !== ',') return syntaxError(text, next, '"," or "]"');
    next += 1;
  }
}

/** Reads the members of a JSON object whose "{" is at `position`; a repeated key is an error. */
function readObject(text: string, position: number, depth: number): JsonRead {
  const members = new Map<string, JsonValue>();
  let next = skipWhitespace(text, position + 1);
  if (text[next] === '}') return { ok: true, value: { kind: 'object', members }, next: next + 1 };
  for (;;) {
    next = skipWhitespace(text, next);
    const key = text[next] === '"' ? readString(text, next) : syntaxError(text, next, 'a key');
    if (!key.ok) return key;
    if (typeof key.value !== 'string') throw new Error('readObject: key is no string');
    if (members.has(key.value)) {
      return {
        ok: false,
        reason: `key "${key.value}" repeated at ${describePosition(text, next)}`,
      };
    }
    next = skipWhitespace(text, key.next);
    if (text[next] !== ':') return syntaxError(text, next, '":"');
    const value = readValue(text, next + 1, depth + 1);
    if (!value.ok) return value;
    members.set(key.value, value.value);
    next = skipWhitespace(text, value.next);
    if (text[next] === '}') return { ok: true, value: { kind: 'object', members }, next: next + 1 };
    if (text[next] !== ',') return syntaxError(text, next, '"," or "}"');
    next += 1;
  }
}

/** Parses a whole JSON text, keeping numbers as written. */
function parseExactJson(text: string): { ok: true; value: JsonValue } | { ok: false; reason: string } {
  const read = readValue(text, 0, 0);
  if (!read.ok) return read;
  const end = skipWhitespace(text, read.next);
  if (end !== text.length) {
    return { ok: false, reason: `text after the JSON value at ${describePosition(text, end)}` };
  }
  return { ok: true, value: read.value };
}

// ---- The LBMA feed ----

/** Position of each currency in an LBMA feed entry's "v" array. */
const LBMA_VALUE_INDEX: Record<CurrencyCode, number> = { USD: 0, GBP: 1, EUR: 2 };

type EntryReading =
  | { kind: 'fixing'; date: string; minor_per_oz: bigint }
  | { kind: 'skipped'; date: string; reason: string }
  | { kind: 'problems'; reasons: string[] };

/** Reads the price text of one feed entry: decimal, at most two places, no exponent. */
function readLbmaPrice(date: string, value: JsonValue | undefined, currency: CurrencyCode): EntryReading {
  if (value === null) return { kind: 'skipped', date, reason: `no ${currency} price (null)` };
  if (value === undefined || typeof value !== 'object' || Array.isArray(value) || value.kind !== 'number') {
    return { kind: 'problems', reasons: [`the ${currency} value is neither a number nor null`] };
  }
  if (/[eE]/.test(value.text)) {
    return {
      kind: 'problems',
      reasons: [`${currency} price ${value.text} uses exponent notation`],
    };
  }
  if (/^-?0(?:\.0+)?$/.test(value.text)) {
    return { kind: 'skipped', date, reason: `${currency} price is ${value.text}` };
  }
  const price = parsePrice(value.text, currency);
  if (!price.ok) return { kind: 'problems', reasons: [price.reason] };
  return { kind: 'fixing', date, minor_per_oz: price.value.minor_per_oz };
}

/** Reads one entry {"d": "YYYY-MM-DD", "v": [USD, GBP, EUR]} of the feed. */
function readLbmaEntry(entry: JsonValue, currency: CurrencyCode): EntryReading {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || entry.kind !== 'object') {
    return { kind: 'problems', reasons: ['is not an object {"d": date, "v": [USD, GBP, EUR]}'] };
  }
  const reasons: string[] = [];
  const date = entry.members.get('d');
  if (typeof date !== 'string' || !isIsoDate(date)) {
    reasons.push('"d" is not a YYYY-MM-DD date');
  }
  const values = entry.members.get('v');
  if (!Array.isArray(values) || values.length !== 3) {
    reasons.push('"v" is not an array of three values [USD, GBP, EUR]');
  }
  if (reasons.length > 0 || typeof date !== 'string' || !Array.isArray(values)) {
    return { kind: 'problems', reasons };
  }
  const reading = readLbmaPrice(date, values[LBMA_VALUE_INDEX[currency]], currency);
  if (reading.kind !== 'problems') return reading;
  return { kind: 'problems', reasons: reading.reasons.map((reason) => `${date}: ${reason}`) };
}

/**
 * Parses the LBMA JSON feed (an array of {"d": "YYYY-MM-DD", "v": [USD, GBP, EUR]}) for one
 * currency. Numbers are read as written, never through floating point; null or zero prices are
 * skipped with a reason; more than two decimals, exponents and repeated dates are problems.
 * Problem indexes are 0-based positions in the array.
 */
export function parseLbmaJson(text: string, currency: CurrencyCode, source: string): FixingImport {
  const parsed = parseExactJson(text);
  if (!parsed.ok) {
    return { ok: false, problems: [{ index: null, reason: `not valid JSON: ${parsed.reason}` }] };
  }
  if (!Array.isArray(parsed.value)) {
    return { ok: false, problems: [{ index: null, reason: 'the LBMA feed must be a JSON array' }] };
  }
  const problems: FixingProblem[] = [];
  const fixings: Fixing[] = [];
  const skipped: SkippedFixing[] = [];
  const seen = new Map<string, number>();
  parsed.value.forEach((entry, index) => {
    const reading = readLbmaEntry(entry, currency);
    if (reading.kind === 'problems') {
      for (const reason of reading.reasons) {
        problems.push({ index, reason: `entry ${index}: ${reason}` });
      }
      return;
    }
    const first = seen.get(reading.date);
    if (first !== undefined) {
      const reason = `entry ${index}: date ${reading.date} repeats entry ${first}`;
      problems.push({ index, reason });
      return;
    }
    seen.set(reading.date, index);
    if (reading.kind === 'skipped') skipped.push({ date: reading.date, reason: reading.reason });
    else fixings.push({ date: reading.date, currency, minor_per_oz: reading.minor_per_oz, source });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, fixings, skipped };
}

// ---- Ingot's fixing CSV ----

const FIXING_REQUIRED_COLUMNS = ['date', 'currency', 'price'] as const;
const FIXING_OPTIONAL_COLUMNS = ['source'] as const;

type RowReading =
  | { kind: 'fixing'; fixing: Fixing }
  | { kind: 'skipped'; skipped: SkippedFixing; currency: string }
  | { kind: 'problems'; reasons: string[] };

type FixingColumns = { date: number; currency: number; price: number; source: number | null };

/** Reads one data line of the fixing CSV; `source` stands in for an empty source column. */
function readFixingLine(
  line: string,
  header: { columns: FixingColumns; column_count: number },
  source: string,
): RowReading {
  const fields = splitCsvLine(line);
  if (fields === null) return { kind: 'problems', reasons: ['line is not valid CSV'] };
  if (fields.length !== header.column_count) {
    const reason = `${fields.length} fields; the header has ${header.column_count}`;
    return { kind: 'problems', reasons: [reason] };
  }
  const columns = header.columns;
  const reasons: string[] = [];
  const date = (fields[columns.date] ?? '').trim();
  const currency = (fields[columns.currency] ?? '').trim().toUpperCase();
  const priceText = (fields[columns.price] ?? '').trim();
  const rowSource = columns.source === null ? '' : (fields[columns.source] ?? '').trim();
  if (!isIsoDate(date)) reasons.push(`date "${date}" is not a YYYY-MM-DD date`);
  if (!isCurrencyCode(currency)) reasons.push(`currency "${currency}" is not GBP, USD or EUR`);
  if (reasons.length > 0 || !isCurrencyCode(currency)) return { kind: 'problems', reasons };
  if (priceText === '') {
    return { kind: 'skipped', skipped: { date, reason: `no ${currency} price` }, currency };
  }
  const price = parsePrice(priceText, currency);
  if (!price.ok) return { kind: 'problems', reasons: [price.reason] };
  if (price.value.currency !== currency) {
    const reason = `price "${priceText}" is in ${price.value.currency}, the row is in ${currency}`;
    return { kind: 'problems', reasons: [reason] };
  }
  const fixing: Fixing = {
    date,
    currency,
    minor_per_oz: price.value.minor_per_oz,
    source: rowSource === '' ? source : rowSource,
  };
  return { kind: 'fixing', fixing };
}

/**
 * Parses the fixing CSV: header `date,currency,price[,source]` (any order, any case). Prices are
 * decimal ("1850.35") or, for sterling, shillings and pence ("254s 0d", "£12 14s"). An empty
 * price is skipped with a reason; a repeated (date, currency) is a problem. Problem indexes are
 * 1-based line numbers, the header being row 1; blank lines are skipped. A record must stay on
 * one line (no line breaks inside quoted fields).
 */
export function parseFixingCsv(text: string, source: string): FixingImport {
  const lines = text.split('\n');
  const headerIndex = lines.findIndex((line) => !isBlankLine(line));
  const headerLine = lines[headerIndex];
  if (headerLine === undefined) {
    return { ok: false, problems: [{ index: null, reason: 'no header line date,currency,price' }] };
  }
  const header = mapCsvHeader(headerLine, FIXING_REQUIRED_COLUMNS, FIXING_OPTIONAL_COLUMNS);
  if (!header.ok) {
    const index = headerIndex + 1;
    return { ok: false, problems: header.problems.map(({ reason }) => ({ index, reason })) };
  }
  const problems: FixingProblem[] = [];
  const fixings: Fixing[] = [];
  const skipped: SkippedFixing[] = [];
  const seen = new Map<string, number>();
  lines.forEach((line, lineIndex) => {
    const row = lineIndex + 1;
    if (lineIndex <= headerIndex || isBlankLine(line)) return;
    const reading = readFixingLine(line, header, source);
    if (reading.kind === 'problems') {
      for (const reason of reading.reasons) {
        problems.push({ index: row, reason: `row ${row}: ${reason}` });
      }
      return;
    }
    const date = reading.kind === 'fixing' ? reading.fixing.date : reading.skipped.date;
    const currency = reading.kind === 'fixing' ? reading.fixing.currency : reading.currency;
    const key = `${date} ${currency}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ index: row, reason: `row ${row}: ${key} repeats row ${first}` });
      return;
    }
    seen.set(key, row);
    if (reading.kind === 'fixing') fixings.push(reading.fixing);
    else skipped.push(reading.skipped);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, fixings, skipped };
}
