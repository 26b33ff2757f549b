// What a batch of settlements reads before deciding any of them: one query per table for the whole
// batch, whatever its size, none depending on another's answer (so PostgreSQL runs them all in one
// round trip). Each decision then updates this state in memory, so the settlements of a batch see
// one another as if they had run one after another.

import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import { GENESIS_HASH } from '../../domain/custody/chain.ts';
import type { Account } from '../../domain/ledger.ts';
import type { CurrencyCode, PricePerOz } from '../../domain/money.ts';
import type { Offer, Trade } from '../../domain/offer.ts';
import { assert } from '../../domain/outcome.ts';
import type { AccountRow, Database, IdempotencyRow, OfferRow, TradeRow } from '../../store/schema.ts';
import { type Hole, shaped } from '../../store/shaped.ts';
import { toAccount } from '../journal/journal.ts';
import { toOffer } from './offers.ts';
import { toTrade } from './trade-rows.ts';

/** A bar reserved for a trade, as settlement needs it. */
export interface ReservedBar {
  readonly id: bigint;
  readonly owner_account_id: string;
  readonly fine_milli_oz: bigint;
}

/** The books as a batch of settlements sees them, updated in memory as each one is decided. */
export interface BatchBooks {
  /** Idempotency records: those stored, and those of settlements decided earlier in the batch. */
  readonly keys: Map<string, IdempotencyRow>;
  readonly trades: Map<string, Trade>;
  readonly offers: Map<string, Offer>;
  /** Fixings by `fixingKey(date, currency)`. */
  readonly fixings: Map<string, PricePerOz>;
  readonly accounts: Map<string, Account>;
  /** Bars reserved for each trade, in id order. */
  readonly bars: Map<string, ReservedBar[]>;
  /** The journal's last entry: the next settlement's entry follows it and chains on its hash. */
  last_entry: { id: bigint; hash: string };
  last_document_id: bigint;
}

/** What one settlement of the batch asks for. */
export interface BatchRequest {
  readonly trade_id: string;
  readonly date: string;
  readonly key: string;
}

/** The key of a fixing in `BatchBooks.fixings`. */
export function fixingKey(date: string, currency: string): string {
  return `${date} ${currency}`;
}

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

interface LastRecords {
  readonly entry_id: bigint | null;
  readonly entry_hash: string | null;
  readonly document_id: bigint | null;
}

interface ReservedBarRow extends ReservedBar {
  readonly trade_id: string;
}

/** The books of the batch from the rows of `batchReads`. */
export function booksFrom(rows: readonly (readonly unknown[])[]): BatchBooks {
  const [keys, trades, offers, fixings, accounts, bars, last] = rows as [
    IdempotencyRow[],
    TradeRow[],
    OfferRow[],
    { date: string; currency: string; minor_per_oz: bigint }[],
    AccountRow[],
    ReservedBarRow[],
    LastRecords[],
  ];
  const [records] = last;
  assert(records, 'the last entry and document were not read');
  const entry = records.entry_id;
  assert(entry === null || records.entry_hash, `entry ${entry} is not sealed`);
  const reserved = new Map<string, ReservedBar[]>();
  for (const { trade_id, ...bar } of bars) {
    const list = reserved.get(trade_id);
    if (list) list.push(bar);
    else reserved.set(trade_id, [bar]);
  }
  return {
    keys: new Map(keys.map((row) => [row.key, row])),
    trades: new Map(trades.map((row) => [row.id, toTrade(row)])),
    offers: new Map(offers.map((row) => [row.id, toOffer(row)])),
    fixings: new Map(
      fixings.map((row) => [
        fixingKey(row.date, row.currency),
        { currency: row.currency as CurrencyCode, minor_per_oz: row.minor_per_oz },
      ]),
    ),
    accounts: new Map(accounts.map((row) => [row.id, toAccount(row)])),
    bars: reserved,
    last_entry: { id: entry ?? 0n, hash: records.entry_hash ?? GENESIS_HASH },
    last_document_id: records.document_id ?? 0n,
  };
}

function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)];
}
