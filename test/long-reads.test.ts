// Long reads see one snapshot of the books: a statement of tens of thousands of bars is streamed
// while settlements move bars out of the vault between its pieces, and its balances, movements and
// bar list still agree with one another and with the books as they were when it began; the
// settlements commit meanwhile (the read holds no writer up). Run on every store, and on an SQLite
// file, whose snapshots are read transactions on a connection of their own (in memory they are copies).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, test } from 'vitest';
import { verifyStore } from '../src/service/journal/verify.ts';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { inSnapshot } from '../src/service/kernel/snapshot.ts';
import { createOffer } from '../src/service/trading/offers.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { acceptOffer, allocateTrade } from '../src/service/trading/trades.ts';
import { statement } from '../src/service/vault/statement.ts';
import { statementJson } from '../src/service/vault/statement-json.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { unitSums } from './support/books.ts';
import { acceptAndAllocate, ok, world } from './support/desk.ts';
import { STORE_KINDS, type StoreKind } from './support/stores.ts';

/** Bars in the vault: enough for the statement to come in dozens of pieces. */
const VAULT_BARS = 20_000;
/** Settlements committed while the statement streams, one after each of its first pieces. */
const SETTLEMENTS = 8;
const SETTLE_DATE = '1961-01-31';

const folder = mkdtempSync(join(tmpdir(), 'ingot-long-reads-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const KINDS: readonly StoreKind[] = [
  ...STORE_KINDS,
  { name: 'sqlite', open: () => openSqliteStore(join(folder, `${Date.now()}.db`)), unavailable: null },
];
const label = (kind: StoreKind, index: number) => (index === KINDS.length - 1 ? 'sqlite file' : kind.name);

/** Bars reserved (allocated, never settled) ahead of the trades settled during the stream. */
const RESERVED_BARS = 15_000;

/**
 * Allocates the vault's first `count` bars to a trade left unsettled, so that the trades allocated
 * after it take bars far down the custody order (allocation takes the oldest bars first): bars a
 * statement reads pages later than those it is writing when they move.
 */
async function reserveFirst(ingot: Ingot, count: number): Promise<void> {
  const bars = await ingot.store.db
    .selectFrom('bars')
    .select('fine_milli_oz')
    .orderBy('id')
    .limit(count)
    .execute();
  const fine_milli_oz = bars.reduce((sum, bar) => sum + bar.fine_milli_oz, 0n);
  const terms = {
    seller_party_id: 'DEP',
    buyer_party_id: 'CLI',
    seller_stock_account_id: 'DEP-VAULT',
    seller_cash_account_id: 'DEP-GBP',
    buyer_custody_account_id: 'CLI-GOLD',
    buyer_cash_account_id: 'CLI-GBP',
    maximum_fine_milli_oz: fine_milli_oz,
    minimum_fineness: 9950n,
    currency: 'GBP' as const,
    pricing: 'london_fixing_of_payment_day' as const,
    custody_fee_per_year_per10k: 0n,
    valid_from: '1961-01-01',
    valid_until: '1961-12-31',
  };
  const { offer_id } = ok(await createOffer(ingot, terms, 'reserve-offer'));
  const asked = { kind: 'quantity' as const, fine_milli_oz };
  const accept = { offer_id, by_party_id: 'CLI', date: '1961-01-17', asked, key: 'reserve' };
  const { trade_id } = ok(await acceptOffer(ingot, accept));
  const allocated = ok(await allocateTrade(ingot, { trade_id }));
  expect(allocated).toMatchObject({ bars: count, gap_fine_milli_oz: 0n });
}

/** The vault's bars and balance as the books say now, read outside any snapshot. */
async function vaultNow(ingot: Ingot) {
  const db = ingot.store.db;
  const bars = await db
    .selectFrom('bars')
    .select(['id', 'fine_milli_oz'])
    .where('owner_account_id', '=', 'DEP-VAULT')
    .orderBy('id')
    .execute();
  const account = await db
    .selectFrom('accounts')
    .select('balance')
    .where('id', '=', 'DEP-VAULT')
    .executeTakeFirstOrThrow();
  return { ids: bars.map((bar) => String(bar.id)), balance: account.balance };
}

/** Gold and money each sum to zero over all accounts, per unit. */
async function conserved(ingot: Ingot): Promise<Record<string, string>> {
  const sums = Object.entries(await unitSums(ingot.store));
  return Object.fromEntries(sums.map(([unit, total]) => [unit, String(total)]));
}

interface JsonStatement {
  opening: string;
  closing: string;
  lines: { amount: string; balance: string }[];
  bars: { id: string; fine_milli_oz: string }[];
}

describe.each(KINDS.map((kind, index) => ({ kind, name: label(kind, index) })))(
  'long reads on $name',
  ({ kind }) => {
    if (kind.unavailable) {
      test.skip(`skipped: ${kind.unavailable}`, () => undefined);
      return;
    }

    test('a statement streamed while settlements commit is one snapshot’s, and they all commit', async () => {
      const store = await kind.open();
      try {
        const ingot = ingotOver(store, 'long-reads');
        await world(ingot, VAULT_BARS, BigInt(SETTLEMENTS) * 6_000n * 4800n);
        await reserveFirst(ingot, RESERVED_BARS);
        const trades: string[] = [];
        for (let n = 0; n < SETTLEMENTS; n += 1)
          trades.push(await acceptAndAllocate(ingot, 430_000n, `t${n}`));
        const before = await vaultNow(ingot);
        const request = { account_id: 'DEP-VAULT', from: '1961-01-01', to: SETTLE_DATE };
        const { statement: made } = ok(await statement(ingot, request));

        const pieces = statementJson(ingot, made, { indent: 0, with_bars: true });
        let text = '';
        const moved: { id: string; listed: number }[] = [];
        for await (const piece of pieces) {
          text += piece;
          const settled = trades.length > 0;
          if (!settled) continue;
          // The stream is suspended here, its snapshot held: the settlement must commit all the same.
          const trade_id = trades.shift() ?? '';
          const bars = await store.db
            .selectFrom('bars')
            .select('id')
            .where('trade_id', '=', trade_id)
            .execute();
          ok(await settleTrade(ingot, { trade_id, date: SETTLE_DATE, key: `s-${trade_id}` }));
          const listed = (text.match(/"owner_account_id":/g) ?? []).length;
          for (const bar of bars) moved.push({ id: String(bar.id), listed });
        }
        expect(trades).toEqual([]);
        expect(moved.length).toBeGreaterThanOrEqual(SETTLEMENTS);

        const read = JSON.parse(text) as JsonStatement;
        const fine = read.bars.reduce((sum, bar) => sum + BigInt(bar.fine_milli_oz), 0n);
        const movements = read.lines.reduce((sum, line) => sum + BigInt(line.amount), 0n);
        // The statement agrees with itself: movements from opening to closing, bars to closing.
        expect(BigInt(read.opening) + movements).toBe(BigInt(read.closing));
        expect(fine).toBe(BigInt(read.closing));
        // …and with the books as they were when it began: none of the settlements is in it.
        expect(BigInt(read.closing)).toBe(before.balance);
        expect(read.bars.map((bar) => bar.id)).toEqual(before.ids);
        // Some settled bars were still ahead of the stream when they moved: a reader without a
        // snapshot would have left them out of the list (and its sum short of the closing balance).
        const position = new Map(before.ids.map((id, index) => [id, index]));
        expect(moved.some((bar) => (position.get(bar.id) ?? 0) > bar.listed + 5000)).toBe(true);
        // The books moved on meanwhile: every settlement is there now.
        const after = await vaultNow(ingot);
        expect(after.ids.length).toBe(before.ids.length - moved.length);
        expect(moved.every((bar) => !after.ids.includes(bar.id))).toBe(true);
        expect((await verifyStore(ingot)).breaches).toEqual([]);
        expect(await conserved(ingot)).toEqual({ GBP: '0', XAU: '0' });
      } finally {
        await store.close();
      }
    });

    test('inside a snapshot a settlement committed meanwhile is not seen; outside it is', async () => {
      const store = await kind.open();
      try {
        const ingot = ingotOver(store, 'long-reads');
        await world(ingot, 20, 6_000n * 4800n);
        const trade_id = await acceptAndAllocate(ingot, 430_000n, 't');
        const balance = (db: Ingot) =>
          db.store.db
            .selectFrom('accounts')
            .select('balance')
            .where('id', '=', 'CLI-GOLD')
            .executeTakeFirstOrThrow();
        const seen = await inSnapshot(ingot, async (reading) => {
          const first = (await balance(reading)).balance;
          ok(await settleTrade(ingot, { trade_id, date: SETTLE_DATE, key: 'settle' }));
          const outside = (await balance(ingot)).balance;
          // A snapshot taken again inside it is the same one.
          const nested = await inSnapshot(reading, async (again) => (await balance(again)).balance);
          await expect(reading.store.write(async () => undefined)).rejects.toThrow(/cannot write/);
          return { first, again: (await balance(reading)).balance, nested, outside };
        });
        expect(seen.first).toBe(0n);
        expect(seen.again).toBe(0n);
        expect(seen.nested).toBe(0n);
        expect(seen.outside > 0n).toBe(true);
        expect((await balance(ingot)).balance).toBe(seen.outside);
        // A snapshot released ends its transaction: the next sees the settlement.
        expect(await inSnapshot(ingot, async (reading) => (await balance(reading)).balance)).toBe(
          seen.outside,
        );
        expect((await verifyStore(ingot)).breaches).toEqual([]);
        expect(await conserved(ingot)).toEqual({ GBP: '0', XAU: '0' });
        // Every snapshot was released: on PostgreSQL no connection is left in a transaction.
        if (store.dialect === 'postgres') {
          const open = await sql<{
            n: bigint;
          }>`select count(*) as n from pg_stat_activity where state like 'idle in transaction%' and datname = current_database() and backend_xmin is not null and pid <> pg_backend_pid() and query like '%select 1%'`.execute(
            store.db,
          );
          expect(open.rows[0]?.n).toBe(0n);
        }
      } finally {
        await store.close();
      }
    });
  },
);
