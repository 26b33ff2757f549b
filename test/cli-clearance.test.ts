// The command line keeps the server's rule of confidentiality for the user it names with --user:
// an instruction, an approval naming bars, a trade, the bar reports, the journal and a count are
// given only to a user cleared for a bar list (or the journal), and a client bank's user sees none
// of the whole books; a signatory signs, and a supervisor approves, only what it may be shown, and
// signing or accepting a quote needs the digest of the account shown. The books' keeper, at the
// console without --user, is not asked.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantClearance } from '../src/service/correspondence/register.ts';
import { ingotOver } from '../src/service/kernel/context.ts';
import { addParty } from '../src/service/parties/parties.ts';
import { addUser } from '../src/service/parties/users.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { clearedScenario, type Workspace } from './support/cli.ts';
import { ok } from './support/desk.ts';

let books: Workspace;

/** What a refused command prints: nothing on standard output, the refusal on standard error. */
function refusedAs(user: string, ...args: string[]): string {
  const run = books.ingot('--user', user, ...args);
  expect([run.code, run.stdout], run.stderr).toEqual([1, '']);
  return run.stderr;
}

const NOT_CLEARED = (user: string) =>
  `ingot: not_cleared [user]: ${user} (no clearance) may not read a document classified confidential\n`;

/** The serials of NBC's bars, as the keeper exports them. */
function nbcSerials(): string[] {
  const csv = books.ingot('bars', 'export', '--account', 'NBC-GOLD').stdout;
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0] ?? '');
}

beforeAll(() => {
  // Cleared: the supervisor and the first signatory. Not: the auditor, the viewer, the second signatory.
  books = clearedScenario();
  expect(books.ingot('bars', 'export', '--account', 'NBC-GOLD', '--out', 'count.csv').code).toBe(0);
}, 60_000);
afterAll(() => books?.dispose());

describe('what names bars, read with --user', () => {
  // Approval 4 of the replay is the execution of INS-1, a release of two named bars.
  const CLASSIFIED: readonly (readonly string[])[] = [
    ['instruct', 'show', 'INS-1'],
    ['approvals', 'show', '4'],
    ['trades', 'show', 'TRADE-1'],
  ];
  const BOOKS: readonly (readonly string[])[] = [
    ['report', 'holdings', '--date', '1961-01-31', '--out', 'refused.csv'],
    ['report', 'events', '--from', '1961-01-01', '--to', '1961-12-31'],
    ['journal', 'export', '--out', 'refused.journal'],
    ['reconcile', 'count.csv'],
  ];

  it.each(CLASSIFIED)('refuses the uncleared viewer and auditor: %s %s %s', (...args) => {
    for (const user of ['nbc-viewer', 'gosbank-auditor'])
      expect(refusedAs(user, ...args)).toBe(NOT_CLEARED(user));
  });

  it.each(BOOKS)('refuses the uncleared auditor the whole books: %s %s %s', (...args) => {
    expect(refusedAs('gosbank-auditor', ...args)).toBe(NOT_CLEARED('gosbank-auditor'));
    expect(existsSync(join(books.dir, 'refused.csv'))).toBe(false);
    expect(existsSync(join(books.dir, 'refused.journal'))).toBe(false);
  });

  it('refuses a client’s user, even cleared, every party’s books', () => {
    for (const args of [BOOKS[0] ?? [], BOOKS[2] ?? []])
      expect(refusedAs('nbc-signatory-1', ...args)).toBe(
        'ingot: forbidden [role]: nbc-signatory-1 may not read the books of every party\n',
      );
  });

  it.each([...CLASSIFIED, ...BOOKS])(
    'gives the cleared supervisor what the keeper reads: %s %s %s',
    (...args) => {
      const cleared = books.ingot('--user', 'gosbank-supervisor', ...args);
      const keeper = books.ingot(...args);
      expect(cleared.code, cleared.stderr).toBe(keeper.code);
      expect(cleared.stdout).toBe(keeper.stdout);
    },
  );

  it('gives the cleared signatory its own instruction and trade', () => {
    for (const args of CLASSIFIED)
      expect(books.ingot('--user', 'nbc-signatory-1', ...args).code, args.join(' ')).toBe(0);
  });

  it('answers an instruction or approval of no one’s as for another bank’s: not found', () => {
    expect(refusedAs('nbc-viewer', 'instruct', 'show', 'INS-99')).toBe(
      'ingot: instruction_not_found [instruction]: no instruction INS-99 is visible to you\n',
    );
    // An approval's number is answered as the server answers it: bad input (exit 2).
    const approval = books.ingot('--user', 'nbc-viewer', 'approvals', 'show', '99');
    expect([approval.code, approval.stdout, approval.stderr]).toEqual([
      2,
      '',
      'ingot: invalid_input [approval]: no approval 99\n',
    ]);
    // The depository's own approval (a fixing entered by hand), to NBC's viewer: as if none.
    const proposed = books.ingot(
      '--user',
      'gosbank-operator',
      'prices',
      'propose',
      '1961-04-05',
      '254s 0d',
      '--source',
      'The Times',
    );
    const number = /approve (\d+)/.exec(proposed.stdout)?.[1] ?? '';
    expect(number, proposed.stderr).not.toBe('');
    const hidden = books.ingot('--user', 'nbc-viewer', 'approvals', 'show', number);
    expect([hidden.code, hidden.stdout, hidden.stderr.replace(number, '99')]).toEqual([
      approval.code,
      '',
      approval.stderr,
    ]);
  });

  it('lists the approvals to the uncleared with the lines naming bars withheld, and no digest', () => {
    const run = books.ingot('--json', '--user', 'nbc-viewer', 'approvals', 'list', '--status', 'all');
    expect(run.code, run.stderr).toBe(0);
    for (const serial of nbcSerials()) expect(run.stdout).not.toContain(serial);
    const rows = JSON.parse(run.stdout) as { id: string; account: string[]; digest: string | null }[];
    const execution = rows.find((row) => row.id === '4');
    expect(execution?.digest).toBeNull();
    expect(execution?.account.at(-1)).toBe(
      '2 lines naming bars withheld: nbc-viewer (no clearance) may not read a document classified confidential',
    );
    const keeper = books.json<{ id: string; digest: string | null }[]>(
      'approvals',
      'list',
      '--status',
      'all',
    );
    expect(keeper.find((row) => row.id === '4')?.digest).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('signing binds the client to the account shown', () => {
  let digest = '';

  beforeAll(() => {
    const drafted = books.ingot(
      '--user',
      'nbc-signatory-1',
      'instruct',
      'draft',
      'release',
      '--account',
      'NBC-GOLD',
      '--quantity',
      '100 oz',
      '--representative',
      'REP-1',
      '--on',
      '1961-04-04',
      '--date',
      '1961-04-03',
    );
    expect(drafted.code, drafted.stderr).toBe(0);
    const shown = books.json<{ digest: string }>('--user', 'nbc-signatory-1', 'instruct', 'show', 'INS-4');
    digest = shown.digest;
  }, 30_000);

  it.each(['sign', 'accept-quote'])('refuses to %s without --digest, and changes nothing', (step) => {
    const before = books.snapshot();
    const run = books.ingot('--user', 'nbc-signatory-1', 'instruct', step, 'INS-4', '--date', '1961-04-03');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("required option '--digest <sha256>' not specified");
    expect(books.snapshot()).toBe(before);
  });

  it('refuses an uncleared signatory, who may not be shown the account, and changes nothing', () => {
    const before = books.snapshot();
    const args = ['instruct', 'sign', 'INS-4', '--digest', digest, '--date', '1961-04-03'];
    expect(refusedAs('nbc-signatory-2', ...args)).toBe(NOT_CLEARED('nbc-signatory-2'));
    expect(books.snapshot()).toBe(before);
  });

  it('signs with the digest of the account shown; the books stay sound', () => {
    const args = ['instruct', 'sign', 'INS-4', '--digest', digest, '--date', '1961-04-03'];
    const signed = books.ingot('--user', 'nbc-signatory-1', ...args);
    expect(signed.code, signed.stderr).toBe(0);
    expect(books.ingot('verify').code).toBe(0);
  });
});

describe('lists read with --user', () => {
  const json = (...args: string[]) => {
    const run = books.ingot('--json', ...args);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as { party_id: string }[];
  };
  const parties = (rows: { party_id: string }[]) => [...new Set(rows.map((row) => row.party_id))].sort();

  it('gives a client bank’s user its own bank’s accounts and users only, as the server does', () => {
    expect(parties(json('accounts'))).toEqual(expect.arrayContaining(['GOSBANK', 'NBC']));
    expect(parties(json('--user', 'nbc-viewer', 'accounts'))).toEqual(['NBC']);
    expect(json('--user', 'nbc-viewer', 'accounts', '--party', 'GOSBANK')).toEqual([]);
    expect(parties(json('--user', 'nbc-viewer', 'users', 'list'))).toEqual(['NBC']);
    expect(json('--user', 'nbc-viewer', 'users', 'list', '--party', 'GOSBANK')).toEqual([]);
    expect(parties(json('--user', 'gosbank-auditor', 'users', 'list'))).toEqual(
      expect.arrayContaining(['GOSBANK', 'NBC']),
    );
  });
});

describe('another bank’s things, read with --user', () => {
  // BNB, a second client bank, with a signatory cleared as NBC's is; and a letter to NBC in the
  // depository's register.
  beforeAll(async () => {
    const store = await openSqliteStore(books.db);
    try {
      const ingot = ingotOver(store, 'test');
      ok(await addParty(ingot, { id: 'BNB', name: 'Bulgarian National Bank', role: 'client' }));
      const user = { id: 'bnb-signatory', party_id: 'BNB', role: 'client_signatory' as const, name: 'B' };
      ok(await addUser(ingot, { ...user, password: 'a long enough password', created_by: 'test' }));
      const level = 'confidential' as const;
      ok(await grantClearance(ingot, { user_id: 'bnb-signatory', level, by: 'gosbank-supervisor' }));
      await store.db
        .insertInto('messages')
        .values({
          id: 1n,
          direction: 'out',
          correspondent: 'NBC',
          number: 1n,
          registered_at: '1961-02-19T10:00:00Z',
          date: '1961-02-19',
          classification: 'confidential',
          copies: 1n,
          subject: 'Loading on 1 March',
          message_type: 'MT699',
          reference: 'LTR-1',
          message_id: null,
          sequence: null,
          state: 'outbox',
          reason: null,
          text: null,
          envelope: null,
          envelope_hash: null,
          relay_id: null,
          origin: null,
          applied: null,
          linked: null,
          sent_at: null,
          delivered_at: null,
        })
        .execute();
    } finally {
      await store.close();
    }
  }, 60_000);
  const json = <T>(...args: string[]) => {
    const run = books.ingot('--json', ...args);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as T;
  };
  const noMessage = (id: number) => `ingot: message_not_found [id]: no message #${id} is visible to you\n`;

  it('prints no document of NBC’s or the depository’s for BNB, as for none at all; writes no file', () => {
    const out = ['--out', 'other.pdf'];
    expect(refusedAs('bnb-signatory', 'documents', 'pdf', 'barlist', '--account', 'NBC-GOLD', ...out)).toBe(
      refusedAs('bnb-signatory', 'documents', 'pdf', 'barlist', '--account', 'NO-SUCH', ...out).replace(
        'NO-SUCH',
        'NBC-GOLD',
      ),
    );
    expect(refusedAs('bnb-signatory', 'documents', 'csv', 'barlist', '--account', 'NBC-GOLD', ...out)).toBe(
      'ingot: account_not_found [account]: no account NBC-GOLD is visible to you\n',
    );
    expect(refusedAs('bnb-signatory', 'documents', 'pdf', 'statement', '--account', 'NBC-GOLD', ...out)).toBe(
      'ingot: account_not_found [account]: no account NBC-GOLD is visible to you\n',
    );
    expect(refusedAs('bnb-signatory', 'documents', 'pdf', 'confirmation', '--trade', 'TRADE-1', ...out)).toBe(
      'ingot: trade_not_found [trade]: no trade TRADE-1 is visible to you\n',
    );
    expect(
      refusedAs('nbc-signatory-1', 'documents', 'pdf', 'barlist', '--account', 'GOSBANK-VAULT', ...out),
    ).toBe('ingot: account_not_found [account]: no account GOSBANK-VAULT is visible to you\n');
    expect(existsSync(join(books.dir, 'other.pdf'))).toBe(false);
  });

  it('prints NBC’s own bar list for its cleared signatory, for its owner’s eyes only', () => {
    const run = books.ingot(
      '--user',
      'nbc-signatory-1',
      'documents',
      'csv',
      'barlist',
      '--account',
      'NBC-GOLD',
      '--date',
      '1961-12-31',
      '--out',
      'own.csv',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(statSync(join(books.dir, 'own.csv')).mode & 0o777).toBe(0o600);
  });

  it('lists BNB nothing of the others’: trades, offers, instructions, representatives, the register, clearances', () => {
    const as = ['--user', 'bnb-signatory'];
    expect(json<{ items: unknown[] }>(...as, 'trades', 'list').items).toEqual([]);
    expect(json<{ items: unknown[] }>(...as, 'trades', 'list', '--party', 'NBC').items).toEqual([]);
    expect(json<unknown[]>(...as, 'offers', 'list')).toEqual([]);
    expect(json<unknown[]>(...as, 'offers', 'list', '--party', 'NBC')).toEqual([]);
    expect(json<unknown[]>(...as, 'instruct', 'list', '--party', 'NBC')).toEqual([]);
    expect(json<unknown[]>(...as, 'representatives', 'list', '--party', 'NBC')).toEqual([]);
    expect(json<unknown[]>(...as, 'messages', 'list')).toEqual([]);
    expect(json<unknown[]>(...as, 'messages', 'list', '--correspondent', 'NBC')).toEqual([]);
    expect(json<{ user_id: string }[]>(...as, 'clearances', 'list').map((row) => row.user_id)).toEqual([
      'bnb-signatory',
    ]);
    // NBC's own, to NBC's viewer: its register, its trades.
    const nbc = ['--user', 'nbc-viewer'];
    expect(json<{ correspondent: string }[]>(...nbc, 'messages', 'list').map((m) => m.correspondent)).toEqual(
      ['NBC'],
    );
    expect(json<{ items: unknown[] }>(...nbc, 'trades', 'list').items.length).toBeGreaterThan(0);
  });

  it('opens, prints and tells who read NBC’s letter to no one of BNB, as for a letter that is not there', () => {
    for (const args of [
      ['messages', 'open'],
      ['messages', 'reads'],
    ]) {
      expect(refusedAs('bnb-signatory', ...args, '1')).toBe(noMessage(1));
      expect(refusedAs('bnb-signatory', ...args, '99')).toBe(noMessage(99));
    }
    const print = ['documents', 'pdf', 'barlist', '--message', '1', '--out', 'letter.pdf'];
    expect(refusedAs('bnb-signatory', ...print)).toBe(noMessage(1));
    expect(existsSync(join(books.dir, 'letter.pdf'))).toBe(false);
  });
});
