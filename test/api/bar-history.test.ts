// One bar of the 1961 story followed through its life: received into the State Bank's vault, sold
// to NBC, then released to a representative or shipped to Havana. The depository sees it all, NBC
// only its span, another bank nothing (answered as a bar that does not exist); the command line's
// --json answers as the API does. Whose an event is, the books' order decides, never a date a client
// typed: a bar's new owner dating an instruction before the transfer that brought it the bar does
// not show that instruction to the bank it came from.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiGet, type Books, books1961, cliText, expectSameJson } from '../support/parity.ts';
import { type ScenarioServed, servedScenario1961 } from './scenario.ts';
import { type Client, clearUsers, type Served, servedWorld } from './support.ts';

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

describe('a bar’s history between two client banks', () => {
  let served: Served;
  let nbc: Client;
  let bnb: Client;
  let auditor: Client;
  /** The bar NBC bought and sent to BNB on 1961-03-02; its history's path. */
  let path = '';
  let transfer = '';
  let backdated = '';

  /** Drafts an instruction of `client` and signs it, both dated `date`; returns its id. */
  async function signed(client: Client, body: Record<string, unknown>, date: string): Promise<string> {
    const drafted = await client.post('/instructions', { ...body, date });
    expect(drafted.status, drafted.text).toBe(201);
    const id = (drafted.body as { instruction_id: string }).instruction_id;
    const { digest } = (await client.get(`/instructions/${id}`)).body as { digest: string };
    const sign = await client.post(`/instructions/${id}/sign`, { digest, date });
    expect(sign.status, sign.text).toBe(200);
    return id;
  }

  beforeAll(async () => {
    served = await servedWorld(20);
    const operator = await served.signIn('operator');
    const supervisor = await served.signIn('supervisor');
    nbc = await served.signIn('nbc-signatory');
    bnb = await served.signIn('bnb-signatory');
    auditor = await served.signIn('auditor');
    const bought = { quantity_fine_milli_oz: '400000', date: '1961-01-17' };
    expect((await nbc.post('/offers/OFFER-1/accept', bought, 'history-buy')).status).toBe(201);
    expect((await operator.post('/trades/TRADE-1/allocate', {})).status).toBe(200);
    const settled = await operator.post('/trades/TRADE-1/settle', { date: '1961-01-31' }, 'history-s');
    expect(settled.status, settled.text).toBe(201);
    const page = (await nbc.get('/accounts/NBC-GOLD/bars?limit=1')).body as {
      items: { id: string; refiner: string; serial: string }[];
    };
    const bar = page.items[0];
    if (!bar) throw new Error('NBC holds no bar after the sale');
    path = `/bars/${bar.refiner}/${bar.serial}/history`;
    const toBnb = { kind: 'transfer', account: 'NBC-GOLD', bars: [bar.id], to: 'BNB-GOLD' };
    transfer = await signed(nbc, toBnb, '1961-03-02');
    const accepted = await operator.post(`/instructions/${transfer}/accept`, { date: '1961-03-02' });
    expect(accepted.status, accepted.text).toBe(200);
    const executed = await operator.post(`/instructions/${transfer}/execute`, { date: '1961-03-02' });
    expect(executed.status, executed.text).toBe(200);
    const approval = (executed.body as { pending_approval: string }).pending_approval;
    const { digest } = (await supervisor.get(`/approvals/${approval}`)).body as { digest: string };
    const approved = await supervisor.post(`/approvals/${approval}/approve`, { digest });
    expect(approved.status, approved.text).toBe(200);
    // BNB, now the owner, signs an instruction on the bar dated a month before it came to BNB.
    const back = { kind: 'transfer', account: 'BNB-GOLD', bars: [bar.id], to: 'NBC-GOLD' };
    backdated = await signed(bnb, back, '1961-02-01');
  });
  afterAll(() => served?.close());

  const shown = async (client: Client) => {
    const answer = await client.get(path);
    expect(answer.status, answer.text).toBe(200);
    return (answer.body as Shown).events.map((e) => `${e.date} ${e.kind} ${e.reference}`);
  };

  test('the bank a bar came from never sees an instruction its new owner dated before the move', async () => {
    expect(await shown(nbc)).toEqual([
      '1961-01-31 owner_changed TRADE-1',
      `1961-03-02 reserved ${transfer}`,
      `1961-03-02 owner_changed ${transfer}`,
    ]);
    expect(await shown(bnb)).toEqual([
      `1961-02-01 reserved ${backdated}`,
      `1961-03-02 owner_changed ${transfer}`,
    ]);
    expect(await shown(auditor)).toContain(`1961-02-01 reserved ${backdated}`);
    expect((await nbc.get(`/instructions/${backdated}`)).status).toBe(404);
  });

  test('the books verify after', async () => {
    const verified = await auditor.get('/verify');
    expect(verified.status, verified.text).toBe(200);
    expect((verified.body as { breaches: unknown[] }).breaches).toEqual([]);
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
