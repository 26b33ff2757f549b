// Reads on an SQLite file do not wait behind a write. The store's one writing connection is held by
// a write transaction to its commit, across every await inside it: an import of a large weight
// list holds it for minutes. A read outside a transaction goes to a reader connection and sees the
// last commit meanwhile; a write, a transaction, or anything but a select still takes the writer's
// connection and waits its turn. Checked at the store, then as a client of the server meets it: a
// statement asked for while a weight list is being imported.
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, test } from 'vitest';
import { generateStock } from '../src/scenario/stock.ts';
import { verifyStore } from '../src/service/journal/verify.ts';
import { ingotOver } from '../src/service/kernel/context.ts';
import { addParty, openAccount } from '../src/service/parties/parties.ts';
import { importBars } from '../src/service/vault/bars.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/store.ts';
import { addUsers, clearUsers, serveOver } from './api/support.ts';
import { ok } from './support/desk.ts';
import { gate } from './support/gate.ts';

const folder = mkdtempSync(join(tmpdir(), 'ingot-readers-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const openFile = () => {
  files += 1;
  return openSqliteStore(join(folder, `books-${files}.db`));
};

/** Records when a promise settles, to tell whether it did before something else. */
function watched<T>(promise: Promise<T>): { done: () => boolean; result: Promise<T> } {
  let settled = false;
  const result = promise.finally(() => {
    settled = true;
  });
  return { done: () => settled, result };
}

/** Files of this process open on `path` (the database file itself, not its -wal or -shm). */
function openOn(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false; // closed meanwhile
    }
  }).length;
}

const partyIds = async (db: Store['db']) =>
  (await db.selectFrom('parties').select('id').orderBy('id').execute()).map((row) => row.id);

/** A write transaction that adds party `id` and holds the writer until its gate opens. */
function heldWrite(store: Store, id: string) {
  const held = gate();
  const done = store.write(async (tx) => {
    await tx
      .insertInto('parties')
      .values({ id, name: id, role: 'client', created_at: '1961-01-02T00:00:00Z' })
      .execute();
    await held.wait();
  });
  return { ...held, done };
}

describe('an SQLite file: reads beside a long write', () => {
  test('a select outside any transaction is answered while a write transaction is open, and sees only what is committed', async () => {
    const store = await openFile();
    try {
      await store.write((tx) =>
        tx
          .insertInto('parties')
          .values({ id: 'A', name: 'A', role: 'client', created_at: '1961-01-02T00:00:00Z' })
          .execute(),
      );
      const held = heldWrite(store, 'B');
      await held.reached;
      // Built, written as SQL, streamed, and in a held connection that has only read.
      expect(await partyIds(store.db)).toEqual(['A']);
      const raw = await sql<{ n: bigint }>`select count(*) as n from parties`.execute(store.db);
      expect(raw.rows[0]?.n).toBe(1n);
      const streamed: string[] = [];
      for await (const row of store.db.selectFrom('parties').select('id').stream()) streamed.push(row.id);
      expect(streamed).toEqual(['A']);
      expect(await store.db.connection().execute((db) => partyIds(db))).toEqual(['A']);
      held.open();
      await held.done;
      expect(await partyIds(store.db)).toEqual(['A', 'B']);
    } finally {
      await store.close();
    }
  });

  test('a write outside store.write, or a transaction of its own, waits for the open one and then runs', async () => {
    const store = await openFile();
    try {
      const held = heldWrite(store, 'B');
      await held.reached;
      const update = watched(
        store.db.updateTable('parties').set({ name: 'Bee' }).where('id', '=', 'B').execute(),
      );
      const transaction = watched(
        store.db.transaction().execute(async (tx) => {
          await tx
            .insertInto('parties')
            .values({ id: 'C', name: 'C', role: 'client', created_at: '1961-01-02T00:00:00Z' })
            .execute();
          // Inside a transaction, a select reads the transaction's own writes, on its connection.
          return partyIds(tx);
        }),
      );
      // Whatever order the event loop takes, neither may run before the held transaction commits.
      await partyIds(store.db);
      await new Promise((resolve) => setImmediate(resolve));
      expect([update.done(), transaction.done()]).toEqual([false, false]);
      held.open();
      await held.done;
      expect((await update.result)[0]?.numUpdatedRows).toBe(1n);
      expect(await transaction.result).toEqual(['B', 'C']);
      const names = await store.db.selectFrom('parties').select('name').orderBy('id').execute();
      expect(names.map((row) => row.name)).toEqual(['Bee', 'C']);
    } finally {
      await store.close();
    }
  });

  test('a held connection that writes after reading keeps the writer to its end', async () => {
    const store = await openFile();
    try {
      const ids = await store.db.connection().execute(async (db) => {
        const before = await partyIds(db);
        await db
          .insertInto('parties')
          .values({ id: 'D', name: 'D', role: 'client', created_at: '1961-01-02T00:00:00Z' })
          .execute();
        return [...before, ...(await partyIds(db))];
      });
      expect(ids).toEqual(['D']);
    } finally {
      await store.close();
    }
  });

  test('reads made at once share one reader connection: none is opened per read', async () => {
    const path = join(folder, 'shared.db');
    const store = await openSqliteStore(path);
    try {
      const held = heldWrite(store, 'B');
      await held.reached;
      const reads = await Promise.all(Array.from({ length: 20 }, () => partyIds(store.db)));
      expect(reads.every((ids) => ids.length === 0)).toBe(true);
      // The writer's connection and the one reader.
      expect(openOn(path)).toBe(2);
      held.open();
      await held.done;
    } finally {
      await store.close();
    }
    expect(openOn(path)).toBe(0);
  });

  test('books that fail to open leave no connection open behind them', async () => {
    const path = join(folder, 'foreign.db');
    const foreign = await openSqliteStore(path);
    await foreign.close();
    // Books whose record of their schema was lost: the first migration finds its tables there.
    const raw = new BetterSqlite3(path);
    raw.exec(`update meta set value = '0' where key = 'schema_version'`);
    raw.close();
    await expect(openSqliteStore(path)).rejects.toThrow(/already exists/);
    expect(openOn(path)).toBe(0);
  });

  test('in memory there is one connection: a read waits for the open write, as it always has', async () => {
    const store = await openSqliteStore(':memory:');
    try {
      const held = heldWrite(store, 'B');
      await held.reached;
      const read = watched(partyIds(store.db));
      await new Promise((resolve) => setImmediate(resolve));
      expect(read.done()).toBe(false);
      held.open();
      await held.done;
      expect(await read.result).toEqual(['B']);
    } finally {
      await store.close();
    }
  });
});

describe('the server over an SQLite file while a weight list is imported', () => {
  test('a statement is answered meanwhile, from the books as last committed, and the import then commits whole', async () => {
    const ingot = ingotOver(await openFile(), 'setup');
    ok(await addParty(ingot, { id: 'GOSBANK', name: 'State Bank of the USSR', role: 'depository' }));
    ok(await openAccount(ingot, { id: 'GOSBANK-VAULT', party_id: 'GOSBANK', kind: 'custody', unit: 'XAU' }));
    const rules = { minimum_fineness: 9950n, good_delivery: true };
    const stock = { account_id: 'GOSBANK-VAULT', rules, date: '1961-01-02' };
    ok(await importBars(ingot, { ...stock, lines: generateStock(40), key: 'stock', source: 'stock.csv' }));
    await addUsers(ingot, [['auditor', 'GOSBANK', 'auditor']]);
    await clearUsers(ingot, ['auditor']);
    const served = await serveOver(ingot);
    try {
      const auditor = await served.signIn('auditor');
      const barsListed = async () => {
        const answer = await auditor.get('/accounts/GOSBANK-VAULT/statement?from=1961-01-01&to=1961-01-31');
        expect(answer.status, answer.text).toBe(200);
        return (answer.body as { bars: unknown[] }).bars.length;
      };
      expect(await barsListed()).toBe(40);

      // The second weight list stops half-way, inside the import's transaction, until released.
      const halfway = gate();
      async function* stopping(): AsyncGenerator<string> {
        let line = 0;
        for await (const text of generateStock(60, 1962, 500_000)) {
          line += 1;
          if (line === 31) await halfway.wait();
          yield text;
        }
      }
      const imported = watched(
        importBars(ingot, { ...stock, lines: stopping(), key: 'second', source: 'second.csv' }),
      );
      await halfway.reached;
      // The writer is held: a write waits for the import.
      const write = watched(
        ingot.store.db.updateTable('parties').set({ name: 'Gosbank' }).where('id', '=', 'GOSBANK').execute(),
      );
      expect(await barsListed()).toBe(40);
      // The desk's bars page in custody order (its first read finds the bars' states).
      const page = await auditor.get('/accounts/GOSBANK-VAULT/bars');
      expect(page.status, page.text).toBe(200);
      expect((page.body as { total: number }).total).toBe(40);
      expect((await served.client(null).get('/healthz')).status).toBe(200);
      expect([imported.done(), write.done()]).toEqual([false, false]);

      halfway.open();
      ok(await imported.result);
      await write.result;
      expect(await barsListed()).toBe(100);
      expect((await verifyStore(ingot)).breaches).toEqual([]);
    } finally {
      await served.close();
    }
  });
});
