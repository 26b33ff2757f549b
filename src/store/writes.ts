// A list of writes that must each change an expected number of rows, run in order. SQLite runs them
// one by one (in-process, a statement costs microseconds). PostgreSQL runs them as data-modifying
// common table expressions of as few statements as the bound-parameter limit allows: one round
// trip instead of one per write, which is what a batch of settlements waits on over a network.
import { CompiledQuery, type Kysely, sql } from 'kysely';
import { assert } from '../domain/outcome.ts';
import type { Database } from './schema.ts';
import type { Dialect, Tx } from './store.ts';

/** One write: an INSERT, UPDATE or DELETE compiled by Kysely, and the rows it must change. */
export interface Write {
  readonly query: CompiledQuery;
  readonly rows: bigint;
  /** What it writes, for the message if it changes another number of rows. */
  readonly what: string;
}

/** PostgreSQL takes at most 65,535 bound parameters in one statement; stay well below. */
const PARAMETERS_PER_STATEMENT_MAX = 30_000;

/**
 * A write transaction in two steps: reads that do not depend on one another, then the writes
 * decided from what they read. Stores may run each step in one round trip.
 */
export interface ReadThenWrite<T> {
  /** The queries to run first, compiled on `db`. */
  readonly reads: (db: Kysely<Database>) => readonly CompiledQuery[];
  /** From the rows of each read, in order: the writes to make, and the value to return. */
  readonly decide: (
    rows: readonly (readonly unknown[])[],
    db: Kysely<Database>,
  ) => { readonly writes: readonly Write[]; readonly value: T };
}

/** Runs both steps inside an open transaction, statement by statement. */
export async function readThenWriteIn<T>(tx: Tx, dialect: Dialect, step: ReadThenWrite<T>): Promise<T> {
  const rows: unknown[][] = [];
  for (const query of step.reads(tx)) rows.push([...(await tx.executeQuery(query)).rows]);
  const { writes, value } = step.decide(rows, tx);
  await runWrites(tx, dialect, writes);
  return value;
}

/** Runs the writes in order, asserting that each changed exactly its rows. */
export async function runWrites(tx: Tx, dialect: Dialect, writes: readonly Write[]): Promise<void> {
  if (dialect === 'sqlite') {
    for (const write of writes) {
      const result = await tx.executeQuery(write.query);
      checkRows(write, result.numAffectedRows ?? 0n);
    }
    return;
  }
  for (const group of packed(writes)) await runCombined(tx, group);
}

function checkRows(write: Write, changed: bigint): void {
  assert(changed === write.rows, `${write.what}: ${changed} rows changed, not ${write.rows}`);
}

/** Consecutive writes grouped so each group stays under the parameter limit; order is kept. */
export function packed(writes: readonly Write[]): Write[][] {
  const groups: Write[][] = [];
  let group: Write[] = [];
  let parameters = 0;
  for (const write of writes) {
    const size = write.query.parameters.length;
    if (group.length > 0 && parameters + size > PARAMETERS_PER_STATEMENT_MAX) {
      groups.push(group);
      group = [];
      parameters = 0;
    }
    group.push(write);
    parameters += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * PostgreSQL: one statement, `with w0 as (… returning 1), w1 as (…) select count(*) of each`.
 * Each write's placeholders ($1, $2, …) are renumbered after those of the writes before it;
 * Kysely binds every value, so a placeholder never appears inside a literal.
 */
export function combined(writes: readonly Write[]): CompiledQuery {
  const parameters: unknown[] = [];
  const parts = writes.map((write, index) => {
    const offset = parameters.length;
    parameters.push(...write.query.parameters);
    const text = write.query.sql.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`);
    return `w${index} as (${text} returning 1)`;
  });
  const counts = writes.map((_write, index) => `(select count(*) from w${index})`);
  const columns = counts.map((count, index) => `${count} as w${index}`);
  // The statement fails if any write changed another number of rows, so a commit sent after it
  // in the same round trip never runs: casting the message to an integer raises it as the error.
  const expected = writes.map((write, index) => `${counts[index]} = ${write.rows}`).join(' and ');
  const found = counts.join(` || ',' || `);
  const guard = `case when ${expected} then 0 else cast('ingot: writes changed ' || ${found} || ' rows, not ${writes.map((w) => w.rows).join(',')}' as integer) end as guard`;
  return CompiledQuery.raw(`with ${parts.join(', ')} select ${[...columns, guard].join(', ')}`, parameters);
}

/** Checks the row of counts a combined statement returned against what each write expected. */
export function checkCombined(writes: readonly Write[], row: Readonly<Record<string, unknown>> | undefined) {
  assert(row, 'a combined write returned no row');
  for (const [index, write] of writes.entries()) checkRows(write, BigInt(String(row[`w${index}`] ?? -1)));
}

async function runCombined(tx: Tx, writes: readonly Write[]): Promise<void> {
  const result = await tx.executeQuery<Record<string, unknown>>(combined(writes));
  checkCombined(writes, result.rows[0]);
}

let savepoints = 0;

/** Runs `work` in a savepoint of `tx`: released when it returns, rolled back when it throws. */
export async function inSavepoint<T>(tx: Tx, work: (tx: Tx) => Promise<T>): Promise<T> {
  savepoints += 1;
  const name = `nested_${savepoints}`;
  await sql.raw(`savepoint ${name}`).execute(tx);
  try {
    const value = await work(tx);
    await sql.raw(`release savepoint ${name}`).execute(tx);
    return value;
  } catch (error) {
    await sql.raw(`rollback to savepoint ${name}`).execute(tx);
    await sql.raw(`release savepoint ${name}`).execute(tx);
    throw error;
  }
}
