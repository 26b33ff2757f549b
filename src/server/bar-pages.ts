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
  readonly state?: 'held' | 'reserved' | undefined;
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

function filters(query: BarQuery) {
  return (eb: Where) => {
    const conditions = [eb('owner_account_id', '=', query.account_id)];
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

/** One page of an account's bars, the cursor of the next, and on the first page the count. */
export async function barPage(
  ingot: Ingot,
  query: BarQuery,
): Promise<{ items: BarRow[]; next_cursor: string | null; total?: number }> {
  const column = BAR_SORTS[query.sort];
  if (!column) throw new ApiError('invalid_input', `cannot sort by ${query.sort}`, 'sort');
  const direction = query.descending ? 'desc' : 'asc';
  let select = ingot.store.db.selectFrom('bars').selectAll().where(filters(query));
  if (query.cursor) select = select.where(after(column, query.descending, query.cursor));
  if (column !== 'id') select = select.orderBy(column, direction);
  let ordered = select.orderBy('id', direction).limit(query.limit + 1);
  if (!query.cursor && query.offset) ordered = ordered.offset(query.offset);
  const rows = await ordered.execute();
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
