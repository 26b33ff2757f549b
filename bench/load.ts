// `npm run load [-- --duration=120 --max-requests=100000 --clients=48 --workers=1 --db=sqlite|postgres]`:
// a bounded load test on loopback only (no network at all on SQLite): the 1961 books, then many
// clients settling trades and instructing transfers at once, from this process and from worker
// processes on the same books, until the duration or the request count runs out. Then the books
// must verify and every unit's balances must sum to zero. Prints throughput and latency per request.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { runScenario1961 } from '../src/scenario/1961.ts';
import { generateStock } from '../src/scenario/stock.ts';
import { verifyStore } from '../src/service/journal/verify.ts';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { addParty, openAccount } from '../src/service/parties/parties.ts';
import { recordFixings } from '../src/service/trading/fixings.ts';
import { createOffer } from '../src/service/trading/offers.ts';
import { importBars } from '../src/service/vault/bars.ts';
import { moveCash } from '../src/service/vault/cash.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/store.ts';
import { BENCH_PG_URL, dropSchema, openScratchPostgres, scratchSchema } from './books.ts';
import { LOAD, type LoadPlan, type LoadStats, mergeStats, runClients } from './load-clients.ts';
import { table } from './scale.ts';
import { expectOk, formatCount, formatFigure, percentile } from './support.ts';

const WORKER = join(import.meta.dirname, 'load-worker.ts');
/** A worker still running this long after the deadline is killed, and the run fails. */
const GRACE_MS = 60_000;

interface LoadOptions {
  readonly duration_s: number;
  readonly max_requests: number;
  readonly clients: number;
  readonly workers: number;
  readonly db: 'sqlite' | 'postgres';
}

function option(argv: readonly string[], name: string, fallback: number): number {
  const given = argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  const value = given === undefined ? fallback : Number.parseInt(given, 10);
  if (!Number.isInteger(value) || value < 0) throw new Error(`load: --${name} must be a whole number`);
  return value;
}

function loadOptions(argv: readonly string[]): LoadOptions {
  const db = argv.includes('--db=postgres') ? 'postgres' : 'sqlite';
  return {
    duration_s: option(argv, 'duration', 120),
    max_requests: option(argv, 'max-requests', 100_000),
    clients: Math.max(2, option(argv, 'clients', 48)),
    workers: option(argv, 'workers', 1),
    db,
  };
}

function say(line: string): void {
  process.stderr.write(`load: ${line}\n`);
}

/** The 1961 books, a third bank to transfer gold to, stock and money for the load, and an offer. */
async function setUp(ingot: Ingot, bars: number): Promise<string> {
  await runScenario1961(ingot, () => undefined);
  expectOk(await addParty(ingot, { id: 'BNB', name: 'Another central bank', role: 'client' }), 'party');
  const account = { id: LOAD.transfer_target, party_id: 'BNB', kind: 'custody', unit: 'XAU' } as const;
  expectOk(await openAccount(ingot, account), 'account');
  const rules = { minimum_fineness: 9950n, good_delivery: true };
  const lines = generateStock(bars, 1962, 5_000_000);
  const stock = { account_id: 'GOSBANK-VAULT', lines, rules, date: '1961-04-01', key: 'load-stock' };
  expectOk(await importBars(ingot, { ...stock, source: 'load-stock.csv' }), 'stock');
  const fixing = { date: LOAD.settle_date, currency: 'GBP' as const, minor_per_oz: 60_960n, source: 'load' };
  expectOk(await recordFixings(ingot, [fixing]), 'fixing');
  const amount = { currency: 'GBP' as const, minor: BigInt(bars) * 6_000n * 4_800n };
  const deposit = { account_id: 'NBC-GBP', amount, date: '1961-04-01', key: 'load-funding' };
  expectOk(await moveCash(ingot, 'deposit', deposit), 'funding');
  const terms = {
    seller_party_id: 'GOSBANK',
    buyer_party_id: 'NBC',
    seller_stock_account_id: 'GOSBANK-VAULT',
    seller_cash_account_id: 'GOSBANK-GBP',
    buyer_custody_account_id: 'NBC-GOLD',
    buyer_cash_account_id: 'NBC-GBP',
    maximum_fine_milli_oz: BigInt(bars) * LOAD.trade_fine_milli_oz,
    minimum_fineness: 9900n,
    currency: 'GBP' as const,
    pricing: 'london_fixing_of_payment_day' as const,
    custody_fee_per_year_per10k: 0n,
    valid_from: '1961-04-01',
    valid_until: '1961-12-31',
  };
  return expectOk(await createOffer(ingot, terms, LOAD.offer_id_key), 'offer').offer_id;
}

interface Worker {
  readonly ready: Promise<void>;
  readonly result: Promise<LoadStats>;
  go(deadline: number): void;
  kill(): void;
}

function startWorker(location: string, schema: string | undefined, plan: Omit<LoadPlan, 'deadline'>): Worker {
  const args = JSON.stringify({ location, plan, ...(schema ? { schema } : {}) });
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ready\n')) resolve();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      reject(new Error(`load worker exited ${code} before it was ready: ${stderr}`)),
    );
  });
  const result = new Promise<LoadStats>((resolve, reject) => {
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('RESULT '.length)) as LoadStats);
      else reject(new Error(`load worker exited ${code ?? signal}: ${stderr.trim()}`));
    });
  });
  result.catch(() => undefined);
  return {
    ready,
    result,
    go: (deadline) => child.stdin.end(`${deadline}\n`),
    kill: () => child.kill('SIGKILL'),
  };
}

/** Every unit's balances summed over all accounts: each must be zero. */
async function unitSums(store: Store): Promise<{ unit: string; total: bigint }[]> {
  const rows = await sql<{ unit: string; total: bigint | string }>`
    select unit, sum(balance) as total from accounts group by unit order by unit`.execute(store.db);
  return rows.rows.map((row) => ({ unit: row.unit, total: BigInt(row.total) }));
}

function latencyRows(stats: LoadStats, seconds: number): string[][] {
  const rows: string[][] = [];
  const all: number[] = [];
  for (const [operation, list] of Object.entries(stats.latencies)) {
    all.push(...list);
    rows.push(latencyRow(operation, list, seconds));
  }
  rows.push(latencyRow('every request', all, seconds));
  return rows;
}

function latencyRow(operation: string, list: readonly number[], seconds: number): string[] {
  if (list.length === 0) return [operation, '0', '—', '—', '—', '—'];
  return [
    operation,
    formatCount(list.length),
    `${formatFigure(list.length / seconds)}/s`,
    `${formatFigure(percentile(list, 50))} ms`,
    `${formatFigure(percentile(list, 99))} ms`,
    `${formatFigure(Math.max(...list))} ms`,
  ];
}

interface Verdict {
  readonly breaches: string[];
  readonly sums: { unit: string; total: bigint }[];
}

async function checkBooks(store: Store): Promise<Verdict> {
  const verified = await verifyStore(ingotOver(store, 'load'));
  const breaches = verified.breaches.map((b) => `${b.rule}: ${b.detail}`);
  return { breaches, sums: await unitSums(store) };
}

function report(options: LoadOptions, stats: LoadStats, seconds: number, verdict: Verdict): string {
  const where = options.db === 'sqlite' ? 'one SQLite file (WAL, synchronous=FULL)' : 'one PostgreSQL schema';
  const sums = verdict.sums.map((s) => `${s.unit} ${s.total}`).join(', ');
  const refusals = Object.entries(stats.refusals).map(([code, n]) => `${code} ×${n}`);
  const lines = [
    `# Ingot load test — ${new Date().toISOString()}`,
    '',
    `${options.clients} clients in this process and ${options.workers} worker process(es) with as many ` +
      `each, on ${where}; stopped after ${formatFigure(seconds)} s (cap ${options.duration_s} s or ` +
      `${formatCount(options.max_requests)} requests).`,
    '',
    table(['Request', 'Count', 'Throughput', 'p50', 'p99', 'Max'], latencyRows(stats, seconds)),
    '',
    `Settled ${formatCount(stats.settled)} trades (${formatFigure(stats.settled / seconds)}/s), ` +
      `executed ${formatCount(stats.executed)} transfers under four eyes ` +
      `(${formatFigure(stats.executed / seconds)}/s).`,
    `Refusals (business answers): ${refusals.length === 0 ? 'none' : refusals.join(', ')}.`,
    `Errors: ${stats.errors.length === 0 ? 'none' : `${stats.errors.length}, first: ${stats.errors[0]}`}.`,
    `verifyStore: ${verdict.breaches.length === 0 ? 'no breach' : verdict.breaches.join('; ')}.`,
    `Sum of every unit's balances: ${sums}.`,
  ];
  return `${lines.join('\n')}\n`;
}

async function openBooks(options: LoadOptions, dir: string) {
  if (options.db === 'sqlite') {
    const location = join(dir, 'load.db');
    return { store: await openSqliteStore(location), location, schema: undefined };
  }
  const schema = scratchSchema('load');
  return { store: await openScratchPostgres(BENCH_PG_URL, schema), location: BENCH_PG_URL, schema };
}

async function main(): Promise<number> {
  const options = loadOptions(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'ingot-load-'));
  const { store, location, schema } = await openBooks(options, dir);
  const workers: Worker[] = [];
  try {
    // Each trade takes one bar: enough stock for every request to be a trade, and some over.
    const bars = Math.ceil(options.max_requests / 3) + 500;
    say(`setting up the 1961 books and ${formatCount(bars)} more bars`);
    const offer_id = await setUp(ingotOver(store, 'load'), bars);
    const processes = 1 + options.workers;
    const share = Math.floor(options.max_requests / processes);
    const traders = Math.ceil(options.clients / 2);
    const base = { offer_id, traders, custodians: options.clients - traders, max_requests: share };
    for (let n = 0; n < options.workers; n += 1) {
      workers.push(startWorker(location, schema, { ...base, prefix: `w${n}` }));
    }
    await Promise.all(workers.map((worker) => worker.ready));
    const started = Date.now();
    const deadline = started + options.duration_s * 1000;
    say(`${options.clients} clients × ${processes} processes, until ${new Date(deadline).toISOString()}`);
    for (const worker of workers) worker.go(deadline);
    const killer = setTimeout(
      () => {
        for (const worker of workers) worker.kill();
      },
      deadline - started + GRACE_MS,
    );
    const here = runClients(ingotOver(store, 'load'), { ...base, deadline, prefix: 'main' });
    const all = await Promise.all([here, ...workers.map((worker) => worker.result)]);
    clearTimeout(killer);
    const seconds = (Date.now() - started) / 1000;
    const stats = mergeStats(all);
    say('verifying the books');
    const verdict = await checkBooks(store);
    const text = report(options, stats, seconds, verdict);
    process.stdout.write(text);
    mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
    writeFileSync(join(import.meta.dirname, 'results', 'load.md'), text);
    const sound = verdict.breaches.length === 0 && verdict.sums.every((s) => s.total === 0n);
    return sound && stats.errors.length === 0 ? 0 : 1;
  } finally {
    for (const worker of workers) worker.kill();
    await store.close();
    if (schema) await dropSchema(BENCH_PG_URL, schema);
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
