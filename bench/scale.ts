// Scale (opt-in: `npm run bench -- --scale`, or `node --import tsx bench/scale.ts` alone, which writes
// bench/results/scale.md): vaults of 100,000 to 3,000,000 bars on both stores. Each step runs in a
// process of its own and reports its peak memory (the kernel's maximum resident set size), so a
// step that holds every bar shows.
// Sizes: BENCH_SCALE_SIZES=100000,1000000,3000000; stores: BENCH_SCALE_STORES=sqlite,postgres.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BarListHeader,
  formatBarRow,
  isBlankLine,
  parseBarListHeader,
  parseBarRow,
} from '../src/domain/barlist.ts';
import { fineWeight } from '../src/domain/weight.ts';
import {
  BENCH_PG_URL,
  dropSchema,
  postgresProblem,
  readLines,
  scratchSchema,
  withPgClient,
  writeLines,
  writeStockCsv,
} from './books.ts';
import { SQLITE3_SHELL } from './import.ts';
import { timeCopy } from './postgres.ts';
import type { StepName, StepRequest, StepResult } from './scale-step.ts';
import { formatCount, formatFigure, nowMs, progress, withTempDir } from './support.ts';

const STEP_SCRIPT = join(import.meta.dirname, 'scale-step.ts');
const DEFAULT_SIZES = [100_000, 1_000_000, 3_000_000];
/** Bars missing from, unexpected in, and differing in the count file: this many of each. */
const DIFFERENCES = 10;
const ALLOCATION_RUNS = 5;
/** A step taking longer than this is stopped and the run fails. */
const STEP_TIMEOUT_MS = 60 * 60 * 1000;

type StoreName = 'sqlite' | 'postgres';

interface Measured {
  readonly result: StepResult;
  /** The baseline's milliseconds on the same files, where the step has one. */
  readonly baseline_ms?: number;
}

type SizeResults = Map<StepName, Measured>;

const STEP_LABELS: Record<StepName, string> = {
  baseline: 'process floor (tsx, modules, store opened)',
  import: 'import of the bar list (importBars)',
  allocate: 'allocation of 20 t (allocateTrade)',
  settle: 'single-bar settlement (settleTrade)',
  export: "listing the vault's bars (exportBars → /dev/null)",
  reconcile: 'reconciliation against a count (reconcile)',
  statement: 'statement of the vault with its bar list as JSON (statementJson → /dev/null)',
  'bar-report':
    'bar-level reports: holdings today and at a past date, the year\u2019s events (CSV → /dev/null)',
  verify: 'verification of the books (verifyStore)',
  'xlsx-write':
    'an Annex C workbook of the first 1,000,000 bars at most, text inline (exceljs WorkbookWriter)',
  'xlsx-import': 'import of that workbook into fresh SQLite books (exceljs WorkbookReader, importWeightList)',
  'xlsx-shared-write': 'the same workbook with its text as shared strings, as Excel saves it',
  'xlsx-shared-import': 'import of that workbook (its shared strings in a scratch SQLite table)',
};
const ORDER: readonly StepName[] = [
  'baseline',
  'import',
  'allocate',
  'settle',
  'export',
  'reconcile',
  'statement',
  'bar-report',
  'verify',
  'xlsx-write',
  'xlsx-import',
  'xlsx-shared-write',
  'xlsx-shared-import',
];
/** Rows of the workbook written and imported: a million, or the vault if smaller. */
const WORKBOOK_ROWS_MAX = 1_000_000;

/** The steps to run (BENCH_SCALE_STEPS=reconcile,xlsx-import…; import always, the floor always). */
function scaleSteps(env: NodeJS.ProcessEnv): readonly StepName[] {
  const listed = env.BENCH_SCALE_STEPS?.split(',').map((s) => s.trim());
  if (!listed) return ORDER;
  const needed = new Set<string>(['baseline', ...listed]);
  // Every step but the workbook's reads the imported books.
  if (listed.some((step) => !step.startsWith('xlsx-'))) needed.add('import');
  if (listed.includes('xlsx-import')) needed.add('xlsx-write');
  if (listed.includes('xlsx-shared-import')) needed.add('xlsx-shared-write');
  return ORDER.filter((step) => needed.has(step));
}

/** Whether the command line asks for the scale benchmark. */
export function wantsScale(argv: readonly string[]): boolean {
  return argv.includes('--scale');
}

function scaleSizes(env: NodeJS.ProcessEnv): number[] {
  const listed = env.BENCH_SCALE_SIZES?.split(',').map((n) => Number.parseInt(n.trim(), 10));
  return listed?.every((n) => Number.isInteger(n) && n > 0) ? listed : DEFAULT_SIZES;
}

function scaleStores(env: NodeJS.ProcessEnv): StoreName[] {
  const listed = env.BENCH_SCALE_STORES?.split(',').map((s) => s.trim());
  if (!listed) return ['sqlite', 'postgres'];
  return listed.filter((s): s is StoreName => s === 'sqlite' || s === 'postgres');
}

/** Runs one step in a child process and returns what it printed. */
function runStep(request: StepRequest): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', STEP_SCRIPT, JSON.stringify(request)];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('RESULT '.length)) as StepResult);
      else reject(new Error(`scale step ${request.step} exited ${code ?? signal}: ${stderr.trim()}`));
    });
  });
}

/** Runs a shell script with LC_ALL=C, resolving with its milliseconds once it exits 0. */
function timeShell(script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = nowMs();
    const child = spawn('sh', ['-c', script], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(nowMs() - start);
      else reject(new Error(`scale: \`${script}\` exited ${code}: ${stderr.trim()}`));
    });
  });
}

function quoted(path: string): string {
  return `'${path.replaceAll("'", "'\\''")}'`;
}

/** The coreutils baseline of a reconciliation: sort both lists by serial, then a full outer join. */
function sortJoin(dir: string, books: string, count: string): Promise<number> {
  const a = quoted(join(dir, 'books.sorted'));
  const b = quoted(join(dir, 'count.sorted'));
  return timeShell(
    `sort -t, -k1,1 ${quoted(books)} -o ${a} && sort -t, -k1,1 ${quoted(count)} -o ${b} && ` +
      `join -t, -a1 -a2 -e - -o auto ${a} ${b} > /dev/null; s=$?; rm -f ${a} ${b}; exit $s`,
  );
}

/** The sqlite3 shell's `.import` of the same file into a plain table (a database of its own). */
async function sqliteImportBaseline(dir: string, csv: string): Promise<number> {
  const db = quoted(join(dir, 'baseline.db'));
  const table =
    'CREATE TABLE bars (serial TEXT, refiner TEXT, year TEXT, gross_oz TEXT, fineness TEXT, ' +
    'fine_oz TEXT, vault TEXT, location TEXT, bar_id TEXT);';
  // The table exists first, so .import takes the header for a row to skip, not for column names.
  await timeShell(`${SQLITE3_SHELL} ${db} ${quoted(table)}`);
  const timed = await timeShell(
    `${SQLITE3_SHELL} -bail ${db} ${quoted(`.import --csv --skip 1 ${csv} bars`)}`,
  );
  await timeShell(`rm -f ${db}`);
  return timed;
}

/**
 * The vault count: the stock's bars, less DIFFERENCES missing ones, DIFFERENCES with another gross
 * weight (and so fine weight), plus DIFFERENCES bars the books do not know.
 */
async function* countOf(stock: string, bars: number): AsyncGenerator<string> {
  const every = Math.floor(bars / DIFFERENCES);
  const rules = { minimum_fineness: 0n, good_delivery: false };
  let header: BarListHeader | undefined;
  let index = -1;
  for await (const line of readLines(stock)) {
    if (!header) {
      const parsed = parseBarListHeader(line);
      if (!parsed.ok) throw new Error('scale: the stock file has no header');
      header = parsed.header;
      yield line;
      continue;
    }
    if (isBlankLine(line)) continue;
    index += 1;
    if (index % every === 0 && index / every < DIFFERENCES) continue;
    if (index % every === Math.floor(every / 2) && Math.floor(index / every) < DIFFERENCES) {
      const parsed = parseBarRow(line, index + 2, header, rules);
      if (!parsed.ok) throw new Error(`scale: stock row ${index + 2} does not parse`);
      const gross = parsed.bar.gross_milli_oz + 25n;
      const bar = {
        ...parsed.bar,
        gross_milli_oz: gross,
        fine_milli_oz: fineWeight(gross, parsed.bar.fineness),
      };
      yield formatBarRow(bar, true);
      continue;
    }
    yield line;
  }
  for (let extra = 0; extra < DIFFERENCES; extra += 1) {
    const gross = 400_000n;
    const bar = {
      serial: `X${extra}`,
      refiner: 'MSK',
      year: 1960,
      gross_milli_oz: gross,
      fineness: 9999n,
      fine_milli_oz: fineWeight(gross, 9999n),
      vault: 'MOSCOW',
      location: 'UNBOOKED',
      bar_id: null,
    };
    yield formatBarRow(bar, true);
  }
}

/** Every step on one store with a vault of `bars` bars; files and the database are removed after. */
async function measureSize(store: StoreName, bars: number): Promise<SizeResults> {
  return withTempDir(`scale-${store}-${bars}`, async (dir) => {
    const stock = join(dir, 'stock.csv');
    const count = join(dir, 'count.csv');
    progress(`scale ${store} ${formatCount(bars)}: writing the bar list and the count`);
    await writeStockCsv(stock, bars);
    await writeLines(count, countOf(stock, bars));
    const schema = store === 'postgres' ? scratchSchema(`scale_${bars}`) : undefined;
    const location = store === 'postgres' ? BENCH_PG_URL : join(dir, 'books.db');
    if (schema) await dropSchema(BENCH_PG_URL, schema);
    const results: SizeResults = new Map();
    try {
      const workbook = join(dir, 'weight-list.xlsx');
      const sharedWorkbook = join(dir, 'weight-list-shared.xlsx');
      for (const step of scaleSteps(process.env)) {
        const file = {
          import: stock,
          reconcile: count,
          'xlsx-write': stock,
          'xlsx-import': workbook,
          'xlsx-shared-write': stock,
          'xlsx-shared-import': sharedWorkbook,
        }[step as string];
        const request: StepRequest = {
          step,
          location,
          bars,
          runs: ALLOCATION_RUNS,
          differences: DIFFERENCES,
          ...(schema ? { schema } : {}),
          ...(file ? { file } : {}),
          ...(step === 'xlsx-write' || step === 'xlsx-shared-write'
            ? {
                workbook: step === 'xlsx-write' ? workbook : sharedWorkbook,
                workbook_rows: Math.min(bars, WORKBOOK_ROWS_MAX),
                // As Excel saves text: every serial a shared string (the reader keeps them on disk).
                shared_strings: step === 'xlsx-shared-write',
              }
            : {}),
          ...(step === 'xlsx-import' || step === 'xlsx-shared-import'
            ? { workbook: join(dir, `${step}-books.db`) }
            : {}),
        };
        let baseline_ms: number | undefined;
        if (step === 'import') {
          progress(`scale ${store} ${formatCount(bars)}: import baseline`);
          baseline_ms = schema
            ? await copyBaseline(schema, stock, bars)
            : await sqliteImportBaseline(dir, stock);
        }
        if (step === 'reconcile') baseline_ms = await sortJoin(dir, stock, count);
        progress(`scale ${store} ${formatCount(bars)}: ${step}`);
        const result = await runStep(request);
        results.set(step, baseline_ms === undefined ? { result } : { result, baseline_ms });
        progress(
          `scale ${store} ${formatCount(bars)}: ${step} ${formatDuration(result.ms)}, ` +
            `peak ${formatMib(result.peak_kib)}`,
        );
      }
    } finally {
      if (schema) await dropSchema(BENCH_PG_URL, schema);
    }
    return results;
  });
}

async function copyBaseline(schema: string, csv: string, rows: number): Promise<number> {
  await withPgClient(BENCH_PG_URL, (client) => client.query(`create schema if not exists ${schema}`));
  return timeCopy(schema, csv, rows);
}

function bars(count: number): string {
  return `${formatCount(count)} bar${count === 1 ? '' : 's'}`;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${formatFigure(ms, ms < 10 ? 2 : 0)} ms`;
  if (ms < 120_000) return `${formatFigure(ms / 1000, 1)} s`;
  return `${formatFigure(ms / 60_000, 1)} min`;
}

function formatMib(kib: number): string {
  return `${formatCount(Math.round(kib / 1024))} MiB`;
}

function timeCell(step: StepName, store: StoreName, measured: Measured | undefined): string {
  if (!measured) return '—';
  const { result, baseline_ms } = measured;
  const facts = result.facts;
  const time = formatDuration(result.ms);
  switch (step) {
    case 'baseline':
      return '—';
    case 'import': {
      const rate = `${formatCount(Math.round((Number(facts.bars) * 1000) / result.ms))} bars/s`;
      const against = store === 'postgres' ? 'COPY' : 'sqlite3 .import';
      return `${time}, ${rate}, ${ratioText(baseline_ms, result.ms, against, 'throughput')}`;
    }
    case 'allocate':
      return (
        `median ${time} of ${facts.runs}, ${bars(Number(facts.bars))}, ` +
        `gap ${facts.gap_milli_oz} milli-oz`
      );
    case 'reconcile':
      return (
        `${time}, ${ratioText(baseline_ms, result.ms, 'sort + join', 'time')}; ` +
        `${facts.missing} missing, ${facts.unexpected} unexpected, ${facts.differing} differing found`
      );
    case 'statement':
      return `${time}, ${bars(Number(facts.bars))} listed`;
    case 'verify':
      return `${time}, ${facts.checks} checks, no breach`;
    case 'xlsx-write':
    case 'xlsx-shared-write':
      return `${time}, ${formatCount(Number(facts.rows))} rows, ${formatMib(Number(facts.bytes) / 1024)}`;
    case 'xlsx-import':
    case 'xlsx-shared-import':
      return `${time}, ${bars(Number(facts.bars))}, ${formatCount(Math.round((Number(facts.bars) * 1000) / result.ms))} bars/s`;
    default:
      return `${time}${facts.bars ? `, ${bars(Number(facts.bars))}` : ''}`;
  }
}

/** Ingot against a baseline: throughputs as Ingot ÷ baseline, times as Ingot's time ÷ baseline's. */
function ratioText(baselineMs: number | undefined, ingotMs: number, against: string, sense: string): string {
  if (baselineMs === undefined) return '';
  const ratio = sense === 'throughput' ? baselineMs / ingotMs : ingotMs / baselineMs;
  const shown = ratio < 10 ? ratio.toFixed(2) : ratio.toFixed(1);
  return sense === 'throughput' ? `${shown}× ${against}'s rate` : `${shown}× ${against}'s time`;
}

function growth(first: number, last: number): string {
  if (!(first > 0) || !(last > 0)) return '—';
  const ratio = last / first;
  return `×${ratio < 10 ? ratio.toFixed(2) : ratio.toFixed(1)}`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows].map((cells) => cells.map((c) => c.replaceAll('|', '\\|')));
  const widths = header.map((_, column) => Math.max(3, ...all.map((cells) => (cells[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const [head = [], ...body] = all;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

interface StoreResults {
  readonly store: StoreName;
  readonly sizes: readonly number[];
  readonly bySize: ReadonlyMap<number, SizeResults>;
}

/** The steps whose peak memory grows with the vault: more than doubling, by more than 200 MiB. */
function heavySteps(results: readonly StoreResults[]): string[] {
  const found: string[] = [];
  for (const { store, sizes, bySize } of results) {
    const first = sizes[0];
    const last = sizes.at(-1);
    if (first === undefined || last === undefined || first === last) continue;
    for (const step of ORDER) {
      const low = bySize.get(first)?.get(step)?.result.peak_kib;
      const high = bySize.get(last)?.get(step)?.result.peak_kib;
      if (low === undefined || high === undefined) continue;
      if (high > 2 * low && high - low > 200 * 1024) {
        found.push(
          `${store}, ${STEP_LABELS[step]}: peak ${formatMib(low)} at ${formatCount(first)} bars, ` +
            `${formatMib(high)} at ${formatCount(last)} (${growth(low, high)})`,
        );
      }
    }
  }
  return found;
}

function report(results: readonly StoreResults[]): string {
  const sizes = results[0]?.sizes ?? [];
  const first = sizes[0] ?? 0;
  const last = sizes.at(-1) ?? 0;
  const sizeHeads = sizes.map((n) => `${formatCount(n)} bars`);
  const growthHead = `Growth ${formatCount(first)} → ${formatCount(last)} (bars ${growth(first, last)})`;
  const timeRows: string[][] = [];
  const memoryRows: string[][] = [];
  for (const { store, bySize } of results) {
    for (const step of ORDER) {
      const cells = sizes.map((n) => bySize.get(n)?.get(step));
      const low = cells[0]?.result;
      const high = cells.at(-1)?.result;
      if (step !== 'baseline') {
        timeRows.push([
          store,
          STEP_LABELS[step],
          ...cells.map((m) => timeCell(step, store, m)),
          `time ${growth(low?.ms ?? 0, high?.ms ?? 0)}`,
        ]);
      }
      memoryRows.push([
        store,
        STEP_LABELS[step],
        ...cells.map((m) => (m ? formatMib(m.result.peak_kib) : '—')),
        `peak ${growth(low?.peak_kib ?? 0, high?.peak_kib ?? 0)}`,
      ]);
    }
  }
  const heavy = heavySteps(results);
  const lines = [
    '## Scale',
    '',
    'Each step runs in a process of its own, one after another on the same books; peak memory is that',
    "process's maximum resident set size (getrusage), Node and tsx included (the floor row). On",
    "PostgreSQL the server's own memory is not counted. Ratios are against baselines run on the same",
    'files in the same run: import against `sqlite3 .import` or `COPY` into a plain table, reconciliation',
    'against coreutils `sort` of both lists and a full outer `join`.',
    '',
    table(['Store', 'Step', ...sizeHeads, growthHead], timeRows),
    '',
    '### Peak memory per step',
    '',
    table(['Store', 'Step', ...sizeHeads, growthHead], memoryRows),
    '',
    heavy.length === 0
      ? 'No step’s peak memory grows with the vault (none more than doubles by more than 200 MiB).'
      : `Steps whose memory grows with the vault:\n\n${heavy.map((h) => `- ${h}`).join('\n')}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Runs the scale benchmark and returns its Markdown section. */
export async function benchScale(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const sizes = scaleSizes(env);
  const results: StoreResults[] = [];
  for (const store of scaleStores(env)) {
    if (store === 'postgres') {
      const problem = await postgresProblem(BENCH_PG_URL);
      if (problem) {
        progress(`scale: PostgreSQL SKIPPED, ${problem}`);
        continue;
      }
    }
    const bySize = new Map<number, SizeResults>();
    for (const bars of sizes) bySize.set(bars, await measureSize(store, bars));
    results.push({ store, sizes, bySize });
  }
  return report(results);
}

if (process.argv[1] === import.meta.filename) {
  const text = await benchScale();
  process.stdout.write(text);
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'scale.md'), text);
}
