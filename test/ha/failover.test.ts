// Ingot on a highly available PostgreSQL (pg_auto_failover: a monitor, a primary and a
// synchronous secondary, started by scripts/ha-cluster): one Ingot, opened once on the multi-host
// URL, serves a stream of settlements (three clients over HTTP) and custody transfers (one client,
// each transfer signed twice, accepted, executed and approved under four eyes) while the primary's
// postgres and pg_autoctl are killed with SIGKILL at different moments (just after a custody step,
// in the middle of settlements), and the secondary and the monitor are killed. Requests during a
// switch are answered 503 (HTTP) or with a StorageFault and retried with the same key. Checked:
// every request answered as done is in the books of the new primary, nothing is done twice,
// `ingot verify` passes over the multi-host URL, gold and money sum to zero.
//
// The primary is killed INGOT_TEST_HA_ROUNDS times (default 3; each kill but the last is followed
// by the old primary's rejoin as secondary). It runs wherever pg_autoctl is installed; with
// CI=true a missing pg_autoctl fails the test, elsewhere it is skipped loudly, as it is with
// INGOT_TEST_HA=0.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { type Ingot, ingotOver } from '../../src/service/kernel/context.ts';
import { StorageFault } from '../../src/store/faults.ts';
import { openPostgresStore } from '../../src/store/postgres/open.ts';
import { addUsers, type Served, serveOver } from '../api/support.ts';
import { unitSums } from '../support/books.ts';
import { ingotProcess } from '../support/cli.ts';
import { STREAM_DATES, type StreamItem, streamBooks, TRANSFER_TARGET } from '../support/stream.ts';
import { type Answers, custodyClient, Stream, settlingClient, sleep, UNANSWERED_MS_MAX } from './clients.ts';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'ha-cluster');
/** Kills of the primary; the secondary and the monitor are killed once each between them. */
const ROUNDS = Number(process.env.INGOT_TEST_HA_ROUNDS || '3');
/**
 * Each kill's phase: requests answered before the kill, let through meanwhile (under way as the
 * node dies), and let through once it is dead (answered by what is left of the cluster).
 */
const BEFORE_KILL = 10;
const DURING_KILL = 6;
const AFTER_KILL = 10;
const PHASES = ROUNDS + 2;
/** One settlement on the command line during each switch of primary. */
const CLI_TRADES = ROUNDS;
/** Enough for every phase even if the settling clients take all of its requests. */
const TRADES = PHASES * (BEFORE_KILL + DURING_KILL + AFTER_KILL + 5) + CLI_TRADES;
/**
 * Requests the gate lets through before the last kill's custody step: every phase whole but the
 * last, which lets through its requests before the kill, and at most four more (the settling
 * clients ahead of the custody client in the queue) each time a kill waits for a custody step.
 */
const GATED =
  (PHASES - 1) * (BEFORE_KILL + DURING_KILL + AFTER_KILL) + BEFORE_KILL + DURING_KILL + 4 * ROUNDS;
/**
 * A transfer takes four turns at the gate (two signatures, the acceptance, the execution with its
 * approval). The custody client may get any share of the turns (the settling clients wait behind a
 * transfer's approval with their turns taken), so there are transfers enough for it to take every
 * turn and still have one left for the last kill to follow: with 2 per phase, as there were, it
 * once had none left by the last kill (CI, three test files at a time).
 */
const TRANSFERS = Math.ceil(GATED / 4) + 2;

const off = process.env.INGOT_TEST_HA === '0';
const installed = spawnSync('sh', ['-c', 'command -v pg_autoctl']).status === 0;
const missing = off
  ? 'switched off by INGOT_TEST_HA=0'
  : installed
    ? null
    : 'pg_autoctl is not installed (postgresql-15-auto-failover, pg-auto-failover-cli)';
/** On CI the failover test must run, unless switched off on purpose. */
const required = process.env.CI === 'true' && !off;
if (missing) {
  const verdict = required ? 'FAILS (CI=true)' : 'SKIPPED';
  process.stderr.write(`\n*** ${missing}: the failover test ${verdict} ***\n`);
}

/** Ports of this run's cluster: the monitor's, then node1's and node2's. */
const PORT_BASE = 20_000 + (process.pid % 3000) * 3;
type Node = 'monitor' | 'node1' | 'node2';
const PORTS: Record<Node, number> = { monitor: PORT_BASE, node1: PORT_BASE + 1, node2: PORT_BASE + 2 };

/** Runs scripts/ha-cluster; its standard output, trimmed. */
function cluster(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, INGOT_HA_PORT: String(PORT_BASE) };
    execFile(SCRIPT, args, { env, timeout: 180_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`ha-cluster ${args.join(' ')}: ${error.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

/** Whether the node on `port` is up and accepts writes now. */
async function writable(port: number): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'ingot' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const answer = await client.query<{ ok: boolean }>('select not pg_is_in_recovery() as ok');
    return answer.rows[0]?.ok === true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Waits until `condition` holds, polling; fails naming `what` if it never does. */
async function until(what: string, condition: () => Promise<boolean> | boolean): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > UNANSWERED_MS_MAX) throw new Error(`waited in vain for ${what}`);
    await sleep(20);
  }
}

/** What the test saw of the cluster, besides the clients' answers. */
interface Figures {
  kills: string[];
  newPrimaryMs: number[];
  rejoinMs: number[];
  cli: string[];
}

/**
 * Reads the books through Ingot's store. Just after a failover the store may not have found the
 * new primary yet (it looks again at most once per backoff interval): a StorageFault is retried.
 */
async function readBooks<T>(read: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof StorageFault) || Date.now() - started > UNANSWERED_MS_MAX) throw error;
      await sleep(200);
    }
  }
}

/** Settlement entries per trade, for the trades given. */
async function settlementCounts(ingot: Ingot, trades: readonly string[]): Promise<Map<string, number>> {
  const rows = await ingot.store.db
    .selectFrom('entries')
    .select(['trade_id', (eb) => eb.fn.countAll<bigint>().as('n')])
    .where('kind', '=', 'settlement')
    .where('trade_id', 'in', trades.length > 0 ? trades : [''])
    .groupBy('trade_id')
    .execute();
  return new Map(rows.map((row) => [row.trade_id ?? '', Number(row.n)]));
}

/** Every settlement and transfer answered as done so far is in the books, once. */
async function answeredAreInBooks(ingot: Ingot, answers: Answers): Promise<void> {
  const settled = [...answers.settled];
  const counts = await settlementCounts(ingot, settled);
  expect(settled.filter((trade) => counts.get(trade) !== 1)).toEqual([]);
  const transferred = [...answers.transferred];
  if (transferred.length === 0) return;
  const states = await ingot.store.db
    .selectFrom('instructions')
    .select(['id', 'state'])
    .where('id', 'in', transferred)
    .execute();
  expect(states.filter((row) => row.state !== 'executed')).toEqual([]);
  expect(states).toHaveLength(transferred.length);
}

/** `ingot settle` on the command line, under its own key. */
function settleOnCommandLine(url: string, trade: string) {
  const args = ['--db', url, 'settle', trade, '--date', STREAM_DATES.settle, '--key', `cli-${trade}`];
  return ingotProcess(args);
}

describe('failover of a pg_auto_failover cluster under a stream of settlements and transfers', () => {
  if (missing && !required) {
    test.skip(`skipped: ${missing}`, () => undefined);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ingot-ha-'));
  let url = '';
  const figures: Figures = { kills: [], newPrimaryMs: [], rejoinMs: [], cli: [] };
  /** How long each phase took, printed as it ends and with the figures (never asserted). */
  const phases: string[] = [];
  let phaseStarted = Date.now();
  const phase = (name: string) => {
    phases.push(`${name} ${((Date.now() - phaseStarted) / 1000).toFixed(1)} s`);
    process.stderr.write(`failover test: ${phases.at(-1)}\n`);
    phaseStarted = Date.now();
  };
  let ingot: Ingot;
  let served: Served;

  beforeAll(async () => {
    if (missing) throw new Error(`${missing}: with CI=true the failover test must run`);
    expect(Number.isInteger(ROUNDS) && ROUNDS >= 1).toBe(true);
    url = (await cluster('start', dir)).split('\n').at(-1) ?? '';
    phase('cluster started');
    ingot = ingotOver(await openPostgresStore(url), 'ha');
    served = await serveOver(ingot);
  }, 240_000);

  afterAll(async () => {
    await served?.close();
    await cluster('stop', dir).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  /** The primary's name and its secondary's, as the nodes themselves say. */
  async function roles(): Promise<{ primary: Node; secondary: Node }> {
    const first = await writable(PORTS.node1);
    return first ? { primary: 'node1', secondary: 'node2' } : { primary: 'node2', secondary: 'node1' };
  }

  /** Waits until the stream has answered `more` requests beyond what it had. */
  async function answered(stream: Stream, more: number): Promise<void> {
    const target = stream.answers.answered + more;
    await until(`${more} more answers`, () => {
      if (stream.failure) throw stream.failure;
      if (stream.dry()) throw new Error('the stream ran dry');
      return stream.answers.answered >= target;
    });
  }

  /** Waits until every request the gate let through is answered: the phase is over. */
  async function spent(stream: Stream): Promise<void> {
    await until('the rest of the phase', () => {
      if (stream.failure) throw stream.failure;
      if (stream.gate.allowance > 0 && stream.dry()) throw new Error('the stream ran dry');
      return stream.gate.allowance === 0 && stream.gate.inFlight === 0;
    });
  }

  /** Waits until a custody step is answered, letting requests through one at a time if need be. */
  async function custodyStep(stream: Stream): Promise<void> {
    let stepped = false;
    stream.onStep = () => {
      stepped = true;
    };
    await until('a custody step', () => {
      if (stream.failure) throw stream.failure;
      if (stream.transfers.length === 0 && !stream.transferUnderWay) {
        throw new Error('no transfer left to kill the primary after one of its steps');
      }
      if (!stepped && stream.gate.allowance === 0 && stream.gate.queued()) stream.gate.open(1);
      return stepped;
    });
    stream.onStep = () => undefined;
  }

  /** Runs the node again and waits for a whole cluster. */
  async function rejoin(node: Node): Promise<void> {
    const started = Date.now();
    await cluster('run', dir, node);
    await cluster('wait', dir);
    figures.rejoinMs.push(Date.now() - started);
  }

  /**
   * Kills the primary once the stream has answered a few requests (and then, in odd rounds, just
   * after a custody step), settles a trade on the command line during the switch, and lets the
   * phase's other requests through the new primary. The old primary rejoins, unless it is the last.
   */
  async function killPrimary(stream: Stream, round: number, cliTrade: string): Promise<void> {
    const atStep = round % 2 === 1;
    const last = round === ROUNDS;
    stream.gate.open(BEFORE_KILL + DURING_KILL);
    await answered(stream, BEFORE_KILL);
    if (atStep) await custodyStep(stream);
    const { primary, secondary } = await roles();
    const killed = Date.now();
    await cluster('kill', dir, primary);
    const done = `${stream.answers.transferred.size} transfers done`;
    figures.kills.push(`primary ${primary}${atStep ? ' just after a custody step' : ''}, ${done}`);
    // After the last kill the stream runs to its end on the new primary alone.
    stream.gate.open(last ? Number.POSITIVE_INFINITY : AFTER_KILL);
    // The command line during the switch: refused with exit 74 naming the cause, or done if the
    // new primary was already there; either way the retry with the same key settles once, later.
    const cli = settleOnCommandLine(url, cliTrade);
    await until('the new primary', () => writable(PORTS[secondary]));
    figures.newPrimaryMs.push(Date.now() - killed);
    // The requests let through after the kill, answered by the new primary.
    if (last) await answered(stream, AFTER_KILL);
    else await spent(stream);
    const run = await cli;
    if (run.code === 74) {
      expect(run.stderr).toMatch(/^ingot: storage_failed: .+ \(\w+\); .+\n$/);
      figures.cli.push(`exit 74: ${run.stderr.trim()}`);
    } else {
      expect([run.code, run.stderr]).toEqual([0, '']);
      figures.cli.push('exit 0: the new primary was there already');
    }
    // Everything answered before is in the new primary's books.
    await readBooks(() => answeredAreInBooks(ingot, stream.answers));
    phase(`primary killed${atStep ? ' after a custody step' : ''}`);
    // The old primary runs again and rejoins as the secondary; after the last kill the stream
    // ends on the primary alone.
    if (!last) {
      await rejoin(primary);
      phase('old primary rejoined');
    }
  }

  /**
   * Kills the secondary or the monitor mid-phase; the primary stays and the rest of the phase is
   * answered: without its secondary once the monitor lets it go on alone (wait_primary), without
   * the monitor as it was. The node then runs again.
   */
  async function killOther(stream: Stream, which: 'secondary' | 'monitor'): Promise<void> {
    stream.gate.open(BEFORE_KILL + DURING_KILL);
    await answered(stream, BEFORE_KILL);
    const { primary, secondary } = await roles();
    const victim = which === 'secondary' ? secondary : 'monitor';
    await cluster('kill', dir, victim);
    figures.kills.push(which === 'secondary' ? `secondary ${secondary}` : 'monitor');
    stream.gate.open(AFTER_KILL);
    await spent(stream);
    expect((await roles()).primary).toBe(primary);
    if (which === 'secondary') {
      const alone = new RegExp(`^${primary} wait_primary wait_primary$`, 'm');
      await until(`${primary} alone`, async () => alone.test(await cluster('status', dir)));
    } else {
      expect(await cluster('status', dir)).toBe('');
    }
    await readBooks(() => answeredAreInBooks(ingot, stream.answers));
    phase(`${which} killed`);
    await rejoin(victim);
    phase(`${which} rejoined`);
  }

  test('nothing answered as done is lost, nothing is done twice, and the books verify', async () => {
    const plan: StreamItem[] = await streamBooks(ingot, TRADES, TRANSFERS);
    await addUsers(ingot, [['ha-operator', 'GOSBANK', 'depository_operator']]);
    phase(`books set up (${TRADES} trades, ${TRANSFERS} transfers)`);
    const settles = plan.flatMap((item) => ('settle' in item ? [item.settle] : []));
    const cliTrades = settles.splice(0, CLI_TRADES);
    const transfers = plan.flatMap((item) => ('transfer' in item ? [item.transfer] : []));
    const stream = new Stream([...settles], [...transfers]);
    const operator = await served.signIn('ha-operator');
    const running = Promise.all([
      settlingClient(stream, operator),
      settlingClient(stream, operator),
      settlingClient(stream, operator),
      custodyClient(stream, ingot),
    ]);
    // A client failing stops the test at once, not after the kills.
    running.catch((error: unknown) => {
      stream.failure = error;
    });

    for (let round = 1; round < ROUNDS; round += 1) {
      await killPrimary(stream, round, cliTrades[round - 1] ?? '');
    }
    await killOther(stream, 'secondary');
    await killOther(stream, 'monitor');
    await killPrimary(stream, ROUNDS, cliTrades[ROUNDS - 1] ?? '');

    // The rest of the stream, on the last primary alone.
    await running;
    phase('rest of the stream');
    const answers = stream.answers;
    expect(answers.settled.size).toBe(TRADES - CLI_TRADES);
    expect(answers.transferred.size).toBe(TRANSFERS);
    expect(answers.unavailable).toBeGreaterThan(0);

    // The command-line settlements, retried with their keys: each done once.
    for (const trade of cliTrades) {
      const run = await settleOnCommandLine(url, trade);
      expect([run.code, run.stderr]).toEqual([0, '']);
      answers.settled.add(trade);
    }
    await answeredAreInBooks(ingot, answers);
    // No duplicates: one settlement entry per trade of the plan, one transfer per bar moved.
    const counts = await settlementCounts(ingot, [...settles, ...cliTrades]);
    const entries = [...counts.values()].reduce((sum, n) => sum + n, 0);
    expect([counts.size, entries]).toEqual([TRADES, TRADES]);
    const moved = await ingot.store.db
      .selectFrom('bars')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .where('owner_account_id', '=', TRANSFER_TARGET)
      .executeTakeFirstOrThrow();
    expect(BigInt(moved.n)).toBe(BigInt(TRANSFERS));
    expect(Object.values(await unitSums(ingot.store)).every((total) => total === 0n)).toBe(true);
    expect((await verifyStore(ingot)).breaches).toEqual([]);
    const verified = await ingotProcess(['--db', url, 'verify']);
    expect([verified.code, verified.stderr]).toEqual([0, '']);
    expect(verified.stdout).toContain('checks passed');

    phase('books checked');
    const lost = [...answers.settled].filter((trade) => !counts.has(trade)).length;
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    const seconds = (ms: number[]) => ms.map((n) => (n / 1000).toFixed(1)).join(', ');
    process.stdout.write(
      `\nfailover figures: kills ${figures.kills.length} (${figures.kills.join('; ')}); ` +
        `requests answered ${answers.answered} (settlements ${answers.settled.size}, transfers ` +
        `${answers.transferred.size}); unanswered (503 or a fault) and retried ${answers.unavailable}; ` +
        `settlements answered as replays of a commit whose answer was lost ${answers.replayed}; ` +
        `lost ${lost}; duplicates ${duplicates}; time to new primary s ${seconds(figures.newPrimaryMs)}; ` +
        `rejoins s ${seconds(figures.rejoinMs)}; ` +
        `command line during a switch: ${figures.cli.join(' | ')}; phases: ${phases.join(', ')}\n`,
    );
    expect([lost, duplicates]).toEqual([0, 0]);
  }, 600_000);
});
