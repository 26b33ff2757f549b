// Books for the PostgreSQL, scale and load benchmarks, on either store: the bench's seller and buyer,
// single-bar trades ready to settle, generated bar list files, and scratch PostgreSQL schemas.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { formatBarListHeader, formatBarRow } from '../src/domain/barlist.ts';
import { money, parsePrice } from '../src/domain/money.ts';
import { generateStock } from '../src/scenario/stock.ts';
import type { Ingot } from '../src/service/kernel/context.ts';
import { addParty, openAccount } from '../src/service/parties/parties.ts';
import { recordFixings } from '../src/service/trading/fixings.ts';
import { acceptOffer, allocateTrade } from '../src/service/trading/trades.ts';
import { moveCash } from '../src/service/vault/cash.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import type { Store } from '../src/store/store.ts';
import { ACCOUNTS, DATES, offerGold } from './fixture.ts';
import { expectOk, expectParsed } from './support.ts';

/** The PostgreSQL server the benchmarks use: INGOT_BENCH_PG, else the tests' INGOT_TEST_PG. */
export const BENCH_PG_URL =
  process.env.INGOT_BENCH_PG || process.env.INGOT_TEST_PG || 'postgres://postgres@127.0.0.1:5432/test';

/** Every bar of `identicalBars` is 400.000 oz gross at 999.9‰: 399.960 oz fine, one bar per trade. */
export const BAR_FINE_MILLI_OZ = 399_960n;
const FIXING = '254s 0d';
/** Enough sterling for one bar at the fixing (about £5,080) with room to spare, in 1/4800 £. */
const FUNDING_PER_BAR_MINOR = 6_000n * 4_800n;
/** Trades per offer: acceptance sums its offer's trades, so one huge offer would make setup quadratic. */
const TRADES_PER_OFFER = 200;
/** Characters buffered before each write of a generated CSV file. */
const WRITE_BUFFER_CHARS = 1 << 20;

/** The seller (the depository), the buyer and their four accounts, in an empty store. */
export async function seedBooks(ingot: Ingot): Promise<void> {
  expectOk(await addParty(ingot, { id: 'SELLER', name: 'Depository', role: 'depository' }), 'seller');
  expectOk(await addParty(ingot, { id: 'BUYER', name: 'Client bank', role: 'client' }), 'buyer');
  const accounts = [
    [ACCOUNTS.seller_stock, 'SELLER', 'custody', 'XAU'],
    [ACCOUNTS.seller_cash, 'SELLER', 'cash', 'GBP'],
    [ACCOUNTS.buyer_custody, 'BUYER', 'custody', 'XAU'],
    [ACCOUNTS.buyer_cash, 'BUYER', 'cash', 'GBP'],
  ] as const;
  for (const [id, party_id, kind, unit] of accounts) {
    expectOk(await openAccount(ingot, { id, party_id, kind, unit }), `account ${id}`);
  }
}

/** A bar list of `count` identical bars, header first, serials from `firstSerial`. */
export async function* identicalBars(count: number, firstSerial = 500_000): AsyncGenerator<string> {
  yield formatBarListHeader(true);
  for (let index = 0; index < count; index += 1) {
    const bar = {
      serial: `S${firstSerial + index}`,
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

/** Records the settlement day's fixing and funds the buyer for `bars` single-bar trades. */
export async function fixAndFund(ingot: Ingot, bars: number, key = 'bench-funding'): Promise<void> {
  const price = expectParsed(parsePrice(FIXING), FIXING);
  const fixing = {
    date: DATES.settle,
    currency: price.currency,
    minor_per_oz: price.minor_per_oz,
    source: 'b',
  };
  expectOk(await recordFixings(ingot, [fixing]), 'fixing');
  const amount = money('GBP', FUNDING_PER_BAR_MINOR * BigInt(bars));
  const deposit = { account_id: ACCOUNTS.buyer_cash, amount, date: DATES.accept, key };
  expectOk(await moveCash(ingot, 'deposit', deposit), 'funding');
}

/**
 * Accepts and allocates `count` trades of `asked` fine milli-oz each (one bar of `identicalBars`
 * by default), spread over offers of TRADES_PER_OFFER; returns their ids in order.
 */
export async function prepareTrades(
  ingot: Ingot,
  count: number,
  name: string,
  asked_fine_milli_oz = BAR_FINE_MILLI_OZ,
): Promise<string[]> {
  const asked = { kind: 'quantity' as const, fine_milli_oz: asked_fine_milli_oz };
  const ids: string[] = [];
  let offerId = '';
  for (let index = 0; index < count; index += 1) {
    if (index % TRADES_PER_OFFER === 0) {
      const tranche = BigInt(Math.min(TRADES_PER_OFFER, count - index));
      offerId = await offerGold(ingot, asked_fine_milli_oz * tranche, `${name}-tranche-${index}`);
    }
    const key = `${name}-accept-${index}`;
    const request = { offer_id: offerId, by_party_id: 'BUYER', date: DATES.accept, asked, key };
    const tradeId = expectOk(await acceptOffer(ingot, request), 'acceptance').trade_id;
    expectOk(await allocateTrade(ingot, { trade_id: tradeId }), 'allocation');
    ids.push(tradeId);
  }
  return ids;
}

/** Writes `lines` to `path`, one buffered write at a time; returns the number of lines. */
export async function writeLines(path: string, lines: AsyncIterable<string>): Promise<number> {
  const file = await open(path, 'w');
  let count = 0;
  try {
    let buffer = '';
    for await (const line of lines) {
      buffer += `${line}\n`;
      count += 1;
      if (buffer.length >= WRITE_BUFFER_CHARS) {
        await file.write(buffer);
        buffer = '';
      }
    }
    await file.write(buffer);
  } finally {
    await file.close();
  }
  return count;
}

/** Writes the deterministic vault stock of `rows` Good Delivery bars (generateStock) to `path`. */
export async function writeStockCsv(path: string, rows: number): Promise<void> {
  await writeLines(path, generateStock(rows));
}

/** A file's lines as readline yields them. */
export function readLines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
}

/** Runs `work` with a client connected to `url`, closing it after. */
export async function withPgClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Why PostgreSQL cannot be used at `url`, or null when it answers. */
export async function postgresProblem(url: string): Promise<string | null> {
  try {
    await withPgClient(url, (client) => client.query('select 1'));
    return null;
  } catch (error) {
    return `PostgreSQL at ${url} is unreachable (${(error as Error).message})`;
  }
}

/** A schema name of the bench's own, unique to this process. */
export function scratchSchema(purpose: string): string {
  return `ingot_bench_${purpose}_${process.pid}`;
}

/** Drops a scratch schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  await withPgClient(url, (client) => client.query(`drop schema if exists ${schema} cascade`));
}

/** Opens a fresh PostgreSQL store in `schema` (dropped first if left over from an earlier run). */
export async function openScratchPostgres(url: string, schema: string, connections = 8): Promise<Store> {
  await dropSchema(url, schema);
  return openPostgresStore(url, { schema, connections });
}
