// A write transaction in two round trips. node-postgres sends one query per round trip and has no
// pipeline; a query without parameters, though, may hold many statements. So the first round trip
// is `begin`, the writer lock and every read; the second, every write and `commit`. Values are
// written into the SQL as literals, escaped by node-postgres (a string) or printed (an integer).
import type { CompiledQuery, Kysely } from 'kysely';
import pg from 'pg';
import { assert } from '../../domain/outcome.ts';
import { StorageFault } from '../faults.ts';
import type { Database } from '../schema.ts';
import { checkCombined, combined, packed, type ReadThenWrite } from '../writes.ts';
import { postgresFault } from './faults.ts';
import { planned } from './plans.ts';

export interface TwoStepOptions {
  /** The statements that open the transaction and take the writer lock. */
  readonly begin: readonly string[];
  /** Errors after which the whole transaction runs again (serialization failures, deadlocks). */
  readonly retryable: (error: unknown) => boolean;
  readonly attempts: number;
}

/** A compiled query's text with each `$n` replaced by its value as an SQL literal. */
export function inlined(query: { readonly sql: string; readonly parameters: readonly unknown[] }): string {
  return query.sql.replace(/\$(\d+)/g, (_match, n: string) => literal(query.parameters[Number(n) - 1]));
}

/**
 * The statements that run `queries` through statements prepared on `client`, preparing first (in
 * a round trip of its own, once per connection and shape) those it has not seen.
 */
async function prepared(client: pg.PoolClient, queries: readonly CompiledQuery[]): Promise<string[]> {
  const plan = planned(client, queries, literal);
  if (plan.prepares.length > 0) {
    await send(client, plan.prepares.join(';\n'));
    plan.made();
  }
  return plan.statements;
}

function literal(value: unknown): string {
  if (value === null) return 'null';
  // A negative number in parentheses, so a minus before it can never make `--`, a comment.
  const integer = (n: bigint | number) => (n < 0 ? `(${n.toString()})` : n.toString());
  if (typeof value === 'bigint') return integer(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return integer(value);
  if (typeof value === 'string') return pg.escapeLiteral(value);
  assert(false, `a value of type ${typeof value} cannot be written into SQL as a literal`);
}

/** Sends a query string; its results, one per statement. A fault of the storage is a StorageFault. */
async function send(client: pg.PoolClient, text: string): Promise<pg.QueryResult[]> {
  try {
    // node-postgres gives the result of a lone statement unwrapped.
    const answer: pg.QueryResult | pg.QueryResult[] = await client.query(text);
    return Array.isArray(answer) ? answer : [answer];
  } catch (error) {
    throw postgresFault(error) ?? error;
  }
}

/** Runs `step` as one transaction on a connection of `pool`, in two round trips. */
export async function twoStep<T>(
  pool: pg.Pool,
  db: Kysely<Database>,
  step: ReadThenWrite<T>,
  options: TwoStepOptions,
): Promise<T> {
  // Wait for the event loop to turn before reading, so requests that arrive in the same burst
  // (read off the network together) join the batch the reads are for.
  await new Promise((resolve) => setImmediate(resolve));
  for (let attempt = 1; ; attempt += 1) {
    const client = await pool.connect().catch((error: unknown) => {
      throw postgresFault(error) ?? error;
    });
    const connection: Connection = { client, pool, broken: undefined };
    try {
      return await transaction(connection, db, step, options.begin);
    } catch (error) {
      if (!connection.broken) {
        await client.query('rollback').catch((lost: Error) => {
          connection.broken = lost;
        });
      }
      if (attempt < options.attempts && options.retryable(error)) continue;
      throw error;
    } finally {
      // A connection lost, or that could not even roll back, is not handed out again.
      client.release(connection.broken);
    }
  }
}

/** The connection a transaction runs on, its pool, and the error that broke it, if one did. */
interface Connection {
  readonly client: pg.PoolClient;
  readonly pool: pg.Pool;
  broken: Error | undefined;
}

async function transaction<T>(
  connection: Connection,
  db: Kysely<Database>,
  step: ReadThenWrite<T>,
  begin: readonly string[],
): Promise<T> {
  const { client, pool } = connection;
  const reads = await prepared(client, step.reads(db));
  // The transaction's id, to ask the server afterwards whether it committed, should the connection
  // break while the writes and the commit are under way; and which server it is, for only that
  // server knows (after a failover another may have handed out the same id).
  const read = await send(
    client,
    [...begin, `select txid_current() as xid, ${SERVER}`, ...reads].join(';\n'),
  );
  assert(read.length === begin.length + 1 + reads.length, 'a read step returned too few results');
  const xid = read[begin.length]?.rows[0]?.xid as bigint;
  const server = read[begin.length]?.rows[0]?.server as string;
  const { writes, value } = step.decide(
    read.slice(begin.length + 1).map((result) => result.rows),
    db,
  );
  const groups = packed(writes);
  const statements = [...(await prepared(client, groups.map(combined))), 'commit'];
  try {
    const written = await send(client, statements.join(';\n'));
    for (const [index, group] of groups.entries()) checkCombined(group, written[index]?.rows[0]);
  } catch (error) {
    if (!(error instanceof StorageFault && error.connection_lost)) throw error;
    connection.broken = error;
    const outcome = await outcomeOf(pool, xid, server);
    if (outcome === 'aborted') throw resolved(error);
    if (outcome !== 'committed') throw error;
    // The connection broke after the commit was made: the batch stands as decided.
  }
  return value;
}

/** The server a connection is on: its address, port and start (a restart or a failover changes it). */
const SERVER =
  "format('%s:%s@%s', inet_server_addr(), inet_server_port(), pg_postmaster_start_time()) as server";

/** How often, and how long apart, the server is asked about a transaction still ending. */
const STATUS_ASKS_MAX = 20;
const STATUS_WAIT_MS = 50;

/**
 * Whether the transaction `xid` committed, asked on another connection to the same `server`
 * ('committed', 'aborted'), or undefined when it cannot say (it cannot be reached, or is gone).
 */
async function outcomeOf(pool: pg.Pool, xid: bigint, server: string): Promise<string | undefined> {
  for (let ask = 0; ask < STATUS_ASKS_MAX; ask += 1) {
    const answer = await pool
      .query<{ status: string | null; server: string }>(`select txid_status($1) as status, ${SERVER}`, [
        xid.toString(),
      ])
      .catch(() => undefined);
    if (answer !== undefined && answer.rows[0]?.server !== server) return undefined;
    const status = answer?.rows[0]?.status;
    if (status !== 'in progress') return status ?? undefined;
    await new Promise((resolve) => setTimeout(resolve, STATUS_WAIT_MS));
  }
  return undefined;
}

/** The fault, now that the server said the transaction did not commit: no longer in doubt. */
function resolved(fault: StorageFault): StorageFault {
  return new StorageFault(fault.code, { reason: fault.reason, connection_lost: false }, fault.cause);
}
