// The LBMA Good Delivery List of refiners, as Ingot keeps it: each brand code, current or former,
// with the dates it was listed and removed; and the check of a bar's brand and year against it.
// Nothing here reads a file or the books.
import {
  BAR_MARK_MAXIMUM_LENGTH,
  type BarListProblem,
  isBlankLine,
  mapCsvHeader,
  splitCsvLine,
} from './barlist.ts';
import { isIsoDate } from './fixing.ts';

export const REFINER_STATUSES = ['current', 'former'] as const;
export type RefinerStatus = (typeof REFINER_STATUSES)[number];

/** One refiner of the list. Dates are YYYY-MM-DD; a former refiner always has its removal date. */
export interface Refiner {
  readonly brand_code: string;
  readonly name: string;
  readonly country: string;
  readonly status: RefinerStatus;
  readonly listed_on: string | null;
  readonly removed_on: string | null;
}

/** The columns of a refiners list file, in the order Ingot writes them. */
export const REFINER_LIST_COLUMNS = [
  'brand_code',
  'name',
  'country',
  'status',
  'listed_on',
  'removed_on',
] as const;

/** Refiners in one list at most: the LBMA lists a few hundred, current and former together. */
export const REFINER_LIST_ROWS_MAX = 10_000;

/** What an import does with a bar whose brand the list does not vouch for. */
export const REFINER_POLICIES = ['refuse', 'flag', 'off'] as const;
export type RefinerPolicy = (typeof REFINER_POLICIES)[number];

/** The result of checking a bar against the list, with a sentence for a refused or flagged row. */
export type RefinerCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: 'not_listed' | 'former_before_year' | 'listed_after_year';
      readonly reason: string;
    };

/** The present list, by upper-cased brand code. */
export type RefinerList = ReadonlyMap<string, Refiner>;

/** The year of a YYYY-MM-DD date. */
function yearOf(date: string): number {
  return Number.parseInt(date.slice(0, 4), 10);
}

/**
 * Checks a bar's brand and year of manufacture against the list: its brand must be on it; a bar
 * of a former refiner must be from no later than the year it was removed, and a bar of any
 * refiner from no earlier than the year it was listed (only a year is marked on a bar, so a bar of
 * the year of listing or removal is given the benefit of the doubt).
 */
export function checkRefiner(list: RefinerList, brand: string, year: number): RefinerCheck {
  const refiner = list.get(brand.toUpperCase());
  if (!refiner) {
    return {
      ok: false,
      code: 'not_listed',
      reason: `brand ${brand} is not on the Good Delivery List of refiners`,
    };
  }
  if (refiner.status === 'former' && refiner.removed_on && yearOf(refiner.removed_on) < year) {
    return {
      ok: false,
      code: 'former_before_year',
      reason: `brand ${brand} (${refiner.name}) was removed from the Good Delivery List on ${refiner.removed_on}, before the bar's year ${year}`,
    };
  }
  if (refiner.listed_on && yearOf(refiner.listed_on) > year) {
    return {
      ok: false,
      code: 'listed_after_year',
      reason: `brand ${brand} (${refiner.name}) was listed on ${refiner.listed_on}, after the bar's year ${year}`,
    };
  }
  return { ok: true };
}

/** Parses a refiners list (CSV, header first): every refiner, or every problem naming its row. */
export function parseRefinerList(
  lines: readonly string[],
): { ok: true; refiners: Refiner[] } | { ok: false; problems: BarListProblem[] } {
  const [header, ...rows] = lines;
  if (header === undefined || isBlankLine(header)) {
    return { ok: false, problems: [{ row: 1, column: null, reason: 'the file is empty' }] };
  }
  const mapped = mapCsvHeader(header, REFINER_LIST_COLUMNS, []);
  if (!mapped.ok) return { ok: false, problems: mapped.problems.map((p) => ({ row: 1, ...p })) };
  const problems: BarListProblem[] = [];
  const refiners: Refiner[] = [];
  const firstRow = new Map<string, number>();
  rows.forEach((line, index) => {
    const row = index + 2;
    if (isBlankLine(line)) return;
    const fields = splitCsvLine(line);
    if (fields === null || fields.length !== mapped.column_count) {
      problems.push({ row, column: null, reason: `not a CSV row of ${mapped.column_count} fields` });
      return;
    }
    const cell = (column: (typeof REFINER_LIST_COLUMNS)[number]) =>
      (fields[mapped.columns[column]] ?? '').trim();
    const parsed = parseRefinerRow(cell);
    if (!parsed.ok) {
      problems.push(...parsed.problems.map((p) => ({ row, ...p })));
      return;
    }
    const first = firstRow.get(parsed.refiner.brand_code);
    if (first !== undefined) {
      const reason = `brand ${parsed.refiner.brand_code} appears twice (first at row ${first})`;
      problems.push({ row, column: 'brand_code', reason });
      return;
    }
    firstRow.set(parsed.refiner.brand_code, row);
    refiners.push(parsed.refiner);
  });
  if (refiners.length + problems.length > REFINER_LIST_ROWS_MAX) {
    const reason = `a refiners list holds at most ${REFINER_LIST_ROWS_MAX} rows`;
    return { ok: false, problems: [{ row: REFINER_LIST_ROWS_MAX + 2, column: null, reason }] };
  }
  if (problems.length > 0) return { ok: false, problems };
  if (refiners.length === 0) {
    return { ok: false, problems: [{ row: 2, column: null, reason: 'the list holds no refiners' }] };
  }
  return { ok: true, refiners };
}

type Cell = (column: (typeof REFINER_LIST_COLUMNS)[number]) => string;
type RowProblem = { column: string; reason: string };

/** One row's refiner, or its problems, each naming the column. */
function parseRefinerRow(cell: Cell): { ok: true; refiner: Refiner } | { ok: false; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const brand = cell('brand_code').toUpperCase();
  if (brand === '' || brand.length > BAR_MARK_MAXIMUM_LENGTH || /[\s,]/.test(brand)) {
    const reason = `brand code "${cell('brand_code')}" must be 1 to ${BAR_MARK_MAXIMUM_LENGTH} characters without spaces`;
    problems.push({ column: 'brand_code', reason });
  }
  for (const column of ['name', 'country'] as const) {
    if (cell(column) === '') problems.push({ column, reason: `${column} is empty` });
  }
  const status = cell('status').toLowerCase();
  if (status !== 'current' && status !== 'former') {
    problems.push({ column: 'status', reason: `status "${cell('status')}" is not current or former` });
  }
  const dates = { listed_on: cell('listed_on'), removed_on: cell('removed_on') };
  for (const [column, text] of Object.entries(dates)) {
    if (text !== '' && !isIsoDate(text)) {
      problems.push({ column, reason: `"${text}" is not a date (YYYY-MM-DD)` });
    }
  }
  if (status === 'former' && dates.removed_on === '') {
    problems.push({ column: 'removed_on', reason: 'a former refiner needs the date it was removed' });
  }
  if (status === 'current' && dates.removed_on !== '') {
    problems.push({ column: 'removed_on', reason: 'a current refiner has no removal date' });
  }
  if (dates.listed_on !== '' && dates.removed_on !== '' && dates.removed_on < dates.listed_on) {
    problems.push({ column: 'removed_on', reason: 'removed before it was listed' });
  }
  if (problems.length > 0 || (status !== 'current' && status !== 'former')) return { ok: false, problems };
  return {
    ok: true,
    refiner: {
      brand_code: brand,
      name: cell('name'),
      country: cell('country'),
      status,
      listed_on: dates.listed_on || null,
      removed_on: dates.removed_on || null,
    },
  };
}

/** Whether two refiners say the same. */
export function sameRefiner(a: Refiner, b: Refiner): boolean {
  return REFINER_LIST_COLUMNS.every((column) => a[column] === b[column]);
}

/**
 * The list that replaces `present` when `imported` is read: the imported refiners, and every
 * refiner of the present list the import leaves out, kept as former (a current one removed on
 * `date`, a former one as it was).
 */
export function replaceRefinerList(
  present: readonly Refiner[],
  imported: readonly Refiner[],
  date: string,
): Refiner[] {
  const named = new Set(imported.map((r) => r.brand_code));
  const kept = present
    .filter((r) => !named.has(r.brand_code))
    .map((r): Refiner => (r.status === 'former' ? r : { ...r, status: 'former', removed_on: date }));
  return [...imported, ...kept];
}
