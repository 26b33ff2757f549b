import { describe, expect, test } from 'vitest';
import { type CurrencyCode, formatMoney, MINOR_MAX } from './money.ts';
import {
  type Asked,
  askedOf,
  checkAcceptance,
  checkOfferTerms,
  committedWeight,
  describeAsked,
  describeOffer,
  type Offer,
  quoteOf,
  type Trade,
  type TradeState,
} from './offer.ts';
import { assert, type Outcome } from './outcome.ts';

const OFFER: Offer = {
  id: 'OFFER-1',
  seller_party_id: 'GOSBANK',
  buyer_party_id: 'NBC',
  seller_stock_account_id: 'GOSBANK-VAULT',
  seller_cash_account_id: 'GOSBANK-GBP',
  buyer_custody_account_id: 'NBC-GOLD',
  buyer_cash_account_id: 'NBC-GBP',
  maximum_fine_milli_oz: 1_000_000n, // 1,000 oz
  minimum_fineness: 9900n,
  currency: 'GBP',
  pricing: 'london_fixing_of_payment_day',
  custody_fee_per_year_per10k: 0n,
  valid_from: '1961-01-11',
  valid_until: '1961-03-31',
};
const MAX = OFFER.maximum_fine_milli_oz;

const qty = (milli: bigint): Asked => ({ kind: 'quantity', fine_milli_oz: milli });
const amt = (currency: CurrencyCode, minor: bigint): Asked => ({
  kind: 'amount',
  budget: { currency, minor },
  stated: `${currency} ${minor}`,
});

/** 'ok', or the refusal's code. */
function code(outcome: Outcome<object>): string {
  return outcome.ok ? 'ok' : outcome.code;
}

describe('checkAcceptance, refusals in precedence order', () => {
  test.each([
    ['GOSBANK', '1961-01-01', amt('USD', 0n), MAX, 'not_offer_buyer'], // everything else wrong too
    ['NBC', '1961-01-10', amt('USD', 0n), MAX, 'offer_not_yet_valid'],
    ['NBC', '1961-04-01', amt('USD', 0n), MAX, 'offer_expired'],
    ['NBC', '1961-01-17', amt('USD', 0n), MAX, 'offer_fully_taken'],
    ['NBC', '1961-01-17', qty(1n), MAX + 1n, 'offer_fully_taken'],
    ['NBC', '1961-01-17', amt('USD', 0n), 0n, 'currency_mismatch'],
    ['NBC', '1961-01-17', amt('USD', 100n), 0n, 'currency_mismatch'],
    ['NBC', '1961-01-17', amt('GBP', 0n), 0n, 'invalid_input'],
    ['NBC', '1961-01-17', amt('GBP', -5n), 0n, 'invalid_input'],
    ['NBC', '1961-01-17', qty(MAX + 1n), 0n, 'exceeds_offer_maximum'],
    ['NBC', '1961-01-17', qty(2000n), MAX - 1000n, 'exceeds_offer_maximum'],
    ['NBC', '1961-01-17', qty(1000n), MAX - 1000n, 'ok'], // exactly what remains
    ['NBC', '1961-01-17', qty(MAX), 0n, 'ok'],
    ['NBC', '1961-01-11', qty(1n), 0n, 'ok'], // first day of validity
    ['NBC', '1961-03-31', qty(1n), 0n, 'ok'], // last day of validity
    ['NBC', '1961-01-17', amt('GBP', 10n ** 15n), MAX - 1n, 'ok'], // a sum is capped at allocation
  ])('%s on %s asks %o with %s taken → %s', (by, date, asked, taken, expected) => {
    expect(code(checkAcceptance(OFFER, { by_party_id: by, date, asked }, taken))).toBe(expected);
  });

  // Regression, fixed (offer.ts checkAcceptance): a quantity of zero or below is accepted. A negative tranche
  // lowers `taken` (committedWeight returns it as is), so a later tranche can take more than the
  // offer's maximum; a zero tranche later trips allocate's `target > 0` invariant.
  // Fix: next to the amount check, `if (asked.kind === 'quantity' && asked.fine_milli_oz <= 0n)
  // return refuse('invalid_input', 'the quantity must be above zero', 'quantity');`
  test.each([
    [qty(0n), 'invalid_input'],
    [qty(-1000n), 'invalid_input'],
  ])('NBC asks %o → %s', (asked, expected) => {
    expect(code(checkAcceptance(OFFER, { by_party_id: 'NBC', date: '1961-01-17', asked }, 0n))).toBe(
      expected,
    );
  });
});

describe('checkOfferTerms, refusals in precedence order', () => {
  test.each([
    [{ buyer_party_id: 'GOSBANK', maximum_fine_milli_oz: 0n, minimum_fineness: 0n }, 'invalid_input buyer'],
    [{ maximum_fine_milli_oz: 0n, minimum_fineness: 0n, valid_until: '1961-01-01' }, 'invalid_input maximum'],
    [{ maximum_fine_milli_oz: -1n }, 'invalid_input maximum'],
    [{ minimum_fineness: 0n, valid_until: '1961-01-01' }, 'invalid_input min_fineness'],
    [{ minimum_fineness: 10_001n }, 'invalid_input min_fineness'],
    [{ valid_until: '1961-01-10' }, 'invalid_input valid_until'],
    [{ valid_until: '1961-01-11' }, 'ok'], // valid for one day
    [{ minimum_fineness: 10_000n }, 'ok'],
    [{}, 'ok'],
  ] as const)('%o → %s', (change, expected) => {
    const outcome = checkOfferTerms({ ...OFFER, ...change });
    expect(outcome.ok ? 'ok' : `${outcome.code} ${outcome.field}`).toBe(expected);
  });
});

describe('committedWeight', () => {
  const trade = (state: TradeState, asked: Asked, allocated: bigint | null): Trade => ({
    id: 'TRADE-1',
    offer_id: 'OFFER-1',
    accepted_on: '1961-01-17',
    asked,
    state,
    allocated_fine_milli_oz: allocated,
    pending_reason: null,
  });
  test.each([
    ['accepted', qty(5000n), null, 5000n],
    ['accepted', amt('GBP', 60_960n), null, 0n], // a sum holds nothing until sized
    ['allocated', qty(5000n), 4990n, 4990n],
    ['allocated', amt('GBP', 60_960n), 990n, 990n],
    ['settled', qty(5000n), 4990n, 4990n],
    ['cancelled', qty(5000n), null, 0n],
  ] as const)('%s, asked %o, allocated %s → %s', (state, asked, allocated, expected) => {
    expect(committedWeight(trade(state, asked, allocated))).toBe(expected);
  });
});

describe('descriptions', () => {
  test.each([
    [qty(562_430_125n), '1961-01-17', '562,430.125 fine oz (17.494 t)'],
    [amt('GBP', 34_285_714_285n), '1961-01-17', '£7,142,857 2s 10¼d (GBP 34285714285)'],
    [amt('GBP', 48n), '1990-01-01', 'GBP 0.01 (GBP 48)'],
  ])('describeAsked(%o, %s) → %s', (asked, date, expected) => {
    expect(describeAsked(asked, date)).toBe(expected);
  });

  test('describeOffer names the parties, the maximum, the fineness, the currency and the validity', () => {
    expect(describeOffer(OFFER)).toBe(
      'GOSBANK offers NBC up to 1,000.000 fine oz (0.031 t) in bars of at least 990.0‰, priced at the ' +
        'London fixing of the payment day in GBP; valid 1961-01-11 to 1961-03-31',
    );
  });
});

describe('askedOf: what a client asks of an offer in GBP, on the command line and over HTTP alike', () => {
  const usd = { currency: 'USD' as const, minor: 2_000_000_000n }; // USD 20,000,000
  const gbp = { currency: 'GBP' as const, minor: 4800n }; // £1
  test.each([
    ['neither a quantity nor an amount', {}, 'invalid_input quantity'],
    ['both a quantity and an amount', { quantity: 1000n, amount: gbp }, 'invalid_input quantity'],
    ['a sum in dollars without a rate', { amount: usd }, 'invalid_input rate'],
    ['a rate that is not a number', { amount: usd, rate: 'two' }, 'invalid_input rate'],
    ['a rate of zero', { amount: usd, rate: '0' }, 'invalid_input rate'],
    ['a quantity', { quantity: 1000n }, 'ok'],
    ['a sum in the offer’s currency (a rate is not needed)', { amount: gbp, rate: 'two' }, 'ok'],
    ['a sum in dollars at a rate', { amount: usd, rate: '2.80' }, 'ok'],
  ])('%s: %s', (_what, asking, expected) => {
    const outcome = askedOf(asking, 'GBP', '1961-01-17');
    expect(outcome.ok ? 'ok' : `${outcome.code} ${outcome.field}`).toBe(expected);
  });

  test('a sum in dollars is converted at the rate, rounded down to the farthing, and stated as given', () => {
    const outcome = askedOf({ amount: usd, rate: '2.80' }, 'GBP', '1961-01-17');
    assert(outcome.ok && outcome.asked.kind === 'amount', 'a sum asked');
    expect(formatMoney(outcome.asked.budget, '1961-01-17')).toBe('£7,142,857 2s 10¼d');
    expect(outcome.asked.stated).toMatch(/ at 2\.80 USD per GBP$/);
  });

  test('a sum that converts past 18 digits of the minor unit is refused naming the amount', () => {
    const tiny = askedOf(
      { amount: { currency: 'USD', minor: MINOR_MAX }, rate: '0.0000000001' },
      'GBP',
      '1961-01-17',
    );
    expect(tiny.ok ? 'ok' : `${tiny.code} ${tiny.field}`).toBe('invalid_input amount');
    const most = askedOf(
      { amount: { currency: 'USD', minor: 2_800n }, rate: '0.0000000001' },
      'GBP',
      '1961-01-17',
    );
    expect(most.ok ? 'ok' : most.message).toBe('ok');
  });

  test('a quote past 18 digits, of weight or of cost, is refused naming what was asked', () => {
    const price = { currency: 'GBP' as const, minor_per_oz: 60_960n };
    const heavy = quoteOf({ kind: 'quantity', fine_milli_oz: MINOR_MAX }, price, '1961-01-31');
    expect(heavy.ok ? 'ok' : `${heavy.code} ${heavy.field}`).toBe('invalid_input quantity');
    const budget = { currency: 'GBP' as const, minor: MINOR_MAX };
    const cheap = quoteOf(
      { kind: 'amount', budget, stated: '' },
      { ...price, minor_per_oz: 1n },
      '1961-01-31',
    );
    expect(cheap.ok ? 'ok' : `${cheap.code} ${cheap.field}`).toBe('invalid_input amount');
    const fair = quoteOf({ kind: 'amount', budget, stated: '' }, price, '1961-01-31');
    expect(fair.ok && fair.cost.minor <= MINOR_MAX).toBe(true);
  });

  test('a quantity is asked as given; a sum in GBP is its own budget', () => {
    expect(askedOf({ quantity: 1000n }, 'GBP', '1961-01-17')).toEqual({
      ok: true,
      asked: { kind: 'quantity', fine_milli_oz: 1000n },
    });
    const outcome = askedOf({ amount: gbp }, 'GBP', '1961-01-17');
    assert(outcome.ok && outcome.asked.kind === 'amount', 'a sum asked');
    expect(outcome.asked.budget).toEqual(gbp);
  });
});
