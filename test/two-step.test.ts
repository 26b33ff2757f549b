// PostgreSQL's two-round-trip transaction when the connection breaks during its second round trip
// (the writes and the commit): the server is asked whether the transaction committed, so the
// answer is exact: the batch stands if it did, and nothing was written if it did not.
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StorageFault } from '../src/store/faults.ts';
import { twoStep } from '../src/store/postgres/two-step.ts';
import type { Database } from '../src/store/schema.ts';
import { POSTGRES_URL, STORE_KINDS } from './support/stores.ts';

const postgres = STORE_KINDS.find((kind) => kind.name === 'postgres');
const schema = `ingot_twostep_${process.pid}_${randomBytes(4).toString('hex')}`;

/** A pool whose connections lose the answer to the round trip holding `commit`, after the server ran it. */
function losingCommitAnswers(pool: pg.Pool): pg.Pool {
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property !== 'connect') {
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async () => {
        const client = await target.connect();
        return new Proxy(client, {
          get(inner, name, innerReceiver) {
            if (name !== 'query') return Reflect.get(inner, name, innerReceiver);
            return async (text: unknown, ...rest: unknown[]) => {
              const answer = await (inner.query as (...args: unknown[]) => Promise<unknown>)(text, ...rest);
              if (typeof text === 'string' && text.endsWith('commit')) {
                throw new Error('Connection terminated unexpectedly');
              }
              return answer;
            };
          },
        });
      };
    },
  });
}

describe.skipIf(!postgres || postgres.unavailable)('two round trips on PostgreSQL', () => {
  let pool: pg.Pool;
  let db: Kysely<Database>;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
    // A backend the test terminates reports an error on its idle client; the pool replaces it.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    await pool.query(`create schema ${schema}`);
    await pool.query('create table parties (id text primary key, name text, role text, created_at text)');
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  });
  afterAll(async () => {
    await pool.query(`drop schema if exists ${schema} cascade`);
    await db.destroy();
  });

  const options = { begin: ['begin'], retryable: () => false, attempts: 1 };
  const insert = (id: string, rows: bigint) => ({
    reads: () => [],
    decide: (_rows: readonly (readonly unknown[])[], kysely: Kysely<Database>) => ({
      value: id,
      writes: [
        {
          query: kysely
            .insertInto('parties')
            .values({ id, name: id, role: 'client', created_at: '1961-01-01' })
            .compile(),
          rows,
          what: 'a party',
        },
      ],
    }),
  });

  test('the answer to the commit is lost after the server made it: the batch stands', async () => {
    expect(await twoStep(losingCommitAnswers(pool), db, insert('P-COMMITTED', 1n), options)).toBe(
      'P-COMMITTED',
    );
    const stored = await pool.query('select id from parties where id = $1', ['P-COMMITTED']);
    expect(stored.rowCount).toBe(1);
  });

  test('a write that changes other rows than decided fails before the commit: nothing is written', async () => {
    // The write changes one row, not the two decided: its statement fails, the commit never runs.
    const failing = twoStep(losingCommitAnswers(pool), db, insert('P-ABORTED', 2n), options);
    await expect(failing).rejects.toThrow(/rows/);
    const stored = await pool.query('select id from parties where id = $1', ['P-ABORTED']);
    expect(stored.rowCount).toBe(0);
  });

  test('a backend terminated during the writes: the server says it did not commit, no doubt left', async () => {
    const locker = await pool.connect();
    try {
      await locker.query('begin');
      await locker.query("insert into parties values ('P-LOCKED', 'x', 'client', '1961-01-01')");
      // The batch's insert of the same key waits on the locker's row; then its backend is ended.
      const waiting = twoStep(pool, db, insert('P-LOCKED', 1n), options);
      const admin = await pool.connect();
      try {
        for (let tries = 0; tries < 100; tries += 1) {
          const blocked = await admin.query(
            "select pid from pg_stat_activity where wait_event_type = 'Lock' and query like '%P-LOCKED%'",
          );
          const pid = blocked.rows[0]?.pid;
          if (pid) {
            await admin.query('select pg_terminate_backend($1)', [pid]);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        admin.release();
      }
      const fault = await waiting.then(
        () => null,
        (error: unknown) => error,
      );
      expect(fault).toBeInstanceOf(StorageFault);
      expect((fault as StorageFault).connection_lost).toBe(false);
    } finally {
      await locker.query('rollback');
      locker.release();
    }
  });
});
