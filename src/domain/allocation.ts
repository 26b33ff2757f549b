// Choosing bars from the vault to make up an order, as close to the asked weight as the stock allows.
//
// Tolerance rule (docs/ROUNDING.md, rule A1): an allocation never exceeds the asked fine weight, and
// falls short of it by at most one Good Delivery bar (430 oz); a larger shortfall is refused as
// insufficient stock. Within that, the search first takes bars in custody order (oldest first),
// then fills the remaining gap with the heaviest bar that fits, then swaps chosen bars for
// slightly heavier ones until the gap is zero or no swap helps.
import { assert } from './outcome.ts';
import type { FineMilliOz } from './weight.ts';

export const ALLOCATION_SHORTFALL_MAX_MILLI_OZ: FineMilliOz = 430_000n;
export const ALLOCATION_PAGE_SIZE = 1024;
/** Bounds the swap search so a pathological vault cannot stall the desk. */
export const ALLOCATION_SWAP_PROBES_MAX = 4096;
const PROBE_WIDTH = 16;

export interface CandidateBar {
  readonly id: bigint;
  readonly fine_milli_oz: FineMilliOz;
}

/** The eligible, unreserved bars of the seller, as the storage edge can search them. */
export interface BarPool {
  /** Bars in custody order with id above `after_id`, at most `limit`. */
  inOrder(after_id: bigint, limit: number): Promise<readonly CandidateBar[]>;
  /**
   * Bars with fine weight in (above, at_most], heaviest first and then by id, at most `limit`;
   * with `after`, only those that come after that bar in this order.
   */
  heaviestBetween(
    above: FineMilliOz,
    at_most: FineMilliOz,
    limit: number,
    after?: CandidateBar,
  ): Promise<readonly CandidateBar[]>;
  /** The lightest bar's fine weight, or null when the pool is empty. */
  lightest(): Promise<FineMilliOz | null>;
}

export interface Allocation {
  readonly bars: readonly CandidateBar[];
  readonly total_fine_milli_oz: FineMilliOz;
  readonly target_fine_milli_oz: FineMilliOz;
  readonly gap_fine_milli_oz: FineMilliOz;
  readonly probes: number;
}

/** Chooses bars whose total is at most `target` and as close to it as the search finds. */
export async function allocate(target: FineMilliOz, pool: BarPool): Promise<Allocation> {
  assert(target > 0n, 'allocation target must be positive');
  const chosen = new Map<bigint, CandidateBar>();
  let total = 0n;
  const lightest = await pool.lightest();
  if (lightest === null) return finish(target, chosen, total, 0);
  let after = -1n;
  for (;;) {
    const page = await pool.inOrder(after, ALLOCATION_PAGE_SIZE);
    for (const bar of page) {
      if (total + bar.fine_milli_oz <= target) {
        chosen.set(bar.id, bar);
        total += bar.fine_milli_oz;
      }
    }
    const last = page.at(-1);
    if (!last || target - total < lightest) break;
    after = last.id;
  }
  let probes = 0;
  const fill = await heaviestUnchosen(pool, 0n, target - total, chosen);
  probes += 1;
  if (fill) {
    chosen.set(fill.id, fill);
    total += fill.fine_milli_oz;
  }
  const result = await swapToClose(target, total, chosen, pool);
  return finish(target, chosen, result.total, probes + result.probes);
}

async function swapToClose(
  target: FineMilliOz,
  start: FineMilliOz,
  chosen: Map<bigint, CandidateBar>,
  pool: BarPool,
): Promise<{ total: FineMilliOz; probes: number }> {
  let total = start;
  let probes = 0;
  const hopeless = new Set<string>();
  for (const bar of [...chosen.values()].reverse()) {
    const gap = target - total;
    if (gap === 0n || probes >= ALLOCATION_SWAP_PROBES_MAX) break;
    const key = `${bar.fine_milli_oz}:${gap}`;
    if (hopeless.has(key)) continue;
    probes += 1;
    const better = await heaviestUnchosen(pool, bar.fine_milli_oz, bar.fine_milli_oz + gap, chosen);
    if (!better) {
      hopeless.add(key);
      continue;
    }
    chosen.delete(bar.id);
    chosen.set(better.id, better);
    total += better.fine_milli_oz - bar.fine_milli_oz;
  }
  return { total, probes };
}

async function heaviestUnchosen(
  pool: BarPool,
  above: FineMilliOz,
  atMost: FineMilliOz,
  chosen: ReadonlyMap<bigint, CandidateBar>,
): Promise<CandidateBar | undefined> {
  let after: CandidateBar | undefined;
  for (;;) {
    const found = await pool.heaviestBetween(above, atMost, PROBE_WIDTH, after);
    const free = found.find((bar) => !chosen.has(bar.id));
    if (free) return free;
    after = found.at(-1);
    // Every bar returned is already chosen: page on, past the last of them.
    if (found.length < PROBE_WIDTH || !after) return undefined;
  }
}

function finish(
  target: FineMilliOz,
  chosen: ReadonlyMap<bigint, CandidateBar>,
  total: FineMilliOz,
  probes: number,
): Allocation {
  const bars = [...chosen.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const sum = bars.reduce((acc, bar) => acc + bar.fine_milli_oz, 0n);
  assert(sum === total, `allocation total ${total} differs from its bars' sum ${sum}`);
  assert(total <= target, `allocation ${total} exceeds target ${target}`);
  return {
    bars,
    total_fine_milli_oz: total,
    target_fine_milli_oz: target,
    gap_fine_milli_oz: target - total,
    probes,
  };
}

/** True when an allocation's shortfall is within the tolerance rule A1. */
export function withinTolerance(allocation: Allocation): boolean {
  return allocation.bars.length > 0 && allocation.gap_fine_milli_oz <= ALLOCATION_SHORTFALL_MAX_MILLI_OZ;
}
