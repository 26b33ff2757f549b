// The server under bulk work: while one bulk job runs (bars.csv of the vault, bars.pdf of it, the
// vault's statement with its bars, an import of a large weight list), two probes in their own
// processes ask /healthz and a small statement over and over. Their p99 is set against the same
// probes' p99 on the idle server, measured in the same run, and against the aim (p99 < 50 ms);
// the server's peak resident memory during each job is reported beside it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { generateStock } from '../src/scenario/stock.ts';
import { buildServer } from '../src/server/app.ts';
import { SERVED_LIMITS } from '../src/server/limits.ts';
import { grantClearance } from '../src/service/correspondence/register.ts';
import type { Ingot } from '../src/service/kernel/context.ts';
import { addUser } from '../src/service/parties/users.ts';
import { ACCOUNTS, DATES, importVault, openBooks, verifyOrThrow } from './fixture.ts';
import type { LoadPlan, LoadResult } from './http-load.ts';
import {
  type BenchRow,
  type BenchSizes,
  expectOk,
  formatCount,
  formatFigure,
  percentile,
  progress,
  withTempDir,
} from './support.ts';

const LOADER = join(import.meta.dirname, 'http-load.ts');
const BENCH_PASSWORD = 'bench passphrase, long enough';
/** The aim of issue 14: health and a small read answered within this while bulk work runs. */
export const BULK_P99_MS_TARGET = 50;
/** How long the probes run against the idle server, for the baseline. */
const IDLE_MS = 5_000;
/** A probe's pause between its requests: a steady trickle, not a load of its own. */
const PROBE_PAUSE_MS = 10;
const RSS_SAMPLE_MS = 50;
/** A probe's first requests, which pay for its process starting and its connection: not counted. */
const PROBE_WARM_UP = 10;
const MIB = 1024 * 1024;

interface BulkSizes {
  readonly vault_bars: number;
  readonly import_bytes: number;
}

function bulkSizes(sizes: BenchSizes): BulkSizes {
  return sizes.quick
    ? { vault_bars: 60_000, import_bytes: 5 * 1_000_000 }
    : { vault_bars: 1_200_000, import_bytes: 50 * 1_000_000 };
}

/** A loader process: its result once it ends, and a way to tell a probe to stop. */
function startLoader(plan: LoadPlan): { stop: () => void; result: Promise<LoadResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', LOADER, JSON.stringify(plan)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    out += text;
  });
  const result = once(child, 'exit').then(([code]) => {
    if (code !== 0) throw new Error(`bench http-bulk: the loader exited with ${code}`);
    return JSON.parse(out) as LoadResult;
  });
  return { stop: () => child.stdin.end('stop\n'), result };
}

/** One GET or POST, run to its end in a loader process. */
function once1(base: string, token: string, path: string, extra: Partial<LoadPlan> = {}): LoadPlan {
  return {
    base,
    method: 'GET',
    path,
    headers: { authorization: `Bearer ${token}` },
    first: 1,
    count: 1,
    concurrency: 1,
    time_ms_max: 3_600_000,
    ...extra,
  };
}

interface Probed {
  readonly health: LoadResult;
  readonly statement: LoadResult;
  readonly job: LoadResult | null;
  readonly rss_peak_bytes: number;
}

/** Runs the probes while `job` runs (or for IDLE_MS when there is none), sampling memory. */
async function probed(base: string, viewer: string, job: LoadPlan | null): Promise<Probed> {
  const probe = (path: string, headers: Record<string, string>) =>
    startLoader({
      base,
      method: 'GET',
      path,
      headers,
      first: 1,
      count: Number.MAX_SAFE_INTEGER,
      concurrency: 1,
      time_ms_max: 3_600_000,
      until_stdin: true,
      pause_ms: PROBE_PAUSE_MS,
    });
  let rss_peak_bytes = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    rss_peak_bytes = Math.max(rss_peak_bytes, process.memoryUsage().rss);
  }, RSS_SAMPLE_MS);
  const health = probe('/healthz', {});
  const statementPath = `/accounts/${ACCOUNTS.buyer_custody}/statement?from=1961-01-01&to=${DATES.settle}`;
  const statement = probe(statementPath, { authorization: `Bearer ${viewer}` });
  try {
    const done = job === null ? null : await startLoader(job).result;
    if (done === null) await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    health.stop();
    statement.stop();
    return { health: await health.result, statement: await statement.result, job: done, rss_peak_bytes };
  } finally {
    clearInterval(sampler);
  }
}

function p99(result: LoadResult): number {
  const warm = result.latencies_ms.slice(PROBE_WARM_UP);
  return percentile(warm.length > 0 ? warm : result.latencies_ms, 99);
}

/** A probe's answers other than 200 (503 under pressure, errors), by status. */
function failed(result: LoadResult): string {
  const other = Object.entries(result.statuses).filter(([status]) => status !== '200');
  return other.length === 0 ? 'all 200' : other.map(([status, n]) => `${n}× ${status}`).join(', ');
}

function bulkRow(name: string, size: string, idle: Probed, busy: Probed, expected: string): BenchRow {
  const job = busy.job;
  if (job === null || (job.statuses[expected] ?? 0) !== 1) {
    throw new Error(`bench http-bulk, ${name}: the job answered ${JSON.stringify(job?.statuses)}`);
  }
  const health = p99(busy.health);
  const statement = p99(busy.statement);
  const worst = Math.max(health, statement);
  const met = worst < BULK_P99_MS_TARGET ? 'met' : 'NOT met';

  return {
    name: `HTTP: /healthz and a small statement while ${name}`,
    size,
    ingot:
      `health p99 ${formatFigure(health, 1)} ms, statement p99 ${formatFigure(statement, 1)} ms; ` +
      `peak RSS ${formatFigure(busy.rss_peak_bytes / MIB, 0)} MiB`,
    baseline:
      `idle: health p99 ${formatFigure(p99(idle.health), 1)} ms, ` +
      `statement p99 ${formatFigure(p99(idle.statement), 1)} ms; ` +
      `peak RSS ${formatFigure(idle.rss_peak_bytes / MIB, 0)} MiB`,
    ratio: health / p99(idle.health),
    sense: 'lower_is_better',
    detail:
      `aim p99 < ${BULK_P99_MS_TARGET} ms: ${met}; job ${formatFigure(job.elapsed_ms / 1000, 1)} s, ` +
      `${formatFigure(job.bytes / MIB, 1)} MiB answered; health ${formatCount(busy.health.done)} ` +
      `(${failed(busy.health)}), statement ${formatCount(busy.statement.done)} (${failed(busy.statement)})`,
  };
}

/** Books with a vault of `bars` bars, an empty client account, and two cleared users. */
async function books(path: string, bars: number): Promise<Ingot> {
  const ingot = await openBooks(path, { synchronous: 'NORMAL' });
  await importVault(ingot, generateStock(bars), `vault-${bars}.csv`);
  await addBenchUsers(ingot);
  return ingot;
}

/**
 * The operator and the viewer the benchmarks sign in as. A statement with its bars is
 * confidential: both are cleared, the operator first (the books' first clearance), then the viewer
 * by the operator.
 */
export async function addBenchUsers(ingot: Ingot): Promise<void> {
  const users = [
    { id: 'bench-operator', name: 'Operator', party_id: 'SELLER', role: 'depository_operator' },
    { id: 'bench-viewer', name: 'Viewer', party_id: 'BUYER', role: 'client_viewer' },
  ];
  for (const user of users)
    expectOk(await addUser(ingot, { ...user, password: BENCH_PASSWORD, created_by: 'bench' }), 'user');
  for (const user of users) {
    const by = user.id === 'bench-operator' ? 'bench' : 'bench-operator';
    expectOk(await grantClearance(ingot, { user_id: user.id, level: 'confidential', by }), 'clearance');
  }
}

/** A weight list of about `bytes` bytes whose serials follow the vault's. */
async function importFile(path: string, bytes: number, firstSerial: number): Promise<number> {
  const file = createWriteStream(path);
  let written = 0;
  let rows = -1;
  for await (const line of generateStock(Math.ceil(bytes / 40), 1962, firstSerial)) {
    if (written >= bytes) break;
    if (!file.write(`${line}\n`)) await once(file, 'drain');
    written += line.length + 1;
    rows += 1;
  }
  file.end();
  await once(file, 'finish');
  return rows;
}

/** Signs a bench user in over HTTP; answers its bearer token. */
export async function tokenOf(base: string, user: string): Promise<string> {
  const response = await fetch(`${base}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: user, password: BENCH_PASSWORD }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** The four bulk jobs, each beside the probes, against the probes on the idle server. */
export async function benchHttpBulk(benchSizes: BenchSizes): Promise<BenchRow[]> {
  const sizes = bulkSizes(benchSizes);
  return withTempDir('http-bulk', async (dir) => {
    progress(`http bulk: a vault of ${formatCount(sizes.vault_bars)} bars`);
    const ingot = await books(join(dir, 'bulk.db'), sizes.vault_bars);
    const upload = join(dir, 'import.csv');
    const importRows = await importFile(upload, sizes.import_bytes, 100_000 + sizes.vault_bars);
    const server = buildServer({ ingot, limits: SERVED_LIMITS });
    const base = await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const operator = await tokenOf(base, 'bench-operator');
      const viewer = await tokenOf(base, 'bench-viewer');
      const vault = ACCOUNTS.seller_stock;
      const bars = `${formatCount(sizes.vault_bars)} bars`;
      progress('http bulk: probes on the idle server');
      const idle = await probed(base, viewer, null);
      const rows: BenchRow[] = [];
      const jobs: [string, string, LoadPlan, string][] = [
        ['bars.csv streams', bars, once1(base, operator, `/accounts/${vault}/bars.csv`), '200'],
        [
          'bars.pdf prints',
          bars,
          once1(base, operator, `/accounts/${vault}/bars.pdf?date=${DATES.settle}`),
          '200',
        ],
        [
          'a statement with its bars streams',
          bars,
          once1(base, operator, `/accounts/${vault}/statement?from=1961-01-01&to=${DATES.settle}`),
          '200',
        ],
        [
          'a weight list is imported',
          `${formatFigure(sizes.import_bytes / 1_000_000, 0)} MB, ${formatCount(importRows)} bars`,
          once1(base, operator, `/bars/import?account=${vault}&date=${DATES.stock}&source=bench`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${operator}`,
              'content-type': 'text/csv',
              'idempotency-key': 'bench-bulk-import',
            },
            body_file: upload,
          }),
          '201',
        ],
      ];
      for (const [name, size, plan, expected] of jobs) {
        progress(`http bulk: probes while ${name}`);
        rows.push(bulkRow(name, size, idle, await probed(base, viewer, plan), expected));
      }
      await verifyOrThrow(ingot, 'http-bulk');
      return rows;
    } finally {
      await server.close();
      await ingot.store.close();
    }
  });
}
