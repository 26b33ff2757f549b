// Killing the process (SIGKILL) at random moments during a stream of settlements and custody
// instructions, many times over: after every restart `ingot verify` passes, and retries with the
// same keys settle each trade once and execute each transfer once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { seededRandom } from '../src/scenario/stock.ts';
import { approve } from '../src/service/custody/approvals.ts';
import { step } from '../src/service/custody/instructions.ts';
import { verifyStore } from '../src/service/journal/verify.ts';
import { ingotOver } from '../src/service/kernel/context.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/store.ts';
import { ingotProcess } from './support/cli.ts';
import { dropSchema, POSTGRES_URL, postgresLocation, STORE_KINDS } from './support/stores.ts';
import { STREAM_DATES, type StreamItem, streamBooks, TRANSFER_TARGET } from './support/stream.ts';

const TRADES = 120;
const TRANSFERS = 30;
const KILLS_MAX = 6;
const WORKER = join(import.meta.dirname, 'support', 'stream-worker.ts');

/** When to kill the worker: past `afterLines` lines of progress, at a line of kind `at`, plus `afterMs`. */
interface Kill {
  readonly afterLines: number;
  readonly at: 'done' | 'step';
  readonly afterMs: number;
}

/**
 * Runs the worker, and kills it as `kill` says (or lets it finish when null), so each kill falls in
 * the middle of the stream: between requests, or inside an instruction between its steps. Resolves
 * with how it ended and the lines of progress it printed.
 */
function runWorker(location: string, planFile: string, kill: Kill | null) {
  return new Promise<{ ended: 'killed' | 'done'; lines: number }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, location, planFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let lines = 0;
    let armed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!/^(?:done|step )/.test(line)) continue;
        lines += 1;
        if (kill !== null && !armed && lines >= kill.afterLines && line.startsWith(kill.at)) {
          armed = true;
          setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ ended: 'killed', lines });
      else if (code === 0) resolve({ ended: 'done', lines });
      else reject(new Error(`worker exited ${code}: ${stderr}`));
    });
  });
}

/**
 * Verifies the books after a restart, with `ingot verify` run as a process as an operator would
 * and in the test's own process; returns how many trades have settled, how many of the
 * `transfers` were executed, and how many were left part-way (some step taken, not executed).
 */
async function checkBooks(open: () => Promise<Store>, cliLocation: string, transfers: readonly string[]) {
  const verified = await ingotProcess(['--db', cliLocation, 'verify']);
  expect([verified.code, verified.stderr]).toEqual([0, '']);
  expect(verified.stdout).toContain('checks passed');
  const store = await open();
  try {
    expect((await verifyStore(ingotOver(store))).breaches).toEqual([]);
    const settled = await store.db
      .selectFrom('trades')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .where('state', '=', 'settled')
      .executeTakeFirstOrThrow();
    const states = await store.db
      .selectFrom('instructions')
      .select(['state', (eb) => eb.fn.countAll<bigint>().as('n')])
      .where('id', 'in', transfers)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('instruction_steps')
            .select('number')
            .whereRef('instruction_id', '=', 'instructions.id')
            .where('event', '!=', 'draft'),
        ),
      )
      .groupBy('state')
      .execute();
    const count = (wanted: (state: string) => boolean) =>
      states.filter((row) => wanted(row.state)).reduce((sum, row) => sum + BigInt(row.n), 0n);
    return [
      BigInt(settled.n),
      count((state) => state === 'executed'),
      count((state) => state !== 'executed'),
    ] as const;
  } finally {
    await store.close();
  }
}

/** Every request of the plan again, as a client retrying: each replays its first result. */
async function retryAll(store: Store, plan: readonly StreamItem[]): Promise<void> {
  const ingot = ingotOver(store);
  for (const item of plan) {
    if ('settle' in item) {
      const trade_id = item.settle;
      const retry = await settleTrade(ingot, {
        trade_id,
        date: STREAM_DATES.settle,
        key: `settle-${trade_id}`,
      });
      expect(retry.ok && retry.replayed).toBe(true);
    } else {
      const instruction_id = item.transfer;
      const execute = { instruction_id, event: { kind: 'execute' as const }, date: STREAM_DATES.instruct };
      const executed = await step(
        ingot,
        { ...execute, by_user_id: 'gosbank-operator' },
        `${instruction_id}-3-execute`,
      );
      expect(executed.ok && executed.replayed).toBe(true);
      const approval_id = executed.ok ? (executed.pending_approval ?? 0n) : 0n;
      const request = { approval_id, by_user_id: 'gosbank-supervisor' };
      const retry = await approve(ingot, request, `${instruction_id}-approve`);
      expect(retry.ok && retry.replayed).toBe(true);
    }
  }
}

/** Each trade settled by exactly one entry, each transfer executed once, its bar with the target. */
async function checkOnce(store: Store, plan: readonly StreamItem[]): Promise<void> {
  const settlements = await store.db
    .selectFrom('entries')
    .select((eb) => [
      eb.fn.countAll<bigint>().as('n'),
      eb.fn.count<bigint>('trade_id').distinct().as('trades'),
    ])
    .where('kind', '=', 'settlement')
    .where(
      'trade_id',
      'in',
      plan.flatMap((item) => ('settle' in item ? [item.settle] : [])),
    )
    .executeTakeFirstOrThrow();
  expect([BigInt(settlements.n), BigInt(settlements.trades)]).toEqual([BigInt(TRADES), BigInt(TRADES)]);
  const transfers = plan.flatMap((item) => ('transfer' in item ? [item.transfer] : []));
  const executed = await store.db
    .selectFrom('instructions')
    .select(['id', 'state'])
    .where('id', 'in', transfers)
    .execute();
  expect(executed.every((row) => row.state === 'executed')).toBe(true);
  expect(executed).toHaveLength(TRANSFERS);
  const moved = await store.db
    .selectFrom('bars')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where('owner_account_id', '=', TRANSFER_TARGET)
    .executeTakeFirstOrThrow();
  expect(BigInt(moved.n)).toBe(BigInt(TRANSFERS));
}

describe.each(STORE_KINDS)('SIGKILL during settlements and instructions on $name', (kind) => {
  if (kind.unavailable) {
    test.skip(`skipped: ${kind.unavailable}`, () => undefined);
    return;
  }
  test('no ounce or penny is created or lost; every trade settles and every transfer executes once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ingot-faults-'));
    const schema = `ingot_faults_${process.pid}_${Date.now()}`;
    const location = kind.name === 'sqlite' ? join(dir, 'books.db') : `${POSTGRES_URL}#${schema}`;
    const cliLocation = kind.name === 'sqlite' ? location : postgresLocation(schema);
    const open = () =>
      kind.name === 'sqlite' ? openSqliteStore(location) : openPostgresStore(POSTGRES_URL, { schema });
    try {
      const setup = await open();
      const plan = await streamBooks(ingotOver(setup), TRADES, TRANSFERS);
      await setup.close();
      const planFile = join(dir, 'plan.json');
      writeFileSync(planFile, JSON.stringify(plan));
      const random = seededRandom(kind.name === 'sqlite' ? 11 : 12);
      let kills = 0;
      // A restarted worker replays the stream from the top, quickly; each kill falls a little past
      // where the last one did, half of them just after a step of an instruction.
      let reached = 0;
      const transfers = plan.flatMap((item) => ('transfer' in item ? [item.transfer] : []));
      const progress: (readonly [bigint, bigint, bigint])[] = [];
      for (;;) {
        const kill: Kill | null =
          kills < KILLS_MAX
            ? {
                afterLines: reached + 1 + Math.floor(random() * 30),
                at: kills % 2 === 0 ? 'done' : 'step',
                afterMs: Math.floor(random() * 4),
              }
            : null;
        const run = await runWorker(location, planFile, kill);
        progress.push(await checkBooks(open, cliLocation, transfers));
        if (run.ended === 'done') break;
        reached = run.lines;
        kills += 1;
      }
      // The kills fell in the middle of the stream, not before or after it.
      expect(kills).toBe(KILLS_MAX);
      expect(progress.some(([settled]) => settled > 0n && settled < BigInt(TRADES))).toBe(true);
      // Some kill left an instruction part-way (signed once or twice, accepted, awaiting four eyes).
      expect(progress.some(([, , between]) => between > 0n)).toBe(true);
      const store = await open();
      try {
        await retryAll(store, plan);
        await checkOnce(store, plan);
        expect((await verifyStore(ingotOver(store))).breaches).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      if (kind.name === 'postgres') await dropSchema(schema);
    }
  }, 240_000);
});
