// What a batch of settlements reads before deciding any of them: one query per table for the whole
// batch, whatever its size. Each decision then updates this state in memory, so the settlements
// of a batch see one another as if they had run one after another.
import { GENESIS_HASH } from '../domain/custody/chain.ts';
import type { Account } from '../domain/ledger.ts';
import type { CurrencyCode, PricePerOz } from '../domain/money.ts';
import type { Offer, Trade } from '../domain/offer.ts';
import { assert } from '../domain/outcome.ts';
import { prepare } from '../store/prepared.ts';
import type { IdempotencyRow } from '../store/schema.ts';
import type { Tx } from '../store/store.ts';
import { toAccount } from './journal.ts';
import { toOffer } from './offers.ts';
import { toTrade } from './rows.ts';

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

/** The journal's last entry and hash, and the last document's number, in one round trip. */
const lastRecords = prepare((db) =>
  db.selectNoFrom((eb) => [
    eb.selectFrom('entries').select('id').orderBy('id', 'desc').limit(1).as('entry_id'),
    eb.selectFrom('entries').select('hash').orderBy('id', 'desc').limit(1).as('entry_hash'),
    eb.selectFrom('documents').select((inner) => inner.fn.max('id').as('id')).as('document_id'),
  ]),
);
const fixingByDate = prepare((db, $) =>
  db
    .selectFrom('fixings')
    .select(['currency', 'minor_per_oz'])
    .where('date', '=', $('date'))
    .where('currency', '=', $('currency')),
);

/** Loads everything the batch's settlements may read. */
export async function loadBatchBooks(tx: Tx, requests: readonly BatchRequest[]): Promise<BatchBooks> {
  const keys = await loadKeys(tx, requests);
  const trades = await loadTrades(tx, requests);
  const offers = await loadOffers(tx, trades);
  const fixings = await loadFixings(tx, requests, trades, offers);
  const accounts = await loadAccounts(tx, offers);
  const bars = await loadReservedBars(tx, trades);
  const [last] = (await lastRecords.run(tx, {})).rows;
  const entry = last?.entry_id ?? null;
  assert(entry === null || last?.entry_hash, `entry ${entry} is not sealed`);
  return {
    keys,
    trades,
    offers,
    fixings,
    accounts,
    bars,
    last_entry: { id: entry ?? 0n, hash: last?.entry_hash ?? GENESIS_HASH },
    last_document_id: last?.document_id ?? 0n,
  };
}

function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

async function loadKeys(tx: Tx, requests: readonly BatchRequest[]) {
  const rows = await tx
    .selectFrom('idempotency')
    .selectAll()
    .where('key', 'in', distinct(requests.map((r) => r.key)))
    .execute();
  return new Map(rows.map((row) => [row.key, row]));
}

async function loadTrades(tx: Tx, requests: readonly BatchRequest[]) {
  const rows = await tx
    .selectFrom('trades')
    .selectAll()
    .where('id', 'in', distinct(requests.map((r) => r.trade_id)))
    .execute();
  return new Map(rows.map((row) => [row.id, toTrade(row)]));
}

async function loadOffers(tx: Tx, trades: ReadonlyMap<string, Trade>) {
  const ids = distinct([...trades.values()].map((trade) => trade.offer_id));
  if (ids.length === 0) return new Map<string, Offer>();
  const rows = await tx.selectFrom('offers').selectAll().where('id', 'in', ids).execute();
  const offers = new Map(rows.map((row) => [row.id, toOffer(row)]));
  for (const id of ids) assert(offers.has(id), `a trade refers to offer ${id}, which is missing`);
  return offers;
}

/** The fixings of the dates asked for, in the currencies of the trades' offers; a few at most. */
async function loadFixings(
  tx: Tx,
  requests: readonly BatchRequest[],
  trades: ReadonlyMap<string, Trade>,
  offers: ReadonlyMap<string, Offer>,
) {
  const wanted = new Map<string, { date: string; currency: CurrencyCode }>();
  for (const request of requests) {
    const trade = trades.get(request.trade_id);
    const offer = trade && offers.get(trade.offer_id);
    if (offer) wanted.set(fixingKey(request.date, offer.currency), { ...request, currency: offer.currency });
  }
  const fixings = new Map<string, PricePerOz>();
  for (const [key, { date, currency }] of wanted) {
    const [row] = (await fixingByDate.run(tx, { date, currency })).rows;
    if (row) fixings.set(key, { currency: row.currency as CurrencyCode, minor_per_oz: row.minor_per_oz });
  }
  return fixings;
}

async function loadAccounts(tx: Tx, offers: ReadonlyMap<string, Offer>) {
  const ids = distinct(
    [...offers.values()].flatMap((offer) => [
      offer.buyer_cash_account_id,
      offer.seller_cash_account_id,
      offer.seller_stock_account_id,
      offer.buyer_custody_account_id,
    ]),
  );
  if (ids.length === 0) return new Map<string, Account>();
  const rows = await tx.selectFrom('accounts').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, toAccount(row)]));
}

async function loadReservedBars(tx: Tx, trades: ReadonlyMap<string, Trade>) {
  const ids = [...trades.values()].filter((trade) => trade.state === 'allocated').map((trade) => trade.id);
  const bars = new Map<string, ReservedBar[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return bars;
  const rows = await tx
    .selectFrom('bars')
    .select(['id', 'trade_id', 'owner_account_id', 'fine_milli_oz'])
    .where('trade_id', 'in', ids)
    .where('state', '=', 'reserved')
    .orderBy('id')
    .execute();
  for (const { trade_id, ...bar } of rows) bars.get(trade_id ?? '')?.push(bar);
  return bars;
}
