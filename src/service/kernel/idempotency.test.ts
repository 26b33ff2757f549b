import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type CustodyOutcome, refuseCustody } from '../../domain/custody/refusal.ts';
import { type Outcome, refuse } from '../../domain/outcome.ts';
import { openSqliteStore } from '../../store/sqlite/open.ts';
import type { Tx } from '../../store/store.ts';
import { type Ingot, ingotOver } from './context.ts';
import { atomically, idempotent } from './idempotency.ts';

let ingot: Ingot;
beforeEach(async () => {
  ingot = ingotOver(await openSqliteStore(':memory:'));
});
afterEach(() => ingot.store.close());

/** Writes a marker row, so a test can tell whether the work's writes were kept or rolled back. */
async function mark(tx: Tx, name: string): Promise<void> {
  await tx
    .insertInto('idempotency')
    .values({ key: name, command: 'mark', request_hash: '', response: '{}', created_at: ingot.now() })
    .execute();
}

async function marked(name: string): Promise<boolean> {
  const row = await ingot.store.db
    .selectFrom('idempotency')
    .select('key')
    .where('key', '=', name)
    .executeTakeFirst();
  return row !== undefined;
}

describe('atomically', () => {
  test('keeps the writes of a success', async () => {
    const done = await atomically(ingot, async (tx): Promise<Outcome<{ id: string }>> => {
      await mark(tx, 'kept');
      return { ok: true, id: 'A' };
    });
    expect(done).toStrictEqual({ ok: true, id: 'A' });
    expect(await marked('kept')).toBe(true);
  });

  test("hands back any feature's refusal as it is and rolls back its writes", async () => {
    const refusal = refuseCustody('quote_expired', 'the quote has expired', 'quote');
    const done: CustodyOutcome<{ id: string }> = await atomically(
      ingot,
      async (tx): Promise<CustodyOutcome<{ id: string }>> => {
        await mark(tx, 'undone');
        return refusal;
      },
    );
    expect(done).toBe(refusal);
    expect(await marked('undone')).toBe(false);
  });

  test('lets a bug through', async () => {
    const work = async (): Promise<Outcome<{ id: string }>> => {
      throw new Error('a bug');
    };
    await expect(atomically(ingot, work)).rejects.toThrow('a bug');
  });
});

describe('idempotent', () => {
  test('a repeat returns the first result without running the work again', async () => {
    let runs = 0;
    const work = async (tx: Tx): Promise<Outcome<{ id: string }>> => {
      runs += 1;
      await mark(tx, `run-${runs}`);
      return { ok: true, id: `A${runs}` };
    };
    const first = await idempotent(ingot, 'k1', 'things.make', { n: 1 }, work);
    const again = await idempotent(ingot, 'k1', 'things.make', { n: 1 }, work);
    expect(first).toStrictEqual({ ok: true, id: 'A1', replayed: false });
    expect(again).toStrictEqual({ ok: true, id: 'A1', replayed: true });
    expect(runs).toBe(1);
  });

  test('a key used for another request is refused', async () => {
    const work = async (): Promise<Outcome<{ id: string }>> => ({ ok: true, id: 'A' });
    await idempotent(ingot, 'k1', 'things.make', { n: 1 }, work);
    const other = await idempotent(ingot, 'k1', 'things.make', { n: 2 }, work);
    expect(other).toMatchObject({ ok: false, code: 'idempotency_key_reused', field: 'key' });
  });

  test('a refusal rolls back, is not remembered, and a retry may succeed', async () => {
    let refusing = true;
    const work = async (tx: Tx): Promise<CustodyOutcome<{ id: string }>> => {
      await mark(tx, refusing ? 'refused' : 'accepted');
      return refusing
        ? refuseCustody('quote_expired', 'the quote has expired', 'quote')
        : { ok: true, id: 'B' };
    };
    const refused = await idempotent(ingot, 'k2', 'things.make', {}, work);
    expect(refused).toStrictEqual(refuseCustody('quote_expired', 'the quote has expired', 'quote'));
    expect(await marked('refused')).toBe(false);
    refusing = false;
    const retried = await idempotent(ingot, 'k2', 'things.make', {}, work);
    expect(retried).toStrictEqual({ ok: true, id: 'B', replayed: false });
    expect(await marked('accepted')).toBe(true);
  });

  test('a core refusal passes through unchanged', async () => {
    const refusal = refuse('insufficient_funds', 'not enough money', 'amount');
    const done = await idempotent(
      ingot,
      'k3',
      'things.make',
      {},
      async (): Promise<Outcome<{ id: string }>> => refusal,
    );
    expect(done).toBe(refusal);
  });
});
