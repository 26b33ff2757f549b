// Faults of the storage over HTTP: a database connection lost mid-settlement, or a database that
// has turned read-only, is answered 503 with Retry-After and a body naming the cause and what was
// written, never 500; the books are as before, and the retry with the same Idempotency-Key settles
// the trade once.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { type Ingot, ingotOver } from '../../src/service/kernel/context.ts';
import { openPostgresStore } from '../../src/store/postgres/open.ts';
import type { Store } from '../../src/store/store.ts';
import { allocatedTrades } from '../support/desk.ts';
import { blockedBackend as blockedBackendOf, POSTGRES_URL, STORE_KINDS } from '../support/stores.ts';
import { type Answer, addUsers, clearUsers, errorOf, type Served, serveOver } from './support.ts';

const SETTLE_DATE = '1961-01-31';
const postgres = STORE_KINDS.find((kind) => kind.name === 'postgres');

/** Settlement entries of a trade. */
async function settlementsOf(store: Store, tradeId: string): Promise<bigint> {
  const row = await store.db
    .selectFrom('entries')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where('kind', '=', 'settlement')
    .where('trade_id', '=', tradeId)
    .executeTakeFirstOrThrow();
  return BigInt(row.n);
}

/** The books' rows a settlement writes, to show that a failed one wrote none. */
async function books(store: Store): Promise<string> {
  const parts: string[] = [];
  for (const table of ['accounts', 'bars', 'entries', 'postings', 'trades', 'idempotency'] as const) {
    const rows = await store.db.selectFrom(table).selectAll().execute();
    parts.push(
      rows.map((row) => JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? `${v}` : v))).join(),
    );
  }
  return parts.join('\n');
}

/** A 503 for a fault of the storage: Retry-After, the cause and what was written in the message. */
function expectStorageFailed(answer: Answer, cause: RegExp, written: RegExp): void {
  expect([answer.status, errorOf(answer).code]).toEqual([503, 'storage_failed']);
  expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(errorOf(answer).message).toMatch(cause);
  expect(errorOf(answer).message).toMatch(written);
}

describe('faults of PostgreSQL over HTTP', () => {
  if (!postgres || postgres.unavailable) {
    test.skip(`skipped: ${postgres?.unavailable ?? 'no PostgreSQL store'}`, () => undefined);
    return;
  }
  const schema = `ingot_http_faults_${process.pid}_${randomBytes(3).toString('hex')}`;
  const application = `ingot_http_faults_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  let ingot: Ingot;
  let served: Served;
  let ids: string[];

  beforeAll(async () => {
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('application_name', application);
    ingot = ingotOver(await openPostgresStore(url.toString(), { schema, connections: 2 }), 'setup');
    ids = await allocatedTrades(ingot, 3);
    await addUsers(ingot, [['dep-operator', 'DEP', 'depository_operator']]);
    await clearUsers(ingot, ['dep-operator']);
    served = await serveOver(ingot);
    await admin.connect();
  });
  afterAll(async () => {
    await served?.close();
    await admin.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await admin.end();
  });

  /** The backend of the store's connection once it waits for a lock, polled. */
  const blockedBackend = () => blockedBackendOf(admin, application);

  test('a connection lost mid-settlement: 503 saying nothing was written; the retry settles once', async () => {
    const tradeId = ids[0] ?? '';
    const operator = await served.signIn('dep-operator');
    const before = await books(ingot.store);
    const locker = new pg.Client({ connectionString: POSTGRES_URL });
    await locker.connect();
    let answer: Answer;
    try {
      // Another session holds the client's cash account, so the settlement waits inside its
      // transaction; then its backend is terminated, as a restart or a failover would.
      await locker.query('begin');
      await locker.query(`select id from ${schema}.accounts where id = 'CLI-GBP' for update`);
      const settling = operator.post(`/trades/${tradeId}/settle`, { date: SETTLE_DATE }, `http-${tradeId}`);
      await admin.query('select pg_terminate_backend($1)', [await blockedBackend()]);
      answer = await settling;
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    const lost =
      /(the database server ended the connection \(57P01\)|the connection to the database was lost)/;
    // The store asked the server, on another connection, whether the transaction committed: it had
    // not, so the answer is not left in doubt.
    expectStorageFailed(answer, lost, /nothing of it was written: retry with the same Idempotency-Key/);
    expect(await books(ingot.store)).toBe(before);
    const retry = await operator.post(`/trades/${tradeId}/settle`, { date: SETTLE_DATE }, `http-${tradeId}`);
    expect([retry.status, (retry.body as { replayed: boolean }).replayed]).toEqual([201, false]);
    const again = await operator.post(`/trades/${tradeId}/settle`, { date: SETTLE_DATE }, `http-${tradeId}`);
    expect([again.status, (again.body as { replayed: boolean }).replayed]).toEqual([201, true]);
    expect(await settlementsOf(ingot.store, tradeId)).toBe(1n);
    expect((await verifyStore(ingot)).breaches).toEqual([]);
  });

  test('a read-only database: 503 saying nothing was written, for a write and not for a read', async () => {
    const tradeId = ids[1] ?? '';
    // The same books through a role whose sessions the server keeps read-only (set once the store
    // has opened, and its first connections ended), as a demoted primary would be.
    const role = `ingot_ro_${randomBytes(3).toString('hex')}`;
    await admin.query(`create role ${role} login superuser`);
    const url = new URL(POSTGRES_URL);
    url.username = role;
    const store = await openPostgresStore(url.toString(), { schema, connections: 1 });
    const readOnly = await serveOver(ingotOver(store, 'setup'));
    try {
      await admin.query(`alter role ${role} set default_transaction_read_only = on`);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [role]);
      const token = (await served.signIn('dep-operator')).token;
      const reader = readOnly.client(token);
      // A read answers (once the connection ended above is replaced): reading needs no writes.
      let read = await reader.get(`/trades/${tradeId}`);
      for (let attempt = 0; read.status !== 200 && attempt < 20; attempt += 1) {
        expectStorageFailed(read, /connection/, /a read writes nothing: retry shortly/);
        read = await reader.get(`/trades/${tradeId}`);
      }
      expect(read.status).toBe(200);
      const before = await books(ingot.store);
      const settle = await reader.post(`/trades/${tradeId}/settle`, { date: SETTLE_DATE }, `http-${tradeId}`);
      expectStorageFailed(settle, /the database is read-only \(25006\)/, /nothing of it was written/);
      expect(await books(ingot.store)).toBe(before);
      const writer = served.client(token);
      const retry = await writer.post(`/trades/${tradeId}/settle`, { date: SETTLE_DATE }, `http-${tradeId}`);
      expect([retry.status, (retry.body as { replayed: boolean }).replayed]).toEqual([201, false]);
      expect(await settlementsOf(ingot.store, tradeId)).toBe(1n);
      expect((await verifyStore(ingot)).breaches).toEqual([]);
    } finally {
      await readOnly.close();
      await admin.query(`drop role if exists ${role}`).catch(() => undefined);
    }
  });
});
