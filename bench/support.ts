// Shared benchmark plumbing: sizes, timing, statistics, temporary directories and the results table.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Parsed } from '../src/domain/decimal.ts';
import type { Outcome } from '../src/domain/outcome.ts';

/** How big each benchmark is: the full run or the quick one (`--quick` or BENCH_QUICK=1). */
export interface BenchSizes {
  readonly quick: boolean;
  readonly vault_bars: number;
  readonly allocation_runs: number;
  readonly settlements: number;
  readonly import_rows: number;
}

/** Picks the sizes from the command line and the environment. */
export function benchSizes(argv: readonly string[], env: NodeJS.ProcessEnv): BenchSizes {
  const quick = argv.includes('--quick') || env.BENCH_QUICK === '1';
  return quick
    ? { quick, vault_bars: 100_000, allocation_runs: 15, settlements: 200, import_rows: 100_000 }
    : { quick, vault_bars: 1_000_000, allocation_runs: 15, settlements: 2_000, import_rows: 1_000_000 };
}

/** Whether a ratio is better high (a throughput) or low (a time). */
export type RatioSense = 'higher_is_better' | 'lower_is_better';

/** One line of the results table: Ingot against a baseline measured in the same run. */
export interface BenchRow {
  readonly name: string;
  readonly size: string;
  readonly ingot: string;
  readonly baseline: string;
  readonly ratio: number;
  readonly sense: RatioSense;
  /** A required minimum (or maximum, for times) for the ratio, when the issue sets one. */
  readonly target?: number;
  readonly detail: string;
}

/** Milliseconds since an arbitrary origin, at sub-millisecond resolution. */
export function nowMs(): number {
  return performance.now();
}

/** Runs `work` and returns its result with the milliseconds it took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = nowMs();
  const value = await work();
  return { value, ms: nowMs() - start };
}

/** The median of a non-empty sample. */
export function median(sample: readonly number[]): number {
  const sorted = [...sample].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/** The p-th percentile (0–100) of a non-empty sample, by nearest rank. */
export function percentile(sample: readonly number[], p: number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Events per second for `count` events in `ms` milliseconds. */
export function perSecond(count: number, ms: number): number {
  return (count * 1000) / ms;
}

/** A whole number with thousands separators: 1000000 → "1,000,000". */
export function formatCount(value: number | bigint): string {
  return value.toLocaleString('en-GB', { maximumFractionDigits: 0 });
}

/** A figure with at most `digits` decimals and thousands separators. */
export function formatFigure(value: number, digits = 1): string {
  return value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A ratio to two significant decimals: "0.62×", "14.3×". */
export function formatRatio(ratio: number): string {
  return `${ratio < 10 ? ratio.toFixed(2) : ratio.toFixed(1)}×`;
}

/** Creates a fresh directory under the system's temporary directory, removed after `work`. */
export async function withTempDir<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `ingot-bench-${prefix}-`));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Unwraps a service outcome the benchmark needs to succeed; a refusal stops the run. */
export function expectOk<T extends object>(
  outcome: Outcome<T> | { ok: false; message: string },
  step: string,
): T {
  if (!outcome.ok) throw new Error(`bench, ${step}: ${outcome.message}`);
  return outcome;
}

/** Unwraps a parsed value the benchmark relies on. */
export function expectParsed<T>(parsed: Parsed<T>, what: string): T {
  if (!parsed.ok) throw new Error(`bench, ${what}: ${parsed.reason}`);
  return parsed.value;
}

/** Prints a progress line on stderr, leaving stdout to the table. */
export function progress(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

const HEADER = ['Benchmark', 'Size', 'Ingot', 'Baseline (same run)', 'Ratio', 'Reading', 'Target', 'Detail'];

function targetCell(row: BenchRow): string {
  if (row.target === undefined) return '—';
  const met = row.sense === 'higher_is_better' ? row.ratio >= row.target : row.ratio <= row.target;
  const bound = row.sense === 'higher_is_better' ? '≥' : '≤';
  return `${bound} ${row.target} ${met ? 'met' : '**missed**'}`;
}

function rowCells(row: BenchRow): string[] {
  const reading = row.sense === 'higher_is_better' ? 'higher is better' : 'lower is better';
  return [
    row.name,
    row.size,
    row.ingot,
    row.baseline,
    formatRatio(row.ratio),
    reading,
    targetCell(row),
    row.detail,
  ];
}

/** The results as a Markdown table, columns padded to equal width as Biome formats Markdown. */
export function markdownTable(rows: readonly BenchRow[]): string {
  const body = [HEADER, ...rows.map(rowCells)].map((cells) => cells.map((c) => c.replaceAll('|', '\\|')));
  const widths = HEADER.map((_, column) => Math.max(3, ...body.map((cells) => (cells[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = line(widths.map((width) => '-'.repeat(width)));
  const [header = [], ...rest] = body;
  return [line(header), rule, ...rest.map(line)].join('\n');
}

/**
 * With PROFILE_CPU=file, runs `work` under V8's sampling profiler and writes its CPU profile to
 * `file` (for Chrome's DevTools, or `node --import tsx bench/cpu-summary.ts file`): the timed work
 * alone, not the setup of its books. Without it, just runs `work`.
 */
export async function cpuProfiled<T>(work: () => Promise<T>, file = process.env.PROFILE_CPU): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}
