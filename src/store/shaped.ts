// Queries of one shape, built and compiled once, then run with new values. The hot path of a
// batch of settlements writes the same few shapes over and over (an insert of n rows into a
// table, a CASE update of n accounts): building and compiling them with Kysely each time cost as
// much as SQLite took to run them. A shape is named by a key that fixes the SQL text (table,
// columns, row count); its values stand in holes, each taking one value by its position.
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import { assert } from '../domain/outcome.ts';
import type { Database } from './schema.ts';

const HOLE_MARK = '\u0000ingot-hole:';

/** Stands for the value at `index` of the values given at each run; typed to fit any column. */
export type Hole = (index: number) => never;

const hole: Hole = (index: number) => `${HOLE_MARK}${index}` as never;

/** Shapes kept per database adapter; a cache this full is emptied and starts again. */
const SHAPES_MAX = 2048;

interface Shape {
  readonly compiled: CompiledQuery;
  /** For each parameter of the compiled query: the index of its value, or -1 for a constant. */
  readonly holes: readonly number[];
}

const shapes = new WeakMap<object, Map<string, Shape>>();

/**
 * The query `build` makes, compiled once for `key` on `db`'s dialect, with `values` in its holes.
 * `key` must name everything that changes the SQL text: two builds of one key must differ only
 * in the values of their holes.
 */
export function shaped(
  db: Kysely<Database>,
  key: string,
  values: readonly unknown[],
  build: (hole: Hole) => Compilable,
): CompiledQuery {
  const adapter = db.getExecutor().adapter;
  let cache = shapes.get(adapter);
  if (!cache) {
    cache = new Map();
    shapes.set(adapter, cache);
  }
  let shape = cache.get(key);
  if (!shape) {
    const compiled = build(hole).compile();
    const holes = compiled.parameters.map((parameter) =>
      typeof parameter === 'string' && parameter.startsWith(HOLE_MARK)
        ? Number(parameter.slice(HOLE_MARK.length))
        : -1,
    );
    if (cache.size >= SHAPES_MAX) cache.clear();
    shape = { compiled, holes };
    cache.set(key, shape);
  }
  const { compiled, holes } = shape;
  const parameters = holes.map((index, at) => {
    if (index < 0) return compiled.parameters[at];
    assert(index < values.length, `shape ${key} has a hole ${index} beyond its ${values.length} values`);
    return values[index];
  });
  return { ...compiled, parameters };
}

/**
 * Rows of one table as one multi-row INSERT of their shape: every row must have the same columns,
 * none undefined. Returns the compiled insert.
 */
export function insertShaped(
  db: Kysely<Database>,
  table: keyof Database,
  rows: readonly object[],
): CompiledQuery {
  const first = rows[0];
  assert(first, `an insert into ${table} of no rows`);
  const columns = Object.keys(first);
  const values: unknown[] = [];
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    assert(Object.keys(record).length === columns.length, `rows of ${table} with different columns`);
    for (const column of columns) {
      const value = record[column];
      assert(value !== undefined, `a row of ${table} without ${column}`);
      values.push(value);
    }
  }
  const width = columns.length;
  const key = `insert ${table} ${rows.length} ${columns.join(',')}`;
  return shaped(db, key, values, ($) =>
    db
      .insertInto(table)
      .values(
        rows.map((_row, r) => Object.fromEntries(columns.map((c, k) => [c, $(r * width + k)]))) as never,
      ),
  );
}
