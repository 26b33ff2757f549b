// `npm run bench [-- --quick]`: runs every benchmark, prints the Markdown table, keeps a copy.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { benchAllocation } from './allocation.ts';
import { benchHttp } from './http.ts';
import { benchImport, SQLITE3_SHELL } from './import.ts';
import { benchImportPostgresCopy } from './pg-copy-floor.ts';
import { benchPostgres, postgresReachable } from './postgres.ts';
import { benchScale, wantsScale } from './scale.ts';
import { benchSettlement, benchSettlementConcurrent } from './settlement.ts';
import {
  type BenchRow,
  type BenchSizes,
  benchSizes,
  formatFigure,
  markdownTable,
  nowMs,
  progress,
} from './support.ts';

const RESULTS = join(import.meta.dirname, 'results', 'latest.md');

const NOTE = [
  'How to read the ratios: each baseline is measured in the same run on the same machine, so the',
  'ratio holds where bare times do not. For throughputs (settlement, import) the ratio is',
  'Ingot ÷ baseline: 1.0× means as fast as the raw write, 0.5× half as fast. For allocation it is',
  'Ingot’s median time ÷ the raw SELECT’s median time: how many times the bare minimum of reading',
  'that many bars the whole allocation costs. Baselines do far less than Ingot (no validation, no',
  'indexes or ledger), so they are floors, not rivals. Books verified (`verifyStore`) after each run.',
].join('\n');

function sqliteVersions(): string {
  const db = new BetterSqlite3(':memory:');
  const library = String(db.prepare('SELECT sqlite_version()').pluck().get());
  db.close();
  const shell = execFileSync(SQLITE3_SHELL, ['--version'], { encoding: 'utf8' }).split(' ')[0] ?? '?';
  return `SQLite ${library} (better-sqlite3), sqlite3 shell ${shell}`;
}

function environment(sizes: BenchSizes): string {
  const cpu = cpus();
  const model = cpu[0]?.model.trim() ?? 'unknown CPU';
  const mode = sizes.quick ? 'quick (`--quick`)' : 'full';
  const machine = `Node ${process.version} on ${platform()}/${arch()}, ${cpu.length} CPUs (${model})`;
  return `${machine}; ${sqliteVersions()}; ${mode} run`;
}

/** `--only import`: just the import of a bar list, on SQLite and on PostgreSQL, with their baselines. */
async function runImports(sizes: BenchSizes): Promise<BenchRow[]> {
  const rows = await benchImport(sizes);
  if (await postgresReachable()) rows.push(...(await benchImportPostgresCopy(sizes)));
  return rows;
}

async function runAll(sizes: BenchSizes): Promise<BenchRow[]> {
  const only = onlyOf(process.argv);
  if (only === 'import') return runImports(sizes);
  if (only === 'http') return benchHttp(sizes);
  const rows: BenchRow[] = [];
  rows.push(await benchAllocation(sizes));
  rows.push(await benchSettlement(sizes));
  rows.push(await benchSettlementConcurrent(sizes));
  rows.push(...(await benchImport(sizes)));
  rows.push(...(await benchHttp(sizes)));
  rows.push(...(await benchPostgres(sizes)));
  return rows;
}

/** The group of benchmarks `--only NAME` asks for, if any: `import` or `http`. */
function onlyOf(argv: readonly string[]): string | undefined {
  const index = argv.indexOf('--only');
  if (index < 0) return undefined;
  const name = argv[index + 1];
  if (name !== 'import' && name !== 'http') {
    throw new Error(`bench: --only knows "import" and "http", not "${name ?? ''}"`);
  }
  return name;
}

function report(sizes: BenchSizes, rows: readonly BenchRow[], seconds: number): string {
  const stamp = new Date().toISOString();
  const lines = [`# Ingot benchmarks — ${stamp}`, '', environment(sizes), '', markdownTable(rows), '', NOTE];
  lines.push('', `Whole run: ${formatFigure(seconds)} s.`);
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const sizes = benchSizes(process.argv.slice(2), process.env);
  const start = nowMs();
  const rows = await runAll(sizes);
  const scale = wantsScale(process.argv) ? `\n${await benchScale()}` : '';
  const text = report(sizes, rows, (nowMs() - start) / 1000) + scale;
  process.stdout.write(text);
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(RESULTS, text);
  progress(`results written to ${RESULTS}`);
}

await main();
