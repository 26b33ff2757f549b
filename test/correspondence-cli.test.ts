// The correspondence commands as a user meets them: keys, the register and clearances, messages
// parsed and rendered, documents printed, and a sync with no relay to reach.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Workspace, workspace } from './support/cli.ts';

let bank: Workspace;
let other: Workspace;

beforeAll(() => {
  bank = workspace();
  other = workspace();
  expect(bank.ingot('keys', 'generate', '--bank', 'GOSBANK', '--mode', 'depository').code).toBe(0);
  expect(other.ingot('keys', 'generate', '--bank', 'NBC').code).toBe(0);
});

afterAll(() => {
  bank.dispose();
  other.dispose();
});

describe('keys', () => {
  test('the private keys are written once, readable by their owner only', () => {
    expect(statSync(join(bank.dir, 'GOSBANK.keys.json')).mode & 0o777).toBe(0o600);
    const again = bank.ingot('keys', 'generate', '--bank', 'GOSBANK');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/own_keys_exist/);
  });

  test("a correspondent's keys are pinned once; another needs --replace; a wrong fingerprint fails", () => {
    const nbcFile = join(other.dir, 'NBC.public.json');
    const fingerprint = (JSON.parse(readFileSync(nbcFile, 'utf8')) as { fingerprint: string }).fingerprint;
    const pinned = bank.ingot(
      'keys',
      'pin',
      '--bank',
      'NBC',
      '--file',
      nbcFile,
      '--fingerprint',
      fingerprint,
    );
    expect(pinned.stdout).toMatch(/keys of NBC pinned/);
    const forged = join(bank.dir, 'forged.json');
    const gosbank = JSON.parse(readFileSync(join(bank.dir, 'GOSBANK.public.json'), 'utf8')) as object;
    writeFileSync(forged, JSON.stringify({ ...gosbank, bank: 'NBC', fingerprint: '' }));
    const swapped = bank.ingot('keys', 'pin', '--bank', 'NBC', '--file', forged);
    expect([swapped.code, swapped.stderr]).toEqual([1, expect.stringMatching(/key_already_pinned/)]);
    const wrong = bank.ingot('keys', 'pin', '--bank', 'NBC', '--file', nbcFile, '--fingerprint', 'ABCD');
    expect([wrong.code, wrong.stderr]).toEqual([2, expect.stringMatching(/fingerprint_mismatch/)]);
    const shown = bank.json<{ bank_id: string; is_self: boolean }[]>('keys', 'show');
    expect(shown.map((k) => [k.bank_id, k.is_self])).toEqual([
      ['GOSBANK', true],
      ['NBC', false],
    ]);
  });
});

describe('the register', () => {
  test('a letter waits in the outbox while no relay answers; only a cleared user opens it', () => {
    const letter = [
      '--to',
      'NBC',
      '--subject',
      'Loading',
      '--text',
      'Loading on 1 March.',
      '--date',
      '1961-02-19',
    ];
    expect(bank.ingot('send', 'letter', ...letter, '--classification', 'secret').code).toBe(0);
    const sync = bank.ingot('sync', '--relay', 'http://127.0.0.1:9');
    expect([sync.code, sync.stderr]).toEqual([1, expect.stringMatching(/relay_unreachable/)]);
    const [entry] =
      bank.json<{ id: string; state: string; number: string; classification: string }[]>('messages');
    expect(entry).toMatchObject({ state: 'outbox', number: '1', classification: 'secret' });
    bank.ingot('--user', 'registrar', 'clearances', 'grant', 'registrar', '--level', 'top secret');
    bank.ingot('--user', 'registrar', 'clearances', 'grant', 'clerk', '--level', 'confidential');
    const refused = bank.ingot('--user', 'clerk', 'messages', 'open', entry?.id ?? '');
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/not_cleared/)]);
    const opened = bank.ingot('--user', 'registrar', 'messages', 'open', entry?.id ?? '');
    expect(opened.stdout).toMatch(/:79:Loading on 1 March\./);
    const reads = bank.json<{ user_id: string; outcome: string }[]>('messages', 'reads', entry?.id ?? '');
    expect(reads.map((r) => `${r.user_id} ${r.outcome}`)).toEqual(['clerk refused', 'registrar allowed']);
  });

  test('resend: a message not receipted goes again; one never sent from here is refused', () => {
    const [entry] = bank.json<{ id: string }[]>('messages', '--direction', 'out');
    const again = bank.ingot('resend', entry?.id ?? '');
    expect([again.code, again.stdout]).toEqual([
      0,
      expect.stringMatching(/in the outbox; it goes at the next sync/),
    ]);
    const none = bank.ingot('resend', '999');
    expect([none.code, none.stderr]).toEqual([1, expect.stringMatching(/message_not_found/)]);
  });
});

describe('the relay', () => {
  test("a bank's signing key is pinned at the relay once; another key needs --replace", () => {
    const relayDb = join(bank.dir, 'relay.db');
    const nbcFile = join(other.dir, 'NBC.public.json');
    const pin = (...args: string[]) => bank.ingot('relay', 'pin', '--db', relayDb, ...args);
    expect(pin('--bank', 'NBC', '--file', nbcFile).stdout).toMatch(/^NBC: signing key pinned at the relay/);
    expect(pin('--bank', 'NBC', '--file', nbcFile).stdout).toMatch(/unchanged/);
    const forged = join(bank.dir, 'forged-relay.json');
    const gosbank = JSON.parse(readFileSync(join(bank.dir, 'GOSBANK.public.json'), 'utf8')) as object;
    writeFileSync(forged, JSON.stringify({ ...gosbank, bank: 'NBC', fingerprint: '' }));
    const swapped = pin('--bank', 'NBC', '--file', forged);
    expect([swapped.code, swapped.stderr]).toEqual([1, expect.stringMatching(/key_already_pinned/)]);
    expect(pin('--bank', 'NBC', '--file', forged, '--replace').stdout).toMatch(/replaced/);
    const wrong = pin(
      '--bank',
      'GOSBANK',
      '--file',
      join(bank.dir, 'GOSBANK.public.json'),
      '--fingerprint',
      'AB',
    );
    expect([wrong.code, wrong.stderr]).toEqual([2, expect.stringMatching(/fingerprint_mismatch/)]);
    const port = bank.ingot('relay', '--db', relayDb);
    expect([port.code, port.stderr]).toEqual([2, expect.stringMatching(/give --port and --db/)]);
  });
});

const STATEMENT = `{1:F01GOSBSUMMAXXX0000000000}{2:O608BNCUCUHHXXXXN}{4:
:20:ST910201
:25:0001-UNALL
:28:3/1
:26C:/LONDON/UNALLGOLD
:60F:C910115FOZ150000,
:61:910117D12500,S604F77441200
:61:910124C3000,S607CRESZZ4105
TRANSFER FROM ZURICH
:62F:C910131FOZ140500,
:64:C910131FOZ140500,
-}{5:{CHK:123456789ABC}}
`;

describe('message parse and render', () => {
  test('a statement from elsewhere: its balances and lines, checked, and back to text', () => {
    const file = join(bank.dir, 'statement.fin');
    writeFileSync(file, STATEMENT);
    const text = bank.ingot('message', 'parse', file);
    expect(text.stdout).toContain('opening balance C 150000, FOZ on 1991-01-15');
    expect(text.stdout).toContain('1991-01-24             C 3000, FOZ  S607 CRESZZ4105  → C 140500, FOZ');
    expect(text.stdout).toContain('closing balance C 140500, FOZ on 1991-01-31');
    expect(text.stdout).toContain('left out (not modelled): 64');
    const json = bank.json<{ fields: object; summary: { opening: string; lines: number } }>(
      'message',
      'parse',
      file,
    );
    expect(json.summary).toEqual({ opening: 'C 150000, FOZ', closing: 'C 140500, FOZ', lines: 2 });
    const fields = join(bank.dir, 'statement.json');
    writeFileSync(fields, JSON.stringify(json.fields));
    const rendered = bank.ingot('message', 'render', fields);
    expect(rendered.stdout).toMatch(/^MT608\n:20:ST910201\n/);
    expect(rendered.stdout).toContain(':62F:C910131FOZ140500,\n');
  });

  test('a statement that does not add up is refused naming 62F', () => {
    const file = join(bank.dir, 'wrong.fin');
    writeFileSync(file, STATEMENT.replace(':62F:C910131FOZ140500,', ':62F:C910131FOZ140600,'));
    const run = bank.ingot('message', 'parse', file);
    expect([run.code, run.stderr]).toEqual([
      2,
      expect.stringMatching(/invalid_input \[62F\]: .* 100, FOZ more/),
    ]);
  });
});

describe('documents', () => {
  test('the bar list of the 1961 books as PDF and CSV: numbered copies, for cleared users only', () => {
    const books = workspace();
    try {
      expect(books.ingot('scenario', '1961').code).toBe(0);
      books.ingot('--user', 'ivanov', 'clearances', 'grant', 'ivanov', '--level', 'secret');
      const pdf = join(books.dir, 'barlist.pdf');
      const args = ['--account', 'NBC-GOLD', '--date', '1961-01-31', '--classification', 'secret'];
      const first = books.ingot('--user', 'ivanov', 'documents', 'pdf', 'barlist', ...args, '--out', pdf);
      expect(first.stdout).toMatch(/copy No\. 1$/m);
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
      const second = books.ingot('--user', 'ivanov', 'documents', 'pdf', 'barlist', ...args, '--out', pdf);
      expect(second.stdout).toMatch(/copy No\. 2$/m);
      const refused = books.ingot('--user', 'nobody', 'documents', 'pdf', 'barlist', ...args, '--out', pdf);
      expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/not_cleared/)]);
      const csv = join(books.dir, 'barlist.csv');
      books.ingot('--user', 'ivanov', 'documents', 'csv', 'barlist', ...args, '--out', csv);
      const lines = readFileSync(csv, 'utf8').trim().split('\n');
      expect(lines[0]).toBe('serial,refiner,year,gross_oz,fineness,fine_oz');
      expect(lines.length).toBe(1402);
      const statement = join(books.dir, 'statement.pdf');
      const period = ['--account', 'NBC-GOLD', '--from', '1961-01-01', '--date', '1961-03-31'];
      expect(
        books.ingot('--user', 'ivanov', 'documents', 'pdf', 'statement', ...period, '--out', statement).code,
      ).toBe(0);
      const confirmation = join(books.dir, 'confirmation.pdf');
      const trade = ['--trade', 'TRADE-1', '--out', confirmation];
      expect(books.ingot('--user', 'ivanov', 'documents', 'pdf', 'confirmation', ...trade).code).toBe(0);
    } finally {
      books.dispose();
    }
  }, 60_000);
});
