// Pages of an account's bar list: searched, filtered and sorted by the database, a page at a time,
// so a custody account of a million bars scrolls as smoothly as one of ten.
import type { BarRow } from '../../store/schema.ts';
import type { Ingot } from '../kernel/context.ts';
import { InputError } from '../kernel/input-error.ts';
import { encodeCursor, pageOf } from '../kernel/paging.ts';
import {
  anyBarOfRefiner,
  type BarSearch,
  barStatesOf,
  barsWithIds,
  countOfQuery,
  type PageSelect,
  pageOfBarIds,
  pageOfBars,
  pagePlanRows,
} from './queries-pages.ts';

/** The orders a bar list can be read in; custody order (the order bars were received) by default. */
export const BAR_SORTS = {
  custody: 'id',
  serial: 'serial',
  fine_weight: 'fine_milli_oz',
  fineness: 'fineness',
  year: 'year',
  refiner: 'refiner',
} as const;
export type BarSort = keyof typeof BAR_SORTS;
/** The column of the bars a sort orders by. */
export type SortColumn = (typeof BAR_SORTS)[BarSort];

export interface BarQuery {
  readonly account_id: string;
  /** Matches a serial number's start, or a refiner's mark exactly. */
  readonly search?: string | undefined;
  readonly refiner?: string | undefined;
  readonly min_fineness?: bigint | undefined;
  readonly year?: number | undefined;
  readonly state?: string | undefined;
  readonly sort: BarSort;
  readonly descending: boolean;
  readonly cursor?: string | undefined;
  /** Rows to skip, for a jump into the middle of a long list (cursor is preferred when paging on). */
  readonly offset?: number | undefined;
  readonly limit: number;
}

/** Reads a search: a refiner's mark is matched too only when some bar bears it (a seek). */
async function searchOf(ingot: Ingot, text: string | undefined): Promise<BarSearch | undefined> {
  if (!text) return undefined;
  return { text, refiner: await anyBarOfRefiner(ingot.store.db, text.toUpperCase()) };
}

function keyOf(row: BarRow, column: SortColumn): string {
  return String(row[column]);
}

/**
 * Orders the indexes serve: bars are indexed by owner, state, then id (custody order) or fine
 * weight. Walking each state's part of the index and merging reads only a page of rows; one
 * query over every state would sort all of an account's bars for each page.
 */
const INDEXED: ReadonlySet<SortColumn> = new Set(['id', 'fine_milli_oz']);

/** Compares two bars in the page's order: the sort key, then id. */
function comparer(column: SortColumn, descending: boolean) {
  const sign = descending ? -1 : 1;
  return (a: BarRow, b: BarRow): number => {
    const [x, y] = [a[column], b[column]];
    if (x !== y) return (x !== null && y !== null && x < y ? -1 : 1) * sign;
    return (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * sign;
  };
}

/**
 * Orders an index of (owner, key, id) serves whatever the bars' states: one range of it is one
 * page, and a cursor is where the range starts.
 */
const BY_OWNER: ReadonlySet<SortColumn> = new Set(['fineness', 'serial']);

/** Which page of which bars, for the bars in one state or all. */
function pageSelect(
  query: BarQuery,
  column: SortColumn,
  search: BarSearch | undefined,
  state: string | undefined,
): PageSelect {
  return { query, column, search, state, jump: isJump(query) };
}

function isJump(query: BarQuery): boolean {
  return !query.cursor && query.offset !== undefined && query.offset > 0;
}

/** How a page is read: one index range, ids first then rows, or each state's range merged. */
type PageRead = 'range' | 'ids' | 'states';

function readOf(query: BarQuery, column: SortColumn): PageRead {
  if (BY_OWNER.has(column) && !isJump(query)) return 'range';
  return query.state || !INDEXED.has(column) || isJump(query) ? 'ids' : 'states';
}

/** The rows of one page (and one more, to know whether another follows). */
async function pageRows(
  ingot: Ingot,
  query: BarQuery,
  column: SortColumn,
  search: BarSearch | undefined,
): Promise<BarRow[]> {
  const read = readOf(query, column);
  if (read === 'range') return pageOfBars(ingot, pageSelect(query, column, search, query.state));
  if (read === 'ids') {
    // Sorting by a column no index serves, or skipping rows: the database orders only ids (from an
    // index alone where one serves), then the page's rows are read.
    const ids = await pageOfBarIds(ingot, pageSelect(query, column, search, query.state));
    if (ids.length === 0) return [];
    const rows = await barsWithIds(ingot.store.db, ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
  const states = await barStatesOf(ingot.store.db, query.account_id);
  const parts = await Promise.all(
    states.map((state) => pageOfBars(ingot, pageSelect(query, column, search, state))),
  );
  return parts
    .flat()
    .sort(comparer(column, query.descending))
    .slice(0, query.limit + 1);
}

/**
 * The database's plan for a page's main query (for the state 'held' when each state is read
 * apart), one line per step: what the benchmark and the tests check an index range is used for.
 */
export async function pagePlan(ingot: Ingot, query: BarQuery): Promise<string[]> {
  const column = BAR_SORTS[query.sort];
  const search = await searchOf(ingot, query.search);
  const read = readOf(query, column);
  const state = read === 'states' ? 'held' : query.state;
  const rows = await pagePlanRows(ingot, pageSelect(query, column, search, state), read === 'range');
  return rows.map((row) => String(row.detail ?? row['QUERY PLAN'] ?? JSON.stringify(row)));
}

/** One page of an account's bars, the cursor of the next, and on the first page the count. */
export async function barPage(
  ingot: Ingot,
  query: BarQuery,
): Promise<{ items: BarRow[]; next_cursor: string | null; total?: number }> {
  const column = BAR_SORTS[query.sort];
  if (!column) throw new InputError(`cannot sort by ${query.sort}`, 'sort');
  const search = await searchOf(ingot, query.search);
  const rows = await pageRows(ingot, query, column, search);
  const { items, more } = pageOf(rows, query.limit);
  const last = items.at(-1);
  const next_cursor = more && last ? encodeCursor([keyOf(last, column), last.id.toString()]) : null;
  if (query.cursor || query.offset) return { items, next_cursor };
  const total = await countOfQuery(ingot, query, search);
  return { items, next_cursor, total };
}
