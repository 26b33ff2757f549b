import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { parseScaled } from '../decimal.ts';
import { type Account, type AccountKind, applyPostings, type LedgerUnit, type Posting } from '../ledger.ts';
import {
  type ExportAccount,
  type ExportEntry,
  expectedHledgerBalances,
  exportHledger,
  HLEDGER_COMMODITIES,
  hledgerAccountName,
  hledgerAmount,
} from './hledger.ts';

const HLEDGER_INSTALLED = spawnSync('hledger', ['--version'], { encoding: 'utf8' }).status === 0;
const SKIP_REASON = HLEDGER_INSTALLED
  ? ''
  : ' (skipped: hledger is not installed; apt-get install -y hledger)';
const workspace = mkdtempSync(join(tmpdir(), 'ingot-hledger-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('amounts, exact in every commodity', () => {
  test.each<[LedgerUnit, bigint, string]>([
    ['GBP', 60_090n, '3004.50 GBPd'], // £12 10s 4½d
    ['GBP', 60_960n, '3048.00 GBPd'], // 254s 0d
    ['GBP', 5n, '0.25 GBPd'], // a farthing
    ['GBP', 48n, '2.40 GBPd'], // a decimal penny
    ['GBP', 1n, '0.05 GBPd'], // Ingot's smallest sterling unit
    ['GBP', -34_285_714_270n, '-1714285713.50 GBPd'], // £7,142,857 2s 9½d paid out
    ['XAU', 399_440n, '399.440 XAU'],
    ['XAU', -1n, '-0.001 XAU'],
    ['USD', 2_000_000_000n, '20000000.00 USD'],
    ['EUR', 7n, '0.07 EUR'],
  ])('%s %s → %s', (unit, amount, expected) => {
    expect(hledgerAmount(unit, amount)).toBe(expected);
  });

  test('property: every amount reads back to the same minor units', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<LedgerUnit>('GBP', 'USD', 'EUR', 'XAU'),
        fc.bigInt(-(10n ** 18n), 10n ** 18n),
        (unit, amount) => {
          const [number, symbol] = hledgerAmount(unit, amount).split(' ');
          const commodity = HLEDGER_COMMODITIES[unit];
          expect(symbol).toBe(commodity.symbol);
          const parsed = parseScaled(number ?? '', commodity.decimals, 'amount');
          expect(parsed.ok && parsed.value).toBe(amount * commodity.scaled_per_minor);
        },
      ),
    );
  });
});

describe('account names', () => {
  const account = (id: string, party_id: string, kind: AccountKind): ExportAccount => ({
    id,
    party_id,
    kind,
    unit: 'XAU',
  });
  test.each<[ExportAccount, string]>([
    [account('NBC-GOLD', 'NBC', 'custody'), 'assets:custody:NBC:NBC-GOLD'],
    [account('NBC-GBP', 'NBC', 'cash'), 'assets:cash:NBC:NBC-GBP'],
    [account('EXTERNAL-XAU', 'EXTERNAL', 'external'), 'equity:external:EXTERNAL-XAU'],
    [account('A:B  C', 'P', 'cash'), 'assets:cash:P:A%3AB%20%20C'], // ':' and '  ' are syntax
    [account('BNC-ORO', 'Banco Nación', 'custody'), 'assets:custody:Banco%20Naci%C3%B3n:BNC-ORO'],
  ])('%o → %s', (subject, expected) => {
    expect(hledgerAccountName(subject)).toBe(expected);
  });
});

/** The 1961 story in the books: funding, settlement, a release, a shipment charged to the client. */
const ACCOUNTS: readonly ExportAccount[] = [
  { id: 'NBC-GBP', party_id: 'NBC', kind: 'cash', unit: 'GBP' },
  { id: 'NBC-GOLD', party_id: 'NBC', kind: 'custody', unit: 'XAU' },
  { id: 'NBC-TRANSIT', party_id: 'NBC', kind: 'custody', unit: 'XAU' },
  { id: 'GOSBANK-GBP', party_id: 'GOSBANK', kind: 'cash', unit: 'GBP' },
  { id: 'GOSBANK-FEES', party_id: 'GOSBANK', kind: 'cash', unit: 'GBP' },
  { id: 'GOSBANK-VAULT', party_id: 'GOSBANK', kind: 'custody', unit: 'XAU' },
  { id: 'EXTERNAL-GBP', party_id: 'EXTERNAL', kind: 'external', unit: 'GBP' },
  { id: 'EXTERNAL-XAU', party_id: 'EXTERNAL', kind: 'external', unit: 'XAU' },
];
const post = (account_id: string, unit: LedgerUnit, amount: bigint): Posting => ({
  account_id,
  unit,
  amount,
});
const ENTRIES: readonly ExportEntry[] = [
  {
    id: 1n,
    kind: 'bars.receive',
    value_date: '1961-01-11',
    memo: 'bar list GOSBANK-1961-01; 1,408 bars',
    postings: [post('EXTERNAL-XAU', 'XAU', -562_500_000n), post('GOSBANK-VAULT', 'XAU', 562_500_000n)],
  },
  {
    id: 2n,
    kind: 'cash.deposit',
    value_date: '1961-01-20',
    memo: 'USD 20,000,000 at 2.80\nfrom London',
    postings: [post('EXTERNAL-GBP', 'GBP', -34_285_714_285n), post('NBC-GBP', 'GBP', 34_285_714_285n)],
  },
  {
    id: 3n,
    kind: 'settlement',
    value_date: '1961-01-31',
    memo: 'T-1: 562,429.696 fine oz against £7,142,857 2s 9½d',
    postings: [
      post('NBC-GBP', 'GBP', -34_285_714_270n),
      post('GOSBANK-GBP', 'GBP', 34_285_714_270n),
      post('GOSBANK-VAULT', 'XAU', -562_429_696n),
      post('NBC-GOLD', 'XAU', 562_429_696n),
    ],
  },
  { id: 4n, kind: 'instruction.sign', value_date: '1961-02-01', memo: 'I-1 signed by sig-1', postings: [] },
  {
    id: 5n,
    kind: 'cash.deposit',
    value_date: '1961-02-11',
    memo: 'GBP 250 for the shipment to Havana',
    postings: [post('EXTERNAL-GBP', 'GBP', -1_200_000n), post('NBC-GBP', 'GBP', 1_200_000n)],
  },
  {
    id: 6n,
    kind: 'instruction.execute',
    value_date: '1961-02-10',
    memo: 'release I-1 to Representative One',
    postings: [post('NBC-GOLD', 'XAU', -799_440n), post('EXTERNAL-XAU', 'XAU', 799_440n)],
  },
  {
    id: 7n,
    kind: 'instruction.accept_quote',
    value_date: '1961-02-12',
    memo: 'shipment I-2 to Havana; transport and insurance',
    postings: [post('NBC-GBP', 'GBP', -960_005n), post('GOSBANK-FEES', 'GBP', 960_005n)],
  },
  {
    id: 8n,
    kind: 'instruction.dispatch',
    value_date: '1961-02-20',
    memo: 'shipment I-2 dispatched by Aeroflot',
    postings: [post('NBC-GOLD', 'XAU', -1_200_000n), post('NBC-TRANSIT', 'XAU', 1_200_000n)],
  },
  {
    id: 9n,
    kind: 'instruction.confirm_delivery',
    value_date: '1961-02-24',
    memo: 'shipment I-2 delivered at Havana',
    postings: [post('NBC-TRANSIT', 'XAU', -1_200_000n), post('EXTERNAL-XAU', 'XAU', 1_200_000n)],
  },
];

/** Ingot's own balances after the entries, by its ledger rules. */
function ingotBalances(accounts: readonly ExportAccount[], entries: readonly ExportEntry[]) {
  const books = new Map<string, Account>(accounts.map((a) => [a.id, { ...a, balance: 0n }]));
  for (const entry of entries) {
    const applied = applyPostings(entry.postings, books);
    if (!applied.ok) throw new Error(`${entry.id}: ${applied.message}`);
    for (const [id, balance] of applied.balances) {
      const account = books.get(id);
      if (account) books.set(id, { ...account, balance });
    }
  }
  return [...books.values()];
}

describe('the journal as hledger text', () => {
  test('declarations, then one transaction per entry with exact amounts', () => {
    const text = exportHledger(ENTRIES.slice(2, 4), ACCOUNTS);
    expect(text).toContain(
      'commodity 0.000 XAU\ncommodity 0.00 GBPd\ncommodity 0.00 USD\ncommodity 0.00 EUR\n',
    );
    expect(text).toContain('account assets:cash:GOSBANK:GOSBANK-FEES\n');
    expect(text.split('\n\n').slice(-2).join('\n\n')).toBe(
      [
        '1961-01-31 (3) settlement | T-1: 562,429.696 fine oz against £7,142,857 2s 9½d',
        '    ; ingot-entry: 3',
        '    assets:cash:NBC:NBC-GBP                           -1714285713.50 GBPd',
        '    assets:cash:GOSBANK:GOSBANK-GBP                   1714285713.50 GBPd',
        '    assets:custody:GOSBANK:GOSBANK-VAULT              -562429.696 XAU',
        '    assets:custody:NBC:NBC-GOLD                       562429.696 XAU',
        '',
        '1961-02-01 (4) instruction.sign | I-1 signed by sig-1',
        '    ; ingot-entry: 4\n',
      ].join('\n'),
    );
  });

  test('a memo cannot break the format: line breaks and comment marks are neutralized', () => {
    const text = exportHledger([{ ...ENTRIES[3], memo: 'a;b\nc\td' } as ExportEntry], ACCOUNTS);
    expect(text).toContain('1961-02-01 (4) instruction.sign | a,b c d\n');
  });

  test('posting to an account not exported is a bug', () => {
    expect(() => exportHledger(ENTRIES, ACCOUNTS.slice(1))).toThrow('unknown account NBC-GBP');
  });
});

/** Writes the export, runs hledger's strict check and balance report, returns balances by account. */
function hledgerBalances(
  name: string,
  accounts: readonly ExportAccount[],
  entries: readonly ExportEntry[],
  strict = false,
) {
  const file = join(workspace, `${name}.journal`);
  writeFileSync(file, exportHledger(entries, accounts));
  // `check --strict` also wants every account and commodity declared; `balance` refuses unbalanced entries.
  if (strict) execFileSync('hledger', ['-f', file, 'check', '--strict'], { encoding: 'utf8' });
  const csv = execFileSync('hledger', ['-f', file, 'balance', '--flat', '--no-total', '-O', 'csv'], {
    encoding: 'utf8',
  });
  const rows = csv.trim().split('\n').slice(1);
  return new Map(rows.map((row) => JSON.parse(`[${row}]`) as [string, string]));
}

describe(`Debian's hledger reads the export and agrees with Ingot${SKIP_REASON}`, () => {
  test.skipIf(!HLEDGER_INSTALLED)('the 1961 story: balances equal Ingot’s, every commodity balances', () => {
    const balances = hledgerBalances('1961', ACCOUNTS, ENTRIES, true);
    expect(balances).toEqual(expectedHledgerBalances(ingotBalances(ACCOUNTS, ENTRIES)));
    expect(balances.get('assets:custody:NBC:NBC-GOLD')).toBe('560430.256 XAU');
    // ¾d left from the settlement, £250 paid in, £200 and a farthing charged: £50 0s 0½d.
    expect(balances.get('assets:cash:NBC:NBC-GBP')).toBe('12000.50 GBPd');
    // 562,500 oz received, 1,999.440 oz released and delivered.
    expect(balances.get('equity:external:EXTERNAL-XAU')).toBe('-560500.560 XAU');
  });

  test.skipIf(!HLEDGER_INSTALLED)('property: random balanced journals read the same in hledger', () => {
    const units: LedgerUnit[] = ['GBP', 'USD', 'EUR', 'XAU'];
    const accounts: ExportAccount[] = units.flatMap((unit) => [
      { id: `A-${unit}`, party_id: 'A', kind: 'cash', unit },
      { id: `B-${unit}`, party_id: 'B', kind: 'custody', unit },
      { id: `EXTERNAL-${unit}`, party_id: 'EXTERNAL', kind: 'external', unit },
    ]);
    const transfer = fc.record({
      unit: fc.constantFrom(...units),
      target: fc.constantFrom('A', 'B'),
      amount: fc.bigInt(1n, 10n ** 15n),
    });
    let run = 0;
    fc.assert(
      fc.property(
        fc.array(fc.array(transfer, { minLength: 1, maxLength: 3 }), { maxLength: 12 }),
        (drawn) => {
          // Every entry brings value in from outside: no balance but an external one goes below zero.
          const entries: ExportEntry[] = drawn.map((lines, index) => ({
            id: BigInt(index + 1),
            kind: 'random',
            value_date: '2024-06-03',
            memo: `entry ${index + 1}`,
            postings: lines.flatMap((line) => [
              post(`EXTERNAL-${line.unit}`, line.unit, -line.amount),
              post(`${line.target}-${line.unit}`, line.unit, line.amount),
            ]),
          }));
          run += 1;
          const balances = hledgerBalances(`random-${run}`, accounts, entries);
          expect(balances).toEqual(expectedHledgerBalances(ingotBalances(accounts, entries)));
        },
      ),
      { numRuns: 12 },
    );
  });
});
