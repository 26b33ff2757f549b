// What a batch of settlements writes, gathered while each is decided and then written with one
// statement per table (in chunks), so a batch of hundreds costs about as many statements as one;
// on PostgreSQL they all go in one round trip (src/store/writes.ts).
import { type Kysely, sql } from 'kysely';
import type {
  BarMoveRow,
  Database,
  DocumentRow,
  EntryRow,
  IdempotencyRow,
  PostingRow,
} from '../../store/schema.ts';
import { INSERT_CHUNK_ROWS } from '../../store/store.ts';
import type { Write } from '../../store/writes.ts';

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

/** Rows per UPDATE that sets each row its own value through a CASE on its id. */
const CASE_ROWS_MAX = 500;

type Row = EntryRow | PostingRow | BarMoveRow | DocumentRow | IdempotencyRow;
type Table = 'entries' | 'postings' | 'bar_moves' | 'documents' | 'idempotency';

/** The batch's writes, entries first and then what refers to them; each changes all its rows. */
export function batchWrites(db: Kysely<Database>, writes: BatchWrites): Write[] {
  return [
    ...inserts(db, 'entries', writes.entries),
    ...inserts(db, 'postings', writes.postings),
    ...balanceUpdates(db, writes.balances),
    ...inserts(db, 'bar_moves', writes.moves),
    ...deliveries(db, writes.deliveries),
    ...settledUpdates(db, writes.settled),
    ...pendingUpdates(db, writes.pending),
    ...inserts(db, 'documents', writes.documents),
    ...inserts(db, 'idempotency', writes.keys),
  ];
}

/** Splits a list into chunks of at most `size`. */
function chunks<T>(items: readonly T[], size: number): T[][] {
  const all: T[][] = [];
  for (let start = 0; start < items.length; start += size) all.push(items.slice(start, start + size));
  return all;
}

/** Multi-row inserts a chunk at a time, below the bound-variable limits of both stores. */
function inserts(db: Kysely<Database>, table: Table, rows: readonly Row[]): Write[] {
  return chunks(rows, INSERT_CHUNK_ROWS).map((chunk) => ({
    query: db
      .insertInto(table)
      .values(chunk as never)
      .compile(),
    rows: BigInt(chunk.length),
    what: `rows of ${table}`,
  }));
}

/** A CASE giving each id its value, typed as a bigint on both stores. */
function bigintById(rows: readonly (readonly [string, bigint])[]) {
  const branches = rows.map(([id, value]) => sql`when ${id} then cast(${value} as bigint)`);
  return sql<bigint>`case ${sql.ref('id')} ${sql.join(branches, sql` `)} end`;
}

/** The new balances, one statement for each CASE_ROWS_MAX accounts. */
function balanceUpdates(db: Kysely<Database>, balances: ReadonlyMap<string, bigint>): Write[] {
  return chunks([...balances], CASE_ROWS_MAX).map((rows) => ({
    query: db
      .updateTable('accounts')
      .set({ balance: bigintById(rows) })
      .where(
        'id',
        'in',
        rows.map(([id]) => id),
      )
      .compile(),
    rows: BigInt(rows.length),
    what: 'account balances',
  }));
}

/** The reserved bars of the settled trades, handed to each buyer's custody account. */
function deliveries(db: Kysely<Database>, all: ReadonlyMap<string, Delivery>): Write[] {
  return [...all].map(([target, { trade_ids, bars }]) => ({
    query: db
      .updateTable('bars')
      .set({ owner_account_id: target, state: 'held', trade_id: null })
      .where('trade_id', 'in', trade_ids)
      .where('state', '=', 'reserved')
      .compile(),
    rows: bars,
    what: `bars delivered into ${target}`,
  }));
}

/** The settled trades' date, price, consideration and entry, one statement per CASE_ROWS_MAX. */
function settledUpdates(db: Kysely<Database>, settled: readonly SettledTrade[]): Write[] {
  return chunks(settled, CASE_ROWS_MAX).map((trades) => {
    const dates = trades.map((trade) => sql`when ${trade.id} then ${trade.settlement_date}`);
    const column = (pick: (trade: SettledTrade) => bigint) =>
      bigintById(trades.map((trade) => [trade.id, pick(trade)] as const));
    const query = db
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
      .compile();
    return { query, rows: BigInt(trades.length), what: 'trades marked settled' };
  });
}

/** Why each refused trade still waits, for the desk. */
function pendingUpdates(db: Kysely<Database>, pending: ReadonlyMap<string, string>): Write[] {
  return [...pending].map(([id, reason]) => ({
    query: db
      .updateTable('trades')
      .set({ pending_reason: reason })
      .where('id', '=', id)
      .where('state', '=', 'allocated')
      .compile(),
    rows: 1n,
    what: `the pending reason of ${id}`,
  }));
}
