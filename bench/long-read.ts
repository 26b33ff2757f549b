// A statement of a vault of a million bars streamed while settlements commit between its pieces
// (issue 15 item 4, at scale; test/long-reads.test.ts is the same at 20,000 bars): its sums agree
// with its own balances and with the books as they were when it began, and the settlements commit.
//   node --import tsx bench/long-read.ts [bars]      (SQLite file, synchronous=FULL)
import { join } from 'node:path';
import { ingotOver } from '../src/service/kernel/context.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { acceptOffer, allocateTrade } from '../src/service/trading/trades.ts';
import { statement } from '../src/service/vault/statement.ts';
import { statementJson } from '../src/service/vault/statement-json.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { BAR_FINE_MILLI_OZ, fixAndFund, identicalBars, prepareTrades } from './books.ts';
import { ACCOUNTS, DATES, importVault, offerGold, openBooks, verifyOrThrow } from './fixture.ts';
import { expectOk, nowMs, progress, withTempDir } from './support.ts';

const SETTLEMENTS = 8;
const bars = Number(process.argv[2] ?? 1_000_000);

await withTempDir('long-read', async (dir) => {
  const path = join(dir, 'books.db');
  const setup = await openBooks(path, { synchronous: 'NORMAL' });
  progress(`long read: importing ${bars} bars`);
  await importVault(setup, identicalBars(bars), 'vault.csv');
  await fixAndFund(setup, SETTLEMENTS + 1);
  // The first 90 % of the bars reserved for a trade left unsettled, so the trades settled during
  // the stream take bars the statement reaches only near its end (allocation takes the oldest).
  const reserved = BigInt(Math.floor(bars * 0.9));
  progress(`long read: reserving ${reserved} bars`);
  const offer = await offerGold(setup, BAR_FINE_MILLI_OZ * reserved, 'reserve');
  const asked = { kind: 'quantity' as const, fine_milli_oz: BAR_FINE_MILLI_OZ * reserved };
  const accept = { offer_id: offer, by_party_id: 'BUYER', date: DATES.accept, asked, key: 'reserve' };
  const { trade_id } = expectOk(await acceptOffer(setup, accept), 'reserve');
  expectOk(await allocateTrade(setup, { trade_id }), 'reserve allocation');
  const trades = await prepareTrades(setup, SETTLEMENTS, 'during');
  await setup.store.close();

  const ingot = ingotOver(await openSqliteStore(path, { synchronous: 'FULL' }), 'bench');
  try {
    const request = { account_id: ACCOUNTS.seller_stock, from: '1961-01-01', to: DATES.settle };
    const made = expectOk(await statement(ingot, request), 'statement').statement;
    progress(`long read: streaming the statement of ${bars} bars, settling ${SETTLEMENTS} meanwhile`);
    const start = nowMs();
    let fine = 0n;
    let listed = 0;
    let rss = 0;
    let tail = '';
    let head = '';
    for await (const piece of statementJson(ingot, made, { indent: 0, with_bars: true })) {
      if (!head) head = piece.slice(0, piece.indexOf('"bars":['));
      // Each bar's fine weight, summed as the text goes by, never gathered.
      const text = tail + piece;
      const cut = text.lastIndexOf('}');
      for (const match of text.slice(0, cut + 1).matchAll(/"fine_milli_oz":"(\d+)"/g)) {
        fine += BigInt(match[1] ?? '0');
        listed += 1;
      }
      tail = text.slice(cut + 1);
      rss = Math.max(rss, process.memoryUsage().rss);
      const next = trades.shift();
      if (next) {
        const settled = await settleTrade(ingot, { trade_id: next, date: DATES.settle, key: `s-${next}` });
        expectOk(settled, `settlement of ${next}`);
      }
    }
    const ms = nowMs() - start;
    const closing = BigInt(/"closing":"(-?\d+)"/.exec(head)?.[1] ?? '-1');
    const now = await ingot.store.db
      .selectFrom('accounts')
      .select('balance')
      .where('id', '=', ACCOUNTS.seller_stock)
      .executeTakeFirstOrThrow();
    const ok = fine === closing && closing === made.closing && listed === bars && trades.length === 0;
    process.stdout.write(
      `long read: ${listed} bars listed in ${(ms / 1000).toFixed(1)} s while ${SETTLEMENTS} settlements ` +
        `committed; bars sum ${fine} = closing ${closing} = the books at its start ${made.closing}; ` +
        `the vault now ${now.balance}; peak RSS ${Math.round(rss / 2 ** 20)} MiB: ${ok ? 'CONSISTENT' : 'INCONSISTENT'}\n`,
    );
    await verifyOrThrow(ingot, 'long read');
    if (!ok) process.exitCode = 1;
  } finally {
    await ingot.store.close();
  }
});
