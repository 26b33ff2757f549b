// What a batch of settlements reads before deciding any of them: one query per table for the whole
// batch, whatever its size, none depending on another's answer (so PostgreSQL runs them all in one
// round trip; the queries are `batchReads` in queries-settle.ts). Each decision then updates this
// state in memory, so the settlements of a batch see one another as if they had run one after another.

import { GENESIS_HASH } from '../../domain/custody/chain.ts';
import type { Account } from '../../domain/ledger.ts';
import type { CurrencyCode, PricePerOz } from '../../domain/money.ts';
import type { Offer, Trade } from '../../domain/offer.ts';
import { assert } from '../../domain/outcome.ts';
import type { AccountRow, IdempotencyRow, OfferRow, TradeRow } from '../../store/schema.ts';
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

interface LastRecords {
  readonly entry_id: bigint | null;
  readonly entry_hash: string | null;
  readonly document_id: bigint | null;
}

interface ReservedBarRow extends ReservedBar {
  readonly trade_id: string;
}

/** The books of the batch from the rows of `batchReads` (src/service/trading/queries-settle.ts). */
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
