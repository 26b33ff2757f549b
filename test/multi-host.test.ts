// A libpq multi-host URL for --db, on one PostgreSQL: hosts that refuse or are read-only are passed
// over for the one that accepts writes; none that does is a fault of the storage naming each host
// (exit 74 on the command line); a target_session_attrs under which nothing could be written is
// refused. The failover itself is tested on a real cluster in test/ha/failover.test.ts.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { ingotOver } from '../src/service/kernel/context.ts';
import { recordFixings } from '../src/service/trading/fixings.ts';
import { StorageFault } from '../src/store/faults.ts';
import { parseHosts } from '../src/store/postgres/hosts.ts';
import { openPostgresStore, redact } from '../src/store/postgres/open.ts';
import { ingotProcess } from './support/cli.ts';
import { POSTGRES_URL, STORE_KINDS } from './support/stores.ts';

describe('multi-host URLs', () => {
  test.each([
    [
      'postgres://u@a:1,b:2/db?target_session_attrs=read-write',
      ['postgres://u@a:1/db', 'postgres://u@b:2/db'],
    ],
    ['postgresql://a,b:7/db', ['postgresql://a:5432/db', 'postgresql://b:7/db']],
    [
      'postgres://u:pw@[::1]:6,h/db?x=1&target_session_attrs=primary',
      ['postgres://u:pw@[::1]:6/db?x=1', 'postgres://u:pw@h:5432/db?x=1'],
    ],
    ['postgres://u@a:1/db?target_session_attrs=read-write', ['postgres://u@a:1/db']],
  ])('%s is read as one URL a host', (url, urls) => {
    expect(parseHosts(url)?.urls).toEqual(urls);
  });

  test('a plain single-host URL is left to node-postgres', () => {
    expect(parseHosts('postgres://u@a:1/db?options=-c%20x%3D1')).toBeNull();
  });

  test.each([['read-only'], ['standby'], ['whatever']])('target_session_attrs=%s is refused', (value) => {
    expect(() => parseHosts(`postgres://a,b/db?target_session_attrs=${value}`)).toThrow(
      `target_session_attrs=${value} cannot be used`,
    );
  });

  test('a password is hidden in messages', () => {
    expect(redact('postgres://u:secret@a:1,b:2/db')).toBe('postgres://u:***@a:1,b:2/db');
  });
});

const postgres = STORE_KINDS.find((kind) => kind.name === 'postgres');

describe('finding the writable host', () => {
  if (!postgres || postgres.unavailable) {
    test.skip(`skipped: ${postgres?.unavailable ?? 'no PostgreSQL store'}`, () => undefined);
    return;
  }
  const server = new URL(POSTGRES_URL);
  const schema = `ingot_multi_host_${process.pid}_${randomBytes(3).toString('hex')}`;
  /** The test database as a multi-host URL: `hosts` before it, with parameters of its own. */
  const multiHost = (hosts: string[], own: string[], parameters = '') =>
    `postgres://${server.username}@${[...hosts, ...own].join(',')}${server.pathname}` +
    `?target_session_attrs=read-write${parameters}`;
  const here = `${server.hostname}:${server.port || '5432'}`;

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  });

  test('a host that refuses is passed over for the next, which takes writes', async () => {
    const store = await openPostgresStore(multiHost(['127.0.0.1:1'], [here]), { schema });
    try {
      const fixing = { date: '1961-01-31', currency: 'GBP' as const, minor_per_oz: 60_960n, source: 'mh' };
      expect(await recordFixings(ingotOver(store), [fixing])).toMatchObject({ ok: true });
      const read = await store.db.selectFrom('fixings').select('source').executeTakeFirstOrThrow();
      expect(read.source).toBe('mh');
      // The connection went to the host that takes writes.
      const port = await sql<{ port: number }>`select inet_server_port() as port`.execute(store.db);
      expect(String(port.rows[0]?.port)).toBe(here.split(':').at(-1));
    } finally {
      await store.close();
    }
  });

  test('no host that takes writes: a fault of the storage naming each host, exit 74', async () => {
    // The one server, reached with sessions it keeps read-only: a standby, as far as Ingot can tell.
    const readOnly = '&options=-c%20default_transaction_read_only%3Don';
    const url = multiHost(['127.0.0.1:1'], [here], readOnly);
    const error = await openPostgresStore(url).then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(StorageFault);
    const fault = error as StorageFault;
    expect(fault.code).toBe('no_primary');
    expect(fault.message).toContain('127.0.0.1:1 the database server refused the connection (ECONNREFUSED)');
    expect(fault.message).toContain(`${here} is a standby or read-only`);
    const run = await ingotProcess(['--db', url, 'verify']);
    expect(run.stderr).toBe(
      'ingot: storage_failed: no database server accepts writes, a failover may be under way ' +
        '(no_primary); nothing was written\n',
    );
    expect([run.code, run.stdout]).toEqual([74, '']);
  });
});
