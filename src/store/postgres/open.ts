// The scale-out store: PostgreSQL through node-postgres and Kysely, one writer at a time.
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { groupCommitter } from '../group-commit.ts';
import { migrate } from '../migrations.ts';
import type { Database } from '../schema.ts';
import type { Store, Tx } from '../store.ts';
import { writeBars } from './bars.ts';
import { postgresFault, reportingFaults } from './faults.ts';
import { parseHosts } from './hosts.ts';
import { followingPool, PrimaryFinder } from './primary.ts';
import { twoStep } from './two-step.ts';

/** Integers travel as bigint: int8 (20) and the numeric (1700) that sum(bigint) returns. */
function exactIntegers(): pg.CustomTypesConfig {
  const parse = (text: string) => BigInt(text);
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === 20 || oid === 1700
        ? parse
        : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
  };
}

export interface PostgresOptions {
  /** A schema to work in (created if missing), so tests and tenants can share one database. */
  readonly schema?: string;
  /** Connections in the pool. */
  readonly connections?: number;
}

/** The advisory lock class that admits one writer at a time to a set of books (Ingot's own number). */
const WRITER_LOCK = 19_610_111;

/** Serialization failures and deadlocks: the transaction is retried from the start. */
const RETRYABLE = new Set(['40001', '40P01']);
export const WRITE_RETRIES_MAX = 20;

/** Opens and migrates a PostgreSQL store at `url` (postgres://…). */
export async function openPostgresStore(url: string, options: PostgresOptions = {}): Promise<Store> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`schema name "${schema}" must be lower-case letters, digits and underscores`);
  }
  // A multi-host URL: connections go to whichever host is the writable primary, found again after
  // a failover (src/store/postgres/primary.ts).
  const hosts = parseHosts(url);
  const finder = hosts ? new PrimaryFinder(hosts) : undefined;
  if (schema) await createSchema(finder ? await primaryUrl(finder) : url, schema);
  const config: pg.PoolConfig = {
    connectionString: url,
    max: options.connections ?? 8,
    types: exactIntegers(),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  };
  const pool = finder ? followingPool(finder, config) : new pg.Pool(config);
  // A connection the server drops (a restart, a failover, pg_terminate_backend) fails the request on
  // it, and the pool replaces it; the socket's 'error' event that follows must not end the process.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: reportingFaults(pool) }) });
  try {
    await migrate(db, 'postgres');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  // The books have one writer at a time, as a ledger's state machine does: every write transaction
  // first takes one advisory lock, held to its commit, so writers in all processes run in turn and
  // each sees the last one's commit. This process's writes share transactions (group commit).
  // Reads never wait: they see the last committed snapshot.
  // The lock is the books' own: keyed by the schema they live in, so other books never wait on it.
  const lock = `select pg_advisory_xact_lock(${WRITER_LOCK}, hashtext(current_schema()))`;
  // How every write transaction begins, and which of its errors mean it is to run again.
  const writers = {
    begin: ['begin', lock],
    retryable: (error: unknown) => RETRYABLE.has(String((error as { code?: unknown }).code)),
    attempts: WRITE_RETRIES_MAX,
  };
  // One round trip: statements without parameters go to the server as one simple query.
  const begin = (connection: Tx) =>
    sql
      .raw(writers.begin.join('; '))
      .execute(connection)
      .then(() => undefined);
  const committer = groupCommitter(db, begin, writers);
  return {
    dialect: 'postgres',
    location: redact(url),
    db,
    write: <T>(work: (tx: Tx) => Promise<T>) => committer.write(work),
    readThenWrite: (step) => twoStep(pool, db, step, writers),
    writeBars,
    close: () => db.destroy(),
  };
}

/** Creates the schema the books live in, if missing; a fault of the storage as a StorageFault. */
async function createSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(`create schema if not exists ${schema}`);
  } catch (error) {
    throw postgresFault(error) ?? error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The writable primary's URL, found now; a StorageFault when none is. */
async function primaryUrl(finder: PrimaryFinder): Promise<string> {
  await finder.ready();
  return finder.url();
}

/** A connection URL without its password, for messages and logs. */
export function redact(url: string): string {
  // A multi-host URL is no WHATWG URL: its password is blanked where libpq reads it.
  if (parseHosts(url)) return url.replace(/^(postgres(?:ql)?:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
