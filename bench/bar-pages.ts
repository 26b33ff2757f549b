// Paging one owner's bar list in a large vault, as the desk asks for it: searched by serial prefix,
// sorted by fineness (both ways, and the next page by cursor), and the count the first page gives.
// Each query's median time over several runs, and the plan the database chose, on SQLite and on
// PostgreSQL. The vault is built once per size and store and kept (in /tmp and a PostgreSQL
// schema) so a second run, after a change to the queries or indexes, reads the same books.
// Usage: node --import tsx bench/bar-pages.ts [--bars 1000000] [--store sqlite|postgres|both] [--fresh] [--plans]
import { existsSync, rmSync } from 'node:fs';
import { sql } from 'kysely';
import { generateStock } from '../src/scenario/stock.ts';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { type BarQuery, barPage, pagePlan } from '../src/service/vault/bar-pages.ts';
import { importBars } from '../src/service/vault/bars.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/store.ts';
import { BENCH_PG_URL, dropSchema, seedBooks } from './books.ts';
import { ACCOUNTS, GOOD_DELIVERY_RULES } from './fixture.ts';
import { expectOk, median, timed } from './support.ts';

const RUNS = 9;
const PAGE_ROWS = 200;
/** A second, smaller owner in the same table, so the owner's part of each index matters. */
const BUYER_BARS = 20_000;

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

async function build(ingot: Ingot, bars: number): Promise<void> {
  await seedBooks(ingot);
  const stock = { rules: GOOD_DELIVERY_RULES, date: '1961-01-02' };
  expectOk(
    await importBars(ingot, {
      ...stock,
      account_id: ACCOUNTS.seller_stock,
      lines: generateStock(bars),
      key: 'pages-seller',
      source: 'seller.csv',
    }),
    'seller stock',
  );
  expectOk(
    await importBars(ingot, {
      ...stock,
      account_id: ACCOUNTS.buyer_custody,
      lines: generateStock(BUYER_BARS, 7, 5_000_000),
      key: 'pages-buyer',
      source: 'buyer.csv',
    }),
    'buyer stock',
  );
}

async function open(store: 'sqlite' | 'postgres', bars: number, fresh: boolean): Promise<Ingot> {
  if (store === 'sqlite') {
    const path = `/tmp/ingot-bench-pages-${bars}.db`;
    if (fresh) for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    const built = existsSync(path);
    const ingot = ingotOver(await openSqliteStore(path), 'bench');
    if (!built) await build(ingot, bars);
    return ingot;
  }
  const schema = `bench_pages_${bars}`;
  if (fresh) await dropSchema(BENCH_PG_URL, schema);
  const ingot = ingotOver(await openPostgresStore(BENCH_PG_URL, { schema, connections: 2 }), 'bench');
  const known = await ingot.store.db.selectFrom('bars').select('id').limit(1).executeTakeFirst();
  if (!known) {
    await build(ingot, bars);
    await sql`analyze`.execute(ingot.store.db);
  }
  return ingot;
}

const BASE: BarQuery = {
  account_id: ACCOUNTS.seller_stock,
  sort: 'custody',
  descending: false,
  limit: PAGE_ROWS,
};

/** The queries the desk makes, by name. The cursor of a next page is taken from the first. */
function queries(): [string, BarQuery][] {
  return [
    ['custody order, first page', BASE],
    ['serial prefix "1234", custody order', { ...BASE, search: '1234' }],
    ['serial prefix "1234", by serial', { ...BASE, search: '1234', sort: 'serial' }],
    ['serial prefix "10", custody order', { ...BASE, search: '10' }],
    ['serial prefix "10", by serial', { ...BASE, search: '10', sort: 'serial' }],
    ['by fineness, first page', { ...BASE, sort: 'fineness' }],
    ['by fineness, descending', { ...BASE, sort: 'fineness', descending: true }],
    ['by fineness, min 999.0‰', { ...BASE, sort: 'fineness', min_fineness: 9990n }],
    ['buyer (20,000 bars), by fineness', { ...BASE, account_id: ACCOUNTS.buyer_custody, sort: 'fineness' }],
  ];
}

async function measure(
  ingot: Ingot,
  query: BarQuery,
): Promise<{ first: number; next: number | null; total: number }> {
  const first: number[] = [];
  const next: number[] = [];
  let total = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const page = await timed(() => barPage(ingot, query));
    first.push(page.ms);
    total = page.value.total ?? total;
    const cursor = page.value.next_cursor;
    if (cursor) next.push((await timed(() => barPage(ingot, { ...query, cursor }))).ms);
  }
  return { first: median(first), next: next.length ? median(next) : null, total };
}

async function run(storeName: 'sqlite' | 'postgres', bars: number, fresh: boolean): Promise<void> {
  const { value: ingot, ms } = await timed(() => open(storeName, bars, fresh));
  const store: Store = ingot.store;
  process.stdout.write(
    `\n${storeName}: ${bars.toLocaleString('en-GB')} bars of SELLER-VAULT (opened in ${Math.round(ms)} ms)\n`,
  );
  process.stdout.write(
    '| query | first page (with count), ms | next page (cursor), ms | matching |\n|---|---:|---:|---:|\n',
  );
  const plans: string[] = [];
  for (const [name, query] of queries()) {
    const m = await measure(ingot, query);
    const next = m.next === null ? '—' : m.next.toFixed(1);
    process.stdout.write(
      `| ${name} | ${m.first.toFixed(1)} | ${next} | ${m.total.toLocaleString('en-GB')} |\n`,
    );
    plans.push(`${name}:\n    ${(await pagePlan(ingot, query)).join('\n    ')}`);
  }
  if (process.argv.includes('--plans'))
    process.stdout.write(`\nPlans (${storeName}):\n${plans.join('\n')}\n`);
  await store.close();
}

const bars = Number.parseInt(option('bars', '1000000'), 10);
const which = option('store', 'both');
const fresh = process.argv.includes('--fresh');
for (const store of ['sqlite', 'postgres'] as const) {
  if (which === 'both' || which === store) await run(store, bars, fresh);
}
