// The load test's clients, run in the main process and in its worker processes alike: traders that
// accept, allocate and settle one-bar trades, and custody clients that draft, sign, accept, execute
// and approve transfers of gold under the 1961 scenario's signing rule and four eyes.
import { approve } from '../src/service/custody/approvals.ts';
import { draft, step } from '../src/service/custody/instructions.ts';
import type { Ingot } from '../src/service/kernel/context.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { acceptOffer, allocateTrade } from '../src/service/trading/trades.ts';
import { nowMs } from './support.ts';

/** The books the load runs on, set up by load.ts after the 1961 scenario. */
export const LOAD = {
  offer_id_key: 'load-offer',
  accept_date: '1961-04-03',
  settle_date: '1961-04-28',
  instruction_date: '1961-04-10',
  /** At most one 430-oz Good Delivery bar per trade. */
  trade_fine_milli_oz: 430_000n,
  /** A transfer of at most one Good Delivery bar: any single bar of NBC's fits. */
  transfer_fine_milli_oz: 430_000n,
  transfer_target: 'BNB-GOLD',
} as const;

export interface LoadPlan {
  readonly offer_id: string;
  /** Clients that trade; the rest instruct. */
  readonly traders: number;
  readonly custodians: number;
  /** Wall-clock time (Date.now()) at which every client stops starting new work. */
  readonly deadline: number;
  /** Requests this process may make at most. */
  readonly max_requests: number;
  /** Prefix of idempotency keys, unique to the process. */
  readonly prefix: string;
}

export interface LoadStats {
  /** Milliseconds per request, by operation. */
  readonly latencies: Record<string, number[]>;
  /** Refusals by code (a business answer, not a failure). */
  readonly refusals: Record<string, number>;
  /** Errors thrown (the store failed): each a failure of the run. */
  readonly errors: string[];
  settled: number;
  executed: number;
}

type Result = { ok: true } | { ok: false; code: string; message: string };

/** Counts requests and stops the clients at the deadline or the count cap. */
class Budget {
  #made = 0;
  constructor(private readonly plan: LoadPlan) {}
  /** Whether clients may go on making requests. */
  open(): boolean {
    return Date.now() < this.plan.deadline && this.#made < this.plan.max_requests;
  }
  /** Counts one request made. */
  spend(): void {
    this.#made += 1;
  }
}

/** A custodian whose client has no free gold to move waits this long before drafting again. */
const NO_GOLD_WAIT_MS = 25;

/** What every request of a client is counted in. */
interface Run {
  readonly stats: LoadStats;
  readonly budget: Budget;
}

function newStats(): LoadStats {
  return { latencies: {}, refusals: {}, errors: [], settled: 0, executed: 0 };
}

/** Runs one request, recording its latency; a refusal or an error ends the flow (null). */
async function timedRequest<R extends Result>(
  { stats, budget }: Run,
  operation: string,
  request: () => Promise<R>,
): Promise<Extract<R, { ok: true }> | null> {
  budget.spend();
  const start = nowMs();
  try {
    const outcome = await request();
    const list = stats.latencies[operation] ?? [];
    list.push(nowMs() - start);
    stats.latencies[operation] = list;
    if (outcome.ok) return outcome as Extract<R, { ok: true }>;
    const code = `${operation}: ${outcome.code}`;
    stats.refusals[code] = (stats.refusals[code] ?? 0) + 1;
    return null;
  } catch (error) {
    stats.errors.push(`${operation}: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

async function trader(ingot: Ingot, plan: LoadPlan, run: Run, client: number) {
  const { stats } = run;
  const asked = { kind: 'quantity' as const, fine_milli_oz: LOAD.trade_fine_milli_oz };
  for (let round = 0; run.budget.open(); round += 1) {
    const key = `${plan.prefix}-t${client}-${round}`;
    const accept = { offer_id: plan.offer_id, by_party_id: 'NBC', date: LOAD.accept_date, asked, key };
    const accepted = await timedRequest(run, 'accept', () => acceptOffer(ingot, accept));
    if (!accepted) continue;
    const { trade_id } = accepted;
    if (!(await timedRequest(run, 'allocate', () => allocateTrade(ingot, { trade_id })))) continue;
    const settle = { trade_id, date: LOAD.settle_date, key: `${key}-settle` };
    if (await timedRequest(run, 'settle', () => settleTrade(ingot, settle))) stats.settled += 1;
  }
}

async function custodian(ingot: Ingot, run: Run) {
  const { stats } = run;
  const date = LOAD.instruction_date;
  const selection = { kind: 'quantity' as const, fine_milli_oz: LOAD.transfer_fine_milli_oz };
  const details = {
    kind: 'transfer' as const,
    target: { kind: 'existing_account' as const, account_id: LOAD.transfer_target },
  };
  const drafting = { by_user_id: 'nbc-signatory-1', source_account_id: 'NBC-GOLD', selection, details, date };
  while (run.budget.open()) {
    const drafted = await timedRequest(run, 'draft', () => draft(ingot, drafting));
    if (!drafted) {
      // Most likely all of the client's gold is on its way out: let the traders buy more first.
      await new Promise((resolve) => setTimeout(resolve, NO_GOLD_WAIT_MS));
      continue;
    }
    const { instruction_id } = drafted;
    const stepBy = (by_user_id: string, kind: 'sign' | 'accept' | 'execute') =>
      step(ingot, { instruction_id, event: { kind }, date, by_user_id });
    if (!(await timedRequest(run, 'sign', () => stepBy('nbc-signatory-1', 'sign')))) continue;
    if (!(await timedRequest(run, 'sign', () => stepBy('nbc-signatory-2', 'sign')))) continue;
    if (!(await timedRequest(run, 'accept instruction', () => stepBy('gosbank-operator', 'accept')))) {
      continue;
    }
    const executing = await timedRequest(run, 'execute', () => stepBy('gosbank-operator', 'execute'));
    const approval_id = executing?.pending_approval;
    if (approval_id === null || approval_id === undefined) continue;
    const approving = { approval_id, by_user_id: 'gosbank-supervisor' };
    if (await timedRequest(run, 'approve', () => approve(ingot, approving))) stats.executed += 1;
  }
}

/** Runs the plan's clients concurrently in this process until the deadline or the count cap. */
export async function runClients(ingot: Ingot, plan: LoadPlan): Promise<LoadStats> {
  const run: Run = { stats: newStats(), budget: new Budget(plan) };
  const clients = [
    ...Array.from({ length: plan.traders }, (_, n) => trader(ingot, plan, run, n)),
    ...Array.from({ length: plan.custodians }, () => custodian(ingot, run)),
  ];
  await Promise.all(clients);
  return run.stats;
}

/** Merges the stats of several processes. */
export function mergeStats(all: readonly LoadStats[]): LoadStats {
  const merged = newStats();
  let settled = 0;
  let executed = 0;
  for (const stats of all) {
    for (const [operation, list] of Object.entries(stats.latencies)) {
      merged.latencies[operation] = [...(merged.latencies[operation] ?? []), ...list];
    }
    for (const [code, count] of Object.entries(stats.refusals)) {
      merged.refusals[code] = (merged.refusals[code] ?? 0) + count;
    }
    merged.errors.push(...stats.errors);
    settled += stats.settled;
    executed += stats.executed;
  }
  return { ...merged, settled, executed };
}
