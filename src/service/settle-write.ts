// What a batch of settlements writes, gathered while each is decided and then written with one
// statement per table (in chunks), so a batch of hundreds costs about as many statements as one.
import { sql } from 'kysely';
import { assert } from '../domain/outcome.ts';
import { prepare } from '../store/prepared.ts';
import type { BarMoveRow, DocumentRow, EntryRow, IdempotencyRow, PostingRow } from '../store/schema.ts';
import { INSERT_CHUNK_ROWS, type Tx } from '../store/store.ts';

/** A trade settled in the batch, as its row records it. */
export interface SettledTrade {
  readonly id: string;
  readonly settlement_date: string;
  readonly price_minor_per_oz: bigint;
  readonly consideration_minor: bigint;
  readonly settlement_entry_id: bigint;
}

/** Bars delivered into one custody account: the trades they were reserved for, and how many. */
export interface Delivery {
  readonly trade_ids: string[];
  bars: bigint;
}

/** Everything the batch's settlements write. */
export interface BatchWrites {
  readonly entries: EntryRow[];
  readonly postings: PostingRow[];
  /** The new balance of each account the batch changed. */
  readonly balances: Map<string, bigint>;
  readonly moves: BarMoveRow[];
  /** Deliveries by the custody account that receives the bars. */
  readonly deliveries: Map<string, Delivery>;
  readonly settled: SettledTrade[];
  /** Why a trade could not settle, by trade id: recorded for the desk, nothing else changes. */
  readonly pending: Map<string, string>;
  readonly documents: DocumentRow[];
  readonly keys: IdempotencyRow[];
}

export function noWrites(): BatchWrites {
  return {
    entries: [],
    postings: [],
    balances: new Map(),
    moves: [],
    deliveries: new Map(),
    settled: [],
    pending: new Map(),
    documents: [],
    keys: [],
  };
}

const markPending = prepare((db, $) =>
  db
    .updateTable('trades')
    .set({ pending_reason: $('reason') })
    .where('id', '=', $('id'))
    .where('state', '=', 'allocated'),
);

/** Inserts rows a chunk at a time, below the bound-variable limits of both stores. */
async function insertAll<Table extends 'entries' | 'postings' | 'bar_moves' | 'documents' | 'idempotency'>(
  tx: Tx,
  table: Table,
  rows: readonly (EntryRow | PostingRow | BarMoveRow | DocumentRow | IdempotencyRow)[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS) {
    const chunk = rows.slice(start, start + INSERT_CHUNK_ROWS);
    await tx
      .insertInto(table)
      .values(chunk as never)
      .execute();
  }
}

/** Writes the batch: entries first, then what refers to them. */
export async function writeBatch(tx: Tx, writes: BatchWrites): Promise<void> {
  await insertAll(tx, 'entries', writes.entries);
  await insertAll(tx, 'postings', writes.postings);
  await updateBalances(tx, writes.balances);
  await insertAll(tx, 'bar_moves', writes.moves);
  await deliver(tx, writes.deliveries);
  await markSettled(tx, writes.settled);
  for (const [id, reason] of writes.pending) await markPending.run(tx, { id, reason });
  await insertAll(tx, 'documents', writes.documents);
  await insertAll(tx, 'idempotency', writes.keys);
}

/** Hands the reserved bars of the settled trades to their buyers' custody accounts. */
async function deliver(tx: Tx, deliveries: ReadonlyMap<string, Delivery>): Promise<void> {
  for (const [target, { trade_ids, bars }] of deliveries) {
    let moved = 0n;
    for (let start = 0; start < trade_ids.length; start += INSERT_CHUNK_ROWS) {
      const result = await tx
        .updateTable('bars')
        .set({ owner_account_id: target, state: 'held', trade_id: null })
        .where('trade_id', 'in', trade_ids.slice(start, start + INSERT_CHUNK_ROWS))
        .where('state', '=', 'reserved')
        .executeTakeFirst();
      moved += result.numUpdatedRows;
    }
    assert(moved === bars, `${moved} of ${bars} bars moved into ${target}`);
  }
}

/** Rows per UPDATE that sets each row its own value through a CASE on its id. */
const CASE_ROWS_MAX = 500;

/** A CASE giving each id its value, typed as a bigint on both stores. */
function bigintById(rows: readonly (readonly [string, bigint])[]) {
  const branches = rows.map(([id, value]) => sql`when ${id} then cast(${value} as bigint)`);
  return sql<bigint>`case ${sql.ref('id')} ${sql.join(branches, sql` `)} end`;
}

/** Sets the new balances, one statement for each CASE_ROWS_MAX accounts. */
async function updateBalances(tx: Tx, balances: ReadonlyMap<string, bigint>): Promise<void> {
  const all = [...balances];
  for (let start = 0; start < all.length; start += CASE_ROWS_MAX) {
    const rows = all.slice(start, start + CASE_ROWS_MAX);
    const result = await tx
      .updateTable('accounts')
      .set({ balance: bigintById(rows) })
      .where(
        'id',
        'in',
        rows.map(([id]) => id),
      )
      .executeTakeFirst();
    assert(result.numUpdatedRows === BigInt(rows.length), 'an account of the batch was not updated');
  }
}

/** Records the settled trades' price, consideration and entry, one statement per CASE_ROWS_MAX. */
async function markSettled(tx: Tx, settled: readonly SettledTrade[]): Promise<void> {
  for (let start = 0; start < settled.length; start += CASE_ROWS_MAX) {
    const trades = settled.slice(start, start + CASE_ROWS_MAX);
    const dates = trades.map((trade) => sql`when ${trade.id} then ${trade.settlement_date}`);
    const column = (pick: (trade: SettledTrade) => bigint) =>
      bigintById(trades.map((trade) => [trade.id, pick(trade)] as const));
    const result = await tx
      .updateTable('trades')
      .set({
        state: 'settled',
        settlement_date: sql<string>`case ${sql.ref('id')} ${sql.join(dates, sql` `)} end`,
        price_minor_per_oz: column((trade) => trade.price_minor_per_oz),
        consideration_minor: column((trade) => trade.consideration_minor),
        settlement_entry_id: column((trade) => trade.settlement_entry_id),
        pending_reason: null,
      })
      .where(
        'id',
        'in',
        trades.map((trade) => trade.id),
      )
      .where('state', '=', 'allocated')
      .executeTakeFirst();
    assert(result.numUpdatedRows === BigInt(trades.length), 'a settled trade was not marked settled');
  }
}
