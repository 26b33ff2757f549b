// The HTTP server under load from a second process on loopback: requests per second and p99
// latency for reading a statement and for settling single-bar trades, each against a bare Fastify
// route (no database, no auth) served by the same process in the same run.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { buildServer } from '../src/server/app.ts';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { ACCOUNTS, DATES, verifyOrThrow } from './fixture.ts';
import { addBenchUsers, benchHttpBulk, tokenOf } from './http-bulk.ts';
import type { LoadPlan, LoadResult } from './http-load.ts';
import { setUp } from './settlement.ts';
import {
  type BenchRow,
  type BenchSizes,
  expectOk,
  formatCount,
  formatFigure,
  formatRatio,
  percentile,
  progress,
  withTempDir,
} from './support.ts';

const run = promisify(execFile);
const LOADER = join(import.meta.dirname, 'http-load.ts');
/** Trades settled before the statement is read, so it has lines and bars to show. */
const STATEMENT_TRADES = 50;
const CONNECTIONS = 16;
/** Rounds of (bare, Ingot), alternating so drift in the machine hits both alike. */
const ROUNDS = 2;

interface HttpSizes {
  readonly reads: number;
  readonly settlements: number;
  readonly time_ms_max: number;
}

function httpSizes(sizes: BenchSizes): HttpSizes {
  return sizes.quick
    ? { reads: 2_000, settlements: 300, time_ms_max: 15_000 }
    : { reads: 20_000, settlements: 2_000, time_ms_max: 60_000 };
}

/** Runs the load generator as a child process and returns what it measured. */
async function load(plan: LoadPlan): Promise<LoadResult> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', LOADER, JSON.stringify(plan)], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as LoadResult;
}

interface Measured {
  readonly done: number;
  readonly ms: number;
  readonly latencies: number[];
  readonly failures: number;
}

function add(total: Measured, result: LoadResult, expected: string): Measured {
  const failures = result.done - (result.statuses[expected] ?? 0);
  return {
    done: total.done + result.done,
    ms: total.ms + result.elapsed_ms,
    latencies: [...total.latencies, ...result.latencies_ms],
    failures: total.failures + failures,
  };
}

const EMPTY: Measured = { done: 0, ms: 0, latencies: [], failures: 0 };

function summary(measured: Measured): { rps: number; p99: number } {
  return { rps: (measured.done * 1000) / measured.ms, p99: percentile(measured.latencies, 99) };
}

/** The bare baseline: one GET and one POST route answering JSON, nothing else. */
async function bareServer() {
  const app = Fastify({ logger: false });
  app.get('/bare', async () => ({ status: 'ok' }));
  app.post('/bare', async () => ({ status: 'ok' }));
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base };
}

/** Books with `count` allocated single-bar trades, STATEMENT_TRADES of them settled, and two users. */
async function books(dir: string, count: number): Promise<{ ingot: Ingot; tradeIds: string[] }> {
  const tradeIds = await setUp(join(dir, 'http.db'), count + STATEMENT_TRADES);
  const ingot = ingotOver(await openSqliteStore(join(dir, 'http.db'), { synchronous: 'FULL' }), 'bench');
  for (const tradeId of tradeIds.slice(0, STATEMENT_TRADES)) {
    expectOk(
      await settleTrade(ingot, { trade_id: tradeId, date: DATES.settle, key: `pre-${tradeId}` }),
      'settle',
    );
  }
  await addBenchUsers(ingot);
  return { ingot, tradeIds: tradeIds.slice(STATEMENT_TRADES) };
}

function row(name: string, size: string, ingot: Measured, bare: Measured, detail: string): BenchRow {
  const i = summary(ingot);
  const b = summary(bare);
  if (ingot.failures > 0) throw new Error(`bench http, ${name}: ${ingot.failures} requests failed`);
  return {
    name,
    size,
    ingot: `${formatFigure(i.rps)} req/s, p99 ${formatFigure(i.p99, 2)} ms`,
    baseline: `${formatFigure(b.rps)} req/s, p99 ${formatFigure(b.p99, 2)} ms (bare Fastify route)`,
    ratio: i.rps / b.rps,
    sense: 'higher_is_better',
    detail: `p99 ${formatRatio(i.p99 / b.p99)} the bare route's; ${detail}`,
  };
}

/** Reads the statement (with its bar list) under load, alternating with the bare GET route. */
async function benchStatement(base: string, bareBase: string, token: string, sizes: HttpSizes) {
  const per = Math.ceil(sizes.reads / ROUNDS);
  const common = {
    method: 'GET' as const,
    first: 1,
    count: per,
    concurrency: CONNECTIONS,
    time_ms_max: sizes.time_ms_max / ROUNDS,
  };
  let ingot = EMPTY;
  let bare = EMPTY;
  for (let round = 0; round < ROUNDS; round += 1) {
    bare = add(bare, await load({ ...common, base: bareBase, path: '/bare', headers: {} }), '200');
    const path = `/accounts/${ACCOUNTS.buyer_custody}/statement?from=1961-01-01&to=${DATES.settle}`;
    ingot = add(
      ingot,
      await load({ ...common, base, path, headers: { authorization: `Bearer ${token}` } }),
      '200',
    );
  }
  const size = `${formatCount(ingot.done)} reads, ${CONNECTIONS} connections`;
  return row(
    'HTTP: read a statement (GET /accounts/:id/statement)',
    size,
    ingot,
    bare,
    `statement of ${STATEMENT_TRADES} lines and bars`,
  );
}

/** Settles the prepared trades under load, one request each, alternating with the bare POST route. */
async function benchSettle(
  base: string,
  bareBase: string,
  token: string,
  tradeIds: readonly string[],
  sizes: HttpSizes,
) {
  const per = Math.ceil(tradeIds.length / ROUNDS);
  const first = Number((tradeIds[0] ?? 'TRADE-1').replace('TRADE-', ''));
  const body = JSON.stringify({ date: DATES.settle });
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    'idempotency-key': 'bench-{i}',
  };
  let ingot = EMPTY;
  let bare = EMPTY;
  for (let round = 0; round < ROUNDS; round += 1) {
    const common = {
      method: 'POST' as const,
      count: per,
      concurrency: CONNECTIONS,
      time_ms_max: sizes.time_ms_max / ROUNDS,
      body,
      headers,
    };
    bare = add(bare, await load({ ...common, base: bareBase, path: '/bare', first: 1 }), '200');
    ingot = add(
      ingot,
      await load({ ...common, base, path: '/trades/TRADE-{i}/settle', first: first + round * per }),
      '201',
    );
  }
  const size = `${formatCount(ingot.done)} settlements, ${CONNECTIONS} connections`;
  return row(
    'HTTP: settle single-bar trades (POST /trades/:id/settle)',
    size,
    ingot,
    bare,
    'SQLite WAL synchronous=FULL, group commit',
  );
}

/**
 * Both HTTP benchmarks, on one server over SQLite and one bare Fastify server, then health and a
 * small read beside each bulk job (bench/http-bulk.ts).
 */
export async function benchHttp(benchSizes: BenchSizes): Promise<BenchRow[]> {
  const sizes = httpSizes(benchSizes);
  const rows = await withTempDir('http', async (dir) => {
    progress(`http: preparing ${formatCount(sizes.settlements)} allocated single-bar trades`);
    const { ingot, tradeIds } = await books(dir, sizes.settlements);
    const server = buildServer({ ingot });
    const base = await server.listen({ port: 0, host: '127.0.0.1' });
    const bare = await bareServer();
    try {
      progress(`http: reading statements from a second process (${CONNECTIONS} connections)`);
      const statement = await benchStatement(base, bare.base, await tokenOf(base, 'bench-viewer'), sizes);
      progress(`http: settling ${formatCount(tradeIds.length)} trades over HTTP`);
      const settle = await benchSettle(
        base,
        bare.base,
        await tokenOf(base, 'bench-operator'),
        tradeIds,
        sizes,
      );
      await verifyOrThrow(ingot, 'http');
      return [statement, settle];
    } finally {
      await bare.app.close();
      await server.close();
      await ingot.store.close();
    }
  });
  return [...rows, ...(await benchHttpBulk(benchSizes))];
}
