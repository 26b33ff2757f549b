// Books written by a later Ingot: their schema has migrations this Ingot does not know, so it would
// read and write tables it does not understand. Opening them is refused in one line naming both
// versions (exit 74, as any books that cannot be opened), and the books are left as they were.
// Run as a process against an SQLite file and a PostgreSQL schema.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/store.ts';
import { ingotProcess } from './support/cli.ts';
import { dropSchema, POSTGRES_URL, postgresLocation, STORE_KINDS, withPostgres } from './support/stores.ts';

const folder = mkdtempSync(join(tmpdir(), 'ingot-schema-version-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** What the test compares before and after: the schema version and the parties, as text. */
type State = string;
const VERSION = `select value from meta where key = 'schema_version'`;
const PARTIES = 'select id, name, role, created_at from parties order by id';

interface Place {
  readonly location: string;
  open(): Promise<Store>;
  /** The books' state read behind Ingot's back, without opening them as books. */
  peek(): Promise<State>;
  dispose(): Promise<void>;
}

function sqliteFile(): Place {
  const path = join(folder, 'later.db');
  return {
    location: path,
    open: () => openSqliteStore(path),
    async peek() {
      const raw = new BetterSqlite3(path, { readonly: true });
      try {
        return JSON.stringify([raw.prepare(VERSION).all(), raw.prepare(PARTIES).all()]);
      } finally {
        raw.close();
      }
    },
    dispose: async () => undefined,
  };
}

function postgresSchema(): Place {
  const schema = `ingot_later_${process.pid}`;
  return {
    location: postgresLocation(schema),
    open: () => openPostgresStore(POSTGRES_URL, { schema, connections: 2 }),
    peek: () =>
      withPostgres(async (c) => {
        await c.query(`set search_path = ${schema}`);
        return JSON.stringify([(await c.query(VERSION)).rows, (await c.query(PARTIES)).rows]);
      }),
    dispose: () => dropSchema(schema),
  };
}

const postgresUnavailable = STORE_KINDS.find((kind) => kind.name === 'postgres')?.unavailable ?? null;
const PLACES = [
  { name: 'an SQLite file', unavailable: null, make: sqliteFile },
  { name: 'a PostgreSQL schema', unavailable: postgresUnavailable, make: postgresSchema },
];

describe.each(PLACES)('books of a later Ingot in $name', ({ unavailable, make }) => {
  if (unavailable) {
    test.skip(`skipped: ${unavailable}`, () => undefined);
    return;
  }

  test('are refused in one line naming both versions, and left as they were', async () => {
    const place = make();
    try {
      const store = await place.open();
      let known = 0;
      try {
        await store.write(async (tx) => {
          const party = { id: 'GOSBANK', name: 'Gosbank', role: 'depository', created_at: '1961-01-02' };
          await tx.insertInto('parties').values(party).execute();
          const row = await tx
            .selectFrom('meta')
            .select('value')
            .where('key', '=', 'schema_version')
            .executeTakeFirstOrThrow();
          known = Number(row.value);
          // The later Ingot's migration, as far as this one can tell: one more version.
          await tx
            .updateTable('meta')
            .set({ value: String(known + 1) })
            .where('key', '=', 'schema_version')
            .execute();
        });
      } finally {
        await store.close();
      }
      const before = await place.peek();

      const run = await ingotProcess(['--db', place.location, 'verify']);
      expect(run.stderr).toMatch(
        new RegExp(`schema version ${known + 1}, and this Ingot knows versions up to ${known}`),
      );
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.code).toBe(74);
      expect(run.stdout).toBe('');
      await expect(place.open()).rejects.toThrow(/open them with the Ingot that wrote them/);
      expect(await place.peek()).toBe(before);
    } finally {
      await place.dispose();
    }
  });
});
