// Allocation of 20 t from a large vault, against the bare SELECT of as many bars from the same file.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { parseQuantity } from '../src/domain/weight.ts';
import { generateStock } from '../src/scenario/stock.ts';
import type { Ingot } from '../src/service/kernel/context.ts';
import {
  type AllocationSummary,
  acceptOffer,
  allocateTrade,
  cancelTrade,
} from '../src/service/trading/trades.ts';
import { ACCOUNTS, DATES, importVault, offerGold, openBooks, verifyOrThrow } from './fixture.ts';
import {
  type BenchRow,
  type BenchSizes,
  expectOk,
  expectParsed,
  formatCount,
  formatFigure,
  formatRatio,
  median,
  nowMs,
  percentile,
  progress,
  timed,
  withTempDir,
} from './support.ts';

const ASKED = '20 t';
const OFFERED = '30 t';
const BASELINE_SQL =
  "SELECT id, fine_milli_oz FROM bars WHERE owner_account_id = ? AND state = 'held' ORDER BY id LIMIT ?";

interface Sample {
  readonly allocation_ms: number[];
  readonly baseline_ms: number[];
  last?: AllocationSummary;
}

/** Allocates one trade, then releases its bars so the next run starts from the same vault. */
async function allocateOnce(
  ingot: Ingot,
  tradeId: string,
): Promise<{ ms: number; summary: AllocationSummary }> {
  const { value, ms } = await timed(() => allocateTrade(ingot, { trade_id: tradeId }));
  const summary = expectOk(value, 'allocation');
  expectOk(await cancelTrade(ingot, { trade_id: tradeId, mode: 'unallocate' }), 'unallocation');
  return { ms, summary };
}

/** The minimum work of picking that many bars: one prepared SELECT on a second connection. */
function baselineOnce(statement: BetterSqlite3.Statement, bars: number): number {
  const start = nowMs();
  const rows = statement.all(ACCOUNTS.seller_stock, bars);
  const ms = nowMs() - start;
  if (rows.length !== bars) throw new Error(`bench allocation: baseline read ${rows.length} of ${bars} bars`);
  return ms;
}

/** Alternates Ingot and baseline runs so drift in the machine's speed hits both alike. */
async function sample(ingot: Ingot, path: string, tradeId: string, runs: number): Promise<Sample> {
  const raw = new BetterSqlite3(path, { readonly: true });
  try {
    const statement = raw.prepare(BASELINE_SQL);
    const warm = await allocateOnce(ingot, tradeId);
    baselineOnce(statement, warm.summary.bars);
    const result: Sample = { allocation_ms: [], baseline_ms: [] };
    for (let run = 0; run < runs; run += 1) {
      const { ms, summary } = await allocateOnce(ingot, tradeId);
      result.allocation_ms.push(ms);
      result.baseline_ms.push(baselineOnce(statement, summary.bars));
      result.last = summary;
    }
    return result;
  } finally {
    raw.close();
  }
}

function toRow(sizes: BenchSizes, measured: Sample, summary: AllocationSummary): BenchRow {
  const ingotMedian = median(measured.allocation_ms);
  const baselineMedian = median(measured.baseline_ms);
  const ratio = ingotMedian / baselineMedian;
  const p90 = percentile(measured.allocation_ms, 90);
  const bars = formatCount(summary.bars);
  return {
    name: `Allocation of ${ASKED} (allocateTrade)`,
    size: `${formatCount(sizes.vault_bars)} bars in vault`,
    ingot: `median ${formatFigure(ingotMedian)} ms, p90 ${formatFigure(p90)} ms`,
    baseline: `median ${formatFigure(baselineMedian, 2)} ms (raw SELECT of ${bars} bars)`,
    ratio,
    sense: 'lower_is_better',
    detail:
      `${measured.allocation_ms.length} runs; ${bars} bars allocated, ` +
      `gap ${formatCount(summary.gap_fine_milli_oz)} milli-oz (time ratio ${formatRatio(ratio)})`,
  };
}

/** Builds a vault of `sizes.vault_bars` bars and times allocating 20 t from it, run after run. */
export async function benchAllocation(sizes: BenchSizes): Promise<BenchRow> {
  return withTempDir('allocation', async (dir) => {
    const path = join(dir, 'allocation.db');
    const ingot = await openBooks(path);
    try {
      progress(`allocation: importing a vault of ${formatCount(sizes.vault_bars)} bars`);
      await importVault(ingot, generateStock(sizes.vault_bars), `stock-${sizes.vault_bars}.csv`);
      const offerId = await offerGold(ingot, expectParsed(parseQuantity(OFFERED), OFFERED));
      const asked = { kind: 'quantity' as const, fine_milli_oz: expectParsed(parseQuantity(ASKED), ASKED) };
      const request = {
        offer_id: offerId,
        by_party_id: 'BUYER',
        date: DATES.accept,
        asked,
        key: 'bench-accept',
      };
      const tradeId = expectOk(await acceptOffer(ingot, request), 'acceptance').trade_id;
      progress(`allocation: ${sizes.allocation_runs} runs of ${ASKED}, each against the raw SELECT`);
      const measured = await sample(ingot, path, tradeId, sizes.allocation_runs);
      // Leave the trade allocated so verify also checks the reserved bars against it.
      expectOk(await allocateTrade(ingot, { trade_id: tradeId }), 'final allocation');
      await verifyOrThrow(ingot, 'allocation');
      if (!measured.last) throw new Error('bench allocation: no runs');
      return toRow(sizes, measured, measured.last);
    } finally {
      await ingot.store.close();
    }
  });
}
