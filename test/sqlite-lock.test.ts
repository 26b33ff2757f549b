// SQLite's write lock, waited for on a timer: a desk waiting for another process's transaction
// keeps answering (SQLite's own busy handler would sleep the whole process), and two stores on one
// file in one process both get to write.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { verifyStore } from '../src/service/journal/verify.ts';
import { ingotOver } from '../src/service/kernel/context.ts';
import { addParty } from '../src/service/parties/parties.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { ok } from './support/desk.ts';

describe('the SQLite write lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ingot-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a write waiting for another connection’s lock leaves the desk answering reads', async () => {
    const path = join(dir, 'books.db');
    const store = await openSqliteStore(path);
    const ingot = ingotOver(store, 'lock');
    const other = new BetterSqlite3(path);
    try {
      other.exec('begin immediate');
      const events: string[] = [];
      const writing = addParty(ingot, { id: 'WAITER', name: 'Waiting bank', role: 'client' }).then(
        (outcome) => {
          events.push('written');
          return outcome;
        },
      );
      // The read runs while the write still waits: the process is not asleep in a busy handler.
      const parties = await store.db.selectFrom('parties').select('id').execute();
      events.push('read');
      expect(parties).toEqual([]);
      other.exec('commit');
      ok(await writing);
      expect(events).toEqual(['read', 'written']);
    } finally {
      other.close();
      await store.close();
    }
  });

  test('two stores on one file in one process both write, in turn', async () => {
    const path = join(dir, 'books.db');
    const first = await openSqliteStore(path);
    const second = await openSqliteStore(path);
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          addParty(ingotOver(n % 2 === 0 ? first : second, 'lock'), {
            id: `BANK-${n}`,
            name: `Bank ${n}`,
            role: 'client',
          }),
        ),
      );
      expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
      const count = await first.db
        .selectFrom('parties')
        .select((eb) => eb.fn.countAll<bigint>().as('n'))
        .executeTakeFirstOrThrow();
      expect(BigInt(count.n)).toBe(20n);
      expect((await verifyStore(ingotOver(first))).breaches).toEqual([]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
