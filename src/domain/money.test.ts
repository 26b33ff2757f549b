import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Parsed } from './decimal.ts';
import {
  affordableWeight,
  type CurrencyCode,
  coinOf,
  consideration,
  convert,
  type FxRate,
  formatDecimal,
  formatLsd,
  formatMoney,
  type Money,
  minorPerMajor,
  parseFxRate,
  parseLsd,
  parseMoney,
  parsePrice,
  toMajorString,
  weightForAmount,
} from './money.ts';

const GBP = (minor: bigint): Money => ({ currency: 'GBP', minor });
const USD = (minor: bigint): Money => ({ currency: 'USD', minor });
const PARITY: FxRate = { base: 'GBP', quote: 'USD', quote_per_base_e10: 28_000_000_000n }; // USD 2.80 per £
const E10 = 10_000_000_000n;

/** "GBP 60090" for a parsed amount, or the reason prefixed with "!". */
function showMoney(parsed: Parsed<Money>): string {
  return parsed.ok ? `${parsed.value.currency} ${parsed.value.minor}` : `!${parsed.reason}`;
}

/** Sterling units, or the reason prefixed with "!", or "not £sd". */
function showLsd(text: string): bigint | string {
  const parsed = parseLsd(text);
  if (parsed === undefined) return 'not £sd';
  return parsed.ok ? parsed.value : `!${parsed.reason}`;
}

/** Dates on every side of Decimal Day and of the end of the new halfpenny. */
const dates = fc.constantFrom(
  '1961-01-31',
  '1971-02-14',
  '1971-02-15',
  '1984-12-31',
  '1985-01-01',
  '2024-06-03',
);

describe('the coin of the date', () => {
  test.each([
    ['GBP', '1961-01-31', 5n], // the farthing
    ['GBP', '1971-02-14', 5n],
    ['GBP', '1971-02-15', 24n], // Decimal Day: the new halfpenny
    ['GBP', '1984-12-31', 24n],
    ['GBP', '1985-01-01', 48n], // the penny
    ['GBP', '2024-06-03', 48n],
    ['USD', '1961-01-31', 1n],
    ['EUR', '2024-06-03', 1n],
  ] as const)('%s on %s → %s minor units', (currency, date, expected) => {
    expect(coinOf(currency, date)).toBe(expected);
  });
});

describe('R3: consideration = price × fine weight, rounded half up to the coin of the date', () => {
  test.each([
    [60_960n, 'GBP', 1000n, '1961-01-31', 60_960n], // 1 oz at 254s 0d = £12 14s
    [60_960n, 'GBP', 562_430_125n, '1961-01-31', 34_285_740_420n], // a whole farthing count already
    [60_960n, 'GBP', 1n, '1961-01-31', 60n], // 60.96 units → 12.192 farthings → 12
    [12_500n, 'GBP', 1n, '1961-01-31', 15n], // 12.5 units = 2.5 farthings: the half goes up
    [12_499n, 'GBP', 1n, '1961-01-31', 10n], // 2.4998 farthings → 2
    [12_500n, 'GBP', 1n, '1971-02-14', 15n],
    [12_000n, 'GBP', 1n, '1971-02-15', 24n], // 12 units = ½ new halfpenny: up
    [11_999n, 'GBP', 1n, '1971-02-15', 0n],
    [12_000n, 'GBP', 1n, '1984-12-31', 24n],
    [24_000n, 'GBP', 1n, '1985-01-01', 48n], // 24 units = ½ penny: up
    [23_999n, 'GBP', 1n, '1985-01-01', 0n],
    [12_000n, 'GBP', 1n, '1985-01-01', 0n], // a new halfpenny's worth is no longer a coin
    [3556n, 'USD', 125n, '1961-01-31', 445n], // 444.5 cents → 445
    [3556n, 'USD', 500n, '1961-01-31', 1778n],
    [3556n, 'USD', 1n, '1961-01-31', 4n],
    [60_960n, 'GBP', 0n, '1961-01-31', 0n],
  ] as const)('%s %s/oz × %s milli-oz on %s → %s', (price, currency, fine, date, expected) => {
    expect(consideration({ currency, minor_per_oz: price }, fine, date)).toEqual({
      currency,
      minor: expected,
    });
  });

  test('property: a whole number of coins, within half a coin of the exact price', () => {
    fc.assert(
      fc.property(fc.bigInt(1n, 10n ** 8n), fc.bigInt(0n, 10n ** 11n), dates, (price, fine, date) => {
        const coin = coinOf('GBP', date);
        const cost = consideration({ currency: 'GBP', minor_per_oz: price }, fine, date).minor;
        expect(cost % coin).toBe(0n);
        const error = 2n * (cost * 1000n - price * fine); // 2 × (cost − exact) × 1000
        expect(-coin * 1000n < error && error <= coin * 1000n).toBe(true);
      }),
    );
  });

  test('property: consideration is monotone in weight', () => {
    fc.assert(
      fc.property(
        fc.bigInt(1n, 10n ** 8n),
        fc.bigInt(0n, 10n ** 11n),
        fc.bigInt(0n, 10n ** 6n),
        dates,
        fc.constantFrom<CurrencyCode>('GBP', 'USD'),
        (price, fine, more, date, currency) => {
          const at = (w: bigint) => consideration({ currency, minor_per_oz: price }, w, date).minor;
          expect(at(fine) <= at(fine + more)).toBe(true);
        },
      ),
    );
  });
});

describe('R4: conversion rounds down to the coin of the date', () => {
  test.each([
    [USD(2_000_000_000n), 'GBP', '1961-01-17', 34_285_714_285n], // £7,142,857 2s 10¼d (DOMAIN.md §1)
    [USD(2_000_000_000n), 'GBP', '1975-01-01', 34_285_714_272n], // to the new halfpenny below
    [USD(2_000_000_000n), 'GBP', '1990-01-01', 34_285_714_272n], // £7,142,857.14
    [USD(100n), 'GBP', '1961-01-17', 1710n], // 1714.29 units → 7s 1½d
    [USD(1n), 'GBP', '1961-01-17', 15n], // 17.14 units → ¾d
    [GBP(60_960n), 'USD', '1961-01-17', 3556n], // 254s 0d = USD 35.56
    [GBP(4800n), 'USD', '1961-01-17', 280n],
    [GBP(5n), 'USD', '1961-01-17', 0n], // a farthing is 0.29 cents
    [GBP(-5n), 'USD', '1961-01-17', -1n], // down is toward negative infinity
  ] as const)('%o → %s on %s: %s', (amount, target, date, expected) => {
    expect(convert(amount, PARITY, target, date)).toEqual({ currency: target, minor: expected });
  });

  test('USD 20,000,000 at 2.80 is £7,142,857 2s 10¼d exactly', () => {
    expect(formatLsd(convert(USD(2_000_000_000n), PARITY, 'GBP', '1961-01-17').minor)).toBe(
      '£7,142,857 2s 10¼d',
    );
  });

  test('a rate that does not join the currencies is an error', () => {
    expect(() => convert({ currency: 'EUR', minor: 100n }, PARITY, 'GBP', '1961-01-17')).toThrow(
      'cannot convert EUR→GBP',
    );
  });

  test('property: the converted sum never exceeds its source, and one more coin would', () => {
    fc.assert(
      fc.property(
        fc.bigInt(0n, 10n ** 13n),
        fc.bigInt(1n, 10n ** 12n),
        fc.boolean(),
        dates,
        (minor, rateE10, toSterling, date) => {
          const rate: FxRate = { base: 'GBP', quote: 'USD', quote_per_base_e10: rateE10 };
          const source: Money = toSterling ? USD(minor) : GBP(minor);
          const target: CurrencyCode = toSterling ? 'GBP' : 'USD';
          const result = convert(source, rate, target, date).minor;
          const coin = coinOf(target, date);
          // Value of `units` of the target in source minor units × (E10 × target minor per major).
          const valueInSource = (units: bigint) =>
            toSterling ? units * rateE10 * minorPerMajor('USD') : units * E10 * minorPerMajor('GBP');
          const sourceScaled = toSterling
            ? minor * minorPerMajor('GBP') * E10
            : minor * minorPerMajor('USD') * rateE10;
          expect(result % coin).toBe(0n);
          expect(result >= 0n).toBe(true);
          expect(valueInSource(result) <= sourceScaled).toBe(true);
          expect(valueInSource(result + coin) > sourceScaled).toBe(true);
        },
      ),
    );
  });
});

describe('weightForAmount (R1 applied to money: never more gold than paid for)', () => {
  test.each([
    [GBP(34_285_714_285n), 60_960n, 562_429_696n], // about 562,430 fine oz (DOMAIN.md §1)
    [GBP(60_960n), 60_960n, 1000n],
    [GBP(60_959n), 60_960n, 999n],
    [GBP(0n), 60_960n, 0n],
  ])('%o at %s/oz → %s milli-oz', (budget, price, expected) => {
    expect(weightForAmount(budget, { currency: 'GBP', minor_per_oz: price })).toBe(expected);
  });

  test('a budget in another currency is an error', () => {
    expect(() => weightForAmount(USD(100n), { currency: 'GBP', minor_per_oz: 60_960n })).toThrow(
      'currency mismatch',
    );
  });

  test('property: the weight costs at most the budget, and 0.001 oz more would cost more', () => {
    fc.assert(
      fc.property(fc.bigInt(0n, 10n ** 14n), fc.bigInt(1n, 10n ** 8n), (budget, price) => {
        const fine = weightForAmount(GBP(budget), { currency: 'GBP', minor_per_oz: price });
        expect(fine * price <= budget * 1000n && (fine + 1n) * price > budget * 1000n).toBe(true);
      }),
    );
  });
});

describe('affordableWeight (rule R3 applied to a sum: the most gold whose consideration fits it)', () => {
  test('property: its consideration fits the sum, 0.001 oz more would not, and it is never above weightForAmount', () => {
    fc.assert(
      fc.property(fc.bigInt(1n, 10n ** 14n), fc.bigInt(1n, 10n ** 6n), dates, (budget, price, date) => {
        const per = { currency: 'GBP' as const, minor_per_oz: price };
        const fine = affordableWeight(GBP(budget), per, date);
        expect(fine <= weightForAmount(GBP(budget), per)).toBe(true);
        expect(consideration(per, fine, date).minor <= budget).toBe(true);
        const more = consideration(per, fine + 1n, date).minor > budget;
        expect(more || fine === weightForAmount(GBP(budget), per)).toBe(true);
      }),
    );
  });

  test('a price of one minor unit an ounce, where the estimate is 1.5 oz over (searching gave up at 1 oz)', () => {
    const fine = affordableWeight(GBP(10n ** 18n - 1n), { currency: 'GBP', minor_per_oz: 1n }, '1961-01-31');
    expect(fine).toBe(999_999_999_999_999_997_499n);
  });
});

describe('£sd', () => {
  test.each([
    ['£12 10s 4½d', 60_090n],
    ['254s 0d', 60_960n],
    ['254s', 60_960n],
    ['£12 14s', 60_960n],
    ['£12 14s 0d', 60_960n],
    ['£7,142,857 2s 10¼d', 34_285_714_285n],
    ['£1,234 5s 6¾d', 5_924_535n],
    ['10¼d', 205n],
    ['½d', 10n],
    ['3 1/4d', 65n],
    ['£0 0s 0¾d', 15n],
    ['  £12  10s  4 ½ d  ', 60_090n],
    ['£1 20s', '!"£1 20s": shillings must be below 20 when pounds are given'],
    ['12s 12d', '!"12s 12d": pence must be below 12'],
    ['£12', 'not £sd'], // plain pounds are a decimal amount
    ['12.5', 'not £sd'],
    ['d', 'not £sd'],
    ['', 'not £sd'],
  ])('parseLsd(%j) → %s', (text, expected) => {
    expect(showLsd(text)).toBe(expected);
  });

  test.each([
    [60_090n, {}, '£12 10s 4½d'],
    [60_960n, {}, '£12 14s 0d'],
    [60_960n, { shillingsOnly: true }, '254s 0d'],
    [34_285_714_285n, {}, '£7,142,857 2s 10¼d'],
    [0n, {}, '£0 0s 0d'],
    [15n, {}, '£0 0s 0¾d'],
    [-5n, {}, '-£0 0s 0¼d'],
    [24n, {}, '≈£0 0s 1d'], // a new halfpenny is 1.2d: shown to the farthing below, marked
    [48n, {}, '≈£0 0s 2¼d'], // a new penny is 2.4d
    [4801n, { shillingsOnly: true }, '≈20s 0d'],
  ])('formatLsd(%s, %o) → %s', (units, options, expected) => {
    expect(formatLsd(units, options)).toBe(expected);
  });

  // Regression, fixed (money.ts formatLsd): a negative amount finer than a farthing is truncated toward zero
  // ("≈-£0 0s 0d" for −3 units), while the doc comment says "to the farthing below" and
  // formatDecimal floors (−1 unit → "≈GBP -0.01"). Fix: floor the magnitude for positives only,
  // i.e. round a negative amount's magnitude up to the next farthing before splitting it.
  test('a negative amount finer than a farthing is shown to the farthing below', () => {
    expect(formatLsd(-3n)).toBe('≈-£0 0s 0¼d');
  });

  test('property: formatLsd(parseLsd(text)) = text for every canonical £sd text', () => {
    const canonical = fc
      .tuple(fc.bigInt(0n, 10n ** 9n), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 11 }))
      .chain(([pounds, shillings, pence]) =>
        fc.constantFrom('', '¼', '½', '¾').map((farthing) => {
          const grouped = pounds.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
          return `£${grouped} ${shillings}s ${pence}${farthing}d`;
        }),
      );
    fc.assert(
      fc.property(canonical, (text) => {
        const units = showLsd(text);
        expect(typeof units).toBe('bigint');
        expect(typeof units === 'bigint' ? formatLsd(units) : units).toBe(text);
      }),
    );
  });

  test('property: parseLsd(formatLsd(units)) = units for every farthing multiple', () => {
    fc.assert(
      fc.property(fc.bigInt(0n, 10n ** 14n), fc.boolean(), (farthings, shillingsOnly) => {
        const units = farthings * 5n;
        expect(showLsd(formatLsd(units, { shillingsOnly }))).toBe(units);
      }),
    );
  });
});

describe('parseMoney, parsePrice, parseFxRate', () => {
  test.each([
    ['£12 10s 4½d', undefined, 'GBP 60090'],
    ['254s 0d', undefined, 'GBP 60960'],
    ['USD 20,000,000', undefined, 'USD 2000000000'],
    ['GBP 7142857.14', undefined, 'GBP 34285714272'], // a decimal penny is 48 units
    ['£12.50', undefined, 'GBP 60000'],
    ['£12', undefined, 'GBP 57600'],
    ['$5.25', undefined, 'USD 525'],
    ['€3', undefined, 'EUR 300'],
    ['12.5 GBP', undefined, 'GBP 60000'],
    ['gbp 1', undefined, 'GBP 4800'],
    ['GBP -5', undefined, 'GBP -24000'],
    ['1850.35', 'USD', 'USD 185035'],
    ['5', undefined, '!amount "5" names no currency (write e.g. "GBP 100")'],
    ['XYZ 5', undefined, '!amount "XYZ 5": unknown currency XYZ'],
    ['USD 5.255', undefined, '!amount in USD "5.255" has 3 decimals; at most 2 are allowed'],
    ['USD 1,00', undefined, '!amount in USD "1,00" is not a decimal number'],
    ['five pounds', undefined, '!amount "five pounds" is not like "GBP 1234.56" or "£12 10s 4½d"'],
    ['£1 20s 0d', undefined, '!"£1 20s 0d": shillings must be below 20 when pounds are given'],
    ['USD 9999999999999999.99', undefined, 'USD 999999999999999999'],
    ['USD -9999999999999999.99', undefined, 'USD -999999999999999999'],
    [
      'USD 10000000000000000',
      undefined,
      '!amount "USD 10000000000000000" is beyond 999999999999999999 minor units (18 digits)',
    ],
    [
      'GBP 208333333333334',
      undefined,
      '!amount "GBP 208333333333334" is beyond 999999999999999999 minor units (18 digits)',
    ],
    [
      '£208333333333334 0s 0d',
      undefined,
      '!amount "£208333333333334 0s 0d" is beyond 999999999999999999 minor units (18 digits)',
    ],
  ] as const)('parseMoney(%j, %s) → %s', (text, fallback, expected) => {
    expect(showMoney(parseMoney(text, fallback))).toBe(expected);
  });

  test.each([
    ['254s 0d', 'GBP 60960'],
    ['£12 14s', 'GBP 60960'],
    ['GBP 1850.35', 'GBP 8881680'],
    ['1850.35', 'GBP 8881680'],
    ['USD 35.56', 'USD 3556'],
    ['0', '!price "0" must be above zero'],
    ['£0 0s 0d', '!price "£0 0s 0d" must be above zero'],
    ['USD -1', '!price "USD -1" must be above zero'],
    ['abc', '!price "abc" is not like "GBP 1234.56" or "£12 10s 4½d"'],
    [
      '9223372036854775808',
      '!price "9223372036854775808" is beyond 999999999999999999 minor units (18 digits)',
    ],
    [
      '99999999999999999.99',
      '!price "99999999999999999.99" is beyond 999999999999999999 minor units (18 digits)',
    ],
  ])('parsePrice(%j) → %s', (text, expected) => {
    const parsed = parsePrice(text);
    expect(parsed.ok ? `${parsed.value.currency} ${parsed.value.minor_per_oz}` : `!${parsed.reason}`).toBe(
      expected,
    );
  });

  test.each([
    ['2.80', 28_000_000_000n],
    ['2.8', 28_000_000_000n],
    ['1.0000000001', 10_000_000_001n],
    ['0', '!exchange rate 0 must be above zero'],
    ['-2.8', '!exchange rate -2.8 must be above zero'],
    ['2.80000000001', '!exchange rate (USD per GBP) "2.80000000001" has 11 decimals; at most 10 are allowed'],
    ['two', '!exchange rate (USD per GBP) "two" is not a decimal number'],
  ])('parseFxRate(%j) → %s', (text, expected) => {
    const parsed = parseFxRate(text, 'GBP', 'USD');
    expect(parsed.ok ? parsed.value.quote_per_base_e10 : `!${parsed.reason}`).toBe(expected);
  });
});

describe('decimal formatting', () => {
  test.each([
    [GBP(34_285_714_285n), '≈GBP 7,142,857.14'], // 2s 10¼d is not a whole decimal penny
    [GBP(34_285_714_272n), 'GBP 7,142,857.14'],
    [GBP(48n), 'GBP 0.01'],
    [GBP(24n), '≈GBP 0.00'], // a new halfpenny
    [GBP(5n), '≈GBP 0.00'], // a farthing
    [GBP(0n), 'GBP 0.00'],
    [GBP(-48n), 'GBP -0.01'],
    [GBP(-1n), '≈GBP -0.01'], // to the penny below
    [USD(2_000_000_000n), 'USD 20,000,000.00'],
    [{ currency: 'EUR', minor: 5n }, 'EUR 0.05'],
  ] as const)('formatDecimal(%o) → %s', (amount, expected) => {
    expect(formatDecimal(amount)).toBe(expected);
  });

  test.each([
    [GBP(60_090n), '1961-01-31', '£12 10s 4½d'],
    [GBP(60_090n), '1971-02-14', '£12 10s 4½d'],
    [GBP(60_096n), '1971-02-15', 'GBP 12.52'],
    [GBP(60_090n), undefined, '≈GBP 12.51'],
    [USD(3556n), '1961-01-31', 'USD 35.56'],
  ] as const)('formatMoney(%o, %s) → %s', (amount, date, expected) => {
    expect(formatMoney(amount, date)).toBe(expected);
  });

  test.each([
    [GBP(34_285_714_285n), '7142857.142708'],
    [GBP(1n), '0.000208'],
    [USD(525n), '5.250000'],
  ] as const)('toMajorString(%o) → %s', (amount, expected) => {
    expect(toMajorString(amount)).toBe(expected);
  });
});
