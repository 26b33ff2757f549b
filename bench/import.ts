// Import of a large bar list CSV: importBars over readline, against the sqlite3 shell's `.import`
// into a plain table of the list's columns, and into a table shaped like `bars` (the floor).
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import BetterSqlite3 from 'better-sqlite3';
import { BAR_LIST_OPTIONAL_COLUMNS, BAR_LIST_REQUIRED_COLUMNS } from '../src/domain/barlist.ts';
import { generateStock } from '../src/scenario/stock.ts';
import { PAGE_CACHE_KIB } from '../src/store/sqlite/open.ts';
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
async function timeIngot(path: string, csv: string, rows: number): Promise<number> {
  const ingot = await openBooks(path);
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

/** The SQLite connection settings Ingot's store runs with (src/store/sqlite/open.ts), for the shell. */
const INGOT_PRAGMAS = [
  'PRAGMA synchronous = FULL',
  'PRAGMA foreign_keys = ON',
  `PRAGMA cache_size = -${PAGE_CACHE_KIB}`,
];

/**
 * A database for the floor: `bars` created from the very statements of Ingot's books (columns,
 * keys, foreign keys, indexes), the rows its foreign keys point at copied, in WAL mode. The shell's
 * .import writes an empty field as '' (it has no NULL), so a partial index that leaves NULL out
 * leaves '' out here: the same index entries are written.
 */
function shapedDatabase(ingotPath: string, path: string): void {
  const db = new BetterSqlite3(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = OFF');
    db.exec(`ATTACH DATABASE '${ingotPath}' AS ingot`);
    const schema = db.prepare<[string, string], { sql: string }>(
      'SELECT sql FROM ingot.sqlite_master WHERE type = ? AND tbl_name = ? AND sql IS NOT NULL',
    );
    for (const table of ['accounts', 'entries', 'bars']) {
      for (const { sql } of schema.all('table', table)) db.exec(sql);
      if (table !== 'bars') db.exec(`INSERT INTO main.${table} SELECT * FROM ingot.${table}`);
    }
    for (const { sql } of schema.all('index', 'bars')) {
      db.exec(sql.replace(/("?\w+"?) is not null/gi, "$1 <> ''"));
    }
    db.exec('DETACH DATABASE ingot');
  } finally {
    db.close();
  }
}

/**
 * Times the sqlite3 shell's .import of the bars Ingot wrote (all 15 columns, as the shell dumped
 * them) into a table shaped like `bars`, with Ingot's connection settings: the floor of the import.
 */
async function timeShellShaped(dir: string, ingotPath: string, rows: number): Promise<number> {
  const csv = join(dir, 'bars-as-written.csv');
  await runShell(['-bail', ingotPath, '.mode csv', `.output '${csv}'`, 'SELECT * FROM bars ORDER BY id']);
  const path = join(dir, 'shaped.db');
  shapedDatabase(ingotPath, path);
  const start = nowMs();
  await runShell(['-bail', path, ...INGOT_PRAGMAS, `.import --csv '${csv}' bars`]);
  const ms = nowMs() - start;
  const check = new BetterSqlite3(path, { readonly: true });
  const counted = check.prepare('SELECT count(*) AS n FROM bars').pluck().get();
  check.close();
  if (counted !== rows) throw new Error(`bench import: sqlite3 imported ${String(counted)} of ${rows} bars`);
  return ms;
}

/** The import's aim (issue 14): at least this fraction of the rate of .import into `bars`' shape. */
export const IMPORT_TARGET_OF_SHAPED = 0.8;

/**
 * Writes a `sizes.import_rows`-bar CSV and times Ingot's import of it against the sqlite3 shell's
 * .import: into a plain table of the list's columns, and into a table shaped like `bars`.
 */
export async function benchImport(sizes: BenchSizes): Promise<BenchRow[]> {
  return withTempDir('import', async (dir) => {
    const rows = sizes.import_rows;
    const csv = join(dir, 'stock.csv');
    progress(`import: writing a ${formatCount(rows)}-bar CSV`);
    await writeStockCsv(csv, rows);
    progress('import: sqlite3 .import into a plain table (baseline)');
    const shellMs = await timeShell(dir, csv, rows);
    progress('import: importBars over readline');
    const ingotPath = join(dir, 'import.db');
    const ingotMs = await timeIngot(ingotPath, csv, rows);
    progress('import: sqlite3 .import of the bars Ingot wrote into a table shaped like bars (the floor)');
    const shapedMs = await timeShellShaped(dir, ingotPath, rows);
    const ingotRate = perSecond(rows, ingotMs);
    const shellRate = perSecond(rows, shellMs);
    const shapedRate = perSecond(rows, shapedMs);
    const name = 'Import of a bar list CSV, SQLite (importBars over readline)';
    const times = `Ingot ${formatFigure(ingotMs / 1000, 2)} s`;
    return [
      {
        name,
        size: `${formatCount(rows)} rows`,
        ingot: `${formatCount(Math.round(ingotRate))} rows/s`,
        baseline: `${formatCount(Math.round(shellRate))} rows/s (sqlite3 shell .import, plain table)`,
        ratio: ingotRate / shellRate,
        sense: 'higher_is_better',
        detail: `${times}, sqlite3 ${formatFigure(shellMs / 1000, 2)} s`,
      },
      {
        name: `${name} against bars' shape`,
        size: `${formatCount(rows)} rows`,
        ingot: `${formatCount(Math.round(ingotRate))} rows/s`,
        baseline: `${formatCount(Math.round(shapedRate))} rows/s (sqlite3 shell .import, table shaped like bars)`,
        ratio: ingotRate / shapedRate,
        sense: 'higher_is_better',
        target: IMPORT_TARGET_OF_SHAPED,
        detail:
          `${times}, sqlite3 ${formatFigure(shapedMs / 1000, 2)} s into a table made from bars' own ` +
          "statements (keys, foreign keys, indexes) with Ingot's pragmas (WAL, synchronous=FULL, " +
          `foreign_keys=ON, ${PAGE_CACHE_KIB / 1024} MiB cache)`,
      },
    ];
  });
}
