// Where a settlement's time goes: counts per settlement of the statements run (by kind), bytes and
// write calls sent to the disk (/proc/self/io), and, on PostgreSQL, round trips; run under
// `strace -f -c -e trace=fsync,fdatasync` for fsyncs and `node --cpu-prof` for JavaScript.
//   node --import tsx bench/settlement-profile.ts sqlite [count] [clients]
//   node --import tsx bench/settlement-profile.ts postgres [count] [clients]
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import {
  BENCH_PG_URL,
  dropSchema,
  fixAndFund,
  identicalBars,
  openScratchPostgres,
  prepareTrades,
  scratchSchema,
  seedBooks,
} from './books.ts';
import { DATES, importVault, verifyOrThrow } from './fixture.ts';
import { setUp } from './settlement.ts';
import { cpuProfiled, expectOk, nowMs, withTempDir } from './support.ts';

const counts = new Map<string, number>();
const spent = new Map<string, number>();
function count(what: string, ms = 0): void {
  counts.set(what, (counts.get(what) ?? 0) + 1);
  spent.set(what, (spent.get(what) ?? 0) + ms);
}
function timedCount<T>(what: string, work: () => T): T {
  const start = performance.now();
  try {
    return work();
  } finally {
    count(what, performance.now() - start);
  }
}
/** The statement's kind: its first words, with the table it names. */
function kindOf(text: string): string {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const m =
    /^(with \w+ as \((insert|update|delete)|select|insert into "?(\w+)|update "?(\w+)|delete from "?(\w+)|begin|commit|rollback|savepoint|release|pragma|\w+)/.exec(
      t,
    );
  return m?.[0]?.slice(0, 40) ?? t.slice(0, 30);
}

/** Counts every statement better-sqlite3 runs. */
function countSqlite(): void {
  const probe = new BetterSqlite3(':memory:');
  const statement = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, unknown>;
  probe.close();
  for (const method of ['run', 'all', 'get', 'iterate']) {
    const original = statement[method] as (...args: unknown[]) => unknown;
    statement[method] = function (this: { source: string }, ...args: unknown[]) {
      return timedCount(`sqlite ${kindOf(this.source)}`, () => original.apply(this, args));
    };
  }
  const database = BetterSqlite3.prototype as unknown as Record<string, unknown>;
  const exec = database.exec as (...args: unknown[]) => unknown;
  database.exec = function (this: unknown, text: string) {
    return timedCount(`sqlite exec ${kindOf(text)}`, () => exec.call(this, text));
  };
}

/** Counts every round trip node-postgres makes (one per client.query), and statements in it. */
function countPostgres(): void {
  const client = pg.Client.prototype as unknown as Record<string, unknown>;
  const query = client.query as (...args: unknown[]) => unknown;
  client.query = function (this: unknown, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '');
    for (const part of text.split(/;\n/)) count(`pg stmt ${kindOf(part)}`);
    const start = performance.now();
    const trip = `pg round trip ${kindOf(text)}`;
    const answer = query.apply(this, args);
    if (answer instanceof Promise) {
      return answer.finally(() => count(trip, performance.now() - start));
    }
    count(trip);
    return answer;
  };
}

let cpuAtStart = process.cpuUsage();

function io(start = false): Record<string, number> {
  if (start) cpuAtStart = process.cpuUsage();
  const text = readFileSync('/proc/self/io', 'utf8');
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => {
        const [key, value] = line.split(': ');
        return [key ?? '', Number(value)];
      }),
  );
}

async function settleAll(ingot: Ingot, ids: readonly string[], clients: number): Promise<number> {
  return cpuProfiled(() => settleEach(ingot, ids, clients));
}

async function settleEach(ingot: Ingot, ids: readonly string[], clients: number): Promise<number> {
  let next = 0;
  const client = async () => {
    while (next < ids.length) {
      const trade_id = ids[next] ?? '';
      next += 1;
      const settled = await settleTrade(ingot, { trade_id, date: DATES.settle, key: `settle-${trade_id}` });
      expectOk(settled, `settlement of ${trade_id}`);
    }
  };
  const start = nowMs();
  await Promise.all(Array.from({ length: clients }, client));
  return nowMs() - start;
}

function report(label: string, n: number, ms: number, before: Record<string, number>): void {
  const after = io();
  const lines = [`${label}: ${n} settlements in ${ms.toFixed(0)} ms = ${(ms / n).toFixed(3)} ms each`];
  for (const [what, c] of [...counts].sort((a, b) => b[1] - a[1])) {
    const ms = ((spent.get(what) ?? 0) / n).toFixed(3);
    lines.push(`  ${(c / n).toFixed(2).padStart(8)} per settlement ${ms.padStart(8)} ms  ${what}`);
  }
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  lines.push(
    `  ${(cpuMs / n).toFixed(3).padStart(8)} ms of this process's CPU per settlement (user ${(cpu.user / 1000 / n).toFixed(3)}, system ${(cpu.system / 1000 / n).toFixed(3)})`,
  );
  const delta = (key: string) => (after[key] ?? 0) - (before[key] ?? 0);
  lines.push(
    `  ${(delta('write_bytes') / n / 1024).toFixed(1).padStart(8)} KiB written to storage per settlement`,
  );
  lines.push(`  ${(delta('syscw') / n).toFixed(2).padStart(8)} write syscalls per settlement`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function sqlite(n: number, clients: number): Promise<void> {
  await withTempDir('settle-profile', async (dir) => {
    const path = join(dir, 'settlement.db');
    const ids = await setUp(path, n);
    // Experiments: indexes dropped before settling (PROFILE_DROP=a,b), the WAL emptied to count frames.
    const raw = new BetterSqlite3(path);
    for (const index of (process.env.PROFILE_DROP ?? '').split(',').filter(Boolean)) {
      raw.exec(`drop index ${index}`);
    }
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const ingot = ingotOver(await openSqliteStore(path, { synchronous: 'FULL' }), 'bench');
    try {
      if (process.env.PROFILE_SETUP_ONLY) return;
      countSqlite();
      const before = io(true);
      const ms = await settleAll(ingot, ids, clients);
      report(`sqlite FULL, ${clients} client(s)`, n, ms, before);
      // Frames of 4,096 bytes and a 24-byte header after a 32-byte file header; valid while no
      // checkpoint ran (about 1,000 frames).
      const frames = (statSync(`${path}-wal`).size - 32) / (4096 + 24);
      process.stdout.write(
        `  ${(frames / n).toFixed(2).padStart(8)} WAL frames (pages) per settlement (n small)\n`,
      );
      await verifyOrThrow(ingot, 'profile');
    } finally {
      await ingot.store.close();
    }
  });
}

async function postgres(n: number, clients: number): Promise<void> {
  const schema = scratchSchema('profile');
  const store = await openScratchPostgres(BENCH_PG_URL, schema, 8);
  const ingot = ingotOver(store, 'bench');
  try {
    await seedBooks(ingot);
    await importVault(ingot, identicalBars(n), 'profile.csv');
    await fixAndFund(ingot, n);
    const ids = await prepareTrades(ingot, n, 'profile');
    countPostgres();
    const before = io(true);
    const ms = await settleAll(ingot, ids, clients);
    report(`postgres, ${clients} client(s) in one process`, n, ms, before);
    counts.clear();
    await verifyOrThrow(ingot, 'profile');
  } finally {
    await store.close();
    await dropSchema(BENCH_PG_URL, schema);
  }
}

const [kind = 'sqlite', n = '500', clients = '1'] = process.argv.slice(2);
await (kind === 'postgres' ? postgres : sqlite)(Number(n), Number(clients));
