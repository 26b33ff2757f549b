// The statements of a batch of settlements (src/service/trading/settle.ts): the reads of the books
// before deciding, one per table, and the writes after, one per table and chunk. A batch runs the
// same few shapes over and over, so each is compiled once per shape and then only given new values
// (src/store/shaped.ts; docs/STORES.md, "Where a settlement's time goes").
import { type Compilable, type CompiledQuery, type Kysely, sql } from 'kysely';
import type {
  BarMoveRow,
  Database,
  DocumentRow,
  EntryRow,
  IdempotencyRow,
  PostingRow,
} from '../../store/schema.ts';
import { type Hole, insertShaped, shaped } from '../../store/shaped.ts';
import type { BatchRequest } from './settle-load.ts';
import type { SettledTrade } from './settle-write.ts';

/**
 * The reads of a batch, in the order `booksFrom` takes their rows. Their shape depends only on how
 * many distinct trades, keys and dates the batch has: each is compiled once per shape
 * (src/store/shaped.ts), its values in holes: trade ids first, then keys, then dates.
 */
export function batchReads(db: Kysely<Database>, requests: readonly BatchRequest[]): CompiledQuery[] {
  const tradeIds = distinct(requests.map((r) => r.trade_id));
  const keys = distinct(requests.map((r) => r.key));
  const dates = distinct(requests.map((r) => r.date));
  const values = [...tradeIds, ...keys, ...dates];
  const holes = ($: Hole, first: number, count: number): never[] =>
    Array.from({ length: count }, (_each, n) => $(first + n));
  const shape = `${tradeIds.length} ${keys.length} ${dates.length}`;
  const read = (name: string, build: (trades: never[], $: Hole) => Compilable) =>
    shaped(db, `settle ${name} ${shape}`, values, ($) => build(holes($, 0, tradeIds.length), $));
  const offersOf = (trades: never[]) => {
    const offerIds = db.selectFrom('trades').select('offer_id').where('id', 'in', trades);
    return db.selectFrom('offers').where('id', 'in', offerIds);
  };
  return [
    read('keys', (_trades, $) =>
      db
        .selectFrom('idempotency')
        .selectAll()
        .where('key', 'in', holes($, tradeIds.length, keys.length)),
    ),
    read('trades', (trades) => db.selectFrom('trades').selectAll().where('id', 'in', trades)),
    read('offers', (trades) => offersOf(trades).selectAll()),
    read('fixings', (trades, $) =>
      db
        .selectFrom('fixings')
        .select(['date', 'currency', 'minor_per_oz'])
        .where('date', 'in', holes($, tradeIds.length + keys.length, dates.length))
        .where('currency', 'in', offersOf(trades).select('currency')),
    ),
    read('accounts', (trades) => {
      const offers = offersOf(trades);
      return db
        .selectFrom('accounts')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb('id', 'in', offers.select('buyer_cash_account_id')),
            eb('id', 'in', offers.select('seller_cash_account_id')),
            eb('id', 'in', offers.select('seller_stock_account_id')),
            eb('id', 'in', offers.select('buyer_custody_account_id')),
          ]),
        );
    }),
    read('bars', (trades) =>
      db
        .selectFrom('bars')
        .select(['id', 'trade_id', 'owner_account_id', 'fine_milli_oz'])
        .where('trade_id', 'in', trades)
        .where('state', '=', 'reserved')
        .orderBy('id'),
    ),
    read('last', () =>
      db.selectNoFrom((eb) => [
        eb.selectFrom('entries').select('id').orderBy('id', 'desc').limit(1).as('entry_id'),
        eb.selectFrom('entries').select('hash').orderBy('id', 'desc').limit(1).as('entry_hash'),
        eb
          .selectFrom('documents')
          .select((inner) => inner.fn.max('id').as('id'))
          .as('document_id'),
      ]),
    ),
  ];
}

function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/** A row the batch inserts, and the table it goes to. */
export type BatchRow = EntryRow | PostingRow | BarMoveRow | DocumentRow | IdempotencyRow;
export type BatchTable = 'entries' | 'postings' | 'bar_moves' | 'documents' | 'idempotency';

/**
 * One chunk of rows of a table as a multi-row insert, below the bound-variable limits of both
 * stores when the chunk is, its shape compiled once (src/store/shaped.ts).
 */
export function rowsInsert(
  db: Kysely<Database>,
  table: BatchTable,
  chunk: readonly BatchRow[],
): CompiledQuery {
  return insertShaped(db, table, chunk);
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

/** The new balances of some accounts, in one statement: a CASE on each account's id. */
export function balancesUpdate(db: Kysely<Database>, rows: readonly [string, bigint][]): CompiledQuery {
  const n = rows.length;
  const values = [...rows.flat(), ...rows.map(([id]) => id)];
  return shaped(db, `balances ${n}`, values, ($) =>
    db
      .updateTable('accounts')
      .set({ balance: bigintById($, n, 0) })
      .where('id', 'in', idHoles($, n, 2 * n)),
  );
}

/** The bars reserved for some trades, handed to the custody account `target`. */
export function deliveryUpdate(
  db: Kysely<Database>,
  target: string,
  tradeIds: readonly string[],
): CompiledQuery {
  const n = tradeIds.length;
  return shaped(db, `deliveries ${n}`, [target, ...tradeIds], ($) =>
    db
      .updateTable('bars')
      .set({ owner_account_id: $(0), state: 'held', trade_id: null })
      .where('trade_id', 'in', idHoles($, n, 1))
      .where('state', '=', 'reserved'),
  );
}

/** Some allocated trades marked settled with their date, price, consideration and entry. */
export function settledUpdate(db: Kysely<Database>, trades: readonly SettledTrade[]): CompiledQuery {
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
  return shaped(db, `settled ${n}`, values, ($) => {
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
}

/** Why an allocated trade still waits, for the desk. */
export function pendingReasonUpdate(db: Kysely<Database>, id: string, reason: string): CompiledQuery {
  return db
    .updateTable('trades')
    .set({ pending_reason: reason })
    .where('id', '=', id)
    .where('state', '=', 'allocated')
    .compile();
}
