import { describe, expect, test } from 'vitest';
import type { Account, AccountKind, LedgerUnit } from './ledger.ts';
import { affordableWeight, type PricePerOz, weightForAmount } from './money.ts';
import type { Asked, Offer, Trade, TradeState } from './offer.ts';
import { InvariantError } from './outcome.ts';
import { planSettlement, type SettlementInput, type SettlingBars } from './settlement.ts';

const OFFER: Offer = {
  id: 'OFFER-1',
  seller_party_id: 'GOSBANK',
  buyer_party_id: 'NBC',
  seller_stock_account_id: 'GOSBANK-VAULT',
  seller_cash_account_id: 'GOSBANK-GBP',
  buyer_custody_account_id: 'NBC-GOLD',
  buyer_cash_account_id: 'NBC-GBP',
  maximum_fine_milli_oz: 10_000_000n,
  minimum_fineness: 9900n,
  currency: 'GBP',
  pricing: 'london_fixing_of_payment_day',
  custody_fee_per_year_per10k: 0n,
  valid_from: '1961-01-11',
  valid_until: '1961-03-31',
};
const FIXING: PricePerOz = { currency: 'GBP', minor_per_oz: 60_960n }; // 254s 0d
const FINE = 800_000n; // two bars, 800 oz
const COST = 48_768_000n; // 800 oz at £12 14s = £10,160
const PAYDAY = '1961-01-31';

const qty = (milli: bigint): Asked => ({ kind: 'quantity', fine_milli_oz: milli });
const amt = (minor: bigint): Asked => ({
  kind: 'amount',
  budget: { currency: 'GBP', minor },
  stated: `${minor}`,
});

function account(
  id: string,
  party_id: string,
  kind: AccountKind,
  unit: LedgerUnit,
  balance: bigint,
): Account {
  return { id, party_id, kind, unit, balance };
}

/** The four accounts of a settlement, the buyer holding `funds` and the seller `stock`. */
function books(funds: bigint, stock = FINE): Map<string, Account> {
  return new Map(
    [
      account('NBC-GBP', 'NBC', 'cash', 'GBP', funds),
      account('GOSBANK-GBP', 'GOSBANK', 'cash', 'GBP', 0n),
      account('GOSBANK-VAULT', 'GOSBANK', 'custody', 'XAU', stock),
      account('NBC-GOLD', 'NBC', 'custody', 'XAU', 0n),
    ].map((a) => [a.id, a]),
  );
}

function trade(state: TradeState, asked: Asked, allocated: bigint | null = FINE): Trade {
  return {
    id: 'TRADE-1',
    offer_id: 'OFFER-1',
    accepted_on: '1961-01-17',
    asked,
    state,
    allocated_fine_milli_oz: allocated,
    pending_reason: null,
  };
}

const BARS: SettlingBars = { count: 2n, fine_milli_oz: FINE, misplaced: 0n };

function input(
  t: Trade,
  date: string,
  fixing: PricePerOz | undefined,
  accounts: Map<string, Account>,
  bars: SettlingBars = BARS,
): SettlementInput {
  return { trade: t, offer: OFFER, date, fixing, accounts, bars };
}

/** 'ok', or the refusal's code. */
function code(settlement: SettlementInput): string {
  const plan = planSettlement(settlement);
  return plan.ok ? 'ok' : plan.code;
}

const withoutBuyerCash = () => {
  const accounts = books(0n);
  accounts.delete('NBC-GBP');
  return accounts;
};
const buyerCashInUsd = () => books(COST).set('NBC-GBP', account('NBC-GBP', 'NBC', 'cash', 'USD', COST));

describe('planSettlement, refusals in precedence order', () => {
  test.each([
    [
      'every rule broken',
      trade('settled', amt(1n)),
      '1961-01-16',
      undefined,
      books(0n, 0n),
      'trade_already_settled',
    ],
    ['cancelled', trade('cancelled', amt(1n), null), '1961-01-16', undefined, books(0n), 'trade_cancelled'],
    [
      'accepted only',
      trade('accepted', amt(1n), null),
      '1961-01-16',
      undefined,
      books(0n),
      'trade_not_allocated',
    ],
    [
      'allocated, no weight',
      trade('allocated', qty(FINE), null),
      PAYDAY,
      FIXING,
      books(COST),
      'trade_not_allocated',
    ],
    [
      'before acceptance',
      trade('allocated', amt(1n)),
      '1961-01-16',
      undefined,
      books(0n),
      'settlement_before_acceptance',
    ],
    ['no fixing', trade('allocated', amt(1n)), PAYDAY, undefined, books(0n, 0n), 'no_fixing_for_date'],
    [
      'budget short by ¼d',
      trade('allocated', amt(COST - 5n)),
      PAYDAY,
      FIXING,
      books(0n, 0n),
      'cost_exceeds_accepted_amount',
    ],
    [
      'no buyer cash account',
      trade('allocated', qty(FINE)),
      PAYDAY,
      FIXING,
      withoutBuyerCash(),
      'account_not_found',
    ],
    [
      'buyer cash in USD',
      trade('allocated', qty(FINE)),
      PAYDAY,
      FIXING,
      buyerCashInUsd(),
      'account_unit_mismatch',
    ],
    [
      'funds short by ¼d',
      trade('allocated', qty(FINE)),
      PAYDAY,
      FIXING,
      books(COST - 5n, 0n),
      'insufficient_funds',
    ],
    ['no funds', trade('allocated', qty(FINE)), PAYDAY, FIXING, books(0n), 'insufficient_funds'],
    [
      'seller stock short',
      trade('allocated', qty(FINE)),
      PAYDAY,
      FIXING,
      books(COST, FINE - 1n),
      'insufficient_gold',
    ],
    ['exact funds', trade('allocated', qty(FINE)), PAYDAY, FIXING, books(COST), 'ok'],
    ['budget exactly the cost', trade('allocated', amt(COST)), PAYDAY, FIXING, books(COST), 'ok'],
    ['on the acceptance day', trade('allocated', qty(FINE)), '1961-01-17', FIXING, books(COST), 'ok'],
  ])('$0 → $5', (_name, t, date, fixing, accounts, expected) => {
    expect(code(input(t, date, fixing, accounts))).toBe(expected);
  });

  test.each([
    ['a bar outside the seller stock', { ...BARS, misplaced: 1n }],
    ['no bars', { count: 0n, fine_milli_oz: FINE, misplaced: 0n }],
    ['bars that do not sum to the allocation', { ...BARS, fine_milli_oz: FINE - 1n }],
  ])('%s is a broken invariant, not a refusal', (_name, bars) => {
    const settlement = input(trade('allocated', qty(FINE)), PAYDAY, FIXING, books(COST), bars);
    expect(() => planSettlement(settlement)).toThrow(InvariantError);
  });

  test('a fixing in another currency is a broken invariant', () => {
    const usd: PricePerOz = { currency: 'USD', minor_per_oz: 3556n };
    expect(() => planSettlement(input(trade('allocated', qty(FINE)), PAYDAY, usd, books(COST)))).toThrow(
      InvariantError,
    );
  });

  // A budget that is not a whole number of the day's coins (GBP 5,083.81 in 1961: 24,402,288 units,
  // not a multiple of the 5-unit farthing) buys 400.300 oz by truncation, but R3 rounds that price
  // half up to 24,402,290, above the budget. affordableWeight sizes the trade so that it settles.
  test('a trade sized from its budget at the settlement fixing settles', () => {
    const budget = 24_402_288n;
    expect(weightForAmount({ currency: 'GBP', minor: budget }, FIXING)).toBe(400_300n);
    const fine = affordableWeight({ currency: 'GBP', minor: budget }, FIXING, PAYDAY);
    expect(fine).toBe(400_299n);
    const bars: SettlingBars = { count: 1n, fine_milli_oz: fine, misplaced: 0n };
    const settlement = input(
      trade('allocated', amt(budget), fine),
      PAYDAY,
      FIXING,
      books(budget, fine),
      bars,
    );
    expect(code(settlement)).toBe('ok');
  });
});

describe('planSettlement, the plan', () => {
  test('moves the price from buyer to seller and the gold from stock to custody, nothing else', () => {
    const plan = planSettlement(input(trade('allocated', qty(FINE)), PAYDAY, FIXING, books(COST + 7n)));
    expect(plan.ok && { price: plan.price, fine: plan.fine_milli_oz, cost: plan.consideration }).toEqual({
      price: FIXING,
      fine: FINE,
      cost: { currency: 'GBP', minor: COST },
    });
    expect(plan.ok && plan.postings).toEqual([
      { account_id: 'NBC-GBP', unit: 'GBP', amount: -COST },
      { account_id: 'GOSBANK-GBP', unit: 'GBP', amount: COST },
      { account_id: 'GOSBANK-VAULT', unit: 'XAU', amount: -FINE },
      { account_id: 'NBC-GOLD', unit: 'XAU', amount: FINE },
    ]);
    expect(plan.ok && Object.fromEntries(plan.balances)).toEqual({
      'NBC-GBP': 7n,
      'GOSBANK-GBP': COST,
      'GOSBANK-VAULT': 0n,
      'NBC-GOLD': FINE,
    });
  });

  test.each([
    [1n, PAYDAY, 60n], // 60.96 units → 12 farthings
    [1n, '1971-02-15', 72n], // 60.96 units = 2.54 new halfpennies → 3
    [1n, '1985-01-01', 48n], // 1.27 pennies → 1
    [FINE, PAYDAY, COST],
  ])('%s milli-oz at 254s 0d settled on %s costs %s units (R3)', (fine, date, expected) => {
    const bars: SettlingBars = { count: 1n, fine_milli_oz: fine, misplaced: 0n };
    const plan = planSettlement(input(trade('allocated', qty(fine), fine), date, FIXING, books(COST), bars));
    expect(plan.ok && plan.consideration.minor).toBe(expected);
  });
});
