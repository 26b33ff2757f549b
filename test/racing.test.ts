// Two desks on the same books at once, in two processes: each with a store of its own (its own
// connection, group commit and settlement batches). Requests racing from both for the same bars or
// the same money cannot both win, on either store.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runScenario1961 } from '../src/scenario/1961.ts';
import { draft, step } from '../src/service/custody/instructions.ts';
import { verifyStore } from '../src/service/journal/verify.ts';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { addParty, listAccounts, openAccount } from '../src/service/parties/parties.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/store.ts';
import { acceptAndAllocate, heldBarIds, ok, world } from './support/desk.ts';
import { dropSchema, POSTGRES_URL, STORE_KINDS } from './support/stores.ts';

const WORKER = join(import.meta.dirname, 'support', 'desk-worker.ts');

/** The books of one test: where a second process finds them, and how to remove them. */
interface Books {
  readonly store: Store;
  readonly location: string;
  readonly remove: () => Promise<void>;
}

async function sqliteBooks(): Promise<Books> {
  const dir = mkdtempSync(join(tmpdir(), 'ingot-racing-'));
  const path = join(dir, 'books.db');
  const store = await openSqliteStore(path);
  return { store, location: path, remove: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function postgresBooks(): Promise<Books> {
  const schema = `ingot_race_${process.pid}_${randomBytes(4).toString('hex')}`;
  const store = await openPostgresStore(POSTGRES_URL, { schema, connections: 4 });
  const remove = () => dropSchema(schema);
  return { store, location: `${POSTGRES_URL}#${schema}`, remove };
}

/** A second desk in its own process; `race` starts its requests and resolves with their codes. */
async function secondDesk(location: string, requests: readonly object[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, location, JSON.stringify(requests)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<string[]>((resolve, reject) => {
    child.on('exit', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0) resolve(JSON.parse(last) as string[]);
      else reject(new Error(`desk worker exited ${code}: ${stderr}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ready\n')) resolve();
    });
    exited.catch(reject);
  });
  return {
    race: () => {
      child.stdin.end('go\n');
      return exited;
    },
  };
}

async function withBooks(name: string, work: (ingot: Ingot, location: string) => Promise<void>) {
  const books = name === 'sqlite' ? await sqliteBooks() : await postgresBooks();
  try {
    const ingot = ingotOver(books.store, 'desk-a');
    await work(ingot, books.location);
    expect((await verifyStore(ingot)).breaches).toEqual([]);
  } finally {
    await books.store.close();
    await books.remove();
  }
}

function codes(outcomes: readonly { ok: boolean; code?: string }[]): string[] {
  return outcomes.map((outcome) => (outcome.ok ? 'ok' : (outcome.code ?? '?')));
}

describe.each(STORE_KINDS)('two desks racing on $name', (kind) => {
  if (kind.unavailable) {
    test.skip(`skipped: ${kind.unavailable}`, () => undefined);
    return;
  }

  test('two instructions signed at once for the same bars: one reserves them, the other is refused', async () => {
    await withBooks(kind.name, async (a, location) => {
      await runScenario1961(a, () => undefined);
      // A third bank with two custody accounts, each the target of one transfer.
      ok(await addParty(a, { id: 'THIRD', name: 'A third central bank', role: 'client' }));
      for (const id of ['THIRD-GOLD-1', 'THIRD-GOLD-2']) {
        ok(await openAccount(a, { id, party_id: 'THIRD', kind: 'custody', unit: 'XAU' }));
      }
      const bars = await heldBarIds(a, 'NBC-GOLD', 2);
      const transfer = (to: string) => ({
        by_user_id: 'nbc-signatory-1',
        source_account_id: 'NBC-GOLD',
        selection: { kind: 'bars' as const, bar_ids: bars },
        details: {
          kind: 'transfer' as const,
          target: { kind: 'existing_account' as const, account_id: to },
        },
        date: '1961-04-01',
      });
      const ids: string[] = [];
      for (const to of ['THIRD-GOLD-1', 'THIRD-GOLD-2']) {
        const drafted = ok(await draft(a, transfer(to)));
        const sign = { event: { kind: 'sign' as const }, date: '1961-04-01', by_user_id: 'nbc-signatory-1' };
        ok(await step(a, { instruction_id: drafted.instruction_id, ...sign }));
        ids.push(drafted.instruction_id);
      }
      // The second signature completes each instruction and reserves its bars: one from each desk.
      const second = { event: { kind: 'sign' as const }, date: '1961-04-01', by_user_id: 'nbc-signatory-2' };
      const desk = await secondDesk(location, [{ step: { instruction_id: ids[1], ...second } }]);
      const [here, there] = await Promise.all([
        step(a, { instruction_id: ids[0] ?? '', ...second }),
        desk.race(),
      ]);
      expect([...codes([here]), ...(there ?? [])].sort()).toEqual([
        'bar_reserved_by_another_instruction',
        'ok',
      ]);
      const reserved = await a.store.db
        .selectFrom('bars')
        .select(['id', 'instruction_id'])
        .where('id', 'in', bars)
        .execute();
      expect(new Set(reserved.map((bar) => bar.instruction_id)).size).toBe(1);
    });
  }, 60_000);

  test('settlements from two desks at once never overdraw the client', async () => {
    // Six trades of about 430 oz (about £5,460 each at 254s) against funds for four of them.
    await withBooks(kind.name, async (a, location) => {
      await world(a, 40, 22_000n * 4800n);
      const trades: string[] = [];
      for (let index = 0; index < 6; index += 1)
        trades.push(await acceptAndAllocate(a, 430_000n, `t${index}`));
      const settle = (trade_id: string) => ({ trade_id, date: '1961-01-31', key: `race-${trade_id}` });
      const desk = await secondDesk(
        location,
        trades.filter((_id, index) => index % 2 === 1).map((trade_id) => ({ settle: settle(trade_id) })),
      );
      const [here, there] = await Promise.all([
        Promise.all(trades.filter((_id, index) => index % 2 === 0).map((id) => settleTrade(a, settle(id)))),
        desk.race(),
      ]);
      expect([...codes(here), ...there].sort()).toEqual([
        'insufficient_funds',
        'insufficient_funds',
        'ok',
        'ok',
        'ok',
        'ok',
      ]);
      const cash = (await listAccounts(a, 'CLI')).find((account) => account.id === 'CLI-GBP');
      expect(cash?.balance).toBeGreaterThanOrEqual(0n);
    });
  }, 60_000);
});
