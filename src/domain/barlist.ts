// The LBMA-style bar list (weight list) as CSV, one line at a time, so a caller can stream it.
import { formatScaled } from './decimal.ts';
import {
  FINENESS_MAX,
  fineWeight,
  formatFineness,
  formatOunces,
  GOOD_DELIVERY_WEIGHT_STEP_MILLI_OZ,
  parseFineness,
  parseOunces,
} from './weight.ts';

/** One bar as a bar list states it; weights in 0.001 oz, fineness in parts per ten thousand. */
export interface BarSpec {
  serial: string;
  refiner: string;
  year: number;
  gross_milli_oz: bigint;
  /** Parts per ten thousand: 9958 is 995.8‰. */
  fineness: bigint;
  fine_milli_oz: bigint;
  vault: string | null;
  location: string | null;
  bar_id: string | null;
}

/** What a bar list must satisfy under an agreement. */
export interface BarListRules {
  /** Parts per ten thousand. */
  minimum_fineness: bigint;
  good_delivery: boolean;
}

/** A problem found in a bar list; `row` is the 1-based line number (the header is row 1). */
export interface BarListProblem {
  row: number;
  column: string | null;
  reason: string;
}

/** The required columns of a bar list, in the order Ingot writes them. */
export const BAR_LIST_REQUIRED_COLUMNS = [
  'serial',
  'refiner',
  'year',
  'gross_oz',
  'fineness',
  'fine_oz',
] as const;
/** The optional columns of a bar list, in the order Ingot writes them. */
export const BAR_LIST_OPTIONAL_COLUMNS = ['vault', 'location', 'bar_id'] as const;

type RequiredColumn = (typeof BAR_LIST_REQUIRED_COLUMNS)[number];
type OptionalColumn = (typeof BAR_LIST_OPTIONAL_COLUMNS)[number];

/** Column positions of a CSV header: required columns always present, optional ones or null. */
export type CsvColumns<R extends string, O extends string> = { readonly [C in R]: number } & {
  readonly [C in O]: number | null;
};

/** A parsed bar list header: where each column is, and how many fields each row must have. */
export interface BarListHeader {
  readonly columns: CsvColumns<RequiredColumn, OptionalColumn>;
  readonly column_count: number;
}

/** Good Delivery: a bar holds at least 350.000 fine oz. */
export const GOOD_DELIVERY_MINIMUM_FINE_MILLI_OZ = 350_000n;
/** Good Delivery: a bar holds at most 430.000 fine oz. */
export const GOOD_DELIVERY_MAXIMUM_FINE_MILLI_OZ = 430_000n;
/** Good Delivery: fineness at least 995.0‰. */
export const GOOD_DELIVERY_MINIMUM_FINENESS = 9950n;
/** Serial numbers and refiner codes are at most this many characters. */
export const BAR_MARK_MAXIMUM_LENGTH = 32;

/** True for a line holding only whitespace; the caller skips such lines. */
export function isBlankLine(line: string): boolean {
  return line.trim() === '';
}

/**
 * Splits one CSV line into fields (RFC 4180: quoted fields with doubled quotes; one trailing
 * carriage return is dropped). Null when malformed: an unclosed quote, a quote inside an
 * unquoted field, or text after a closing quote.
 */
export function splitCsvLine(line: string): string[] | null {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (!text.includes('"')) return text.split(',');
  const fields: string[] = [];
  let position = 0;
  for (;;) {
    if (text[position] === '"') {
      const quoted = readQuotedField(text, position + 1);
      if (quoted === null) return null;
      fields.push(quoted.field);
      position = quoted.next;
    } else {
      const comma = text.indexOf(',', position);
      const end = comma === -1 ? text.length : comma;
      const field = text.slice(position, end);
      if (field.includes('"')) return null;
      fields.push(field);
      position = end;
    }
    if (position === text.length) return fields;
    if (text[position] !== ',') return null;
    position += 1;
  }
}

/** Reads a quoted field whose content starts at `start`; `next` is the index after the quote. */
function readQuotedField(text: string, start: number): { field: string; next: number } | null {
  let field = '';
  let position = start;
  for (;;) {
    const quote = text.indexOf('"', position);
    if (quote === -1) return null;
    field += text.slice(position, quote);
    if (text[quote + 1] !== '"') return { field, next: quote + 1 };
    field += '"';
    position = quote + 2;
  }
}

/** Quotes a CSV field when it holds a comma, a quote or a line break. */
export function quoteCsvField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/**
 * Maps a CSV header line to column positions. Names are compared case-insensitively and
 * trimmed; a leading byte order mark is ignored. Unknown, duplicate and missing columns are
 * problems, each naming the column.
 */
export function mapCsvHeader<R extends string, O extends string>(
  line: string,
  required: readonly R[],
  optional: readonly O[],
):
  | { ok: true; columns: CsvColumns<R, O>; column_count: number }
  | { ok: false; problems: { column: string | null; reason: string }[] } {
  const names = splitCsvLine(line.startsWith('\uFEFF') ? line.slice(1) : line);
  if (names === null) {
    return { ok: false, problems: [{ column: null, reason: 'header line is not valid CSV' }] };
  }
  const known = new Set<string>([...required, ...optional]);
  const positions = new Map<string, number>();
  const problems: { column: string | null; reason: string }[] = [];
  names.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (!known.has(name)) {
      problems.push({ column: raw, reason: `unknown column "${raw}"` });
    } else if (positions.has(name)) {
      problems.push({ column: name, reason: `column "${name}" appears more than once` });
    } else {
      positions.set(name, index);
    }
  });
  for (const name of required) {
    if (!positions.has(name)) {
      problems.push({ column: name, reason: `required column "${name}" is missing` });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const columns: Record<string, number | null> = {};
  for (const name of known) columns[name] = positions.get(name) ?? null;
  return { ok: true, columns: columns as CsvColumns<R, O>, column_count: names.length };
}

/** Parses the header line (row 1) of a bar list. */
export function parseBarListHeader(
  line: string,
): { ok: true; header: BarListHeader } | { ok: false; problems: BarListProblem[] } {
  const mapped = mapCsvHeader(line, BAR_LIST_REQUIRED_COLUMNS, BAR_LIST_OPTIONAL_COLUMNS);
  if (!mapped.ok) {
    return { ok: false, problems: mapped.problems.map((problem) => ({ row: 1, ...problem })) };
  }
  return { ok: true, header: { columns: mapped.columns, column_count: mapped.column_count } };
}

/**
 * Checks free text of a bar list (marks, vault, location, bar id): printable characters only
 * (no control, format or unassigned code points), no surrounding spaces, at most `limit`
 * characters. Returns the reason it fails, or null.
 */
function textProblem(column: string, value: string, limit: number | null): string | null {
  if (/[\p{C}\p{Zl}\p{Zp}]/u.test(value)) return `${column} contains a non-printable character`;
  if (value.trim() !== value) return `${column} "${value}" has leading or trailing spaces`;
  // Characters are code points; there are never more of them than UTF-16 units, so only a text
  // longer in units than the limit needs counting.
  if (limit !== null && value.length > limit) {
    const length = [...value].length;
    if (length > limit)
      return `${column} "${value}" is ${length} characters long; at most ${limit} are allowed`;
  }
  return null;
}

type FieldResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses a serial number or refiner code: not empty, printable, at most 32 characters. */
function parseMark(column: string, value: string): FieldResult<string> {
  if (value === '') return { ok: false, reason: `${column} is empty` };
  const problem = textProblem(column, value, BAR_MARK_MAXIMUM_LENGTH);
  return problem === null ? { ok: true, value } : { ok: false, reason: problem };
}

/** Parses an optional text column: empty means null. */
function parseOptionalText(column: string, value: string | undefined): FieldResult<string | null> {
  if (value === undefined || value === '') return { ok: true, value: null };
  const problem = textProblem(column, value, null);
  return problem === null ? { ok: true, value } : { ok: false, reason: problem };
}

/** Parses the year of manufacture: four digits, 1800 to 2100. */
function parseYear(value: string): FieldResult<number> {
  if (!/^\d{4}$/.test(value)) return { ok: false, reason: `year "${value}" is not four digits` };
  const year = Number.parseInt(value, 10);
  if (year < 1800 || year > 2100) {
    return { ok: false, reason: `year ${year} is outside 1800–2100` };
  }
  return { ok: true, value: year };
}

/** Parses a gross or fine weight in ounces: at most three decimals, above zero. */
function parseWeight(what: string, value: string): FieldResult<bigint> {
  const parsed = parseOunces(value, what);
  if (!parsed.ok) return parsed;
  if (parsed.value <= 0n) return { ok: false, reason: `${what} ${value} oz must be above zero` };
  return parsed;
}

/** Parses the fineness: per mille with at most one decimal, above 0 and at most 1000.0. */
function parseBarFineness(value: string): FieldResult<bigint> {
  const parsed = parseFineness(value);
  if (!parsed.ok) return parsed;
  if (parsed.value <= 0n || parsed.value > FINENESS_MAX) {
    return { ok: false, reason: `fineness ${value}‰ must be above 0 and at most 1000.0‰` };
  }
  return parsed;
}

/** The problems of a bar's fineness against the agreement and Good Delivery minimums. */
function finenessProblems(fineness: bigint, rules: BarListRules): string[] {
  const problems: string[] = [];
  if (fineness < rules.minimum_fineness) {
    problems.push(
      `fineness ${formatFineness(fineness)}‰ is below the contract minimum ` +
        `${formatFineness(rules.minimum_fineness)}‰`,
    );
  }
  // Reported once: only when the agreement's own minimum did not already catch it.
  const belowGoodDelivery = fineness < GOOD_DELIVERY_MINIMUM_FINENESS;
  const contractLower = rules.minimum_fineness < GOOD_DELIVERY_MINIMUM_FINENESS;
  if (rules.good_delivery && belowGoodDelivery && contractLower) {
    problems.push(
      `fineness ${formatFineness(fineness)}‰ is below the Good Delivery minimum ` +
        `${formatFineness(GOOD_DELIVERY_MINIMUM_FINENESS)}‰`,
    );
  }
  return problems;
}

/** The Good Delivery problems of a bar's weights: the 0.025 oz step, 350–430 fine oz. */
function goodDeliveryWeightProblems(gross: bigint, fine: bigint): string[] {
  const problems: string[] = [];
  if (gross % GOOD_DELIVERY_WEIGHT_STEP_MILLI_OZ !== 0n) {
    problems.push(
      `gross weight ${formatOunces(gross)} oz is not a multiple of 0.025 oz (Good Delivery weight step)`,
    );
  }
  if (fine < GOOD_DELIVERY_MINIMUM_FINE_MILLI_OZ) {
    problems.push(
      `fine weight ${formatOunces(fine)} oz is below the Good Delivery minimum ` +
        `${formatOunces(GOOD_DELIVERY_MINIMUM_FINE_MILLI_OZ)} oz`,
    );
  }
  if (fine > GOOD_DELIVERY_MAXIMUM_FINE_MILLI_OZ) {
    problems.push(
      `fine weight ${formatOunces(fine)} oz is above the Good Delivery maximum ` +
        `${formatOunces(GOOD_DELIVERY_MAXIMUM_FINE_MILLI_OZ)} oz`,
    );
  }
  return problems;
}

/**
 * The problems between weights and fineness: the stated fine weight must equal gross × fineness
 * truncated to 0.001 oz (rule R1), and the agreement's and Good Delivery's limits hold.
 */
function weightProblems(
  gross: bigint,
  fineness: bigint,
  fine: bigint | null,
  rules: BarListRules,
): { column: string; reason: string }[] {
  const problems = finenessProblems(fineness, rules).map((reason) => ({
    column: 'fineness',
    reason,
  }));
  const expected = fineWeight(gross, fineness);
  if (fine !== null && fine !== expected) {
    problems.push({
      column: 'fine_oz',
      reason:
        `fine weight ${formatOunces(fine)} oz should be ${formatOunces(expected)} oz ` +
        `(${formatOunces(gross)} oz at ${formatFineness(fineness)}‰, truncated to 0.001 oz)`,
    });
  }
  if (rules.good_delivery) {
    for (const reason of goodDeliveryWeightProblems(gross, expected)) {
      problems.push({ column: 'gross_oz', reason });
    }
  }
  return problems;
}

/** A field's value, or null after recording its problem for the row. */
function taken<T>(problems: BarListProblem[], row: number, column: string, result: FieldResult<T>): T | null {
  if (result.ok) return result.value;
  problems.push({ row, column, reason: result.reason });
  return null;
}

/** An optional column's field: undefined when the header has no such column. */
function optional(fields: readonly string[], index: number | null): string | undefined {
  return index === null ? undefined : fields[index];
}

/**
 * Parses one data line of a bar list, reporting every problem of the row. A line with the
 * wrong number of fields is reported as that one problem, since its columns cannot be told.
 */
export function parseBarRow(
  line: string,
  row: number,
  header: BarListHeader,
  rules: BarListRules,
): { ok: true; bar: BarSpec } | { ok: false; problems: BarListProblem[] } {
  const fields = splitCsvLine(line);
  if (fields === null) {
    return { ok: false, problems: [{ row, column: null, reason: 'line is not valid CSV' }] };
  }
  if (fields.length !== header.column_count) {
    const reason = `${fields.length} fields; the header has ${header.column_count}`;
    return { ok: false, problems: [{ row, column: null, reason }] };
  }
  const problems: BarListProblem[] = [];
  const columns = header.columns;
  // No closures here: this runs once per bar, millions of times for a vault.
  const serial = taken(problems, row, 'serial', parseMark('serial', fields[columns.serial] ?? ''));
  const refiner = taken(problems, row, 'refiner', parseMark('refiner', fields[columns.refiner] ?? ''));
  const year = taken(problems, row, 'year', parseYear(fields[columns.year] ?? ''));
  const gross = taken(problems, row, 'gross_oz', parseWeight('gross weight', fields[columns.gross_oz] ?? ''));
  const fineness = taken(problems, row, 'fineness', parseBarFineness(fields[columns.fineness] ?? ''));
  const fine = taken(problems, row, 'fine_oz', parseWeight('fine weight', fields[columns.fine_oz] ?? ''));
  const vault = taken(problems, row, 'vault', parseOptionalText('vault', optional(fields, columns.vault)));
  const location = taken(
    problems,
    row,
    'location',
    parseOptionalText('location', optional(fields, columns.location)),
  );
  const barId = taken(problems, row, 'bar_id', parseOptionalText('bar_id', optional(fields, columns.bar_id)));
  if (gross !== null && fineness !== null) {
    for (const problem of weightProblems(gross, fineness, fine, rules)) {
      problems.push({ row, ...problem });
    }
  }
  const marked = serial !== null && refiner !== null && year !== null;
  const weighed = gross !== null && fineness !== null && fine !== null;
  if (problems.length > 0 || !marked || !weighed) return { ok: false, problems };
  const bar: BarSpec = {
    serial,
    refiner,
    year,
    gross_milli_oz: gross,
    fineness,
    fine_milli_oz: fine,
    vault,
    location,
    bar_id: barId,
  };
  return { ok: true, bar };
}

/**
 * The identity of a bar: refiner and serial (DOMAIN.md §3). The refiner code is compared
 * case-insensitively (normalised to upper case); the serial number exactly as stamped.
 */
export function barKey(refiner: string, serial: string): string {
  return `${refiner.toUpperCase()}\u0000${serial}`;
}

/** The header line Ingot writes, with or without the optional columns. */
export function formatBarListHeader(withOptional: boolean): string {
  const names: readonly string[] = withOptional
    ? [...BAR_LIST_REQUIRED_COLUMNS, ...BAR_LIST_OPTIONAL_COLUMNS]
    : BAR_LIST_REQUIRED_COLUMNS;
  return names.join(',');
}

/** One bar as a CSV line matching `formatBarListHeader(withOptional)`; nulls are empty fields. */
export function formatBarRow(bar: BarSpec, withOptional: boolean): string {
  const fields = [
    bar.serial,
    bar.refiner,
    bar.year.toString(),
    formatScaled(bar.gross_milli_oz, 3),
    formatFineness(bar.fineness),
    formatScaled(bar.fine_milli_oz, 3),
  ];
  if (withOptional) fields.push(bar.vault ?? '', bar.location ?? '', bar.bar_id ?? '');
  return fields.map(quoteCsvField).join(',');
}
