// The queries of an account's bar list read a page at a time (bar-pages.ts): its conditions, the
// keyset after a cursor, the order each index serves, and the plan the database makes of a page.
import { type ExpressionBuilder, sql } from 'kysely';
import type { BarRow, Database } from '../../store/schema.ts';
import type { Dialect, Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { cursorInteger, decodeCursor } from '../kernel/paging.ts';
import type { BarQuery, SortColumn } from './bar-pages.ts';

type Where = ExpressionBuilder<Database, 'bars'>;

/** How a search is read: always a serial number's start; also a refiner's mark when one exists. */
export interface BarSearch {
  readonly text: string;
  readonly refiner: boolean;
}

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

/**
 * The query's conditions. `byRowid` keeps SQLite off the owner's index (a unary plus), so a jump
 * in custody order walks the table in id order instead of sorting all the owner's bars. A serial
 * prefix is a range of the (owner, serial, id) index.
 */
function filters(query: BarQuery, dialect: Dialect, search: BarSearch | undefined, byRowid = false) {
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

/** Whether some bar bears a refiner's mark (a seek on the mark). */
export async function anyBarOfRefiner(db: Tx, mark: string): Promise<boolean> {
  const refiner = await db
    .selectFrom('bars')
    .select('id')
    .where('refiner', '=', mark)
    .limit(1)
    .executeTakeFirst();
  return refiner !== undefined;
}

/** The states an account's bars are in, found by skipping through the index (a seek per state). */
export async function barStatesOf(db: Tx, accountId: string): Promise<string[]> {
  const result = await sql<{ state: string | null }>`
    with recursive found(state) as (
      select min(state) from bars where owner_account_id = ${accountId}
      union all
      select (select min(state) from bars where owner_account_id = ${accountId} and state > found.state)
      from found where found.state is not null
    )
    select state from found where state is not null`.execute(db);
  return result.rows.flatMap((row) => (row.state === null ? [] : [row.state]));
}

/** Which page of which bars: the query, its sort column, its search, one state or all, a jump or not. */
export interface PageSelect {
  readonly query: BarQuery;
  readonly column: SortColumn;
  readonly search: BarSearch | undefined;
  readonly state: string | undefined;
  /** Rows skipped by offset rather than a cursor. */
  readonly jump: boolean;
}

/** The select of one page's rows in the query's order, for the bars in one state or all. */
function orderedSelect(ingot: Ingot, page: PageSelect) {
  const { query, column, search, state, jump } = page;
  const dialect = ingot.store.dialect;
  const direction = query.descending ? 'desc' : 'asc';
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

/** One page of bars (and one more, to know whether another follows), in the query's order. */
export function pageOfBars(ingot: Ingot, page: PageSelect): Promise<BarRow[]> {
  return orderedSelect(ingot, page).selectAll().execute();
}

/** The ids of one page of bars (and one more), in the query's order. */
export async function pageOfBarIds(ingot: Ingot, page: PageSelect): Promise<bigint[]> {
  return (await orderedSelect(ingot, page).select('id').execute()).map((row) => row.id);
}

/** The bars of some ids, in no particular order. */
export function barsWithIds(db: Tx, ids: readonly bigint[]): Promise<BarRow[]> {
  return db.selectFrom('bars').selectAll().where('id', 'in', ids).execute();
}

/**
 * The database's plan for a page's select, of its whole rows (`rows`) or only their ids: the rows
 * of SQLite's EXPLAIN QUERY PLAN or PostgreSQL's EXPLAIN.
 */
export async function pagePlanRows(
  ingot: Ingot,
  page: PageSelect,
  rows: boolean,
): Promise<Record<string, unknown>[]> {
  const ordered = orderedSelect(ingot, page);
  const compiled = (rows ? ordered.selectAll() : ordered.select('id')).compile();
  const explain = ingot.store.dialect === 'sqlite' ? 'explain query plan' : 'explain';
  const result = await ingot.store.db.executeQuery<Record<string, unknown>>({
    ...compiled,
    sql: `${explain} ${compiled.sql}`,
  });
  return [...result.rows];
}

/** How many bars of the account the query's conditions (not its cursor) select. */
export async function countOfQuery(
  ingot: Ingot,
  query: BarQuery,
  search: BarSearch | undefined,
): Promise<number> {
  const counted = await ingot.store.db
    .selectFrom('bars')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where(filters(query, ingot.store.dialect, search))
    .executeTakeFirst();
  return Number(counted?.n ?? 0);
}
