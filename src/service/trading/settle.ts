// Settlement, delivery versus payment: in one transaction the client pays the sterling price at the
// fixing of the day and its custody account receives the bars; or nothing moves.
//
// Settlements that arrive together are settled as one batch (src/service/kernel/batcher.ts): the batch
// reads the books with a query per table, decides each settlement in turn against balances held in
// memory (each sees those before it, as if they had run one after another), and writes what the
// settled ones changed with a statement per table. A refused settlement writes nothing but the
// reason its trade waits, so it never affects the others.
import { hashEntry } from '../../domain/custody/chain.ts';
import type { Posting } from '../../domain/ledger.ts';
import { formatMoney } from '../../domain/money.ts';
import type { Offer, Trade } from '../../domain/offer.ts';
import { assert, type Outcome, type Refusal, refuse } from '../../domain/outcome.ts';
import { planSettlement, type SettlementPlan } from '../../domain/settlement.ts';
import { describeWeight } from '../../domain/weight.ts';
import type { Store } from '../../store/store.ts';
import { batcherOf } from '../kernel/batcher.ts';
import type { Ingot } from '../kernel/context.ts';
import { answerSeen, type Replayable, requestHash } from '../kernel/idempotency.ts';
import { toJson } from '../kernel/json.ts';
import { batchReads } from './queries-settle.ts';
import { type BatchBooks, booksFrom, fixingKey, type ReservedBar } from './settle-load.ts';
import { type BatchWrites, batchWrites, noWrites } from './settle-write.ts';

export interface SettleRequest {
  readonly trade_id: string;
  readonly date: string;
  readonly key: string;
}

export interface SettlementResult {
  readonly trade_id: string;
  readonly entry_id: bigint;
  readonly date: string;
  readonly price_minor_per_oz: bigint;
  readonly fine_milli_oz: bigint;
  readonly consideration_minor: bigint;
  readonly currency: string;
  readonly bars: bigint;
}

type Settled = Replayable<SettlementResult>;

interface Queued {
  readonly ingot: Ingot;
  readonly request: SettleRequest;
}

/** The command under which settlements record their idempotency keys. */
const COMMAND = 'trades.settle';

/** Refusals after which the trade stays pending, with the reason recorded for the desk. */
const PENDING_REASONS = new Set(['insufficient_funds', 'no_fixing_for_date', 'cost_exceeds_accepted_amount']);

/** Settles an allocated trade on a date at that date's fixing, delivery versus payment. */
export function settleTrade(ingot: Ingot, request: SettleRequest): Promise<Settled> {
  return batcherOf(ingot.store, COMMAND, settleBatch).submit({ ingot, request });
}

/** Settles a batch in one transaction of reads, then writes; one outcome per request, in order. */
function settleBatch(store: Store, take: () => readonly Queued[]): Promise<Settled[]> {
  // Taken when the transaction starts (once: a transaction run again takes the same batch).
  let queued: readonly Queued[] = [];
  return store.readThenWrite({
    reads: (db) => {
      queued = take();
      return batchReads(
        db,
        queued.map((item) => item.request),
      );
    },
    decide: (rows, db) => {
      const books = booksFrom(rows);
      const writes = noWrites();
      const outcomes = queued.map((item) => settleOne(books, writes, item));
      return { writes: batchWrites(db, writes), value: outcomes };
    },
  });
}

/** Decides one settlement against the books in memory, and gathers what it writes. */
function settleOne(books: BatchBooks, writes: BatchWrites, { ingot, request }: Queued): Settled {
  const { key, ...identity } = request;
  const hash = requestHash(identity);
  const seen = books.keys.get(key);
  if (seen) return answerSeen<Outcome<SettlementResult>>(seen, COMMAND, hash);
  const outcome = decide(books, writes, ingot, request);
  if (!outcome.ok) {
    if (PENDING_REASONS.has(outcome.code)) notePending(writes, request.trade_id, outcome);
    return outcome;
  }
  const record = {
    key,
    command: COMMAND,
    request_hash: hash,
    response: toJson(outcome),
    created_at: ingot.now(),
  };
  books.keys.set(key, record);
  writes.keys.push(record);
  writes.pending.delete(request.trade_id);
  return { ...outcome, replayed: false };
}

function notePending(writes: BatchWrites, tradeId: string, refusal: Refusal): void {
  writes.pending.set(tradeId, `${refusal.code}: ${refusal.message}`);
}

/** Plans the settlement with the core's rules and, if it passes, applies it to the books in memory. */
function decide(
  books: BatchBooks,
  writes: BatchWrites,
  ingot: Ingot,
  request: SettleRequest,
): Outcome<SettlementResult> {
  const trade = books.trades.get(request.trade_id);
  if (!trade) return refuse('trade_not_found', `trade ${request.trade_id} does not exist`, 'trade');
  const offer = books.offers.get(trade.offer_id);
  assert(offer, `trade ${trade.id} refers to a missing offer`);
  const bars = books.bars.get(trade.id) ?? [];
  const plan = planSettlement({
    trade,
    offer,
    date: request.date,
    fixing: books.fixings.get(fixingKey(request.date, offer.currency)),
    accounts: books.accounts,
    bars: {
      count: BigInt(bars.length),
      fine_milli_oz: bars.reduce((sum, bar) => sum + bar.fine_milli_oz, 0n),
      misplaced: BigInt(bars.filter((bar) => bar.owner_account_id !== offer.seller_stock_account_id).length),
    },
  });
  if (!plan.ok) return plan;
  const result: SettlementResult = {
    trade_id: trade.id,
    entry_id: books.last_entry.id + 1n,
    date: request.date,
    price_minor_per_oz: plan.price.minor_per_oz,
    fine_milli_oz: plan.fine_milli_oz,
    consideration_minor: plan.consideration.minor,
    currency: plan.consideration.currency,
    bars: BigInt(bars.length),
  };
  const settled = { trade, offer, bars, plan, result };
  journalSettlement(books, writes, ingot, request, settled);
  deliverAndMark(books, writes, settled);
  addAdvices(books, writes, ingot, offer.buyer_party_id, result, plan);
  return { ok: true, ...result };
}

/** A settlement decided: what it settles, with what, and what it answers. */
interface Decided {
  readonly trade: Trade;
  readonly offer: Offer;
  readonly bars: readonly ReservedBar[];
  readonly plan: SettlementPlan;
  readonly result: SettlementResult;
}

/** The settlement's journal entry, sealed on the last one's hash, its postings and bar moves. */
function journalSettlement(
  books: BatchBooks,
  writes: BatchWrites,
  ingot: Ingot,
  request: SettleRequest,
  { trade, offer, bars, plan, result }: Decided,
): void {
  const source = offer.seller_stock_account_id;
  const target = offer.buyer_custody_account_id;
  const moves = bars.map((bar) => ({ bar_id: bar.id, source_account_id: source, target_account_id: target }));
  const entry = {
    id: result.entry_id,
    kind: 'settlement',
    value_date: request.date,
    recorded_at: ingot.now(),
    memo: `${trade.id}: ${describeWeight(plan.fine_milli_oz)} against ${formatMoney(plan.consideration, request.date)}`,
  };
  const postings = numbered(plan.postings);
  const hash = hashEntry(books.last_entry.hash, { ...entry, postings, bar_moves: moves });
  books.last_entry = { id: entry.id, hash };
  writes.entries.push({ ...entry, trade_id: trade.id, idempotency_key: request.key, hash });
  for (const posting of postings) writes.postings.push({ entry_id: entry.id, ...posting });
  for (const move of moves) writes.moves.push({ entry_id: entry.id, ...move });
  for (const [id, balance] of plan.balances) {
    const account = books.accounts.get(id);
    assert(account, `account ${id} was posted to but not loaded`);
    books.accounts.set(id, { ...account, balance });
    writes.balances.set(id, balance);
  }
}

/** The bars handed to the buyer, and the trade marked settled, in the books and in the writes. */
function deliverAndMark(
  books: BatchBooks,
  writes: BatchWrites,
  { trade, offer, bars, plan, result }: Decided,
) {
  const target = offer.buyer_custody_account_id;
  const delivery = writes.deliveries.get(target) ?? { trade_ids: [], bars: 0n };
  delivery.trade_ids.push(trade.id);
  delivery.bars += BigInt(bars.length);
  writes.deliveries.set(target, delivery);
  books.bars.delete(trade.id);
  books.trades.set(trade.id, { ...trade, state: 'settled', pending_reason: null });
  writes.settled.push({
    id: trade.id,
    settlement_date: result.date,
    price_minor_per_oz: plan.price.minor_per_oz,
    consideration_minor: plan.consideration.minor,
    settlement_entry_id: result.entry_id,
  });
}

/** Postings with their line numbers, as they are stored and chained. */
function numbered(postings: readonly Posting[]) {
  return postings.map((posting, index) => ({
    line: BigInt(index + 1),
    account_id: posting.account_id,
    unit: posting.unit,
    amount: posting.amount,
  }));
}

/** The trade confirmation and the debit and credit advices, kept as records (MT600, MT900, MT607). */
function addAdvices(
  books: BatchBooks,
  writes: BatchWrites,
  ingot: Ingot,
  party: string,
  result: SettlementResult,
  plan: SettlementPlan,
): void {
  const common = { reference: result.trade_id, related_entry: result.entry_id, value_date: result.date };
  const bodies: [string, object][] = [
    [
      'trade_confirmation',
      {
        ...common,
        metal: 'XAU',
        quantity_fine_milli_oz: result.fine_milli_oz,
        price: plan.price,
        consideration: plan.consideration,
      },
    ],
    [
      'cash_debit_advice',
      { ...common, amount: plan.consideration, narrative: 'payment for gold, delivery versus payment' },
    ],
    [
      'metal_credit_advice',
      { ...common, metal: 'XAU', quantity_fine_milli_oz: result.fine_milli_oz, bars: result.bars },
    ],
  ];
  for (const [kind, body] of bodies) {
    books.last_document_id += 1n;
    writes.documents.push({
      id: books.last_document_id,
      kind,
      trade_id: result.trade_id,
      entry_id: result.entry_id,
      party_id: party,
      created_at: ingot.now(),
      body: toJson(body),
    });
  }
}
