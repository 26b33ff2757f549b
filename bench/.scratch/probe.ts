import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { parseQuantity } from '../../src/domain/weight.ts';
import { generateStock } from '../../src/scenario/stock.ts';
import { importBars } from '../../src/service/bars.ts';
import { ingotOver } from '../../src/service/context.ts';
import { createOffer } from '../../src/service/offers.ts';
import { addParty, openAccount } from '../../src/service/parties.ts';
import { acceptOffer, allocateTrade, cancelTrade } from '../../src/service/trades.ts';
import { openSqliteStore } from '../../src/store/sqlite/open.ts';

const n = Number(process.argv[2] ?? 100000);
const dir = mkdtempSync(join(tmpdir(), 'probe-'));
const path = join(dir, 'a.db');
const store = await openSqliteStore(path);
const ingot = ingotOver(store);
await addParty(ingot, { id: 'S', name: 's', role: 'depository' });
await addParty(ingot, { id: 'B', name: 'b', role: 'client' });
for (const [id, party_id, kind, unit] of [['SV', 'S', 'custody', 'XAU'], ['SC', 'S', 'cash', 'GBP'], ['BG', 'B', 'custody', 'XAU'], ['BC', 'B', 'cash', 'GBP']] as const) await openAccount(ingot, { id, party_id, kind, unit });
let t = performance.now();
const r = await importBars(ingot, { account_id: 'SV', lines: generateStock(n), rules: { minimum_fineness: 9950n, good_delivery: true }, date: '1961-01-02', key: 'k', source: 's' });
console.log('import', n, (performance.now() - t).toFixed(0), 'ms', r.ok);
const q = parseQuantity('20 t'); if (!q.ok) throw new Error();
const o = await createOffer(ingot, { seller_party_id: 'S', buyer_party_id: 'B', seller_stock_account_id: 'SV', seller_cash_account_id: 'SC', buyer_custody_account_id: 'BG', buyer_cash_account_id: 'BC', maximum_fine_milli_oz: q.value * 2n, minimum_fineness: 9900n, currency: 'GBP', pricing: 'london_fixing_of_payment_day', custody_fee_per_year_per10k: 0n, valid_from: '1961-01-01', valid_until: '1961-12-31' }, 'o');
if (!o.ok) throw new Error(o.message);
const tr = await acceptOffer(ingot, { offer_id: o.offer_id, by_party_id: 'B', date: '1961-01-10', asked: { kind: 'quantity', fine_milli_oz: q.value }, key: 'a' });
if (!tr.ok) throw new Error(tr.message);
for (let i = 0; i < 4; i++) {
  t = performance.now();
  const a = await allocateTrade(ingot, { trade_id: tr.trade_id });
  const ms = performance.now() - t;
  if (!a.ok) throw new Error(a.message);
  console.log('alloc', ms.toFixed(1), a.bars, a.gap_fine_milli_oz);
  await cancelTrade(ingot, { trade_id: tr.trade_id, mode: 'unallocate' });
}
const raw = new BetterSqlite3(path, { readonly: true });
const sqlq = "SELECT id, fine_milli_oz FROM bars WHERE owner_account_id=? AND state='held' ORDER BY id LIMIT 1600";
console.log(raw.prepare(`EXPLAIN QUERY PLAN ${sqlq}`).all('SV'));
console.log(raw.prepare(`EXPLAIN QUERY PLAN SELECT id, fine_milli_oz FROM bars WHERE owner_account_id=? AND state='held' and fineness >= 9900 and id > -1 ORDER BY id LIMIT 1024`).all('SV'));
console.log(raw.prepare(`EXPLAIN QUERY PLAN SELECT id, fine_milli_oz FROM bars WHERE owner_account_id=? AND state='held' and fineness >= 9900 and fine_milli_oz > 0 and fine_milli_oz <= 5000 order by fine_milli_oz desc, id LIMIT 16`).all('SV'));
for (let i = 0; i < 3; i++) { t = performance.now(); raw.prepare(sqlq).all('SV'); console.log('raw', (performance.now() - t).toFixed(2)); }
raw.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
