// Every read that the server and the command line both offer answers the same: the 1961 books in
// one SQLite file, asked through `ingot --json` (a process) and through the API (over HTTP).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Workspace, workspace } from '../support/cli.ts';
import { apiGet, type Books, books1961, cliText, expectSameJson } from '../support/parity.ts';
import type { Client } from './support.ts';

let books: Books;
/** Sees every party's books: the depository's auditor. */
let auditor: Client;
/** Sees only NBC's. */
let viewer: Client;

/**
 * The same request both ways: the API's answer, then `ingot --user gosbank-auditor --json ...args`,
 * both parsed. The commands run one at a time: a CLI process that finds the sources newer than its
 * bundle rebuilds it, removing the chunks another running process may still be about to load.
 */
async function both(client: Client, path: string, ...args: string[]): Promise<[unknown, unknown]> {
  const api = (await apiGet(client, path)).body;
  const cli: unknown = JSON.parse(cliText(books.cli, '--user', 'gosbank-auditor', '--json', ...args));
  return [api, cli];
}

/** A page of a list, as `GET /trades` answers it. */
interface Page {
  readonly items: { readonly id: string }[];
  readonly next_cursor: string | null;
}

/**
 * Beyond the replay (three instructions, all finished): a release drafted, remarked and signed by
 * one signatory (a quantity, no bars yet), and a transfer accepted whose execution waits for four
 * eyes, so the lists hold unfinished instructions and a pending approval too; a second trade and a
 * second fixing, so the lists of trades and prices have something to page through and leave out.
 */
function unfinishedBusiness(cli: Workspace): void {
  const release = ['--quantity', '100 oz', '--representative', 'REP-1', '--on', '1961-04-04'];
  const beneficiary = ['--beneficiary', 'PNB', '--beneficiary-name', 'Narodowy Bank Polski'];
  const transfer = ['--quantity', '800 oz', '--to', 'NBC-DISPOSAL', ...beneficiary];
  const steps: [string, ...string[]][] = [
    ['nbc-signatory-1', 'instruct', 'draft', 'release', '--account', 'NBC-GOLD', ...release],
    ['nbc-signatory-1', 'instruct', 'remark', 'INS-4', 'Señor Pérez comes on Tuesday, 4 April, "at 10"'],
    ['nbc-signatory-1', 'instruct', 'sign', 'INS-4'],
    ['nbc-signatory-1', 'instruct', 'draft', 'transfer', '--account', 'NBC-GOLD', ...transfer],
    ['nbc-signatory-1', 'instruct', 'sign', 'INS-5'],
    ['nbc-signatory-2', 'instruct', 'sign', 'INS-5'],
    ['gosbank-operator', 'instruct', 'accept', 'INS-5'],
    ['gosbank-operator', 'instruct', 'execute', 'INS-5'],
  ];
  // A signatory signs against the digest of the account `instruct show` gave them, cleared to read
  // it by the supervisor, who is cleared first (books1961 clears it again, to no effect).
  const clearances: [string, string][] = [
    ['gosbank-supervisor', 'top secret'],
    ['nbc-signatory-1', 'confidential'],
    ['nbc-signatory-2', 'confidential'],
  ];
  for (const [user, level] of clearances) {
    cliText(cli, '--user', 'gosbank-supervisor', 'clearances', 'grant', user, '--level', level);
  }
  for (const [user, ...args] of steps) {
    const [, step, id = ''] = args;
    const shown = step === 'sign' ? cliText(cli, '--user', user, '--json', 'instruct', 'show', id) : '';
    const digest = step === 'sign' ? ['--digest', (JSON.parse(shown) as { digest: string }).digest] : [];
    cliText(cli, '--user', user, ...args, ...digest, '--date', '1961-04-03');
  }
  // A second trade, accepted and waiting for bars, so the trades list has two states and two pages.
  const accept = ['accept', 'OFFER-1', '--by', 'NBC', '--quantity', '100 oz', '--key', 'parity-trade-2'];
  cliText(cli, '--user', 'nbc-signatory-1', ...accept, '--date', '1961-03-01');
  // A second fixing, outside January, for the range of the prices list to leave out.
  cliText(cli, '--user', 'gosbank-operator', 'prices', 'add', '1961-02-01', '250s 7½d', '--source', 'parity');
}

beforeAll(async () => {
  books = await books1961(unfinishedBusiness);
  auditor = await books.as('gosbank-auditor');
  viewer = await books.as('nbc-viewer');
});
afterAll(() => books?.close());

describe('the CLI and the API answer the same', () => {
  test('a trade with its bar list: trades show TRADE-1 = GET /trades/TRADE-1', async () => {
    const [api, cli] = await both(auditor, '/trades/TRADE-1', 'trades', 'show', 'TRADE-1');
    expect(Object.keys(api as object)).toEqual(['trade', 'bars']);
    expect((api as { bars: unknown[] }).bars).toHaveLength(1401);
    expectSameJson(api, cli, 'TRADE-1');
  });

  test('an instruction: instruct show = GET /instructions/:id, finished or not', async () => {
    const shown = new Map<string, unknown>();
    for (const id of ['INS-1', 'INS-3', 'INS-4', 'INS-5']) {
      const [api, cli] = await both(auditor, `/instructions/${id}`, 'instruct', 'show', id);
      expectSameJson(api, cli, id);
      shown.set(id, api);
    }
    const drafted = shown.get('INS-4') as { remarks: { text: string }[]; bars: unknown[] };
    expect(drafted.remarks.map((r) => r.text)).toEqual(['Señor Pérez comes on Tuesday, 4 April, "at 10"']);
    expect(drafted.bars).toEqual([]);
    expect(shown.get('INS-5')).toMatchObject({ instruction: { state: 'accepted' } });
  });

  test('the list of instructions: instruct list = GET /instructions, for all and for one client', async () => {
    const [all, cliAll] = await both(auditor, '/instructions', 'instruct', 'list');
    expect((all as { id: string }[]).map((i) => i.id)).toEqual(['INS-1', 'INS-2', 'INS-3', 'INS-4', 'INS-5']);
    expectSameJson(all, cliAll, 'instructions');
    const [nbc, cliNbc] = await both(viewer, '/instructions', 'instruct', 'list', '--party', 'NBC');
    expectSameJson(nbc, cliNbc, "NBC's instructions");
  });

  test('a statement of a custody account with its bars: statement = GET /accounts/:id/statement', async () => {
    const period = ['--from', '1961-01-01', '--date', '1961-04-30'];
    const query = 'from=1961-01-01&to=1961-04-30';
    const [gold, cliGold] = await both(
      auditor,
      `/accounts/NBC-GOLD/statement?${query}`,
      'statement',
      'NBC-GOLD',
      ...period,
    );
    expect((gold as { bars: unknown[] | null }).bars?.length).toBeGreaterThan(1000);
    expectSameJson(gold, cliGold, 'NBC-GOLD statement');
    const [bare, cliBare] = await both(
      auditor,
      `/accounts/NBC-GOLD/statement?${query}&bars=false`,
      'statement',
      'NBC-GOLD',
      ...period,
      '--no-bars',
    );
    expect((bare as { bars: unknown }).bars).toBeNull();
    expectSameJson(bare, cliBare, 'NBC-GOLD statement without bars');
    const [cash, cliCash] = await both(
      auditor,
      `/accounts/NBC-GBP/statement?${query}`,
      'statement',
      'NBC-GBP',
      ...period,
    );
    expectSameJson(cash, cliCash, 'NBC-GBP statement');
  });

  test('the approvals: approvals list = GET /approvals, in every status and in each', async () => {
    const [all, cliAll] = await both(auditor, '/approvals', 'approvals', 'list', '--status', 'all');
    expect((all as { status: string }[]).map((a) => a.status)).toContain('pending');
    expectSameJson(all, cliAll, 'approvals, all');
    for (const status of ['pending', 'approved']) {
      const [api, cli] = await both(
        auditor,
        `/approvals?status=${status}`,
        'approvals',
        'list',
        '--status',
        status,
      );
      expectSameJson(api, cli, `approvals, ${status}`);
      if (status === 'pending') expect(api).toMatchObject([{ action: 'execute_instruction' }]);
    }
  });

  test('the representatives: representatives list = GET /representatives', async () => {
    const [all, cliAll] = await both(auditor, '/representatives', 'representatives', 'list');
    expect((all as { id: string }[]).map((r) => r.id)).toEqual(['REP-1', 'REP-2']);
    expectSameJson(all, cliAll, 'representatives');
    const [nbc, cliNbc] = await both(viewer, '/representatives', 'representatives', 'list', '--party', 'NBC');
    expectSameJson(nbc, cliNbc, "NBC's representatives");
  });

  test('the trades a page at a time: trades list = GET /trades, all, one client’s in a state, paged', async () => {
    const [all, cliAll] = await both(auditor, '/trades', 'trades', 'list');
    expect((all as Page).items.map((t) => t.id)).toEqual(['TRADE-2', 'TRADE-1']);
    expectSameJson(all, cliAll, 'trades');
    const nbcSettled = ['trades', 'list', '--party', 'NBC', '--state', 'settled'] as const;
    const [settled, cliSettled] = await both(viewer, '/trades?state=settled', ...nbcSettled);
    expect((settled as Page).items.map((t) => t.id)).toEqual(['TRADE-1']);
    expectSameJson(settled, cliSettled, "NBC's settled trades");
    const [first, cliFirst] = await both(auditor, '/trades?limit=1', 'trades', 'list', '--limit', '1');
    expectSameJson(first, cliFirst, 'the first page of one trade');
    const cursor = (first as Page).next_cursor ?? '';
    expect(cursor).not.toBe('');
    const next = ['trades', 'list', '--limit', '1', '--cursor', cursor] as const;
    const [second, cliSecond] = await both(auditor, `/trades?limit=1&cursor=${cursor}`, ...next);
    expect(second).toMatchObject({ items: [{ id: 'TRADE-1' }], next_cursor: null });
    expectSameJson(second, cliSecond, 'the second page');
  });

  test('the offers with what is taken of each: offers list = GET /offers', async () => {
    const [all, cliAll] = await both(auditor, '/offers', 'offers', 'list');
    expect(all).toMatchObject([{ id: 'OFFER-1' }]);
    expectSameJson(all, cliAll, 'offers');
  });

  test('the fixings: prices list = GET /prices, all and in a range of dates', async () => {
    const [all, cliAll] = await both(auditor, '/prices', 'prices', 'list');
    expect(all).toMatchObject([{ date: '1961-01-31' }, { date: '1961-02-01' }]);
    expectSameJson(all, cliAll, 'fixings');
    const range = ['--currency', 'GBP', '--from', '1961-01-01', '--to', '1961-01-31'];
    const query = 'currency=GBP&from=1961-01-01&to=1961-01-31';
    const [some, cliSome] = await both(auditor, `/prices?${query}`, 'prices', 'list', ...range);
    expect((some as { date: string }[]).map((f) => f.date)).toEqual(['1961-01-31']);
    expectSameJson(some, cliSome, 'GBP fixings of January 1961');
  });

  test('a bar list as CSV: bars export = GET /accounts/:id/bars.csv, to the byte', async () => {
    for (const account of ['NBC-GOLD', 'GOSBANK-VAULT']) {
      const api = await apiGet(auditor, `/accounts/${account}/bars.csv`, 'text/csv');
      const cli = cliText(books.cli, 'bars', 'export', '--account', account);
      expect(api.text, `${account} bars.csv`).toBe(cli);
      const lines = cli.trimEnd().split('\n');
      expect(lines[0]).toBe('serial,refiner,year,gross_oz,fineness,fine_oz,vault,location,bar_id');
      expect(lines.length).toBeGreaterThan(100);
    }
  });

  test('the register: messages = GET /correspondence, for all, for one client, in a direction and state', async () => {
    // The depository writes to two correspondents, whose keys it pins: letters wait in its outbox.
    const correspondents = ['NBC', 'PNB'].map((bank) => {
      const own = workspace();
      cliText(own, 'keys', 'generate', '--bank', bank);
      return { bank, own };
    });
    try {
      cliText(books.cli, 'keys', 'generate', '--bank', 'GOSBANK', '--mode', 'depository');
      for (const { bank, own } of correspondents) {
        cliText(books.cli, 'keys', 'pin', '--bank', bank, '--file', join(own.dir, `${bank}.public.json`));
      }
      const letter = ['send', 'letter', '--date', '1961-04-05', '--text', 'Loading on 1 May.'];
      cliText(books.cli, ...letter, '--to', 'NBC', '--subject', 'Loading', '--classification', 'secret');
      cliText(books.cli, ...letter, '--to', 'PNB', '--subject', 'Loading at Gdynia');
    } finally {
      for (const { own } of correspondents) own.dispose();
    }
    const [all, cliAll] = await both(auditor, '/correspondence', 'messages');
    expect((all as { correspondent: string }[]).map((m) => m.correspondent)).toEqual(['NBC', 'PNB']);
    expectSameJson(all, cliAll, 'the register');
    // An entry shows neither the text, nor how the message travels, nor what applying it did.
    expect(Object.keys((all as object[])[0] ?? {})).toEqual([
      'id',
      'direction',
      'correspondent',
      'number',
      'registered_at',
      'date',
      'classification',
      'copies',
      'subject',
      'message_type',
      'reference',
      'state',
      'linked',
    ]);
    const [nbc, cliNbc] = await both(viewer, '/correspondence', 'messages', '--correspondent', 'NBC');
    expect(nbc).toMatchObject([{ correspondent: 'NBC', classification: 'secret', subject: 'Loading' }]);
    expectSameJson(nbc, cliNbc, "NBC's register");
    const [out, cliOut] = await both(
      auditor,
      '/correspondence?direction=out&state=outbox',
      'messages',
      '--direction',
      'out',
      '--state',
      'outbox',
    );
    expect(out).toHaveLength(2);
    expectSameJson(out, cliOut, 'the outbox');
  });
});
