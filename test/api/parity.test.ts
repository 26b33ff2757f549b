// Every read that the server and the command line both offer answers the same: the 1961 books in
// one SQLite file, asked through `ingot --json` (a process) and through the API (over HTTP).
import { writeFileSync } from 'node:fs';
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

/**
 * The same request for text both ways: the API's body (of `type`), then what
 * `ingot --user gosbank-auditor ...args` writes to standard output.
 */
async function bothText(path: string, type: string, ...args: string[]): Promise<[string, string]> {
  const api = (await apiGet(auditor, path, type)).text;
  return [api, cliText(books.cli, '--user', 'gosbank-auditor', ...args)];
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
  // A Good Delivery List, one current refiner and one former, for the refiners list to show.
  writeFileSync(join(cli.dir, 'refiners.csv'), `${REFINERS.join('\n')}\n`);
  cliText(cli, 'refiners', 'import', 'refiners.csv', '--date', '1961-01-02');
}

const REFINERS = [
  'brand_code,name,country,status,listed_on,removed_on',
  'MSK,Moscow Refinery,USSR,current,1950-01-01,',
  'OLD,Old Refinery,United Kingdom,former,1934-01-01,1959-06-30',
];

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

  test('one approval: approvals show = GET /approvals/:id, pending and decided', async () => {
    const listed = (await apiGet(auditor, '/approvals')).body as { id: string; status: string }[];
    const pending = listed.find((a) => a.status === 'pending');
    const approved = listed.find((a) => a.status === 'approved');
    for (const approval of [pending, approved]) {
      expect(approval).toBeDefined();
      const id = approval?.id ?? '';
      const [api, cli] = await both(auditor, `/approvals/${id}`, 'approvals', 'show', id);
      expect(api).toMatchObject({ id, status: approval?.status });
      expectSameJson(api, cli, `approval #${id}`);
    }
  });

  test('the bar reports: report holdings|events = GET /reports/holdings|events, to the byte', async () => {
    const [holdings, cliHoldings] = await bothText(
      '/reports/holdings?date=1961-04-30&format=jsonl',
      'application/x-ndjson',
      ...['report', 'holdings', '--date', '1961-04-30', '--format', 'jsonl'],
    );
    expect(holdings.trimEnd().split('\n').length).toBeGreaterThan(1000);
    expect(holdings, 'holdings as JSON Lines').toBe(cliHoldings);
    const [events, cliEvents] = await bothText(
      '/reports/events?from=1961-01-01&to=1961-04-30',
      'text/csv',
      ...['report', 'events', '--from', '1961-01-01', '--to', '1961-04-30'],
    );
    expect(events.trimEnd().split('\n').length).toBeGreaterThan(1000);
    expect(events, 'events as CSV').toBe(cliEvents);
  });

  test('the Good Delivery List: refiners list = GET /refiners', async () => {
    const [api, cli] = await both(auditor, '/refiners', 'refiners', 'list');
    expect((api as { brand_code: string }[]).map((r) => r.brand_code)).toEqual(['MSK', 'OLD']);
    expectSameJson(api, cli, 'refiners');
  });

  test('the check of the books: verify = GET /verify', async () => {
    const [api, cli] = await both(auditor, '/verify', 'verify');
    expect(api).toMatchObject({ breaches: [] });
    expectSameJson(api, cli, 'verify');
  });

  test('the documents of settlement: documents = GET /documents, all and of one trade', async () => {
    const [all, cliAll] = await both(auditor, '/documents', 'documents');
    expect((all as { trade_id: string }[]).length).toBeGreaterThan(0);
    expectSameJson(all, cliAll, 'documents');
    const [none, cliNone] = await both(
      auditor,
      '/documents?trade=TRADE-2',
      'documents',
      '--trade',
      'TRADE-2',
    );
    expect(none).toEqual([]);
    expectSameJson(none, cliNone, 'the documents of an unsettled trade');
  });

  test('the users: users list = GET /users, all and one client’s', async () => {
    const [all, cliAll] = await both(auditor, '/users', 'users', 'list');
    expect((all as { id: string }[]).map((u) => u.id)).toContain('nbc-viewer');
    expectSameJson(all, cliAll, 'users');
    const [nbc, cliNbc] = await both(viewer, '/users', 'users', 'list', '--party', 'NBC');
    expect((nbc as { party_id: string }[]).every((u) => u.party_id === 'NBC')).toBe(true);
    expectSameJson(nbc, cliNbc, "NBC's users");
  });

  test('the accounts and balances: accounts = GET /accounts, all and one client’s', async () => {
    const [all, cliAll] = await both(auditor, '/accounts', 'accounts');
    expect((all as { id: string }[]).map((a) => a.id)).toContain('GOSBANK-VAULT');
    expectSameJson(all, cliAll, 'accounts');
    const [nbc, cliNbc] = await both(viewer, '/accounts?party=NBC', 'accounts', '--party', 'NBC');
    expect((nbc as { party_id: string }[]).map((a) => a.party_id)).toContain('NBC');
    expectSameJson(nbc, cliNbc, "NBC's accounts");
  });

  test('the journal for hledger: journal export = GET /journal.hledger, to the byte', async () => {
    const hledger = ['journal', 'export', '--format', 'hledger'];
    const [api, cli] = await bothText('/journal.hledger', 'text/plain', ...hledger);
    expect(api).toContain('NBC-GOLD');
    expect(api, 'the journal').toBe(cli);
  });

  test('a count of the vault: reconcile = POST /reconcile, a bar missing, one unexpected, one differing', async () => {
    const listed = (await apiGet(auditor, '/accounts/NBC-GOLD/bars.csv', 'text/csv')).text;
    const [header = '', missing, reweighed = '', ...rest] = listed.trimEnd().split('\n');
    expect(missing).toBeDefined();
    const cells = reweighed.split(',');
    cells.splice(3, 3, '400.000', '999.9', '399.960');
    const count = [header, cells.join(','), ...rest, 'ZZ1,MSK,1960,400.000,999.9,399.960,,,'];
    writeFileSync(join(books.cli.dir, 'count.csv'), `${count.join('\n')}\n`);
    const answer = await auditor.request('POST', '/reconcile?account=NBC-GOLD', {
      body: `${count.join('\n')}\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({
      missing: { count: '1' },
      unexpected: { count: '1' },
      differing: { count: '1' },
    });
    // The count differs from the books: the command says so by its exit code, after its answer.
    const run = books.cli.ingot(
      ...['--user', 'gosbank-auditor', '--json', 'reconcile', 'count.csv', '--account', 'NBC-GOLD'],
    );
    expect(run.code, run.stderr).toBe(1);
    expectSameJson(answer.body, JSON.parse(run.stdout), 'the reconciliation');
  });
});
