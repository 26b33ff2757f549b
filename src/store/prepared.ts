// Queries built and compiled once, then run many times with new values. Building a Kysely query
// costs as much as SQLite takes to run a small one; the hot paths (settlement, idempotency, the
// journal) run the same few shapes over and over.
import { type Compilable, type CompiledQuery, type InferResult, type Kysely, sql } from 'kysely';
import { assert } from '../domain/outcome.ts';
import type { Database } from './schema.ts';

/**
 * Integer literals written into the SQL, not bound: PostgreSQL cannot type a bound value inside
 * CASE or COALESCE of a sum, and would read it as text.
 */
export const ZERO = sql<bigint>`0`;
export const ONE = sql<bigint>`1`;

const SLOT_MARK = '\u0000ingot-slot:';

/** Stands for a value given at each run; typed `never` so it fits any column for the builder. */
export type Slot = (name: string) => never;

const slot: Slot = (name: string) => `${SLOT_MARK}${name}` as never;

export interface Prepared<Row> {
  /** Runs the query on `db` (a transaction or the store) with the given values. */
  run(
    db: Kysely<Database>,
    values: Readonly<Record<string, unknown>>,
  ): Promise<{ rows: Row[]; changes: bigint }>;
}

/**
 * Prepares a query whose values are slots: `prepare((db, $) => db.selectFrom('trades')
 * .selectAll().where('id', '=', $('id')))`, then `.run(tx, { id })`. Lists of varying length
 * cannot be slots; such queries stay ordinary.
 */
export function prepare<Query extends Compilable>(
  build: (db: Kysely<Database>, $: Slot) => Query,
): Prepared<InferResult<Query>[number]> {
  const compiled = new WeakMap<object, { query: CompiledQuery; slots: (string | null)[] }>();
  return {
    async run(db, values) {
      const adapter = db.getExecutor().adapter;
      let entry = compiled.get(adapter);
      if (!entry) {
        const query = build(db, slot).compile();
        const slots = query.parameters.map((p) =>
          typeof p === 'string' && p.startsWith(SLOT_MARK) ? p.slice(SLOT_MARK.length) : null,
        );
        entry = { query, slots };
        compiled.set(adapter, entry);
      }
      const { query, slots } = entry;
      const parameters = query.parameters.map((parameter, index) => {
        const name = slots[index];
        if (name === null || name === undefined) return parameter;
        assert(name in values, `prepared query needs a value for ${name}`);
        return values[name];
      });
      const result = await db.executeQuery<InferResult<Query>[number]>({ ...query, parameters });
      return { rows: [...result.rows], changes: result.numAffectedRows ?? 0n };
    },
  };
}
