// Pages of trades, newest first, narrowed to a party's own.

import type { TradeRow } from '../../store/schema.ts';
import type { Ingot } from '../kernel/context.ts';
import { decodeCursor, encodeCursor, pageOf } from '../kernel/paging.ts';

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
  let select = ingot.store.db
    .selectFrom('trades')
    .innerJoin('offers', 'offers.id', 'trades.offer_id')
    .selectAll('trades');
  const party = query.party;
  if (party) {
    select = select.where((eb) =>
      eb.or([eb('offers.buyer_party_id', '=', party), eb('offers.seller_party_id', '=', party)]),
    );
  }
  if (query.offer_id) select = select.where('trades.offer_id', '=', query.offer_id);
  if (query.state) select = select.where('trades.state', '=', query.state);
  if (query.cursor) {
    const [created = '', id = ''] = decodeCursor(query.cursor, 2);
    select = select.where((eb) =>
      eb.or([
        eb('trades.created_at', '<', created),
        eb.and([eb('trades.created_at', '=', created), eb('trades.id', '<', id)]),
      ]),
    );
  }
  const rows = await select
    .orderBy('trades.created_at', 'desc')
    .orderBy('trades.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const { items, more } = pageOf(rows, query.limit);
  const last = items.at(-1);
  return { items, next_cursor: more && last ? encodeCursor([last.created_at, last.id]) : null };
}
