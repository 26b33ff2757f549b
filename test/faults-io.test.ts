// Faults of the machinery under the books: a PostgreSQL backend that goes away in the middle of a
// settlement, and a disk that fills up under SQLite (the database's page limit reached, or, as root,
// a real tmpfs with no space left or read-only). Each gives a clear error and leaves no partial
// write: the books read as before, verify, and the same request with the same key then settles
// exactly once. The command line, run as a process, names the cause in one line and exits 74.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateStock } from '../src/scenario/stock.ts';
import { verifyStore } from '../src/service/journal/verify.ts';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { importBars } from '../src/service/vault/bars.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/store.ts';
import { ingotProcess, type Run } from './support/cli.ts';
import { allocatedTrades } from './support/desk.ts';
import {
  blockedBackend as blockedBackendOf,
  POSTGRES_URL,
  postgresLocation,
  STORE_KINDS,
} from './support/stores.ts';

const SETTLE_DATE = '1961-01-31';

/** What a failed write must not have changed: every table a settlement or an import writes. */
async function books(store: Store): Promise<string> {
  const parts: string[] = [];
  for (const table of [
    'accounts',
    'bars',
    'entries',
    'postings',
    'trades',
    'documents',
    'idempotency',
  ] as const) {
    const rows = await store.db.selectFrom(table).selectAll().execute();
    const text = rows
      .map((row) => JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)))
      .sort();
    parts.push(`${table}: ${text.join('\n')}`);
  }
  return parts.join('\n');
}

async function settlementsOf(store: Store, tradeId: string): Promise<bigint> {
  const row = await store.db
    .selectFrom('entries')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where('kind', '=', 'settlement')
    .where('trade_id', '=', tradeId)
    .executeTakeFirstOrThrow();
  return BigInt(row.n);
}

/** Settles with the same key the failed attempt used: it must settle now, once, not replay. */
async function settlesOnceOnRetry(ingot: Ingot, tradeId: string): Promise<void> {
  const retry = await settleTrade(ingot, { trade_id: tradeId, date: SETTLE_DATE, key: `settle-${tradeId}` });
  expect(retry.ok && !retry.replayed).toBe(true);
  const again = await settleTrade(ingot, { trade_id: tradeId, date: SETTLE_DATE, key: `settle-${tradeId}` });
  expect(again.ok && again.replayed).toBe(true);
  expect(await settlementsOf(ingot.store, tradeId)).toBe(1n);
  expect((await verifyStore(ingot)).breaches).toEqual([]);
}

function errorOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  return promise.then(
    () => {
      throw new Error('the request succeeded; it was expected to fail');
    },
    (error: unknown) => error as Error & { code?: string },
  );
}

/** The one line a storage fault ends a command with: its cause, code and what was written. */
function storageFailure(cause: RegExp): RegExp {
  return new RegExp(`^ingot: storage_failed: ${cause.source}; nothing was written\n$`);
}

/** A command ended by a fault of the storage: exit 74, the one line on stderr, nothing on stdout. */
function expectStorageFailed(run: Run, cause: RegExp): void {
  expect(run.stderr).toMatch(storageFailure(cause));
  expect(run.code).toBe(74);
  expect(run.stdout).toBe('');
}

/** `ingot verify` as a process: the books are sound. */
async function expectVerified(location: string): Promise<void> {
  const run = await ingotProcess(['--db', location, 'verify']);
  expect(run.stdout).toContain('checks passed');
  expect(run.code).toBe(0);
}

/** `ingot settle` as a process, with the key the service-level tests use. */
function settleByCli(location: string, tradeId: string, json: string[] = []): Promise<Run> {
  const args = ['settle', tradeId, '--date', SETTLE_DATE, '--key', `settle-${tradeId}`];
  return ingotProcess([...json, '--db', location, ...args]);
}

/** The command line settles a trade after a fault, once: the retry settles, a second one replays. */
async function cliSettlesOnce(store: Store, location: string, tradeId: string): Promise<void> {
  expect((await settleByCli(location, tradeId)).code).toBe(0);
  const again = await settleByCli(location, tradeId, ['--json']);
  expect(JSON.parse(again.stdout)).toMatchObject({ replayed: true });
  expect(await settlementsOf(store, tradeId)).toBe(1n);
  await expectVerified(location);
}

const postgres = STORE_KINDS.find((kind) => kind.name === 'postgres');

describe('PostgreSQL going away mid-request', () => {
  if (!postgres || postgres.unavailable) {
    test.skip(`skipped: ${postgres?.unavailable ?? 'no PostgreSQL store'}`, () => undefined);
    return;
  }
  const schema = `ingot_faults_io_${process.pid}_${randomBytes(3).toString('hex')}`;
  const application = `ingot_faults_io_${randomBytes(3).toString('hex')}`;
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('application_name', application);
  let store: Store;
  let ingot: Ingot;
  let ids: string[];
  const admin = new pg.Client({ connectionString: POSTGRES_URL });

  beforeAll(async () => {
    store = await openPostgresStore(url.toString(), { schema, connections: 2 });
    ingot = ingotOver(store, 'test');
    ids = await allocatedTrades(ingot, 4);
    await admin.connect();
  });
  afterAll(async () => {
    await store?.close();
    await admin.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await admin.end();
  });

  /** The backend of a connection once it waits for a lock, polled (no timing asserted). */
  const blockedBackend = (name = application) => blockedBackendOf(admin, name);

  test('a terminated backend fails the settlement clearly and writes none of it', async () => {
    const tradeId = ids[0] ?? '';
    const before = await books(store);
    // Another session holds the client's cash account, so the settlement stops half-way: its entry
    // is written, its postings wait. Then its backend is terminated, as by a restart or a failover.
    const locker = new pg.Client({ connectionString: POSTGRES_URL });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query(`select id from ${schema}.accounts where id = 'CLI-GBP' for update`);
      const settling = settleTrade(ingot, { trade_id: tradeId, date: SETTLE_DATE, key: `settle-${tradeId}` });
      const failure = errorOf(settling);
      const pid = await blockedBackend();
      await admin.query('select pg_terminate_backend($1)', [pid]);
      const error = await failure;
      expect(error.message).toMatch(/terminat/i);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    // The same store reconnects: nothing of the settlement was written.
    expect(await books(store)).toBe(before);
    expect((await verifyStore(ingot)).breaches).toEqual([]);
    await settlesOnceOnRetry(ingot, tradeId);
  });

  test('after a reconnection with a fresh store, the books are as the last commit left them', async () => {
    const tradeId = ids[1] ?? '';
    const locker = new pg.Client({ connectionString: POSTGRES_URL });
    await locker.connect();
    let before: string;
    try {
      before = await books(store);
      await locker.query('begin');
      await locker.query(`select id from ${schema}.accounts where id = 'DEP-GBP' for update`);
      const failure = errorOf(
        settleTrade(ingot, { trade_id: tradeId, date: SETTLE_DATE, key: `settle-${tradeId}` }),
      );
      await admin.query('select pg_terminate_backend($1)', [await blockedBackend()]);
      expect((await failure).message).toMatch(/terminat/i);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    const fresh = await openPostgresStore(POSTGRES_URL, { schema, connections: 2 });
    try {
      expect(await books(fresh)).toBe(before);
      await settlesOnceOnRetry(ingotOver(fresh, 'test'), tradeId);
    } finally {
      await fresh.close();
    }
  });

  test('a server that cannot be reached is named in the error', async () => {
    const error = await errorOf(openPostgresStore('postgres://postgres@127.0.0.1:1/test'));
    expect(`${error.message} ${error.code ?? ''}`).toMatch(/ECONNREFUSED/);
  });

  test('the command line: a server that cannot be reached, in one line and exit 74', async () => {
    for (const json of [[], ['--json']]) {
      const run = await ingotProcess([...json, '--db', 'postgres://postgres@127.0.0.1:1/test', 'verify']);
      expectStorageFailed(run, /the database server refused the connection \(ECONNREFUSED\)/);
    }
  });

  test.each([
    ['as text', 2, []],
    ['with --json', 3, ['--json']],
  ])(
    'the command line %s: a backend terminated mid-settlement, exit 74, nothing written',
    async (_mode, index, json) => {
      const tradeId = ids[index] ?? '';
      const name = `${application}_cli${index}`;
      const location = postgresLocation(schema, name);
      const before = await books(store);
      const locker = new pg.Client({ connectionString: POSTGRES_URL });
      await locker.connect();
      let run: Run;
      try {
        await locker.query('begin');
        await locker.query(`select id from ${schema}.accounts where id = 'CLI-GBP' for update`);
        const settling = settleByCli(location, tradeId, json);
        await admin.query('select pg_terminate_backend($1)', [await blockedBackend(name)]);
        run = await settling;
      } finally {
        await locker.query('rollback');
        await locker.end();
      }
      // The server's word (57P01), or node-postgres's when the socket closed before it was read.
      const ended = /the database server ended the connection \(57P01\)/.source;
      const closed = /the connection to the database was lost \(connection_terminated\)/.source;
      const lost = new RegExp(`(${ended}|${closed})`);
      expectStorageFailed(run, lost);
      expect(await books(store)).toBe(before);
      await cliSettlesOnce(store, postgresLocation(schema), tradeId);
    },
  );
});

/** Pages the SQLite file holds now. */
async function pageCount(store: Store): Promise<number> {
  const result = await sql<{ page_count: bigint }>`pragma page_count`.execute(store.db);
  return Number(result.rows[0]?.page_count ?? 0n);
}

describe('SQLite when the database is full (max_page_count)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ingot-faults-io-'));
  let store: Store;
  let ingot: Ingot;
  let ids: string[];

  beforeAll(async () => {
    store = await openSqliteStore(join(dir, 'books.db'));
    ingot = ingotOver(store, 'test');
    ids = await allocatedTrades(ingot, 60);
    // Packed tight, then held to its size: the next write that needs a page finds the disk "full".
    await sql`vacuum`.execute(store.db);
    await sql.raw(`pragma max_page_count = ${await pageCount(store)}`).execute(store.db);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an import fails with SQLITE_FULL and leaves the books as they were', async () => {
    const before = await books(store);
    const lines = generateStock(5000, 9, 900_000);
    const request = {
      account_id: 'DEP-VAULT',
      lines,
      rules: { minimum_fineness: 9950n, good_delivery: true },
    };
    const error = await errorOf(
      importBars(ingot, { ...request, date: '1961-01-05', key: 'full-import', source: 'more.csv' }),
    );
    expect(error.code).toBe('SQLITE_FULL');
    expect(error.message).toMatch(/database or disk is full/);
    expect(await books(store)).toBe(before);
    expect((await verifyStore(ingot)).breaches).toEqual([]);
  });

  test('settlements fail with SQLITE_FULL once no page is left, each all or nothing', async () => {
    let failed: string | undefined;
    let before = '';
    for (const tradeId of ids) {
      before = await books(store);
      const outcome = await settleTrade(ingot, {
        trade_id: tradeId,
        date: SETTLE_DATE,
        key: `settle-${tradeId}`,
      }).catch((error: unknown) => error as Error & { code?: string });
      if (outcome instanceof Error) {
        expect(outcome.code).toBe('SQLITE_FULL');
        failed = tradeId;
        break;
      }
      expect(outcome.ok).toBe(true);
    }
    expect(failed).toBeDefined();
    const tradeId = failed ?? '';
    expect(await books(store)).toBe(before);
    expect(await settlementsOf(store, tradeId)).toBe(0n);
    expect((await verifyStore(ingot)).breaches).toEqual([]);
    // Space again (the limit lifted): the same key settles the trade, once.
    await sql`pragma max_page_count = 1073741823`.execute(store.db);
    await settlesOnceOnRetry(ingot, tradeId);
  });
});

describe('the command line when its SQLite file cannot be opened', () => {
  test('a folder that is not there: one line naming it, exit 74, no file made', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ingot-faults-io-'));
    const folder = join(dir, 'gone');
    try {
      for (const json of [[], ['--json']]) {
        const args = ['--db', join(folder, 'books.db'), 'parties', 'add', 'X', '--name', 'X'];
        const run = await ingotProcess([...json, ...args]);
        expect(run.stderr).toBe(
          `ingot: storage_failed: the database cannot be opened: the folder ${folder} does not exist ` +
            '(ENOENT); nothing was written\n',
        );
        expect([run.code, run.stdout]).toEqual([74, '']);
      }
      expect(existsSync(folder)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Mounts a small tmpfs at a fresh directory; null when this process may not mount (not root). */
function mountTmpfs(megabytes: number): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'ingot-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

function unmount(dir: string): void {
  execFileSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
}

/** Whether a tmpfs can be mounted here: tried once and unmounted at once. */
function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = mountTmpfs(1);
  if (probe) unmount(probe);
  return probe !== null;
}

/** Writes a file until the file system has no space left; returns its path. */
function fillUp(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return path;
}

/** Remounts a tmpfs read-only or read-write again. */
function remount(dir: string, mode: 'ro' | 'rw'): void {
  execFileSync('mount', ['-o', `remount,${mode}`, dir]);
}

/** A bar list of `bars` new bars, written where the tmpfs is not, for the command line to import. */
async function barListFile(bars: number): Promise<{ file: string; dispose: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'ingot-faults-list-'));
  let text = '';
  for await (const line of generateStock(bars, 9, 900_000)) text += `${line}\n`;
  const file = join(dir, 'more.csv');
  writeFileSync(file, text);
  return { file, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('SQLite on a file system with no space left (tmpfs, as root)', () => {
  if (!canMount()) {
    test.skip('skipped: mounting a tmpfs needs root', () => undefined);
    return;
  }
  let dir = '';
  let store: Store;
  let ingot: Ingot;
  let ids: string[];

  beforeAll(async () => {
    dir = mountTmpfs(8) ?? '';
    expect(dir).not.toBe('');
    store = await openSqliteStore(join(dir, 'books.db'));
    ingot = ingotOver(store, 'test');
    ids = await allocatedTrades(ingot, 3);
    // The write-ahead log emptied to nothing, so the next commit must find new space for it.
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
  });
  afterAll(async () => {
    await store?.close();
    if (dir) unmount(dir);
  });

  test('a settlement fails with SQLITE_FULL, changes nothing, and settles once space is back', async () => {
    const tradeId = ids[0] ?? '';
    const before = await books(store);
    const filler = fillUp(dir);
    const error = await errorOf(
      settleTrade(ingot, { trade_id: tradeId, date: SETTLE_DATE, key: `settle-${tradeId}` }),
    );
    expect(error.code).toBe('SQLITE_FULL');
    expect(error.message).toMatch(/database or disk is full/);
    expect(await books(store)).toBe(before);
    expect((await verifyStore(ingot)).breaches).toEqual([]);
    rmSync(filler);
    await settlesOnceOnRetry(ingot, tradeId);
    const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
    expect(check.rows.map((row) => row.integrity_check)).toEqual(['ok']);
  });

  test('the command line: an import onto a full disk, one line and exit 74, then imported once', async () => {
    const location = join(dir, 'books.db');
    const list = await barListFile(5000);
    try {
      const before = await books(store);
      // Full but for a little: the command opens the books, then runs out of room in the import.
      const filler = fillUp(dir);
      truncateSync(filler, Math.max(0, statSync(filler).size - 256 * 1024));
      const args = ['bars', 'import', list.file, '--account', 'DEP-VAULT', '--date', '1961-01-05'];
      for (const json of [[], ['--json']]) {
        const run = await ingotProcess([
          ...json,
          '--db',
          location,
          ...args,
          '--key',
          'more',
          '--no-progress',
        ]);
        expectStorageFailed(run, /the disk is full \(SQLITE_[A-Z_]+\)/);
      }
      expect(await books(store)).toBe(before);
      rmSync(filler);
      await expectVerified(location);
      const imported = await ingotProcess(['--json', '--db', location, ...args, '--key', 'more']);
      expect(JSON.parse(imported.stdout)).toMatchObject({ bars: 5000, replayed: false });
      await expectVerified(location);
    } finally {
      list.dispose();
    }
  });

  test('the command line: read-only books, one line and exit 74, then settled once', async () => {
    const location = join(dir, 'books.db');
    const tradeId = ids[1] ?? '';
    const before = await books(store);
    // A file system mounted read-only lets no file stay open for writing: the store closes first.
    await store.close();
    remount(dir, 'ro');
    try {
      for (const json of [[], ['--json']]) {
        const run = await settleByCli(location, tradeId, json);
        expectStorageFailed(
          run,
          /the database cannot be opened for writing: its file system is read-only \(SQLITE_CANTOPEN\)/,
        );
      }
    } finally {
      remount(dir, 'rw');
      store = await openSqliteStore(location);
      ingot = ingotOver(store, 'test');
    }
    expect(await books(store)).toBe(before);
    await cliSettlesOnce(store, location, tradeId);
  });
});
