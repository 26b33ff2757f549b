// Killing the process (SIGKILL) at random moments during a stream of settlements, many times over:
// after every restart `ingot verify` passes, and retries with the same keys settle each trade once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { seededRandom } from '../src/scenario/stock.ts';
import { ingotOver } from '../src/service/context.ts';
import { settleTrade } from '../src/service/settle.ts';
import { verifyStore } from '../src/service/verify.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/store.ts';
import { ingotProcess } from './support/cli.ts';
import { allocatedTrades } from './support/desk.ts';
import { POSTGRES_URL, postgresLocation, STORE_KINDS } from './support/stores.ts';

const TRADES = 150;
const KILLS_MAX = 6;
const WORKER = join(import.meta.dirname, 'support', 'settle-worker.ts');

/**
 * Runs the worker; kills it `afterMs` after it has settled `afterSettled` trades (or lets it finish
 * when null), so each kill falls in the middle of the stream, at a random point of a settlement.
 */
function runWorker(
  location: string,
  ids: string[],
  kill: { afterSettled: number; afterMs: number } | null,
): Promise<'killed' | 'done'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, location, ids.join(',')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let settled = 0;
    let armed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      settled += chunk.toString().split('settled ').length - 1;
      if (kill !== null && !armed && settled >= kill.afterSettled) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('done');
      else reject(new Error(`worker exited ${code}: ${stderr}`));
    });
  });
}

/**
 * Verifies the books after a restart, with `ingot verify` run as a process as an operator would
 * and in the test's own process; returns how many trades have settled so far.
 */
async function checkBooks(open: () => Promise<Store>, cliLocation: string): Promise<bigint> {
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
    return BigInt(settled.n);
  } finally {
    await store.close();
  }
}

describe.each(STORE_KINDS)('SIGKILL during settlements on $name', (kind) => {
  if (kind.unavailable) {
    test.skip(`skipped: ${kind.unavailable}`, () => undefined);
    return;
  }
  test('no ounce or penny is created or lost, and every trade settles exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ingot-faults-'));
    const schema = `ingot_faults_${process.pid}_${Date.now()}`;
    const location = kind.name === 'sqlite' ? join(dir, 'books.db') : `${POSTGRES_URL}#${schema}`;
    const cliLocation = kind.name === 'sqlite' ? location : postgresLocation(schema);
    const open = () =>
      kind.name === 'sqlite' ? openSqliteStore(location) : openPostgresStore(POSTGRES_URL, { schema });
    try {
      const setup = await open();
      const ids = await allocatedTrades(ingotOver(setup), TRADES);
      await setup.close();
      const random = seededRandom(kind.name === 'sqlite' ? 11 : 12);
      let kills = 0;
      const settledAfterKill: bigint[] = [];
      for (;;) {
        const kill =
          kills < KILLS_MAX
            ? { afterSettled: 1 + Math.floor(random() * 15), afterMs: Math.floor(random() * 4) }
            : null;
        const ended = await runWorker(location, ids, kill);
        settledAfterKill.push(await checkBooks(open, cliLocation));
        if (ended === 'done') break;
        kills += 1;
      }
      // The kills fell in the middle of the stream, not before or after it.
      expect(kills).toBe(KILLS_MAX);
      expect(settledAfterKill.some((n) => n > 0n && n < BigInt(TRADES))).toBe(true);
      const store = await open();
      try {
        const ingot = ingotOver(store);
        for (const trade_id of ids) {
          const retry = await settleTrade(ingot, { trade_id, date: '1961-01-31', key: `settle-${trade_id}` });
          expect(retry.ok && retry.replayed).toBe(true);
        }
        const settlements = await store.db
          .selectFrom('entries')
          .select((eb) => [
            eb.fn.countAll<bigint>().as('n'),
            eb.fn.count<bigint>('trade_id').distinct().as('trades'),
          ])
          .where('kind', '=', 'settlement')
          .executeTakeFirstOrThrow();
        expect([BigInt(settlements.n), BigInt(settlements.trades)]).toEqual([BigInt(TRADES), BigInt(TRADES)]);
        expect((await verifyStore(ingot)).breaches).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      if (kind.name === 'postgres') {
        const cleanup = await openPostgresStore(POSTGRES_URL, { schema });
        await cleanup.close();
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      }
    }
  }, 180_000);
});
