// A bar's history reads the instruction and representative bodies custody stored as JSON: checked
// against their shapes, so a corrupt body stops the read (an invariant broken) rather than showing
// a history with the representative or destination quietly made up or left out. And the bar's
// identity is the one view of a stored bar, cut to what never changes. Another bank's bar is refused
// before any of its life is read, as a bar that does not exist is.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scenario1961Books } from '../../../test/api/scenario.ts';
import { InvariantError } from '../../domain/outcome.ts';
import type { Ingot } from '../kernel/context.ts';
import { barHistory } from './history.ts';

/** The 1961 books: MSK 100250 released to REP-1 under INS-1, MSK 100000 shipped under INS-3. */
let ingot: Ingot;

beforeAll(async () => {
  ingot = await scenario1961Books();
});
afterAll(() => ingot?.store.close());

const historyOf = (serial: string) => barHistory(ingot, { refiner: 'MSK', serial, reader_user_id: null });

/** Replaces a stored body behind Ingot's back, as corruption or a hand edit would. */
async function storeBody(table: 'instructions' | 'representatives', id: string, body: string): Promise<void> {
  await ingot.store.write(async (tx) => {
    await sql`update ${sql.table(table)} set body = ${body} where id = ${id}`.execute(tx);
  });
}

async function bodyOf(table: 'instructions' | 'representatives', id: string): Promise<string> {
  const rows = await sql<{ body: string }>`select body from ${sql.table(table)} where id = ${id}`.execute(
    ingot.store.db,
  );
  const body = rows.rows[0]?.body;
  if (body === undefined) throw new Error(`no ${table} ${id}`);
  return body;
}

describe('a bar’s history', () => {
  test('names the bar by the fields of its view that never change, and nothing more', async () => {
    const history = await historyOf('100250');
    if (!history.ok) throw new Error(history.message);
    expect(Object.keys(history.bar)).toEqual([
      'id',
      'refiner',
      'serial',
      'year',
      'gross_milli_oz',
      'fineness',
      'fine_milli_oz',
      'bar_id',
    ]);
    expect(history.bar).toMatchObject({ refiner: 'MSK', serial: '100250' });
    expect(typeof history.bar.year).toBe('number');
  });

  test('a representative stored without a name stops the read instead of naming the id', async () => {
    const history = await historyOf('100250');
    if (!history.ok) throw new Error(history.message);
    expect(history.events.at(-1)?.handed_to).toMatchObject({ representative_id: 'REP-1' });
    const body = await bodyOf('representatives', 'REP-1');
    const { name: _dropped, ...nameless } = JSON.parse(body) as Record<string, unknown>;
    await storeBody('representatives', 'REP-1', JSON.stringify(nameless));
    try {
      await expect(historyOf('100250')).rejects.toThrow(InvariantError);
      await expect(historyOf('100250')).rejects.toThrow(/representative REP-1: .*name/);
    } finally {
      await storeBody('representatives', 'REP-1', body);
    }
    expect((await historyOf('100250')).ok).toBe(true);
  });

  test('an instruction whose destination is no text stops the read instead of leaving it out', async () => {
    const history = await historyOf('100000');
    if (!history.ok) throw new Error(history.message);
    expect(history.events.at(-1)?.destination).toContain('Havana');
    const body = await bodyOf('instructions', 'INS-3');
    const parsed = JSON.parse(body) as { details: Record<string, unknown> };
    const broken = { ...parsed, details: { ...parsed.details, destination: 1961 } };
    await storeBody('instructions', 'INS-3', JSON.stringify(broken));
    try {
      await expect(historyOf('100000')).rejects.toThrow(/instruction INS-3: .*destination/);
    } finally {
      await storeBody('instructions', 'INS-3', body);
    }
    expect((await historyOf('100000')).ok).toBe(true);
  });

  test('another bank’s bar is refused before any of its life is read, as a missing bar is', async () => {
    const asBnb = (serial: string) =>
      barHistory(ingot, { refiner: 'MSK', serial, reader_user_id: 'bnb-signatory' });
    const body = await bodyOf('instructions', 'INS-3');
    // A corrupt body stops any read of MSK 100000's life: BNB's refusal must come before one.
    await storeBody('instructions', 'INS-3', '{"selection": ');
    try {
      await expect(historyOf('100000')).rejects.toThrow(InvariantError);
      const [hidden, missing] = [await asBnb('100000'), await asBnb('999999')];
      expect(hidden).toMatchObject({ ok: false, code: 'bar_not_found', field: 'bar' });
      expect(missing).toMatchObject({ ok: false, code: 'bar_not_found', field: 'bar' });
    } finally {
      await storeBody('instructions', 'INS-3', body);
    }
  });

  test('an instruction body that is not JSON stops the read', async () => {
    const body = await bodyOf('instructions', 'INS-3');
    await storeBody('instructions', 'INS-3', '{"selection": ');
    try {
      await expect(historyOf('100000')).rejects.toThrow(/instruction INS-3: the stored text is not JSON/);
    } finally {
      await storeBody('instructions', 'INS-3', body);
    }
  });
});
