import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { describe, expect, test } from 'vitest';
import type { Database } from './schema.ts';
import { insertShaped, shaped } from './shaped.ts';

// Compiling needs only each dialect's adapter and compiler: nothing here connects.
const dialects = {
  sqlite: new Kysely<Database>({ dialect: new SqliteDialect({ database: {} as never }) }),
  postgres: new Kysely<Database>({ dialect: new PostgresDialect({ pool: {} as never }) }),
};

const row = (n: number) => ({
  key: `k${n}`,
  command: 'trades.settle',
  request_hash: `h${n}`,
  response: `{"n":${n}}`,
  created_at: '1961-01-31T00:00:00Z',
});

describe.each(Object.entries(dialects))('shaped queries on %s', (_name, db) => {
  test('an insert of a shape seen before is the SQL and values Kysely compiles for its rows', () => {
    insertShaped(db, 'idempotency', [row(1), row(2)]);
    const again = insertShaped(db, 'idempotency', [row(3), row(4)]);
    const fresh = db
      .insertInto('idempotency')
      .values([row(3), row(4)])
      .compile();
    expect(again.sql).toBe(fresh.sql);
    expect(again.parameters).toEqual(fresh.parameters);
  });

  test('constants stay as built, holes take the values of each run', () => {
    const build = (values: readonly unknown[]) =>
      shaped(db, 'test pending', values, ($) =>
        db
          .updateTable('trades')
          .set({ pending_reason: $(1) })
          .where('id', '=', $(0))
          .where('state', '=', 'allocated'),
      );
    build(['T-1', 'first']);
    const second = build(['T-2', 'second']);
    const fresh = db
      .updateTable('trades')
      .set({ pending_reason: 'second' })
      .where('id', '=', 'T-2')
      .where('state', '=', 'allocated')
      .compile();
    expect(second.sql).toBe(fresh.sql);
    expect(second.parameters).toEqual(fresh.parameters);
  });

  test('rows of another shape, or too few values, are refused as bugs', () => {
    expect(() => insertShaped(db, 'idempotency', [row(1), { ...row(2), extra: 1 }])).toThrow(
      /different columns/,
    );
    expect(() => insertShaped(db, 'idempotency', [{ ...row(1), response: undefined }])).toThrow(
      /without response/,
    );
    expect(() =>
      shaped(db, 'test short', [], ($) => db.selectFrom('trades').selectAll().where('id', '=', $(0))),
    ).toThrow(/beyond/);
  });
});
