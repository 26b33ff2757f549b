// One bar of the 1961 story followed through its life: received into the State Bank's vault, sold
// to NBC, then released to a representative or shipped to Havana. The depository sees it all, NBC
// only its span, another bank nothing (answered as a bar that does not exist); the command line's
// --json answers as the API does.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiGet, type Books, books1961, cliText, expectSameJson } from '../support/parity.ts';
import { type ScenarioServed, servedScenario1961 } from './scenario.ts';
import { clearUsers } from './support.ts';

interface Shown {
  bar: { refiner: string; serial: string };
  events: {
    kind: string;
    date: string;
    entry_id: string | null;
    reference: string | null;
    description: string;
  }[];
}

const kinds = (shown: Shown) => shown.events.map((e) => e.kind);

describe('a bar’s history over the API', () => {
  let served: ScenarioServed;
  beforeAll(async () => {
    served = await servedScenario1961();
    await clearUsers(served.ingot, ['gosbank-supervisor', 'gosbank-auditor', 'nbc-viewer']);
  });
  afterAll(() => served?.close());

  test('the depository sees a shipped bar from receipt to delivery in Havana', async () => {
    const auditor = await served.as('gosbank-auditor');
    const shown = (await apiGet(auditor, '/bars/MSK/100000/history')).body as Shown;
    expect(kinds(shown)).toEqual([
      'received',
      'allocated',
      'owner_changed',
      'reserved',
      'dispatched',
      'delivered',
    ]);
    expect(shown.events.map((e) => e.reference)).toEqual([
      expect.stringContaining('scenario-1961-stock.csv'),
      'TRADE-1',
      'TRADE-1',
      'INS-3',
      'INS-3',
      'INS-3',
    ]);
    expect(shown.events.at(-1)?.description).toContain('Havana');
  });

  test('a released bar names the representative and the identity document', async () => {
    const auditor = await served.as('gosbank-auditor');
    const shown = (await apiGet(auditor, '/bars/msk/100250/history')).body as Shown;
    expect(kinds(shown)).toEqual([
      'received',
      'allocated',
      'owner_changed',
      'reserved',
      'released_to_representative',
    ]);
    expect(shown.events.at(-1)).toMatchObject({
      date: '1961-02-15',
      reference: 'INS-1',
      handed_to: { representative_id: 'REP-1', identity_document: 'diplomatic passport Cuba D-0001' },
    });
  });

  test('NBC sees only the span while it owned the bar', async () => {
    const viewer = await served.as('nbc-viewer');
    const shown = (await apiGet(viewer, '/bars/MSK/100000/history')).body as Shown;
    expect(kinds(shown)).toEqual(['owner_changed', 'reserved', 'dispatched', 'delivered']);
    expect(shown.events[0]).toMatchObject({ reference: 'TRADE-1', date: '1961-01-31' });
  });

  test('a bar NBC never owned, and any bar to another bank, is answered as one that does not exist', async () => {
    const auditor = await served.as('gosbank-auditor');
    const vault = (await apiGet(auditor, '/accounts/GOSBANK-VAULT/bars?limit=1')).body as {
      items: { refiner: string; serial: string }[];
    };
    const unsold = vault.items[0];
    if (!unsold) throw new Error('the vault keeps bars after the sale');
    const viewer = await served.as('nbc-viewer');
    const bnb = await served.as('bnb-signatory');
    const unknown = await viewer.get('/bars/MSK/999999/history');
    expect(unknown.status).toBe(404);
    const asked = [
      [viewer, `/bars/${unsold.refiner}/${unsold.serial}/history`],
      [bnb, '/bars/MSK/100000/history'],
      [bnb, '/bars/MSK/999999/history'],
    ] as const;
    for (const [client, path] of asked) {
      const answer = await client.get(path);
      expect(answer.status, path).toBe(404);
      expect((answer.body as { code: string }).code).toBe('bar_not_found');
    }
  });
});

describe('a bar’s history at the command line', () => {
  let books: Books;
  beforeAll(async () => {
    books = await books1961();
  });
  afterAll(() => books?.close());

  test('bars history --json answers as GET /bars/{refiner}/{serial}/history', async () => {
    const auditor = await books.as('gosbank-auditor');
    const bars: readonly (readonly [string, string])[] = [
      ['MSK', '100000'],
      ['MSK', '100250'],
    ];
    for (const [refiner, serial] of bars) {
      const api = (await apiGet(auditor, `/bars/${refiner}/${serial}/history`)).body;
      const args = ['--user', 'gosbank-auditor', '--json', 'bars', 'history', refiner, serial];
      expectSameJson(api, JSON.parse(cliText(books.cli, ...args)), `${refiner} ${serial}`);
    }
  });

  test('bars history prints the life a line an event, and refuses an unknown bar', () => {
    const text = cliText(books.cli, 'bars', 'history', 'MSK', '100250');
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^MSK 100250 \(1959\)/);
    expect(lines[1]).toMatch(/^1961-01-02 {2}#1 .*received into GOSBANK-VAULT/);
    expect(text).toContain('owner changed from GOSBANK-VAULT to NBC-GOLD under TRADE-1');
    expect(lines.at(-1)).toMatch(/^1961-02-15 {2}#4 .*REP-1.*diplomatic passport Cuba D-0001/);
    const unknown = books.cli.ingot('bars', 'history', 'MSK', '999999');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('bar_not_found');
  });
});
