// Settlement, delivery versus payment: in one transaction the client pays the sterling price at the
// fixing of the day and its custody account receives the bars; or nothing moves.
import { formatMoney } from '../domain/money.ts';
import { assert, type Outcome, type Refusal } from '../domain/outcome.ts';
import { planSettlement, type SettlementPlan } from '../domain/settlement.ts';
import { describeWeight } from '../domain/weight.ts';
import { ONE, prepare, ZERO } from '../store/prepared.ts';
import type { Tx } from '../store/store.ts';
import type { Ingot } from './context.ts';
import { fixingOn, priceOf } from './fixings.ts';
import { idempotent, type Replayable } from './idempotency.ts';
import { addPostings, insertEntry, loadAccounts, nextEntryId, sealEntry } from './journal.ts';
import { toJson } from './json.ts';
import { findTrade } from './trades.ts';

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

const reservedBars = prepare((db, $) =>
  db
    .selectFrom('bars')
    .select((eb) => [
      eb.fn.countAll<bigint>().as('count'),
      eb.fn.coalesce(eb.fn.sum<bigint>('fine_milli_oz'), ZERO).as('fine'),
      eb.fn
        .coalesce(
          eb.fn.sum<bigint>(eb.case().when('owner_account_id', '!=', $('seller')).then(ONE).else(ZERO).end()),
          ZERO,
        )
        .as('misplaced'),
    ])
    .where('trade_id', '=', $('trade_id'))
    .where('state', '=', 'reserved'),
);
const recordMoves = prepare((db, $) =>
  db
    .insertInto('bar_moves')
    .columns(['entry_id', 'bar_id', 'source_account_id', 'target_account_id'])
    .expression((eb) =>
      eb
        .selectFrom('bars')
        .select([
          eb.val($('entry_id')).as('entry_id'),
          'id',
          eb.val($('source')).as('source'),
          eb.val($('target')).as('target'),
        ])
        .where('trade_id', '=', $('trade_id'))
        .where('state', '=', 'reserved'),
    ),
);
const moveBars = prepare((db, $) =>
  db
    .updateTable('bars')
    .set({ owner_account_id: $('target'), state: 'held', trade_id: null })
    .where('trade_id', '=', $('trade_id'))
    .where('state', '=', 'reserved'),
);
const markSettled = prepare((db, $) =>
  db
    .updateTable('trades')
    .set({
      state: 'settled',
      settlement_date: $('settlement_date'),
      price_minor_per_oz: $('price_minor_per_oz'),
      consideration_minor: $('consideration_minor'),
      settlement_entry_id: $('settlement_entry_id'),
      pending_reason: null,
    })
    .where('id', '=', $('id')),
);
const lastDocument = prepare((db) => db.selectFrom('documents').select((eb) => eb.fn.max('id').as('id')));
const insertDocument = prepare((db, $) =>
  db.insertInto('documents').values({
    id: $('id'),
    kind: $('kind'),
    trade_id: $('trade_id'),
    entry_id: $('entry_id'),
    party_id: $('party_id'),
    created_at: $('created_at'),
    body: $('body'),
  }),
);

/** Refusals after which the trade stays pending, with the reason recorded for the desk. */
const PENDING_REASONS = new Set(['insufficient_funds', 'no_fixing_for_date', 'cost_exceeds_accepted_amount']);

/** Settles an allocated trade on a date at that date's fixing, delivery versus payment. */
export async function settleTrade(
  ingot: Ingot,
  request: SettleRequest,
): Promise<Replayable<SettlementResult>> {
  const { key, ...identity } = request;
  const outcome = await idempotent(ingot, key, 'trades.settle', identity, (tx) =>
    settleIn(tx, ingot, request),
  );
  if (!outcome.ok && PENDING_REASONS.has(outcome.code)) await recordPending(ingot, request.trade_id, outcome);
  return outcome;
}

async function settleIn(tx: Tx, ingot: Ingot, request: SettleRequest): Promise<Outcome<SettlementResult>> {
  const found = await findTrade(tx, request.trade_id);
  if (!found.ok) return found;
  const { trade, offer } = found;
  const fixing = await fixingOn(tx, request.date, offer.currency);
  const accounts = await loadAccounts(tx, [
    offer.buyer_cash_account_id,
    offer.seller_cash_account_id,
    offer.seller_stock_account_id,
    offer.buyer_custody_account_id,
  ]);
  const [bars] = (await reservedBars.run(tx, { trade_id: trade.id, seller: offer.seller_stock_account_id }))
    .rows;
  assert(bars, 'an aggregate query returned no row');
  const plan = planSettlement({
    trade,
    offer,
    date: request.date,
    fixing: fixing ? priceOf(fixing) : undefined,
    accounts,
    bars: { count: BigInt(bars.count), fine_milli_oz: BigInt(bars.fine), misplaced: BigInt(bars.misplaced) },
  });
  if (!plan.ok) return plan;
  const entryId = await nextEntryId(tx);
  await insertEntry(tx, entryId, {
    kind: 'settlement',
    value_date: request.date,
    recorded_at: ingot.now(),
    memo: `${trade.id}: ${describeWeight(plan.fine_milli_oz)} against ${formatMoney(plan.consideration, request.date)}`,
    trade_id: trade.id,
    idempotency_key: request.key,
  });
  const posted = await addPostings(tx, entryId, plan.postings, accounts);
  assert(posted.ok, 'settlement postings refused after planning');
  await deliverBars(
    tx,
    entryId,
    trade.id,
    offer.seller_stock_account_id,
    offer.buyer_custody_account_id,
    BigInt(bars.count),
  );
  await sealEntry(tx, entryId);
  await markSettled.run(tx, {
    id: trade.id,
    settlement_date: request.date,
    price_minor_per_oz: plan.price.minor_per_oz,
    consideration_minor: plan.consideration.minor,
    settlement_entry_id: entryId,
  });
  const result: SettlementResult = {
    trade_id: trade.id,
    entry_id: entryId,
    date: request.date,
    price_minor_per_oz: plan.price.minor_per_oz,
    fine_milli_oz: plan.fine_milli_oz,
    consideration_minor: plan.consideration.minor,
    currency: plan.consideration.currency,
    bars: BigInt(bars.count),
  };
  await writeAdvices(tx, ingot, offer.buyer_party_id, result, plan);
  return { ok: true, ...result };
}

/** Moves the reserved bars to the buyer and records each move in the bars' history. */
async function deliverBars(
  tx: Tx,
  entryId: bigint,
  tradeId: string,
  source: string,
  target: string,
  count: bigint,
) {
  await recordMoves.run(tx, { entry_id: entryId, trade_id: tradeId, source, target });
  const moved = await moveBars.run(tx, { trade_id: tradeId, target });
  assert(moved.changes === count, `trade ${tradeId}: ${moved.changes} of ${count} bars moved`);
}

/** The trade confirmation and the debit and credit advices, kept as records (MT600, MT900, MT607). */
async function writeAdvices(
  tx: Tx,
  ingot: Ingot,
  party: string,
  result: SettlementResult,
  plan: SettlementPlan,
) {
  const last = await tx
    .selectFrom('documents')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  const id = last?.id ?? 0n;
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
  for (const [index, [kind, body]] of bodies.entries()) {
    await insertDocument.run(tx, {
      id: id + BigInt(index + 1),
      kind,
      trade_id: result.trade_id,
      entry_id: result.entry_id,
      party_id: party,
      created_at: ingot.now(),
      body: toJson(body),
    });
  }
}

/** Notes why a trade could not settle; nothing else changes. */
async function recordPending(ingot: Ingot, tradeId: string, refusal: Refusal): Promise<void> {
  await ingot.store.write(async (tx) => {
    await tx
      .updateTable('trades')
      .set({ pending_reason: `${refusal.code}: ${refusal.message}` })
      .where('id', '=', tradeId)
      .where('state', '=', 'allocated')
      .execute();
  });
}
