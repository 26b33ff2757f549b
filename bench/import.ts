// Import of a large bar list CSV: importBars over readline, against the sqlite3 shell's `.import`.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import BetterSqlite3 from 'better-sqlite3';
import { BAR_LIST_OPTIONAL_COLUMNS, BAR_LIST_REQUIRED_COLUMNS } from '../src/domain/barlist.ts';
import { generateStock } from '../src/scenario/stock.ts';
import { importVault, openBooks, verifyOrThrow } from './fixture.ts';
import {
  type BenchRow,
  type BenchSizes,
  formatCount,
  formatFigure,
  nowMs,
  perSecond,
  progress,
  timed,
  withTempDir,
} from './support.ts';

/** The command-line shell the baseline runs. */
export const SQLITE3_SHELL = '/usr/bin/sqlite3';
/** Characters buffered before each write of the CSV file. */
const WRITE_BUFFER_CHARS = 1 << 20;

/** Writes a generated bar list of `rows` bars to `path`, one buffered write at a time. */
async function writeStockCsv(path: string, rows: number): Promise<void> {
  const file = await open(path, 'w');
  try {
    let buffer = '';
    for await (const line of generateStock(rows)) {
      buffer += `${line}\n`;
      if (buffer.length >= WRITE_BUFFER_CHARS) {
        await file.write(buffer);
        buffer = '';
      }
    }
    await file.write(buffer);
  } finally {
    await file.close();
  }
}

/** The CSV's lines as readline yields them from the file. */
function readLines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
}

/** Times importBars reading the file into fresh books; checks the count and verifies the books. */
async function timeIngot(dir: string, csv: string, rows: number): Promise<number> {
  const ingot = await openBooks(join(dir, 'import.db'));
  try {
    const { value, ms } = await timed(() => importVault(ingot, readLines(csv), 'stock.csv'));
    if (value.bars !== rows) throw new Error(`bench import: ${value.bars} of ${rows} bars imported`);
    await verifyOrThrow(ingot, 'import');
    return ms;
  } finally {
    await ingot.store.close();
  }
}

/** Runs the sqlite3 shell with `args`, resolving when it exits 0. */
function runShell(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(SQLITE3_SHELL, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && stderr === '') resolve();
      else reject(new Error(`bench import: sqlite3 exited ${code}: ${stderr.trim()}`));
    });
  });
}

/** Times the whole sqlite3 process importing the file into a plain table of the same 9 columns. */
async function timeShell(dir: string, csv: string, rows: number): Promise<number> {
  const path = join(dir, 'baseline.db');
  const columns = [...BAR_LIST_REQUIRED_COLUMNS, ...BAR_LIST_OPTIONAL_COLUMNS]
    .map((c) => `${c} TEXT`)
    .join(', ');
  const setup = new BetterSqlite3(path);
  setup.exec(`CREATE TABLE bars (${columns})`);
  setup.close();
  const start = nowMs();
  await runShell(['-bail', path, `.import --csv --skip 1 '${csv}' bars`]);
  const ms = nowMs() - start;
  const check = new BetterSqlite3(path, { readonly: true });
  const counted = check.prepare('SELECT count(*) AS n FROM bars').pluck().get();
  check.close();
  if (counted !== rows) throw new Error(`bench import: sqlite3 imported ${String(counted)} of ${rows} rows`);
  return ms;
}

/** Writes a `sizes.import_rows`-bar CSV and times Ingot's import of it against sqlite3's. */
export async function benchImport(sizes: BenchSizes): Promise<BenchRow> {
  return withTempDir('import', async (dir) => {
    const rows = sizes.import_rows;
    const csv = join(dir, 'stock.csv');
    progress(`import: writing a ${formatCount(rows)}-bar CSV`);
    await writeStockCsv(csv, rows);
    progress('import: sqlite3 .import (baseline)');
    const shellMs = await timeShell(dir, csv, rows);
    progress('import: importBars over readline');
    const ingotMs = await timeIngot(dir, csv, rows);
    const ingotRate = perSecond(rows, ingotMs);
    const shellRate = perSecond(rows, shellMs);
    return {
      name: 'Import of a bar list CSV (importBars over readline)',
      size: `${formatCount(rows)} rows`,
      ingot: `${formatCount(Math.round(ingotRate))} rows/s`,
      baseline: `${formatCount(Math.round(shellRate))} rows/s (sqlite3 shell .import, plain table)`,
      ratio: ingotRate / shellRate,
      sense: 'higher_is_better',
      detail: `Ingot ${formatFigure(ingotMs / 1000, 2)} s, sqlite3 ${formatFigure(shellMs / 1000, 2)} s`,
    };
  });
}
