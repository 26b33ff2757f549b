// Pages of trades, newest first, narrowed to a party's own.

import type { TradeRow } from '../../store/schema.ts';
import type { Ingot } from '../kernel/context.ts';
import { decodeCursor, encodeCursor, pageOf } from '../kernel/paging.ts';
import { tradesNewestFirst } from './queries-trades.ts';

export interface TradeQuery {
  /** Only trades of offers this party buys or sells; undefined for every trade. */
  readonly party?: string | undefined;
  readonly offer_id?: string | undefined;
  readonly state?: string | undefined;
  readonly cursor?: string | undefined;
  readonly limit: number;
}

/** One page of trades, newest first, and the cursor of the next. */
export async function tradePage(
  ingot: Ingot,
  query: TradeQuery,
): Promise<{ items: TradeRow[]; next_cursor: string | null }> {
  let before: { created_at: string; id: string } | undefined;
  if (query.cursor) {
    const [created = '', id = ''] = decodeCursor(query.cursor, 2);
    before = { created_at: created, id };
  }
  const filter = { party: query.party, offer_id: query.offer_id, state: query.state, before };
  const rows = await tradesNewestFirst(ingot, filter, query.limit + 1);
  const { items, more } = pageOf(rows, query.limit);
  const last = items.at(-1);
  return { items, next_cursor: more && last ? encodeCursor([last.created_at, last.id]) : null };
}
