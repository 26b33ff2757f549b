// The PostgreSQL server's own floor for an import: COPY of the very rows an import wrote into a
// table shaped like `bars` (its primary key, unique key, indexes and both foreign keys), so the
// bench can tell the server's work per row from the way the rows travel to it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BENCH_PG_URL, withPgClient } from './books.ts';
import { nowMs } from './support.ts';

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
