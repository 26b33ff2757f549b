// Settlement throughput with full durability (WAL, synchronous=FULL), one single-bar trade at a time,
// against raw better-sqlite3 transactions writing as many rows as one settlement does.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { formatBarListHeader, formatBarRow } from '../src/domain/barlist.ts';
import { money, parsePrice } from '../src/domain/money.ts';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { recordFixings } from '../src/service/trading/fixings.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { acceptOffer, allocateTrade } from '../src/service/trading/trades.ts';
import { moveCash } from '../src/service/vault/cash.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { ACCOUNTS, DATES, importVault, offerGold, openBooks, verifyOrThrow } from './fixture.ts';
import {
  type BenchRow,
  type BenchSizes,
  expectOk,
  expectParsed,
  formatCount,
  formatFigure,
  nowMs,
  perSecond,
  progress,
  timed,
  withTempDir,
} from './support.ts';

/** Every bar is 400.000 oz gross at 999.9‰: 399.960 oz fine, so one bar makes up one trade. */
const BAR_FINE_MILLI_OZ = 399_960n;
const FIXING = '254s 0d';
/** Enough sterling for one bar at the fixing (about £5,080) with room to spare, in 1/4800 £. */
const FUNDING_PER_BAR_MINOR = 6_000n * 4_800n;
/**
 * Rows one settlement writes: inserts of 1 entry, 4 postings, 1 bar move, 3 documents and
 * 1 idempotency record; updates of 4 account balances, 1 bar and 1 trade.
 */
export const SETTLEMENT_ROW_WRITES = 1 + 4 + 1 + 3 + 1 + 4 + 1 + 1;
/** Timed work is split into blocks, Ingot and baseline alternating, so drift hits both alike. */
const BLOCKS = 10;
const TARGET_RATIO = 0.5;
const TRADES_PER_OFFER = 200;

function perItem(ms: number, count: number): string {
  return formatFigure(ms / count, 2);
}

/** A bar list of `count` identical bars, header first. */
async function* identicalBars(count: number): AsyncGenerator<string> {
  yield formatBarListHeader(true);
  for (let index = 0; index < count; index += 1) {
    const bar = {
      serial: `S${500_000 + index}`,
      refiner: 'MSK',
      year: 1960,
      gross_milli_oz: 400_000n,
      fineness: 9999n,
      fine_milli_oz: BAR_FINE_MILLI_OZ,
      vault: 'MOSCOW',
      location: `R${Math.floor(index / 500) + 1}-S${(index % 500) + 1}`,
      bar_id: null,
    };
    yield formatBarRow(bar, true);
  }
}

/**
 * Accepts and allocates `count` single-bar trades; returns their ids in order. Trades are spread
 * over offers of TRADES_PER_OFFER each: acceptance and allocation read every trade of their offer
 * (takenFromOffer), so one offer of 2,000 trades would make this untimed setup quadratic.
 */
async function prepareTrades(ingot: Ingot, count: number): Promise<string[]> {
  const asked = { kind: 'quantity' as const, fine_milli_oz: BAR_FINE_MILLI_OZ };
  const ids: string[] = [];
  let offerId = '';
  for (let index = 0; index < count; index += 1) {
    if (index % TRADES_PER_OFFER === 0) {
      const tranche = BigInt(Math.min(TRADES_PER_OFFER, count - index));
      offerId = await offerGold(ingot, BAR_FINE_MILLI_OZ * tranche, `tranche-${index}`);
    }
    const request = {
      offer_id: offerId,
      by_party_id: 'BUYER',
      date: DATES.accept,
      asked,
      key: `accept-${index}`,
    };
    const tradeId = expectOk(await acceptOffer(ingot, request), 'acceptance').trade_id;
    const allocated = expectOk(await allocateTrade(ingot, { trade_id: tradeId }), 'allocation');
    if (allocated.bars !== 1) throw new Error(`bench settlement: ${tradeId} took ${allocated.bars} bars`);
    ids.push(tradeId);
  }
  return ids;
}

/** Builds the books for `count` settlements (fast commits: setup is not measured), then closes them. */
export async function setUp(path: string, count: number): Promise<string[]> {
  const ingot = await openBooks(path, { synchronous: 'NORMAL' });
  try {
    await importVault(ingot, identicalBars(count), `identical-${count}.csv`);
    const price = expectParsed(parsePrice(FIXING), FIXING);
    const fixing = {
      date: DATES.settle,
      currency: price.currency,
      minor_per_oz: price.minor_per_oz,
      source: 'bench',
    };
    expectOk(await recordFixings(ingot, [fixing]), 'fixing');
    const funding = money('GBP', FUNDING_PER_BAR_MINOR * BigInt(count));
    const deposit = {
      account_id: ACCOUNTS.buyer_cash,
      amount: funding,
      date: DATES.accept,
      key: 'bench-funding',
    };
    expectOk(await moveCash(ingot, 'deposit', deposit), 'funding');
    return await prepareTrades(ingot, count);
  } finally {
    await ingot.store.close();
  }
}

/** Settles the given trades one after another; returns the milliseconds spent in settleTrade. */
async function settleAll(ingot: Ingot, tradeIds: readonly string[]): Promise<number> {
  let ms = 0;
  for (const tradeId of tradeIds) {
    const request = { trade_id: tradeId, date: DATES.settle, key: `settle-${tradeId}` };
    const settled = await timed(() => settleTrade(ingot, request));
    const result = expectOk(settled.value, `settlement of ${tradeId}`);
    if (result.replayed) throw new Error(`bench settlement: ${tradeId} was replayed, not settled`);
    ms += settled.ms;
  }
  return ms;
}

/** The raw baseline: one table about as wide as Ingot's, one transaction per settlement. */
function openBaseline(path: string): { run: (count: number) => number; close: () => void } {
  const raw = new BetterSqlite3(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec(
    'CREATE TABLE rows (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL, account TEXT, ' +
      'amount INTEGER NOT NULL, created_at TEXT NOT NULL, body TEXT NOT NULL)',
  );
  const insert = raw.prepare(
    'INSERT INTO rows (kind, ref, account, amount, created_at, body) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const body = 'x'.repeat(120);
  let serial = 0;
  const settlement = raw.transaction(() => {
    serial += 1;
    const now = new Date().toISOString();
    for (let row = 0; row < SETTLEMENT_ROW_WRITES; row += 1) {
      insert.run('settlement', `TRADE-${serial}`, ACCOUNTS.buyer_cash, serial * 100 + row, now, body);
    }
  });
  const run = (count: number) => {
    const start = nowMs();
    for (let index = 0; index < count; index += 1) settlement.immediate();
    return nowMs() - start;
  };
  return { run, close: () => raw.close() };
}

/** Alternates blocks of Ingot settlements and baseline transactions; returns both totals. */
async function measure(ingot: Ingot, baselinePath: string, tradeIds: readonly string[]) {
  const baseline = openBaseline(baselinePath);
  try {
    const size = Math.ceil(tradeIds.length / BLOCKS);
    let ingotMs = 0;
    let baselineMs = 0;
    for (let start = 0; start < tradeIds.length; start += size) {
      const block = tradeIds.slice(start, start + size);
      ingotMs += await settleAll(ingot, block);
      baselineMs += baseline.run(block.length);
    }
    return { ingotMs, baselineMs };
  } finally {
    baseline.close();
  }
}

/** Times `sizes.settlements` single-bar settlements against raw transactions of the same size. */
export async function benchSettlement(sizes: BenchSizes): Promise<BenchRow> {
  return withTempDir('settlement', async (dir) => {
    const count = sizes.settlements;
    progress(`settlement: preparing ${formatCount(count)} allocated single-bar trades`);
    const tradeIds = await setUp(join(dir, 'settlement.db'), count);
    const ingot = ingotOver(
      await openSqliteStore(join(dir, 'settlement.db'), { synchronous: 'FULL' }),
      'bench',
    );
    try {
      progress(`settlement: settling ${formatCount(count)} trades (WAL, synchronous=FULL)`);
      const { ingotMs, baselineMs } = await measure(ingot, join(dir, 'baseline.db'), tradeIds);
      await verifyOrThrow(ingot, 'settlement');
      const settled = perSecond(count, ingotMs);
      const raw = perSecond(count, baselineMs);
      return {
        name: 'Settlement, SQLite WAL synchronous=FULL (settleTrade)',
        size: `${formatCount(count)} single-bar trades`,
        ingot: `${formatFigure(settled)} settlements/s`,
        baseline: `${formatFigure(raw)} raw transactions/s (${SETTLEMENT_ROW_WRITES} row inserts each)`,
        ratio: settled / raw,
        sense: 'higher_is_better',
        target: TARGET_RATIO,
        detail: `${perItem(ingotMs, count)} ms per settlement, ${perItem(baselineMs, count)} ms per raw tx`,
      };
    } finally {
      await ingot.store.close();
    }
  });
}

/** Settles `tradeIds` from `clients` concurrent clients; returns the wall-clock milliseconds. */
async function settleConcurrently(
  ingot: Ingot,
  tradeIds: readonly string[],
  clients: number,
): Promise<number> {
  let next = 0;
  const client = async () => {
    while (next < tradeIds.length) {
      const tradeId = tradeIds[next] ?? '';
      next += 1;
      const request = { trade_id: tradeId, date: DATES.settle, key: `settle-${tradeId}` };
      expectOk(await settleTrade(ingot, request), `settlement of ${tradeId}`);
    }
  };
  const start = nowMs();
  await Promise.all(Array.from({ length: clients }, client));
  return nowMs() - start;
}

/** A raw baseline writing one settlement's rows in batches of `batch` transactions per commit. */
function rawBatched(path: string, count: number, batch: number): number {
  const raw = new BetterSqlite3(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, kind TEXT, ref TEXT, amount INTEGER, body TEXT)');
  const insert = raw.prepare('INSERT INTO rows (kind, ref, amount, body) VALUES (?, ?, ?, ?)');
  const body = 'x'.repeat(120);
  const commit = raw.transaction((first: number, size: number) => {
    for (let index = first; index < first + size; index += 1) {
      for (let row = 0; row < SETTLEMENT_ROW_WRITES; row += 1)
        insert.run('settlement', `T-${index}`, row, body);
    }
  });
  const start = nowMs();
  for (let first = 0; first < count; first += batch) commit.immediate(first, Math.min(batch, count - first));
  const ms = nowMs() - start;
  raw.close();
  return ms;
}

/**
 * Group commit: settlements from 64 concurrent clients share durable commits. Compared with raw
 * better-sqlite3 writing the same rows in batches of 100 settlements per commit.
 */
export async function benchSettlementConcurrent(sizes: BenchSizes, clients = 64): Promise<BenchRow> {
  return withTempDir('settlement-concurrent', async (dir) => {
    const count = sizes.settlements;
    progress(`settlement: preparing ${formatCount(count)} trades for ${clients} concurrent clients`);
    const tradeIds = await setUp(join(dir, 'settlement.db'), count);
    const ingot = ingotOver(
      await openSqliteStore(join(dir, 'settlement.db'), { synchronous: 'FULL' }),
      'bench',
    );
    try {
      progress(`settlement: ${clients} clients settling ${formatCount(count)} trades (synchronous=FULL)`);
      const ingotMs = await settleConcurrently(ingot, tradeIds, clients);
      await verifyOrThrow(ingot, 'settlement (concurrent)');
      const baselineMs = rawBatched(join(dir, 'baseline.db'), count, 100);
      const settled = perSecond(count, ingotMs);
      const raw = perSecond(count, baselineMs);
      return {
        name: `Settlement, ${clients} concurrent clients, group commit (SQLite FULL)`,
        size: `${formatCount(count)} single-bar trades`,
        ingot: `${formatFigure(settled)} settlements/s`,
        baseline: `${formatFigure(raw)} raw settlements/s (rows of 100 settlements per commit)`,
        ratio: settled / raw,
        sense: 'higher_is_better',
        detail: `${perItem(ingotMs, count)} ms per settlement; issue 6 aims at 10,000/s`,
      };
    } finally {
      await ingot.store.close();
    }
  });
}
