// The import of a bar list on PostgreSQL against the server's own floor: COPY of the very rows an
// import wrote into a table shaped like `bars` (its primary key, unique key, indexes and both
// foreign keys), so the bench can tell the server's work per row from the way the rows travel to
// it; and against COPY of the file into a plain table of its columns.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BAR_LIST_OPTIONAL_COLUMNS, BAR_LIST_REQUIRED_COLUMNS } from '../src/domain/barlist.ts';
import { ingotOver } from '../src/service/kernel/context.ts';
import {
  BENCH_PG_URL,
  dropSchema,
  openScratchPostgres,
  readLines,
  scratchSchema,
  seedBooks,
  withPgClient,
  writeStockCsv,
} from './books.ts';
import { importVault, verifyOrThrow } from './fixture.ts';
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

const run = promisify(execFile);

function psql(command: string): Promise<unknown> {
  return run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', BENCH_PG_URL, '-c', command]);
}

/** Milliseconds of psql's \copy of `schema`'s bars, written out to `dir`, into a bars-shaped table. */
export async function timeCopyIntoBarsShape(schema: string, dir: string, rows: number): Promise<number> {
  const file = join(dir, 'bars-as-written.csv');
  await psql(`\\copy ${schema}.bars to '${file}' with (format csv)`);
  await withPgClient(BENCH_PG_URL, (client) =>
    client.query(
      `create table ${schema}.bars_floor (like ${schema}.bars including all);
       alter table ${schema}.bars_floor
         add foreign key (owner_account_id) references ${schema}.accounts (id),
         add foreign key (received_entry_id) references ${schema}.entries (id)`,
    ),
  );
  try {
    const start = nowMs();
    await psql(`\\copy ${schema}.bars_floor from '${file}' with (format csv)`);
    const ms = nowMs() - start;
    const counted = await withPgClient(BENCH_PG_URL, (client) =>
      client.query<{ n: string }>(`select count(*) as n from ${schema}.bars_floor`),
    );
    if (Number(counted.rows[0]?.n) !== rows) throw new Error('bench postgres: the floor COPY lost rows');
    return ms;
  } finally {
    await withPgClient(BENCH_PG_URL, (client) => client.query(`drop table ${schema}.bars_floor`));
  }
}

/** Milliseconds of psql's \copy of the bar list file into a plain table of its 9 columns, as text. */
async function timeCopyPlain(schema: string, csv: string, rows: number): Promise<number> {
  const columns = [...BAR_LIST_REQUIRED_COLUMNS, ...BAR_LIST_OPTIONAL_COLUMNS].map((c) => `${c} text`);
  await withPgClient(BENCH_PG_URL, (client) =>
    client.query(`create table ${schema}.copied (${columns.join(', ')})`),
  );
  try {
    const start = nowMs();
    await psql(`\\copy ${schema}.copied from '${csv}' with (format csv, header true)`);
    const ms = nowMs() - start;
    const counted = await withPgClient(BENCH_PG_URL, (client) =>
      client.query<{ n: string }>(`select count(*) as n from ${schema}.copied`),
    );
    if (Number(counted.rows[0]?.n) !== rows) throw new Error('bench postgres: the plain COPY lost rows');
    return ms;
  } finally {
    await withPgClient(BENCH_PG_URL, (client) => client.query(`drop table ${schema}.copied`));
  }
}

/** The import's aim (issue 14): at least this fraction of the rate of COPY into `bars`' shape. */
export const PG_IMPORT_TARGET_OF_SHAPED = 0.8;

/**
 * importBars of a generated CSV on PostgreSQL against psql's \copy of the same file into a plain
 * table, and of the bars Ingot wrote into a table shaped like `bars` (the floor): two rows.
 */
export async function benchImportPostgresCopy(sizes: BenchSizes): Promise<BenchRow[]> {
  return withTempDir('pg-import', async (dir) => {
    const rows = sizes.import_rows;
    const csv = join(dir, 'stock.csv');
    const schema = scratchSchema('import');
    progress(`postgres: writing a ${formatCount(rows)}-bar CSV`);
    await writeStockCsv(csv, rows);
    const store = await openScratchPostgres(BENCH_PG_URL, schema);
    const ingot = ingotOver(store, 'bench');
    try {
      await seedBooks(ingot);
      progress('postgres: COPY of the CSV into a plain table (baseline)');
      const copyMs = await timeCopyPlain(schema, csv, rows);
      progress('postgres: importBars over readline (COPY of each chunk into bars, in a savepoint)');
      const { value, ms } = await timed(() => importVault(ingot, readLines(csv), 'stock.csv'));
      if (value.bars !== rows) throw new Error(`bench postgres: ${value.bars} of ${rows} bars imported`);
      await verifyOrThrow(ingot, 'postgres import');
      progress('postgres: COPY of the rows Ingot wrote into a table shaped like bars (the floor)');
      const floorMs = await timeCopyIntoBarsShape(schema, dir, rows);
      return importRows(rows, ms, copyMs, floorMs);
    } finally {
      await store.close();
      await dropSchema(BENCH_PG_URL, schema);
    }
  });
}

function importRows(rows: number, ms: number, copyMs: number, floorMs: number): BenchRow[] {
  const name = 'Import of a bar list CSV, PostgreSQL (importBars)';
  const ingotRate = perSecond(rows, ms);
  const times = `Ingot ${formatFigure(ms / 1000, 2)} s`;
  const ingot = `${formatCount(Math.round(ingotRate))} rows/s`;
  const size = `${formatCount(rows)} rows`;
  return [
    {
      name,
      size,
      ingot,
      baseline: `${formatCount(Math.round(perSecond(rows, copyMs)))} rows/s (psql \\copy, plain table)`,
      ratio: copyMs / ms,
      sense: 'higher_is_better',
      detail: `${times}, COPY ${formatFigure(copyMs / 1000, 2)} s`,
    },
    {
      name: `${name} against bars' shape`,
      size,
      ingot,
      baseline: `${formatCount(Math.round(perSecond(rows, floorMs)))} rows/s (psql \\copy, table shaped like bars)`,
      ratio: floorMs / ms,
      sense: 'higher_is_better',
      target: PG_IMPORT_TARGET_OF_SHAPED,
      detail:
        `${times}, COPY of the same rows into a table shaped like bars (its keys, indexes and ` +
        `foreign keys) ${formatFigure(floorMs / 1000, 2)} s: Ingot takes ${formatFigure(ms / floorMs, 2)}× ` +
        "the server's own time for those rows",
    },
  ];
}
