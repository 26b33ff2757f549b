// Pages of an account's bar list: searched, filtered and sorted by the database, a page at a time,
// so a custody account of a million bars scrolls as smoothly as one of ten.
import { type ExpressionBuilder, sql } from 'kysely';
import type { BarRow, Database } from '../../store/schema.ts';
import type { Dialect } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { InputError } from '../kernel/input-error.ts';
import { cursorInteger, decodeCursor, encodeCursor, pageOf } from '../kernel/paging.ts';

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
type SortColumn = (typeof BAR_SORTS)[BarSort];

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

type Where = ExpressionBuilder<Database, 'bars'>;

/**
 * The least text above every text that starts with `prefix`, in code point order (SQLite's BINARY
 * collation and PostgreSQL's "C" both compare UTF-8 bytes, which is code point order): the prefix
 * with its last character's code point raised by one.
 */
export function prefixEnd(prefix: string): string {
  const points = [...prefix];
  const last = points.pop()?.codePointAt(0) ?? 0;
  return `${points.join('')}${String.fromCodePoint(last + 1)}`;
}

/** A serial number as the indexes order it: by code point on both stores (see prefixEnd). */
function serialOf(dialect: Dialect) {
  return dialect === 'postgres'
    ? sql<string>`${sql.ref('serial')} collate "C"`
    : sql<string>`${sql.ref('serial')}`;
}

/** How a search is read: always a serial number's start; also a refiner's mark when one exists. */
interface Search {
  readonly text: string;
  readonly refiner: boolean;
}

/**
 * The query's conditions. `byRowid` keeps SQLite off the owner's index (a unary plus), so a jump
 * in custody order walks the table in id order instead of sorting all the owner's bars. A serial
 * prefix is a range of the (owner, serial, id) index.
 */
function filters(query: BarQuery, dialect: Dialect, search: Search | undefined, byRowid = false) {
  return (eb: Where) => {
    const conditions = [
      byRowid
        ? sql<boolean>`+${eb.ref('owner_account_id')} = ${query.account_id}`
        : eb('owner_account_id', '=', query.account_id),
    ];
    if (search) {
      const serial = serialOf(dialect);
      const range = eb.and([eb(serial, '>=', search.text), eb(serial, '<', prefixEnd(search.text))]);
      conditions.push(search.refiner ? eb.or([range, eb('refiner', '=', search.text.toUpperCase())]) : range);
    }
    if (query.refiner) conditions.push(eb('refiner', '=', query.refiner.toUpperCase()));
    if (query.min_fineness !== undefined) conditions.push(eb('fineness', '>=', query.min_fineness));
    if (query.year !== undefined) conditions.push(eb('year', '=', BigInt(query.year)));
    if (query.state) conditions.push(eb('state', '=', query.state));
    return eb.and(conditions);
  };
}

/** Reads a search: a refiner's mark is matched too only when some bar bears it (a seek). */
async function searchOf(ingot: Ingot, text: string | undefined): Promise<Search | undefined> {
  if (!text) return undefined;
  const refiner = await ingot.store.db
    .selectFrom('bars')
    .select('id')
    .where('refiner', '=', text.toUpperCase())
    .limit(1)
    .executeTakeFirst();
  return { text, refiner: refiner !== undefined };
}

/**
 * The keyset condition "after the cursor's row" in the chosen order, as a comparison of row values,
 * (key, id) > (k, i), which both stores read as the start of an index range.
 */
function after(column: SortColumn, descending: boolean, cursor: string, dialect: Dialect) {
  const [keyText = '', idText = ''] = decodeCursor(cursor, 2);
  const id = cursorInteger(idText);
  const key = column === 'serial' || column === 'refiner' ? keyText : cursorInteger(keyText);
  const beyond = descending ? sql.raw('<') : sql.raw('>');
  const keyColumn = column === 'serial' ? serialOf(dialect) : sql.ref(column);
  return (eb: Where) =>
    column === 'id'
      ? eb('id', descending ? '<' : '>', id)
      : sql<boolean>`(${keyColumn}, ${eb.ref('id')}) ${beyond} (${key}, ${id})`;
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

/** The states an account's bars are in, found by skipping through the index (a seek per state). */
async function statesOf(ingot: Ingot, accountId: string): Promise<string[]> {
  const result = await sql<{ state: string | null }>`
    with recursive found(state) as (
      select min(state) from bars where owner_account_id = ${accountId}
      union all
      select (select min(state) from bars where owner_account_id = ${accountId} and state > found.state)
      from found where found.state is not null
    )
    select state from found where state is not null`.execute(ingot.store.db);
  return result.rows.flatMap((row) => (row.state === null ? [] : [row.state]));
}

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

/** The select of one page's rows in the query's order, for the bars in one state or all. */
function orderedSelect(
  ingot: Ingot,
  query: BarQuery,
  column: SortColumn,
  search: Search | undefined,
  state: string | undefined,
) {
  const dialect = ingot.store.dialect;
  const direction = query.descending ? 'desc' : 'asc';
  const jump = isJump(query);
  const byRowid = jump && column === 'id' && dialect === 'sqlite';
  let select = ingot.store.db
    .selectFrom('bars')
    .where(filters({ ...query, state }, dialect, search, byRowid));
  if (query.cursor) select = select.where(after(column, query.descending, query.cursor, dialect));
  if (column === 'serial') select = select.orderBy(serialOf(dialect), direction);
  else if (column !== 'id') select = select.orderBy(column, direction);
  const limited = select.orderBy('id', direction).limit(query.limit + 1);
  return jump ? limited.offset(query.offset ?? 0) : limited;
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
  search: Search | undefined,
): Promise<BarRow[]> {
  const read = readOf(query, column);
  if (read === 'range') return orderedSelect(ingot, query, column, search, query.state).selectAll().execute();
  if (read === 'ids') {
    // Sorting by a column no index serves, or skipping rows: the database orders only ids (from an
    // index alone where one serves), then the page's rows are read.
    const ordered = orderedSelect(ingot, query, column, search, query.state);
    const ids = (await ordered.select('id').execute()).map((row) => row.id);
    if (ids.length === 0) return [];
    const rows = await ingot.store.db.selectFrom('bars').selectAll().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
  const states = await statesOf(ingot, query.account_id);
  const parts = await Promise.all(
    states.map((state) => orderedSelect(ingot, query, column, search, state).selectAll().execute()),
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
  const ordered = orderedSelect(ingot, query, column, search, read === 'states' ? 'held' : query.state);
  const compiled = (read === 'range' ? ordered.selectAll() : ordered.select('id')).compile();
  const explain = ingot.store.dialect === 'sqlite' ? 'explain query plan' : 'explain';
  const result = await ingot.store.db.executeQuery<Record<string, unknown>>({
    ...compiled,
    sql: `${explain} ${compiled.sql}`,
  });
  return result.rows.map((row) => String(row.detail ?? row['QUERY PLAN'] ?? JSON.stringify(row)));
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
  const counted = await ingot.store.db
    .selectFrom('bars')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where(filters(query, ingot.store.dialect, search))
    .executeTakeFirst();
  return { items, next_cursor, total: Number(counted?.n ?? 0) };
}
