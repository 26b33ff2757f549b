// PostgreSQL: single-bar settlements at 4 clients against pgbench's TPC-B-like script at 4 clients,
// and the import of a bar list CSV against COPY of the same file, both on the same server, same run.
// Every trade has the same seller and buyer, so the depository's accounts are hot in every settlement.
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BAR_LIST_OPTIONAL_COLUMNS, BAR_LIST_REQUIRED_COLUMNS } from '../src/domain/barlist.ts';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import {
  BENCH_PG_URL,
  dropSchema,
  fixAndFund,
  identicalBars,
  openScratchPostgres,
  postgresProblem,
  prepareTrades,
  scratchSchema,
  seedBooks,
  withPgClient,
} from './books.ts';
import { DATES, importVault, verifyOrThrow } from './fixture.ts';
import { benchImportPostgresCopy } from './pg-copy-floor.ts';
import {
  type BenchRow,
  type BenchSizes,
  expectOk,
  formatCount,
  formatFigure,
  nowMs,
  percentile,
  perSecond,
  progress,
  timed,
} from './support.ts';

const run = promisify(execFile);
const CLIENTS = 4;
const PG_SETTLEMENTS_MAX = 1000;
const WORKER = join(import.meta.dirname, 'pg-settle-worker.ts');

/** pgbench's figures: transactions per second, and its settings for the table. */
interface PgbenchResult {
  readonly tps: number;
  readonly seconds: number;
}

/** Runs pgbench's built-in TPC-B-like script at 4 clients on a scratch database of its own. */
async function runPgbench(url: string, seconds: number): Promise<PgbenchResult> {
  const database = `ingot_bench_pgbench_${process.pid}`;
  const scratch = new URL(url);
  scratch.pathname = `/${database}`;
  await withPgClient(url, async (client) => {
    await client.query(`drop database if exists ${database}`);
    await client.query(`create database ${database}`);
  });
  try {
    await run('pgbench', ['-i', '-q', scratch.toString()]);
    const args = ['-c', String(CLIENTS), '-j', '2', '-T', String(seconds), scratch.toString()];
    const { stdout } = await run('pgbench', args);
    const match = /tps = ([0-9.]+) \(without initial connection time\)/.exec(stdout);
    if (!match?.[1]) throw new Error(`bench postgres: no tps in pgbench's output:\n${stdout}`);
    return { tps: Number.parseFloat(match[1]), seconds };
  } finally {
    await withPgClient(url, (client) => client.query(`drop database if exists ${database}`));
  }
}

/** Settles `ids` from `clients` concurrent in-process clients; wall-clock ms and each latency. */
async function settleInProcess(ingot: Ingot, ids: readonly string[], clients: number) {
  let next = 0;
  const latencies: number[] = [];
  const client = async () => {
    while (next < ids.length) {
      const trade_id = ids[next] ?? '';
      next += 1;
      const settled = await timed(() =>
        settleTrade(ingot, { trade_id, date: DATES.settle, key: `settle-${trade_id}` }),
      );
      if (expectOk(settled.value, `settlement of ${trade_id}`).replayed) {
        throw new Error(`bench postgres: ${trade_id} was replayed, not settled`);
      }
      latencies.push(settled.ms);
    }
  };
  const start = nowMs();
  await Promise.all(Array.from({ length: clients }, client));
  return { ms: nowMs() - start, latencies };
}

/** Starts a worker process settling `ids`; resolves when it is connected and waiting for "go". */
function startWorker(schema: string, ids: readonly string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, BENCH_PG_URL, schema, ids.join(',')], {
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
    child.on('exit', (code) => reject(new Error(`settle worker exited ${code} early: ${stderr}`)));
  });
  const done = new Promise<string>((resolve, reject) => {
    child.on('exit', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`settle worker exited ${code}: ${stderr}`));
    });
  });
  done.catch(() => undefined);
  return { ready, done, go: () => child.stdin.end('go\n'), kill: () => child.kill('SIGKILL') };
}

/** Settles `ids` from `processes` separate processes, each with a store (and pool) of its own. */
async function settleFromProcesses(schema: string, ids: readonly string[], processes: number) {
  const share = Math.ceil(ids.length / processes);
  const workers = Array.from({ length: processes }, (_, index) =>
    startWorker(schema, ids.slice(index * share, (index + 1) * share)),
  );
  try {
    await Promise.all(workers.map((worker) => worker.ready));
    const start = nowMs();
    for (const worker of workers) worker.go();
    const outputs = await Promise.all(workers.map((worker) => worker.done));
    const ms = nowMs() - start;
    const retried = outputs.reduce((sum, out) => sum + Number(/retried=(\d+)/.exec(out)?.[1] ?? 0), 0);
    return { ms, retried };
  } finally {
    for (const worker of workers) worker.kill();
  }
}

/** Transactions rolled back in the database so far (serialization conflicts among them). */
async function rollbacks(): Promise<number> {
  // Backends report their counts when idle for a second or on exit; wait for the last reports.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return withPgClient(BENCH_PG_URL, async (client) => {
    await client.query('select pg_stat_clear_snapshot()');
    const result = await client.query<{ n: string }>(
      'select xact_rollback as n from pg_stat_database where datname = current_database()',
    );
    return Number(result.rows[0]?.n ?? 0);
  });
}

function settlementRow(
  name: string,
  count: number,
  ms: number,
  pgbench: PgbenchResult,
  detail: string,
): BenchRow {
  const rate = perSecond(count, ms);
  return {
    name,
    size: `${formatCount(count)} single-bar trades`,
    ingot: `${formatFigure(rate)} settlements/s`,
    baseline: `${formatFigure(pgbench.tps)} tps (pgbench TPC-B-like, -c 4 -j 2 -T ${pgbench.seconds})`,
    ratio: rate / pgbench.tps,
    sense: 'higher_is_better',
    target: 1,
    detail,
  };
}

/** Settlements at 4 clients (in one process, then from 4 processes) against pgbench at 4 clients. */
async function benchSettlements(sizes: BenchSizes): Promise<BenchRow[]> {
  const schema = scratchSchema('settle');
  // Setting a trade up costs more than settling it: at most 1,000 settlements in each mode.
  const count = Math.min(sizes.settlements, PG_SETTLEMENTS_MAX);
  const store = await openScratchPostgres(BENCH_PG_URL, schema);
  const ingot = ingotOver(store, 'bench');
  try {
    progress(`postgres: preparing ${formatCount(2 * count)} allocated single-bar trades (hot accounts)`);
    await seedBooks(ingot);
    await importVault(ingot, identicalBars(2 * count), `identical-${2 * count}.csv`);
    await fixAndFund(ingot, 2 * count);
    const ids = await prepareTrades(ingot, 2 * count, 'pg');
    const seconds = sizes.quick ? 5 : 10;
    progress(`postgres: pgbench -c ${CLIENTS} -j 2 -T ${seconds} (baseline)`);
    const pgbench = await runPgbench(BENCH_PG_URL, seconds);
    progress(`postgres: ${CLIENTS} in-process clients settling ${formatCount(count)} trades`);
    const inProcess = await settleInProcess(ingot, ids.slice(0, count), CLIENTS);
    progress(`postgres: ${CLIENTS} processes settling ${formatCount(count)} trades`);
    const rolledBack = await rollbacks();
    const apart = await settleFromProcesses(schema, ids.slice(count), CLIENTS);
    const conflicts = (await rollbacks()) - rolledBack;
    await verifyOrThrow(ingot, 'postgres settlement');
    const p99 = formatFigure(percentile(inProcess.latencies, 99), 1);
    const p50 = formatFigure(percentile(inProcess.latencies, 50), 1);
    return [
      settlementRow(
        `Settlement, PostgreSQL, ${CLIENTS} clients in one process (group commit)`,
        count,
        inProcess.ms,
        pgbench,
        `same seller and buyer in every trade (hot accounts); latency p50 ${p50} ms, p99 ${p99} ms`,
      ),
      settlementRow(
        `Settlement, PostgreSQL, ${CLIENTS} processes (one store each)`,
        count,
        apart.ms,
        pgbench,
        `hot accounts across processes; ${formatCount(conflicts)} transactions rolled back in the database ` +
          `meanwhile (conflicts, retried by the store); ${apart.retried} settlements retried by their ` +
          'client with the same key after the store gave up',
      ),
    ];
  } finally {
    await store.close();
    await dropSchema(BENCH_PG_URL, schema);
  }
}

/** Times psql's \copy of the file into a plain table of the bar list's 9 columns, as text. */
export async function timeCopy(schema: string, csv: string, rows: number): Promise<number> {
  const columns = [...BAR_LIST_REQUIRED_COLUMNS, ...BAR_LIST_OPTIONAL_COLUMNS]
    .map((c) => `${c} text`)
    .join(', ');
  await withPgClient(BENCH_PG_URL, (client) => client.query(`create table ${schema}.copied (${columns})`));
  const command = `\\copy ${schema}.copied from '${csv}' with (format csv, header true)`;
  const start = nowMs();
  await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', BENCH_PG_URL, '-c', command]);
  const ms = nowMs() - start;
  const counted = await withPgClient(BENCH_PG_URL, (client) =>
    client.query<{ n: string }>(`select count(*) as n from ${schema}.copied`),
  );
  const copied = Number(counted.rows[0]?.n ?? -1);
  if (copied !== rows) throw new Error(`bench postgres: COPY loaded ${copied} of ${rows} rows`);
  await withPgClient(BENCH_PG_URL, (client) => client.query(`drop table ${schema}.copied`));
  return ms;
}

/** Whether the bench's server answers; if not, says so on stderr. */
export async function postgresReachable(): Promise<boolean> {
  const problem = await postgresProblem(BENCH_PG_URL);
  if (problem) progress(`postgres: SKIPPED, ${problem}`);
  return problem === null;
}

/** Every PostgreSQL benchmark; none (with a note on stderr) when the server cannot be reached. */
export async function benchPostgres(sizes: BenchSizes): Promise<BenchRow[]> {
  if (!(await postgresReachable())) return [];
  return [...(await benchSettlements(sizes)), ...(await benchImportPostgresCopy(sizes))];
}
