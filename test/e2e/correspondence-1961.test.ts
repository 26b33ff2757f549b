// Three processes on loopback — the State Bank's Ingot, the relay, the National Bank of Cuba's own
// Ingot — play the correspondence of 1961: offer, acceptance of USD 20 million, the settlement's
// confirmation, advices and bar list, a release ordered by NBC and its confirmation. The relay is
// stopped in the middle: delivery waits, nothing is lost or duplicated, and at the end NBC's own
// view of its gold equals the State Bank's books bar for bar.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ingotOver } from '../../src/service/kernel/context.ts';
import { openSqliteStore } from '../../src/store/sqlite/open.ts';
import { depository1961, TEST_KEY_PASSPHRASE } from '../support/correspondence.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ingot.js');
const WAIT_MS = 45_000;
/** Each bank's private keys are encrypted under the passphrase its processes are given. */
const env = { ...process.env, INGOT_KEY_PASSPHRASE: TEST_KEY_PASSPHRASE };

let dir: string;
let gosbank: string;
let nbc: string;
const running: { name: string; child: ChildProcess; log: string[] }[] = [];
let relayUrl = '';
let relayPort = 0;

/** Runs `ingot args…` to completion; fails the test on a non-zero exit. */
function run(...args: string[]): string {
  const done = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: dir, env });
  if (done.status !== 0) throw new Error(`ingot ${args.join(' ')} exited ${done.status}: ${done.stderr}`);
  return done.stdout;
}

/** Runs `ingot --db <db> args…` to completion; fails the test on a non-zero exit. */
function ingot(db: string, ...args: string[]): string {
  return run('--db', db, ...args);
}

/** Starts a long-running `ingot` process; its output is kept for when a test fails. */
function start(name: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  running.push({ name, child, log });
  return child;
}

/** Stops a process and waits until it has exited. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Starts the relay on `port` (0: any) and returns its URL once it listens. */
async function startRelay(port: number): Promise<string> {
  const child = start('relay', ['relay', '--port', String(port), '--db', join(dir, 'relay.db')]);
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const url = /listening on (\S+)/.exec(chunk.toString())?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`the relay exited ${code}`)));
  });
}

/** A read of one instance's SQLite file, by a connection of the test's own. */
function query<T>(db: string, sql: string, ...params: unknown[]): T[] {
  const database = new BetterSqlite3(db, { readonly: true, timeout: 10_000 });
  try {
    database.defaultSafeIntegers(true);
    return database.prepare(sql).all(...params) as T[];
  } finally {
    database.close();
  }
}

/** Waits until `check` holds, polling. */
async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}\n${logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

function received(db: string, type: string): { applied: string | null; state: string }[] {
  return query(db, `select applied, state from messages where direction = 'in' and message_type = ?`, type);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ingot-e2e-'));
  gosbank = join(dir, 'gosbank.db');
  nbc = join(dir, 'nbc.db');
  const store = await openSqliteStore(gosbank);
  await depository1961(ingotOver(store, 'setup'));
  await store.close();
  ingot(gosbank, 'keys', 'generate', '--bank', 'GOSBANK', '--mode', 'depository');
  ingot(nbc, 'keys', 'generate', '--bank', 'NBC', '--mode', 'client');
  const nbcKeys = join(dir, 'NBC.public.json');
  ingot(gosbank, 'keys', 'pin', '--bank', 'NBC', '--file', nbcKeys, '--signatory', 'nbc-signatory-1');
  ingot(nbc, 'keys', 'pin', '--bank', 'GOSBANK', '--file', join(dir, 'GOSBANK.public.json'));
  for (const bank of ['GOSBANK', 'NBC']) {
    const file = join(dir, `${bank}.public.json`);
    expect(run('relay', 'pin', '--bank', bank, '--file', file, '--db', join(dir, 'relay.db'))).toMatch(
      new RegExp(`^${bank}: signing key pinned at the relay`),
    );
  }
  relayUrl = await startRelay(0);
  relayPort = Number(new URL(relayUrl).port);
  for (const [name, db] of [
    ['gosbank', gosbank],
    ['nbc', nbc],
  ] as const) {
    start(name, ['--db', db, 'sync', '--relay', relayUrl, '--watch', '--interval', '100']);
  }
}, 60_000);

afterAll(async () => {
  for (const { child } of running) await stop(child);
  // INGOT_E2E_KEEP=1 keeps the databases and documents for a look.
  if (!process.env.INGOT_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`kept ${dir}\n`);
});

/** On failure, what each process said. */
function logs(): string {
  return running.map(({ name, log }) => `--- ${name}\n${log.join('').slice(-3000)}`).join('\n');
}

describe('the correspondence of 1961 through three processes', () => {
  test('offer and acceptance of USD 20 million: the trade is recorded once at the State Bank', async () => {
    ingot(gosbank, 'send', 'offer', 'OFFER-1', '--classification', 'secret');
    await until('NBC has the offer', () => received(nbc, 'INGOT-OFFER').length === 1);
    const amount = ['--amount', 'USD 20,000,000', '--rate', '2.80'];
    ingot(
      nbc,
      'send',
      'acceptance',
      '--to',
      'GOSBANK',
      '--offer',
      'OFFER-1',
      ...amount,
      '--date',
      '1961-01-17',
    );
    await until('the trade is recorded', () => received(gosbank, 'INGOT-ACCEPTANCE').length === 1);
    const trades = query<{ id: string; budget_minor: bigint }>(
      gosbank,
      'select id, budget_minor from trades',
    );
    // USD 20,000,000 at USD 2.80 is £7,142,857 2s 10¼d, in 1/4800 £.
    expect(trades).toEqual([{ id: 'TRADE-1', budget_minor: 34_285_714_285n }]);
  }, 60_000);

  test('with the relay stopped the advices wait; once it is back they arrive once, in order', async () => {
    ingot(gosbank, 'allocate', 'TRADE-1', '--price-date', '1961-01-31');
    ingot(gosbank, 'settle', 'TRADE-1', '--date', '1961-01-31');
    const relay = running.find((p) => p.name === 'relay' && p.child.exitCode === null);
    if (relay) await stop(relay.child);
    ingot(gosbank, 'send', 'settlement', 'TRADE-1', '--classification', 'secret');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const waiting = query<{ state: string }>(
      gosbank,
      `select state from messages where direction = 'out' and linked = 'TRADE-1'`,
    );
    expect(waiting.map((m) => m.state)).toEqual(['outbox', 'outbox', 'outbox', 'outbox']);
    expect(received(nbc, 'MT607')).toEqual([]);
    await startRelay(relayPort);
    await until('NBC has weighed its bars', () => received(nbc, 'INGOT-BARLIST').length === 1);
    const applied = query<{ message_type: string; sequence: bigint; applied: string }>(
      nbc,
      `select message_type, sequence, applied from messages where direction = 'in' order by id`,
    );
    expect(applied.map((m) => [m.message_type, m.sequence])).toEqual([
      ['INGOT-OFFER', 1n],
      ['MT600', 2n],
      ['MT607', 3n],
      ['MT699', 4n],
      ['INGOT-BARLIST', 5n],
    ]);
    expect(applied[2]?.applied).toMatch(/^1401 bars, 562429,696 FOZ credited to NBC-GOLD/);
    expect(applied[4]?.applied).toMatch(/as the advices say$/);
  }, 60_000);

  test('a release ordered by NBC is executed and confirmed; the views agree bar for bar', async () => {
    const view = JSON.parse(ingot(nbc, '--json', 'view', 'bars', '--account', 'NBC-GOLD')) as {
      refiner: string;
      serial: string;
      year: string;
    }[];
    const bars = view.slice(0, 2).map((b) => `${b.refiner}/${b.serial}/${b.year}`);
    const order = ['--account', 'NBC-GOLD', '--bars', bars.join(','), '--representative', 'REP-1'];
    ingot(
      nbc,
      'send',
      'release',
      '--to',
      'GOSBANK',
      ...order,
      '--date',
      '1961-02-15',
      '--reference',
      'REL-1',
    );
    await until('the State Bank has the order', () => received(gosbank, 'MT604').length === 1);
    expect(received(gosbank, 'MT604')[0]?.applied).toBe('instruction INS-1 drafted and signed (signed)');
    const date = ['--date', '1961-02-15'];
    ingot(gosbank, '--user', 'gosbank-operator', 'instruct', 'accept', 'INS-1', ...date);
    const handover = ['--representative', 'REP-1', '--identity-checked'];
    const made = JSON.parse(
      ingot(
        gosbank,
        '--json',
        '--user',
        'gosbank-operator',
        'instruct',
        'execute',
        'INS-1',
        ...date,
        ...handover,
      ),
    ) as { pending_approval: string };
    const supervisor = ['--user', 'gosbank-supervisor'];
    // The execution's account names the bars: the supervisor approving it is cleared to see them.
    ingot(gosbank, ...supervisor, 'clearances', 'grant', 'gosbank-supervisor', '--level', 'top secret');
    const shown = ingot(gosbank, '--json', ...supervisor, 'approvals', 'show', made.pending_approval);
    const { digest } = JSON.parse(shown) as { digest: string };
    ingot(gosbank, ...supervisor, 'approvals', 'approve', made.pending_approval, '--digest', digest);
    ingot(gosbank, 'send', 'instruction', 'INS-1', '--classification', 'secret');
    await until('NBC has the debit advice', () => received(nbc, 'MT606').length === 1);
    expect(received(nbc, 'MT606')[0]?.applied).toMatch(/^2 bars, .* FOZ debited from NBC-GOLD$/);
    const books = query<{ bar: string }>(
      gosbank,
      `select refiner || '/' || serial || '/' || year || ' ' || gross_milli_oz || ' ' || fineness || ' ' ||
        fine_milli_oz as bar from bars where owner_account_id = 'NBC-GOLD' order by refiner, serial`,
    );
    const own = query<{ bar: string }>(
      nbc,
      `select refiner || '/' || serial || '/' || year || ' ' || gross_milli_oz || ' ' || fineness || ' ' ||
        fine_milli_oz as bar from view_bars where debited_by is null order by refiner, serial`,
    );
    expect(own.length).toBe(1399);
    expect(own).toEqual(books);
  }, 60_000);

  test('every message was delivered exactly once, on receipts; the books verify', async () => {
    await until('the State Bank holds a receipt for every message', () => {
      const states = query<{ state: string }>(gosbank, `select state from messages where direction = 'out'`);
      return states.length === 6 && states.every((m) => m.state === 'delivered');
    });
    const inbound = query<{ sequence: bigint }>(
      nbc,
      `select sequence from messages where direction = 'in' order by id`,
    );
    expect(inbound.map((m) => m.sequence)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    const rejected = query(nbc, `select id from messages where state = 'rejected'`);
    expect(rejected).toEqual([]);
    const receipted = query<{ state: string; receipt: string }>(
      gosbank,
      `select m.state, r.receipt from messages m join message_receipts r on r.message_id = m.id
        where m.direction = 'out' order by m.sequence`,
    );
    expect(receipted.map((m) => (JSON.parse(m.receipt) as { sequence: number }).sequence)).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    expect(ingot(gosbank, 'verify')).toMatch(/checks passed/);
  }, 60_000);

  test('NBC prints the bar list it received, as the registrar cleared for it, on a numbered copy', () => {
    const [list] = query<{ id: bigint }>(nbc, `select id from messages where message_type = 'INGOT-BARLIST'`);
    ingot(nbc, '--user', 'registrar', 'clearances', 'grant', 'registrar', '--level', 'secret');
    const out = join(dir, 'nbc-barlist.pdf');
    const printed = ingot(
      nbc,
      '--user',
      'registrar',
      'documents',
      'pdf',
      'barlist',
      '--message',
      String(list?.id),
      '--out',
      out,
    );
    expect(printed).toMatch(/Bar list TRADE-1-BL, copy No\. 2/);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);
});
