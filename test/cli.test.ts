// The command line as a user meets it: real processes on a real SQLite file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ingotOver } from '../src/service/kernel/context.ts';
import { addParty } from '../src/service/parties/parties.ts';
import { addUser } from '../src/service/parties/users.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { type Workspace, workspace } from './support/cli.ts';
import { ok } from './support/desk.ts';

const BARS = [
  'serial,refiner,year,gross_oz,fineness,fine_oz',
  'A1,XYZ,2023,401.125,995.8,399.440',
  'A2,XYZ,2023,400.000,999.9,399.960',
  'A3,XYZ,2022,398.500,999.0,398.101',
  'B1,ABC,2021,410.250,996.5,408.814',
].join('\n');

/** Sets up the two banks, their accounts, four bars, a fixing, and £1,000 of client money. */
function world(w: Workspace): void {
  const steps: string[][] = [
    ['parties', 'add', 'DEP', '--name', 'Depository', '--role', 'depository'],
    ['parties', 'add', 'CLI', '--name', 'Client Bank'],
    ['parties', 'add', 'OTHER', '--name', 'Another Bank'],
    ['accounts', 'open', 'DEP-VAULT', '--party', 'DEP', '--kind', 'custody', '--unit', 'XAU'],
    ['accounts', 'open', 'DEP-GBP', '--party', 'DEP', '--kind', 'cash', '--unit', 'GBP'],
    ['accounts', 'open', 'CLI-GOLD', '--party', 'CLI', '--kind', 'custody', '--unit', 'XAU'],
    ['accounts', 'open', 'CLI-GBP', '--party', 'CLI', '--kind', 'cash', '--unit', 'GBP'],
    ['accounts', 'open', 'CLI-USD', '--party', 'CLI', '--kind', 'cash', '--unit', 'USD'],
    ['bars', 'import', join(w.dir, 'bars.csv'), '--account', 'DEP-VAULT', '--date', '2024-01-02'],
    ['prices', 'add', '2024-01-02', '1624.95', '--source', 'LBMA Gold Price PM'],
    ['cash', 'deposit', 'CLI-GBP', 'GBP 1000', '--date', '2024-01-02', '--key', 'fund-1'],
    [
      'offers',
      'create',
      '--seller',
      'DEP',
      '--buyer',
      'CLI',
      '--max',
      '1200 oz',
      '--min-fineness',
      '995.0',
      '--valid-from',
      '2024-01-01',
      '--valid-until',
      '2024-01-31',
      '--seller-stock',
      'DEP-VAULT',
      '--seller-cash',
      'DEP-GBP',
      '--buyer-custody',
      'CLI-GOLD',
      '--buyer-cash',
      'CLI-GBP',
      '--key',
      'offer-1',
    ],
  ];
  writeFileSync(join(w.dir, 'bars.csv'), `${BARS}\n`);
  for (const step of steps) {
    const run = w.ingot(...step);
    if (run.code !== 0) throw new Error(`${step.join(' ')}: ${run.stderr}`);
  }
}

function expectSound(w: Workspace): void {
  const run = w.ingot('verify');
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
}

describe('the 1961 scenario', () => {
  let w: Workspace;
  beforeAll(() => {
    w = workspace();
  });
  afterAll(() => w.dispose());

  test('replays the arrangement and leaves sound books', () => {
    const run = w.ingot('scenario', '1961');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('£7,142,857 2s 10¼d');
    expect(run.stdout).toContain('254s 0d');
    expect(run.stdout).toMatch(/NBC-GOLD credited 562,429\.\d{3} fine oz \(17\.49\d t\)/);
    expect(run.stdout).toContain('checks passed');
    expectSound(w);
    const [trade] = w.json<{ items: { allocated_fine_milli_oz: string; consideration_minor: string }[] }>(
      'trades',
    ).items;
    const accounts = w.json<{ id: string; balance: string }[]>('accounts');
    const byId = new Map(accounts.map((a) => [a.id, BigInt(a.balance)]));
    // Paid: the fixing 254s (60,960 units of £1/4800) × the fine weight, to the farthing.
    const gold = BigInt(trade?.allocated_fine_milli_oz ?? 0);
    const paid = BigInt(trade?.consideration_minor ?? 0);
    expect(paid).toBe(((60_960n * gold * 2n + 5000n) / 10_000n) * 5n);
    expect(byId.get('GOSBANK-GBP')).toBe(paid);
    // The client's sterling: what it placed, less the gold, less the shipment's transport and insurance.
    const shipment = byId.get('GOSBANK-FEES') ?? 0n;
    expect(byId.get('NBC-GBP')).toBe(7_500_000n * 4800n - paid - shipment);
    expect(run.stdout).toContain('released in Moscow to REP-1');
    expect(run.stdout).toContain('delivered in Havana');
    expect(paid).toBeLessThanOrEqual(34_285_714_285n);
  });

  test('refuses to replay into books that already hold entries', () => {
    const before = w.snapshot();
    const run = w.ingot('scenario', '1961');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('needs an empty database');
    expect(w.snapshot()).toBe(before);
  });
});

describe('a sale from offer to statement', () => {
  let w: Workspace;
  beforeAll(() => {
    w = workspace();
    world(w);
  });
  afterAll(() => w.dispose());

  test('accepts, allocates, settles and reports', () => {
    const accepted = w.json<{ trade_id: string }>(
      'accept',
      'OFFER-1',
      '--by',
      'CLI',
      '--quantity',
      '399.960 oz',
      '--date',
      '2024-01-02',
      '--key',
      'acc-1',
    );
    expect(accepted.trade_id).toBe('TRADE-1');
    const allocated = w.json<{ bars: number; gap_fine_milli_oz: string; bar_list: { serial: string }[] }>(
      'allocate',
      'TRADE-1',
    );
    expect(allocated.bars).toBe(1);
    expect(allocated.gap_fine_milli_oz).toBe('0');
    expect(allocated.bar_list[0]?.serial).toBe('A2');
    const insufficient = w.ingot('settle', 'TRADE-1', '--date', '2024-01-02');
    expect(insufficient.code).toBe(1);
    expect(insufficient.stderr).toContain('insufficient_funds');
    expect(w.ingot('trades', 'show', 'TRADE-1').stdout).toContain('pending: insufficient_funds');
    w.ingot('cash', 'deposit', 'CLI-GBP', '£700,000', '--date', '2024-01-02', '--key', 'fund-2');
    const settled = w.json<{ consideration_minor: string; replayed: boolean }>(
      'settle',
      'TRADE-1',
      '--date',
      '2024-01-02',
      '--key',
      's-1',
    );
    // 1624.95 × 399.960 = 649,915.002 → £649,915.00 (to the penny), in units of £1/4800.
    expect(settled.consideration_minor).toBe((64_991_500n * 48n).toString());
    const again = w.json<{ replayed: boolean }>('settle', 'TRADE-1', '--date', '2024-01-02', '--key', 's-1');
    expect(again.replayed).toBe(true);
    const statement = w.ingot('statement', 'CLI-GOLD', '--from', '2024-01-01', '--date', '2024-01-02');
    expect(statement.stdout).toContain('closing balance 399.960 fine oz');
    expect(statement.stdout).toContain('A2,XYZ,2023,400.000,999.9,399.960');
    const earlier = w.json<{ closing: string; bars: unknown[] }>(
      'statement',
      'CLI-GOLD',
      '--date',
      '2024-01-01',
    );
    expect(earlier.closing).toBe('0');
    expect(earlier.bars).toEqual([]);
    expectSound(w);
  });

  test('writes the statement as JSON with the bars behind its closing balance', () => {
    type Listed = { closing: string; bars: { serial: string; fine_milli_oz: string }[] | null };
    const vault = w.json<Listed>('statement', 'DEP-VAULT', '--from', '2024-01-01', '--date', '2024-01-02');
    expect(vault.bars?.map((bar) => bar.serial)).toEqual(['A1', 'A3', 'B1']);
    const fine = (vault.bars ?? []).reduce((sum, bar) => sum + BigInt(bar.fine_milli_oz), 0n);
    expect(fine).toBe(BigInt(vault.closing));
    expect(w.json<Listed>('statement', 'DEP-VAULT', '--date', '2024-01-02', '--no-bars').bars).toBeNull();
    const cash = w.json<Listed>('statement', 'CLI-GBP', '--date', '2024-01-02');
    expect(cash.bars).toBeNull();
  });

  test('exports the bar list in the format it imports', () => {
    const run = w.ingot('bars', 'export', '--account', 'DEP-VAULT');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('serial,refiner,year,gross_oz,fineness,fine_oz,vault,location,bar_id');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 6).join(','))).toEqual([
      'A1,XYZ,2023,401.125,995.8,399.440',
      'A3,XYZ,2022,398.500,999.0,398.101',
      'B1,ABC,2021,410.250,996.5,408.814',
    ]);
  });

  const refusals: [string, string[], number, string][] = [
    [
      'a negative quantity',
      ['accept', 'OFFER-1', '--by', 'CLI', '--quantity', '-5 oz', '--date', '2024-01-02'],
      2,
      'quantity',
    ],
    [
      'a zero quantity',
      ['accept', 'OFFER-1', '--by', 'CLI', '--quantity', '0 t', '--date', '2024-01-02'],
      2,
      'greater than zero',
    ],
    [
      'more than the offer allows',
      ['accept', 'OFFER-1', '--by', 'CLI', '--quantity', '1 t', '--date', '2024-01-02'],
      1,
      'exceeds_offer_maximum',
    ],
    [
      'an acceptance after expiry',
      ['accept', 'OFFER-1', '--by', 'CLI', '--quantity', '400 oz', '--date', '2024-02-01'],
      1,
      'offer_expired',
    ],
    [
      'an acceptance by another client',
      ['accept', 'OFFER-1', '--by', 'OTHER', '--quantity', '400 oz', '--date', '2024-01-02'],
      1,
      'not_offer_buyer',
    ],
    [
      'an amount without a rate',
      ['accept', 'OFFER-1', '--by', 'CLI', '--amount', 'USD 1000', '--date', '2024-01-02'],
      2,
      '--rate',
    ],
    ['an unknown offer', ['accept', 'OFFER-9', '--by', 'CLI', '--quantity', '400 oz'], 1, 'offer_not_found'],
    [
      'an unknown account',
      ['cash', 'deposit', 'NOPE', 'GBP 5', '--date', '2024-01-02'],
      1,
      'account_not_found',
    ],
    [
      'a currency that does not match',
      ['cash', 'deposit', 'CLI-GBP', 'USD 5', '--date', '2024-01-02'],
      1,
      'currency_mismatch',
    ],
    [
      'a withdrawal above the balance',
      ['cash', 'withdraw', 'CLI-GBP', 'GBP 9999999', '--date', '2024-01-02'],
      1,
      'insufficient_funds',
    ],
    [
      'a fineness outside 0–1000',
      [
        'offers',
        'create',
        '--seller',
        'DEP',
        '--buyer',
        'CLI',
        '--max',
        '1 t',
        '--min-fineness',
        '1200.0',
        '--valid-until',
        '2024-12-31',
        '--seller-stock',
        'DEP-VAULT',
        '--seller-cash',
        'DEP-GBP',
        '--buyer-custody',
        'CLI-GOLD',
        '--buyer-cash',
        'CLI-GBP',
      ],
      2,
      'fineness',
    ],
    [
      'an offer paid into the buyer’s account',
      [
        'offers',
        'create',
        '--seller',
        'DEP',
        '--buyer',
        'CLI',
        '--max',
        '1 t',
        '--valid-from',
        '2024-01-01',
        '--valid-until',
        '2024-12-31',
        '--seller-stock',
        'DEP-VAULT',
        '--seller-cash',
        'CLI-GBP',
        '--buyer-custody',
        'CLI-GOLD',
        '--buyer-cash',
        'CLI-GBP',
      ],
      1,
      'account_not_owned_by_party',
    ],
    [
      'a trade settled twice',
      ['settle', 'TRADE-1', '--date', '2024-01-03', '--key', 's-2'],
      1,
      'trade_already_settled',
    ],
    ['an impossible date', ['settle', 'TRADE-1', '--date', '2024-02-30'], 2, 'not a date'],
    ['a weekend fixing', ['prices', 'add', '2024-01-06', '1600.00', '--source', 'x'], 2, 'weekend'],
    [
      'a price with too many decimals',
      ['prices', 'add', '2024-01-05', '1600.001', '--source', 'x'],
      2,
      'decimals',
    ],
    [
      'a reused idempotency key',
      ['cash', 'deposit', 'CLI-GBP', 'GBP 7', '--date', '2024-01-02', '--key', 'fund-1'],
      2,
      'idempotency_key_reused',
    ],
    ['a missing file', ['bars', 'import', 'nope.csv', '--account', 'DEP-VAULT'], 2, 'does not exist'],
    ['an unknown command', ['melt', 'everything'], 2, 'unknown command'],
  ];
  test.each(refusals)('refuses %s, changing nothing', (_name, args, code, text) => {
    const before = w.snapshot();
    const run = w.ingot(...args);
    expect(run.code).toBe(code);
    expect(run.stderr).toContain(text);
    expect(w.snapshot()).toBe(before);
    expectSound(w);
  });

  test('refuses a settlement on a day with no fixing, naming the date', () => {
    w.json(
      'accept',
      'OFFER-1',
      '--by',
      'CLI',
      '--quantity',
      '398.101 oz',
      '--date',
      '2024-01-02',
      '--key',
      'acc-2',
    );
    w.json('allocate', 'TRADE-2');
    const before = w.snapshot();
    const run = w.ingot('settle', 'TRADE-2', '--date', '2024-01-03');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no_fixing_for_date');
    expect(run.stderr).toContain('2024-01-03');
    expect(w.snapshot()).toBe(before);
    expectSound(w);
  });

  test('cancels a trade and frees its bars', () => {
    expect(w.ingot('trades', 'cancel', 'TRADE-2').code).toBe(0);
    expect(w.ingot('trades', 'cancel', 'TRADE-2').stderr).toContain('trade_cancelled');
    expect(w.ingot('settle', 'TRADE-2', '--date', '2024-01-02').stderr).toContain('trade_cancelled');
    const vault = w.ingot('bars', 'export', '--account', 'DEP-VAULT').stdout;
    expect(vault).toContain('A3,XYZ');
    expectSound(w);
  });
});

describe('parties add', () => {
  let w: Workspace;
  beforeAll(() => {
    w = workspace();
  });
  afterAll(() => w.dispose());

  test('refuses a second depository, naming the first, and writes nothing', () => {
    expect(w.ingot('parties', 'add', 'DEP', '--name', 'Depository', '--role', 'depository').code).toBe(0);
    const before = w.snapshot();
    const second = w.ingot('parties', 'add', 'AAA', '--name', 'Another depository', '--role', 'depository');
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('depository_exists');
    expect(second.stderr).toContain('DEP (Depository)');
    expect(w.snapshot()).toEqual(before);
    // The id is free: registered as a client bank it is taken.
    expect(w.ingot('parties', 'add', 'AAA', '--name', 'A client bank').code).toBe(0);
    expectSound(w);
  });
});

describe('bar list import', () => {
  let w: Workspace;
  beforeAll(() => {
    w = workspace();
    world(w);
  });
  afterAll(() => w.dispose());

  test('refuses a faulty list whole, naming every row and reason', () => {
    const file = join(w.dir, 'bad.csv');
    writeFileSync(
      file,
      [
        'serial,refiner,year,gross_oz,fineness,fine_oz',
        'C1,XYZ,2023,401.125,995.8,399.441',
        'C2,XYZ,2023,400.000,985.0,394.000',
        'C3,XYZ,2023,400.000,999.9,399.960',
        'C3,XYZ,2023,400.000,999.9,399.960',
        'A1,XYZ,2023,401.125,995.8,399.440',
        'C5,XYZ,20x3,400.000',
        'C6,XYZ,2023,400.000,999.9,399.960',
      ].join('\n'),
    );
    const before = w.snapshot();
    const run = w.ingot('bars', 'import', file, '--account', 'DEP-VAULT', '--date', '2024-01-03');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bar_list_invalid');
    expect(run.stderr).toMatch(/row 2 \(fine_oz\): fine weight 399\.441 oz should be 399\.440 oz/);
    expect(run.stderr).toMatch(/row 3 \(fineness\):.*below the contract minimum 995\.0/);
    expect(run.stderr).toMatch(
      /row 5 \(serial\): duplicate bar: XYZ C3 appears twice in this bar list \(first at row 4\)/,
    );
    expect(run.stderr).toMatch(/row 6 \(serial\): duplicate bar: XYZ A1 is already in the vault/);
    expect(run.stderr).toMatch(/row 7: 4 fields; the header has 6/);
    expect(w.snapshot()).toBe(before);
    expectSound(w);
  });

  test('imports a good list once, however often it is retried', () => {
    const file = join(w.dir, 'good.csv');
    writeFileSync(file, 'serial,refiner,year,gross_oz,fineness,fine_oz\nD1,XYZ,2023,400.000,999.9,399.960\n');
    const first = w.json<{ bars: number; replayed: boolean }>(
      'bars',
      'import',
      file,
      '--account',
      'DEP-VAULT',
      '--date',
      '2024-01-03',
    );
    const second = w.json<{ bars: number; replayed: boolean }>(
      'bars',
      'import',
      file,
      '--account',
      'DEP-VAULT',
      '--date',
      '2024-01-03',
    );
    expect([first.bars, first.replayed, second.replayed]).toEqual([1, false, true]);
    expectSound(w);
  });
});

describe('prices', () => {
  let w: Workspace;
  beforeAll(() => {
    w = workspace();
  });
  afterAll(() => w.dispose());

  test('imports the LBMA feed exactly and refuses a conflicting price', () => {
    const file = join(w.dir, 'gold_pm.json');
    writeFileSync(
      file,
      '[{"d":"2024-01-02","v":[2064.4,1624.95,1872.18]},{"d":"1968-04-01","v":[37.7,null,null]}]',
    );
    const done = w.json<{ added: number; skipped: unknown[] }>('prices', 'import', file, '--currency', 'GBP');
    expect(done.added).toBe(1);
    expect(done.skipped).toHaveLength(1);
    const list = w.json<{ minor_per_oz: string }[]>('prices', 'list');
    expect(list.map((f) => f.minor_per_oz)).toEqual([(162_495n * 48n).toString()]);
    const before = w.snapshot();
    const clash = w.ingot('prices', 'add', '2024-01-02', '1625.00', '--source', 'typo');
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain('fixing_exists_with_different_price');
    expect(w.snapshot()).toBe(before);
  });

  test('an import proposed with --propose waits for a supervisor; nothing is recorded before', async () => {
    const ingot = ingotOver(await openSqliteStore(w.db), 'test');
    try {
      ok(await addParty(ingot, { id: 'GOSBANK', name: 'State Bank of the USSR', role: 'depository' }));
      for (const [id, role] of [
        ['fixings-operator', 'depository_operator'],
        ['fixings-supervisor', 'depository_supervisor'],
      ] as const) {
        const user = { id, name: id, party_id: 'GOSBANK', role, password: 'a long test passphrase' };
        ok(await addUser(ingot, { ...user, created_by: 'test' }));
      }
    } finally {
      await ingot.store.close();
    }
    const file = join(w.dir, 'insider.csv');
    writeFileSync(file, 'date,currency,price\n1961-04-06,GBP,5\n');
    const operator = ['--user', 'fixings-operator'];
    const proposed = w.json<{ pending_approval: string; proposed: number }>(
      ...operator,
      'prices',
      'import',
      file,
      '--propose',
    );
    expect(proposed.proposed).toBe(1);
    const dates = () => w.json<{ date: string }[]>('prices', 'list').map((f) => f.date);
    expect(dates()).not.toContain('1961-04-06');
    const number = proposed.pending_approval;
    const { digest } = w.json<{ digest: string }>('approvals', 'show', number);
    const own = w.ingot(...operator, 'approvals', 'approve', number, '--digest', digest);
    expect([own.code, own.stderr.includes('checker_is_maker')]).toEqual([1, true]);
    expect(dates()).not.toContain('1961-04-06');
    const supervisor = ['--user', 'fixings-supervisor'];
    const approved = w.ingot(...supervisor, 'approvals', 'approve', number, '--digest', digest);
    expect(approved.code, approved.stderr).toBe(0);
    expect(dates()).toContain('1961-04-06');
    expect(w.ingot('verify').code).toBe(0);
  });

  test('reads pre-decimal sterling as the 1960s quoted it', () => {
    const file = join(w.dir, 'fixings.csv');
    writeFileSync(file, 'date,currency,price\n1961-01-31,GBP,254s 0d\n1961-02-01,GBP,250s 7½d\n');
    expect(w.json<{ added: number }>('prices', 'import', file).added).toBe(2);
    const text = w.ingot('prices', 'list', '--from', '1961-02-01').stdout;
    expect(text).toContain('250s 7½d (£12 10s 7½d)');
  });
});

describe('statement of books that do not add up', () => {
  test('a bar altered behind Ingot’s back ends the statement with exit 3, in text and JSON', async () => {
    const w = workspace();
    try {
      world(w);
      const { default: BetterSqlite3 } = await import('better-sqlite3');
      const database = new BetterSqlite3(w.db);
      database.prepare(`update bars set fine_milli_oz = fine_milli_oz + 1000 where serial = 'B1'`).run();
      database.close();
      for (const json of [[], ['--json']]) {
        const run = w.ingot(...json, 'statement', 'DEP-VAULT', '--date', '2024-01-02');
        expect(run.code).toBe(3);
        expect(run.stderr).toContain('DEP-VAULT: the bars of 2024-01-02 sum to 1607315');
        expect(run.stderr).not.toContain('    at ');
      }
      const json = w.ingot('--json', 'statement', 'DEP-VAULT', '--date', '2024-01-02');
      expect(() => JSON.parse(json.stdout)).toThrow();
    } finally {
      w.dispose();
    }
  });
});

describe('verify', () => {
  test('names the breach when a balance is edited behind Ingot’s back', async () => {
    const w = workspace();
    try {
      world(w);
      expectSound(w);
      const { default: BetterSqlite3 } = await import('better-sqlite3');
      const database = new BetterSqlite3(w.db);
      database.prepare(`update accounts set balance = balance + 1 where id = 'CLI-GBP'`).run();
      database.prepare(`update bars set owner_account_id = 'CLI-GOLD' where serial = 'A1'`).run();
      database.close();
      const run = w.ingot('verify');
      expect(run.code).toBe(3);
      expect(run.stdout).toContain('account CLI-GBP says');
      expect(run.stdout).toContain("each custody account's gold equals the sum of its bars' fine weights");
    } finally {
      w.dispose();
    }
  });
});
