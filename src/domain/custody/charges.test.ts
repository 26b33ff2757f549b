import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isBalanced } from '../ledger.ts';
import { coinOf, type PricePerOz } from '../money.ts';
import {
  type CustodyPeriod,
  chargePostings,
  checkFeeSchedule,
  custodyFee,
  type FeeSchedule,
  feeSchedule1961,
  handlingFee,
  reversalPostings,
  shipmentCharge,
} from './charges.ts';
import type { ShipmentQuote } from './instruction.ts';

const POUND = 4800n;
const SCHEDULE_1961 = feeSchedule1961('OFFER-1');
const PRICE_254S: PricePerOz = { currency: 'GBP', minor_per_oz: 60_960n }; // 254s 0d
const rated = (per10k: bigint): FeeSchedule => ({
  ...SCHEDULE_1961,
  custody: { kind: 'rate_of_value', per_year_per10k: per10k },
});
const perBar = (minor: bigint): FeeSchedule => ({
  ...SCHEDULE_1961,
  custody: { kind: 'per_bar', per_bar_per_year_minor: minor },
});
const YEAR: CustodyPeriod = {
  days: 365n,
  fine_milli_oz: 562_429_696n,
  bars: 1408n,
  price: PRICE_254S,
  date: '1961-12-31',
};

describe('custodyFee (rule C1: exact, then down to the coin of the date)', () => {
  test.each<[string, FeeSchedule, Partial<CustodyPeriod>, bigint]>([
    ['1961: no custody fee', SCHEDULE_1961, {}, 0n],
    // 562,429.696 oz × 254s = £7,142,857 2s 9.5856d; 0.10% of it is £7,142 17s 1.7…d → £7,142 17s 1½d.
    ['0.10% a year of the value', rated(10n), {}, 7142n * POUND + 17n * 240n + 30n],
    // A fifth of the year: £1,428 11s 5.07…d → £1,428 11s 5d.
    ['0.10% for 73 days (a fifth)', rated(10n), { days: 73n }, 1428n * POUND + 11n * 240n + 100n],
    ['nothing for no days', rated(10n), { days: 0n }, 0n],
    ['£1 a bar a year', perBar(POUND), {}, 1408n * POUND],
    ['£1 a bar for 1 day', perBar(POUND), { days: 1n }, 18_515n], // 18,516.16… units, down to the farthing
    ['£1 a bar for 1 day in 2024', perBar(POUND), { days: 1n, date: '2024-01-01' }, 18_480n], // to the penny
  ])('%s', (_label, schedule, period, expected) => {
    expect(custodyFee(schedule, { ...YEAR, ...period }).minor).toBe(expected);
  });

  test('a fee on value without a price is a bug', () => {
    expect(() => custodyFee(rated(10n), { ...YEAR, price: null })).toThrow('needs a price');
  });

  test('property: the fee is never above the exact amount and falls short of it by less than a coin', () => {
    fc.assert(
      fc.property(
        fc.bigInt(0n, 9_999n),
        fc.bigInt(0n, 366n * 5n),
        fc.bigInt(0n, 10n ** 10n),
        fc.bigInt(1n, 10n ** 6n),
        fc.constantFrom('1961-01-31', '1975-06-30', '2024-06-03'),
        (rate, days, fine, price, date) => {
          const period = {
            days,
            fine_milli_oz: fine,
            bars: 0n,
            price: { currency: 'GBP' as const, minor_per_oz: price },
            date,
          };
          const fee = custodyFee(rated(rate), period).minor;
          const denominator = 1000n * 10_000n * 365n;
          const exactTimesDenominator = price * fine * rate * days;
          const coin = coinOf('GBP', date);
          expect(fee % coin).toBe(0n);
          expect(fee * denominator <= exactTimesDenominator).toBe(true);
          expect(exactTimesDenominator - fee * denominator < coin * denominator).toBe(true);
        },
      ),
    );
  });
});

describe('handling fees and shipment charges', () => {
  const QUOTE: ShipmentQuote = {
    transport: { currency: 'GBP', minor: 150n * POUND },
    insurance: { currency: 'GBP', minor: 50n * POUND + 5n },
    quoted_on: '1961-02-05',
    valid_until: '1961-02-28',
  };
  const withFees: FeeSchedule = {
    ...SCHEDULE_1961,
    handling_per_release_minor: 1n,
    handling_per_transfer_minor: 2n,
    handling_per_shipment_minor: 3n,
  };
  test.each<[FeeSchedule, bigint]>([
    [SCHEDULE_1961, 200n * POUND + 5n], // 1961: transport costs borne by the client, no handling fee
    [withFees, 200n * POUND + 8n],
    [{ ...withFees, shipment_costs_payer: 'depository' }, 3n],
  ])('%o → %s units', (schedule, expected) => {
    expect(shipmentCharge(schedule, QUOTE).minor).toBe(expected);
  });

  test('the handling fee follows the instruction kind', () => {
    expect(
      ['release', 'transfer', 'shipment'].map((k) => handlingFee(withFees, k as 'release').minor),
    ).toEqual([1n, 2n, 3n]);
  });
});

describe('checkFeeSchedule', () => {
  test.each<[FeeSchedule, string]>([
    [SCHEDULE_1961, 'ok'],
    [rated(9_999n), 'ok'],
    [rated(10_000n), 'fee_schedule_invalid'],
    [rated(-1n), 'fee_schedule_invalid'],
    [perBar(-1n), 'fee_schedule_invalid'],
    [{ ...SCHEDULE_1961, handling_per_shipment_minor: -1n }, 'fee_schedule_invalid'],
  ])('%o → %s', (schedule, expected) => {
    const outcome = checkFeeSchedule(schedule);
    expect(outcome.ok ? 'ok' : outcome.code).toBe(expected);
  });
});

describe('charge postings', () => {
  const ACCOUNTS = { client_cash_account_id: 'NBC-GBP', fee_income_account_id: 'GOSBANK-FEES' };
  test('client cash to the depository’s fee income, balanced; nothing for a zero charge', () => {
    const postings = chargePostings({ currency: 'GBP', minor: 25n }, ACCOUNTS);
    expect(postings).toEqual([
      { account_id: 'NBC-GBP', unit: 'GBP', amount: -25n },
      { account_id: 'GOSBANK-FEES', unit: 'GBP', amount: 25n },
    ]);
    expect(chargePostings({ currency: 'GBP', minor: 0n }, ACCOUNTS)).toEqual([]);
  });

  test('a refund is the reversal, line for line; a negative charge is a bug', () => {
    const postings = chargePostings({ currency: 'USD', minor: 999n }, ACCOUNTS);
    const refund = reversalPostings(postings);
    expect(isBalanced([...postings, ...refund])).toBe(true);
    expect(refund.map((p) => p.amount)).toEqual([999n, -999n]);
    expect(() => chargePostings({ currency: 'GBP', minor: -1n }, ACCOUNTS)).toThrow('refund');
  });
});
