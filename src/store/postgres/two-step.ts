// A write transaction in two round trips. node-postgres sends one query per round trip and has no
// pipeline; a query without parameters, though, may hold many statements. So the first round trip
// is `begin`, the writer lock and every read; the second, every write and `commit`. Values are
// written into the SQL as literals, escaped by node-postgres (a string) or printed (an integer).
import type { Kysely } from 'kysely';
import pg from 'pg';
import { assert } from '../../domain/outcome.ts';
import type { Database } from '../schema.ts';
import { checkCombined, combined, packed, type ReadThenWrite } from '../writes.ts';

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

function literal(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value.toString();
  if (typeof value === 'string') return pg.escapeLiteral(value);
  assert(false, `a value of type ${typeof value} cannot be written into SQL as a literal`);
}

/** The results of a query string, one per statement (node-postgres gives one alone unwrapped). */
function results(answer: pg.QueryResult | pg.QueryResult[]): pg.QueryResult[] {
  return Array.isArray(answer) ? answer : [answer];
}

/** Runs `step` as one transaction on a connection of `pool`, in two round trips. */
export async function twoStep<T>(
  pool: pg.Pool,
  db: Kysely<Database>,
  step: ReadThenWrite<T>,
  options: TwoStepOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      return await transaction(client, db, step, options.begin);
    } catch (error) {
      await client.query('rollback').catch((lost: Error) => {
        broken = lost;
      });
      if (attempt < options.attempts && options.retryable(error)) continue;
      throw error;
    } finally {
      // A connection that could not even roll back is not handed out again.
      client.release(broken);
    }
  }
}

async function transaction<T>(
  client: pg.PoolClient,
  db: Kysely<Database>,
  step: ReadThenWrite<T>,
  begin: readonly string[],
): Promise<T> {
  const reads = step.reads(db).map(inlined);
  const read = results(await client.query([...begin, ...reads].join(';\n')));
  assert(read.length === begin.length + reads.length, 'a read step returned too few results');
  const { writes, value } = step.decide(
    read.slice(begin.length).map((result) => result.rows),
    db,
  );
  const groups = packed(writes);
  const statements = [...groups.map((group) => inlined(combined(group))), 'commit'];
  const written = results(await client.query(statements.join(';\n')));
  for (const [index, group] of groups.entries()) checkCombined(group, written[index]?.rows[0]);
  return value;
}
