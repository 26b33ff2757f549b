// What a batch of settlements writes, gathered while each is decided and then written with one
// statement per table (in chunks), so a batch of hundreds costs about as many statements as one;
// on PostgreSQL they all go in one round trip (src/store/writes.ts).
import type { Kysely } from 'kysely';
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
import {
  type BatchRow,
  type BatchTable,
  balancesUpdate,
  deliveryUpdate,
  pendingReasonUpdate,
  rowsInsert,
  settledUpdate,
} from './queries-settle.ts';

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
function inserts(db: Kysely<Database>, table: BatchTable, rows: readonly BatchRow[]): Write[] {
  return chunks(rows, INSERT_CHUNK_ROWS).map((chunk) => ({
    query: rowsInsert(db, table, chunk),
    rows: BigInt(chunk.length),
    what: `rows of ${table}`,
  }));
}

/** The new balances, one statement for each CASE_ROWS_MAX accounts. */
function balanceUpdates(db: Kysely<Database>, balances: ReadonlyMap<string, bigint>): Write[] {
  return chunks([...balances], CASE_ROWS_MAX).map((rows) => ({
    query: balancesUpdate(db, rows),
    rows: BigInt(rows.length),
    what: 'account balances',
  }));
}

/** The reserved bars of the settled trades, handed to each buyer's custody account. */
function deliveries(db: Kysely<Database>, all: ReadonlyMap<string, Delivery>): Write[] {
  return [...all].map(([target, { trade_ids, bars }]) => ({
    query: deliveryUpdate(db, target, trade_ids),
    rows: bars,
    what: `bars delivered into ${target}`,
  }));
}

/** The settled trades' date, price, consideration and entry, one statement per CASE_ROWS_MAX. */
function settledUpdates(db: Kysely<Database>, settled: readonly SettledTrade[]): Write[] {
  return chunks(settled, CASE_ROWS_MAX).map((trades) => ({
    query: settledUpdate(db, trades),
    rows: BigInt(trades.length),
    what: 'trades marked settled',
  }));
}

/** Why each refused trade still waits, for the desk. */
function pendingUpdates(db: Kysely<Database>, pending: ReadonlyMap<string, string>): Write[] {
  return [...pending].map(([id, reason]) => ({
    query: pendingReasonUpdate(db, id, reason),
    rows: 1n,
    what: `the pending reason of ${id}`,
  }));
}
