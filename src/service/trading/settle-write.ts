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
import { type Hole, insertShaped, shaped } from '../../store/shaped.ts';
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

/**
 * Multi-row inserts a chunk at a time, below the bound-variable limits of both stores, each shape
 * compiled once (src/store/shaped.ts).
 */
function inserts(db: Kysely<Database>, table: Table, rows: readonly Row[]): Write[] {
  return chunks(rows, INSERT_CHUNK_ROWS).map((chunk) => ({
    query: insertShaped(db, table, chunk),
    rows: BigInt(chunk.length),
    what: `rows of ${table}`,
  }));
}

/** A CASE giving each of `count` ids its value (holes `first`, `first + 1`, … in id, value pairs). */
function bigintById($: Hole, count: number, first: number) {
  const branches = Array.from(
    { length: count },
    (_each, n) => sql`when ${$(first + 2 * n)} then cast(${$(first + 2 * n + 1)} as bigint)`,
  );
  return sql<bigint>`case ${sql.ref('id')} ${sql.join(branches, sql` `)} end`;
}

/** `count` holes from `first`, for a list of ids. */
function idHoles($: Hole, count: number, first: number): never[] {
  return Array.from({ length: count }, (_each, n) => $(first + n));
}

/** The new balances, one statement for each CASE_ROWS_MAX accounts. */
function balanceUpdates(db: Kysely<Database>, balances: ReadonlyMap<string, bigint>): Write[] {
  return chunks([...balances], CASE_ROWS_MAX).map((rows) => {
    const n = rows.length;
    const values = [...rows.flat(), ...rows.map(([id]) => id)];
    const query = shaped(db, `balances ${n}`, values, ($) =>
      db
        .updateTable('accounts')
        .set({ balance: bigintById($, n, 0) })
        .where('id', 'in', idHoles($, n, 2 * n)),
    );
    return { query, rows: BigInt(n), what: 'account balances' };
  });
}

/** The reserved bars of the settled trades, handed to each buyer's custody account. */
function deliveries(db: Kysely<Database>, all: ReadonlyMap<string, Delivery>): Write[] {
  return [...all].map(([target, { trade_ids, bars }]) => {
    const n = trade_ids.length;
    const query = shaped(db, `deliveries ${n}`, [target, ...trade_ids], ($) =>
      db
        .updateTable('bars')
        .set({ owner_account_id: $(0), state: 'held', trade_id: null })
        .where('trade_id', 'in', idHoles($, n, 1))
        .where('state', '=', 'reserved'),
    );
    return { query, rows: bars, what: `bars delivered into ${target}` };
  });
}

/** The settled trades' date, price, consideration and entry, one statement per CASE_ROWS_MAX. */
function settledUpdates(db: Kysely<Database>, settled: readonly SettledTrade[]): Write[] {
  return chunks(settled, CASE_ROWS_MAX).map((trades) => {
    const n = trades.length;
    // Holes: four CASEs of (id, value) pairs, 2n each, then the n ids of the WHERE.
    const pairs = (pick: (trade: SettledTrade) => unknown) => trades.flatMap((t) => [t.id, pick(t)]);
    const values = [
      ...pairs((t) => t.settlement_date),
      ...pairs((t) => t.price_minor_per_oz),
      ...pairs((t) => t.consideration_minor),
      ...pairs((t) => t.settlement_entry_id),
      ...trades.map((t) => t.id),
    ];
    const query = shaped(db, `settled ${n}`, values, ($) => {
      const dates = Array.from({ length: n }, (_each, k) => sql`when ${$(2 * k)} then ${$(2 * k + 1)}`);
      return db
        .updateTable('trades')
        .set({
          state: 'settled',
          settlement_date: sql<string>`case ${sql.ref('id')} ${sql.join(dates, sql` `)} end`,
          price_minor_per_oz: bigintById($, n, 2 * n),
          consideration_minor: bigintById($, n, 4 * n),
          settlement_entry_id: bigintById($, n, 6 * n),
          pending_reason: null,
        })
        .where('id', 'in', idHoles($, n, 8 * n))
        .where('state', '=', 'allocated');
    });
    return { query, rows: BigInt(n), what: 'trades marked settled' };
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
