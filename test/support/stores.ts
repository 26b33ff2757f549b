// The stores every contract test runs on: SQLite always; PostgreSQL from INGOT_TEST_PG, which CI
// provides. With CI=true an unreachable PostgreSQL fails the suite; elsewhere it is skipped loudly.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres/open.ts';
import { openSqliteStore } from '../../src/store/sqlite/open.ts';
import type { Store } from '../../src/store/store.ts';

export const POSTGRES_URL = process.env.INGOT_TEST_PG || 'postgres://postgres@127.0.0.1:5432/test';

export interface StoreKind {
  readonly name: 'sqlite' | 'postgres';
  /** A fresh, empty store; closing it removes what it held. */
  open(): Promise<Store>;
  /** Why this kind cannot run here, if it cannot. */
  readonly unavailable: string | null;
}

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return `PostgreSQL at ${POSTGRES_URL} is unreachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const postgresProblem = await probePostgres();
if (postgresProblem) {
  const message = `\n*** ${postgresProblem}: PostgreSQL tests ${process.env.CI === 'true' ? 'FAIL (CI=true)' : 'SKIPPED'} ***\n`;
  process.stderr.write(message);
}

/**
 * The `--db` URL of PostgreSQL books in `schema`, for the command line: the schema rides in the
 * connection's options, and an application name lets a test find the command's backend.
 */
export function postgresLocation(schema: string, application?: string): string {
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  if (application) url.searchParams.set('application_name', application);
  return url.toString();
}

/** Runs `work` on a connection of its own to the test database, closed whatever `work` does. */
export async function withPostgres<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops a test's schema and everything in it, if it is there. */
export async function dropSchema(schema: string): Promise<void> {
  await withPostgres((client) => client.query(`drop schema if exists ${schema} cascade`));
}

/** A PostgreSQL store in a schema of its own, dropped again when the store closes. */
async function openScratchPostgres(): Promise<Store> {
  const schema = `ingot_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const store = await openPostgresStore(POSTGRES_URL, { schema, connections: 4 });
  return {
    ...store,
    async close() {
      await store.close();
      await dropSchema(schema);
    },
  };
}

export const STORE_KINDS: readonly StoreKind[] = [
  { name: 'sqlite', open: () => openSqliteStore(':memory:'), unavailable: null },
  {
    name: 'postgres',
    open: openScratchPostgres,
    // Under CI an unreachable database is not a reason to skip: the tests run and fail.
    unavailable: process.env.CI === 'true' ? null : postgresProblem,
  },
];

/**
 * The backend of the connection named `application` once it waits for a lock, polled through
 * `admin` (no timing asserted).
 */
export async function blockedBackend(admin: pg.Client, application: string): Promise<number> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const found = await admin.query<{ pid: number }>(
      "select pid from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'",
      [application],
    );
    const pid = found.rows[0]?.pid;
    if (pid !== undefined) return pid;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the settlement never waited for the lock');
}
