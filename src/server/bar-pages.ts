// Pages of an account's bar list: searched, filtered and sorted by the database, a page at a time,
// so a custody account of a million bars scrolls as smoothly as one of ten.
import { type ExpressionBuilder, sql } from 'kysely';
import type { Ingot } from '../service/context.ts';
import type { BarRow, Database } from '../store/schema.ts';
import { ApiError } from './errors.ts';
import { cursorInteger, decodeCursor, encodeCursor, pageOf } from './paging.ts';

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

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The query's conditions. `byRowid` keeps SQLite off the owner's index (a unary plus), so a jump
 * in custody order walks the table in id order instead of sorting all the owner's bars.
 */
function filters(query: BarQuery, byRowid = false) {
  return (eb: Where) => {
    const conditions = [
      byRowid
        ? sql<boolean>`+${eb.ref('owner_account_id')} = ${query.account_id}`
        : eb('owner_account_id', '=', query.account_id),
    ];
    if (query.search) {
      const pattern = `${escapeLike(query.search)}%`;
      conditions.push(
        eb.or([
          sql<boolean>`${eb.ref('serial')} like ${pattern} escape '\\'`,
          eb('refiner', '=', query.search.toUpperCase()),
        ]),
      );
    }
    if (query.refiner) conditions.push(eb('refiner', '=', query.refiner.toUpperCase()));
    if (query.min_fineness !== undefined) conditions.push(eb('fineness', '>=', query.min_fineness));
    if (query.year !== undefined) conditions.push(eb('year', '=', BigInt(query.year)));
    if (query.state) conditions.push(eb('state', '=', query.state));
    return eb.and(conditions);
  };
}

/** The keyset condition "after the cursor's row" in the chosen order. */
function after(column: SortColumn, descending: boolean, cursor: string) {
  const [keyText = '', idText = ''] = decodeCursor(cursor, 2);
  const id = cursorInteger(idText);
  const key = column === 'serial' || column === 'refiner' ? keyText : cursorInteger(keyText);
  const beyond = descending ? '<' : '>';
  return (eb: Where) =>
    column === 'id'
      ? eb('id', beyond, id)
      : eb.or([
          eb(eb.ref(column), beyond, key),
          eb.and([eb(eb.ref(column), '=', key), eb('id', beyond, id)]),
        ]);
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

/** The rows of one page (and one more, to know whether another follows). */
async function pageRows(ingot: Ingot, query: BarQuery, column: SortColumn): Promise<BarRow[]> {
  const direction = query.descending ? 'desc' : 'asc';
  const jump = !query.cursor && query.offset !== undefined && query.offset > 0;
  const byRowid = jump && column === 'id' && ingot.store.dialect === 'sqlite';
  const ordered = (state: string | undefined) => {
    let select = ingot.store.db.selectFrom('bars').where(filters({ ...query, state }, byRowid));
    if (query.cursor) select = select.where(after(column, query.descending, query.cursor));
    if (column !== 'id') select = select.orderBy(column, direction);
    const limited = select.orderBy('id', direction).limit(query.limit + 1);
    return jump ? limited.offset(query.offset ?? 0) : limited;
  };
  if (query.state || !INDEXED.has(column) || jump) {
    // Sorting by a column no index serves: the database sorts only ids, then the page is read.
    const ids = (await ordered(query.state).select('id').execute()).map((row) => row.id);
    if (ids.length === 0) return [];
    const rows = await ingot.store.db.selectFrom('bars').selectAll().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
  const states = await statesOf(ingot, query.account_id);
  const parts = await Promise.all(states.map((state) => ordered(state).selectAll().execute()));
  return parts
    .flat()
    .sort(comparer(column, query.descending))
    .slice(0, query.limit + 1);
}

/** One page of an account's bars, the cursor of the next, and on the first page the count. */
export async function barPage(
  ingot: Ingot,
  query: BarQuery,
): Promise<{ items: BarRow[]; next_cursor: string | null; total?: number }> {
  const column = BAR_SORTS[query.sort];
  if (!column) throw new ApiError('invalid_input', `cannot sort by ${query.sort}`, 'sort');
  const rows = await pageRows(ingot, query, column);
  const { items, more } = pageOf(rows, query.limit);
  const last = items.at(-1);
  const next_cursor = more && last ? encodeCursor([keyOf(last, column), last.id.toString()]) : null;
  if (query.cursor || query.offset) return { items, next_cursor };
  const counted = await ingot.store.db
    .selectFrom('bars')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where(filters(query))
    .executeTakeFirst();
  return { items, next_cursor, total: Number(counted?.n ?? 0) };
}
