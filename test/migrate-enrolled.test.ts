// Books written before the migration that keeps what signatures signed, opened by this Ingot, on an
// SQLite file and a PostgreSQL schema. Users who had set a password before users were administered
// had no enrolment date, so their bank counted as having no enrolled user and the depository could
// register users for it again (`nbc-forged` as an NBC signatory). Migrated, they are enrolled as of
// their creation, the depository's proposal is refused, and a user still waiting to enrol is not
// counted; the steps of instructions gain the columns that keep the account signed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { proposeUserChange } from '../src/service/parties/user-admin.ts';
import { migrate, SCHEMA_VERSION } from '../src/store/migrations.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import type { Database } from '../src/store/schema.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Dialect, Store } from '../src/store/store.ts';
import { dropSchema, POSTGRES_URL, STORE_KINDS, withPostgres } from './support/stores.ts';

const folder = mkdtempSync(join(tmpdir(), 'ingot-migrate-enrolled-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Place {
  readonly dialect: Dialect;
  /** The books opened raw, below Ingot, to be brought to an earlier schema version. */
  raw(): Promise<Kysely<Database>>;
  /** The books opened by Ingot, which migrates them to its own version. */
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

function sqliteFile(): Place {
  const path = join(folder, 'before.db');
  return {
    dialect: 'sqlite',
    raw: async () =>
      new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(path) }) }),
    open: () => openSqliteStore(path),
    dispose: async () => undefined,
  };
}

function postgresSchema(): Place {
  const schema = `ingot_before_${process.pid}`;
  return {
    dialect: 'postgres',
    async raw() {
      await withPostgres((c) => c.query(`create schema ${schema}`));
      const pool = new pg.Pool({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
      return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    },
    open: () => openPostgresStore(POSTGRES_URL, { schema, connections: 2 }),
    dispose: () => dropSchema(schema),
  };
}

const postgresUnavailable = STORE_KINDS.find((kind) => kind.name === 'postgres')?.unavailable ?? null;
const PLACES = [
  { name: 'an SQLite file', unavailable: null, make: sqliteFile },
  { name: 'a PostgreSQL schema', unavailable: postgresUnavailable, make: postgresSchema },
];

const USERS = [
  ['gosbank-operator', 'GOSBANK', 'depository_operator', 'scrypt$hash', '1961-01-02T09:00:00Z'],
  ['nbc-signatory-1', 'NBC', 'client_signatory', 'scrypt$hash', '1961-01-03T10:00:00Z'],
  // Registered under four eyes, its enrolment secret not yet used: no password, not enrolled.
  ['bnb-signatory-1', 'BNB', 'client_signatory', '', '1961-01-04T11:00:00Z'],
] as const;

/** Books at the schema before this migration, with users who had set their passwords long ago. */
async function booksBefore(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  await migrate(db, dialect, SCHEMA_VERSION - 1);
  const parties = [
    { id: 'GOSBANK', name: 'State Bank of the USSR', role: 'depository', created_at: '1961-01-02' },
    { id: 'NBC', name: 'National Bank of Cuba', role: 'client', created_at: '1961-01-02' },
    { id: 'BNB', name: 'Bulgarian National Bank', role: 'client', created_at: '1961-01-02' },
  ];
  await db.insertInto('parties').values(parties).execute();
  for (const [id, party_id, role, password_hash, created_at] of USERS) {
    await db
      .insertInto('users')
      .values({ id, party_id, name: id, role, password_hash, active: 1n, created_at, created_by: 'setup' })
      .execute();
  }
}

function register(ingot: Ingot, id: string, party_id: string) {
  const user = { id, name: `${id} (test)`, party_id, role: 'client_signatory' as const };
  return proposeUserChange(ingot, {
    change: { kind: 'register_user', user },
    by_user_id: 'gosbank-operator',
  });
}

describe.each(PLACES)('books from before enrolment dates, in $name', ({ unavailable, make }) => {
  if (unavailable) {
    test.skip(`skipped: ${unavailable}`, () => undefined);
    return;
  }

  test('enrol the users who had a password, so the depository no longer registers for their bank', async () => {
    const place = make();
    try {
      const raw = await place.raw();
      try {
        await booksBefore(raw, place.dialect);
      } finally {
        await raw.destroy();
      }
      const store = await place.open();
      try {
        const db = store.db;
        const version = await db
          .selectFrom('meta')
          .select('value')
          .where('key', '=', 'schema_version')
          .executeTakeFirstOrThrow();
        expect(version.value).toBe(String(SCHEMA_VERSION));
        const users = await db.selectFrom('users').select(['id', 'enrolled_at']).orderBy('id').execute();
        expect(users).toEqual([
          { id: 'bnb-signatory-1', enrolled_at: null },
          { id: 'gosbank-operator', enrolled_at: '1961-01-02T09:00:00Z' },
          { id: 'nbc-signatory-1', enrolled_at: '1961-01-03T10:00:00Z' },
        ]);
        // The steps of instructions keep the account signed.
        expect(await db.selectFrom('instruction_steps').select(['digest', 'account']).execute()).toEqual([]);

        const ingot = ingotOver(store, 'test');
        const forged = await register(ingot, 'nbc-forged', 'NBC');
        expect(forged.ok ? 'ok' : forged.code).toBe('user_acts_for_another_party');
        // A bank whose users have not yet enrolled is still onboarded by the depository.
        const first = await register(ingot, 'bnb-signatory-2', 'BNB');
        expect(first.ok, first.ok ? '' : first.message).toBe(true);
        const proposed = await db.selectFrom('approvals').select('subject').execute();
        expect(proposed.map((row) => row.subject)).toEqual([
          'register bnb-signatory-2 (client_signatory) of BNB',
        ]);
      } finally {
        await store.close();
      }
    } finally {
      await place.dispose();
    }
  });
});
