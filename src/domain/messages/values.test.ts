import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Parsed } from '../decimal.ts';
import type { CurrencyCode } from '../money.ts';
import {
  checkIsoDate,
  readFineOunces,
  readSwiftDate,
  readSwiftMoney,
  readSwiftNumber,
  writeFineOunces,
  writeSwiftDate,
  writeSwiftMoney,
  writeSwiftNumber,
} from './values.ts';

/** The value, or the reason prefixed with "!" so a table can hold both. */
function show<T>(parsed: Parsed<T>): T | string {
  return parsed.ok ? parsed.value : `!${parsed.reason}`;
}

describe('SWIFT numbers: the decimal comma', () => {
  test.each([
    ['100000,', 0, 100_000n],
    ['12,5', 1, 125n],
    ['0,000001', 6, 1n],
    ['007,10', 2, 710n],
    ['12.5', 1, '!amount "12.5" has a decimal point; SWIFT writes "12,5"'],
    ['100000', 0, '!amount "100000" has no decimal comma; SWIFT writes "100000,"'],
    ['12.5.0', 3, '!amount "12.5.0" is not a number'],
    ['1,234,5', 3, '!amount "1,234,5" is not a number'],
    [',5', 1, '!amount ",5" is not a number'],
    ['-5,', 0, '!amount "-5," is not a number'],
    ['', 0, '!amount "" is not a number'],
    ['1,2345', 3, '!amount "1,2345" has 4 decimals; at most 3 are allowed'],
  ])('%j at scale %i → %s', (text, scale, expected) => {
    expect(show(readSwiftNumber(text, scale, 'amount'))).toBe(expected);
  });

  test.each([
    [100_000n, 0, 0, '100000,'],
    [100_000_000n, 3, 0, '100000,'],
    [562_429_696n, 3, 0, '562429,696'],
    [562_429_690n, 3, 0, '562429,69'],
    [9950n, 1, 1, '995,0'],
    [0n, 2, 0, '0,'],
  ])('%s at scale %i (at least %i decimals) → %s', (value, scale, minimum, expected) => {
    expect(writeSwiftNumber(value, scale, minimum)).toBe(expected);
  });
});

describe('fine ounces: exact to 0.001 oz', () => {
  test.each([
    ['400,125', 400_125n],
    ['100000,', 100_000_000n],
    ['100,500000', 100_500n], // six decimals, the last three zeros: exact
    ['0,001', 1n],
    ['100,5004', '!amount "100,5004" is finer than 0.001 oz; Ingot keeps gold to the thousandth of an ounce'],
    ['0,0000001', '!amount "0,0000001" has 7 decimals; at most 6 are allowed'],
  ])('%j → %s', (text, expected) => {
    expect(show(readFineOunces(text, 'amount'))).toBe(expected);
  });

  test('any milli-ounces survive writing and reading', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (milli) => {
        expect(show(readFineOunces(writeFineOunces(milli), 'amount'))).toBe(milli);
      }),
    );
  });
});

describe('money: decimal, or pounds/shillings/pence when sterling has no decimal form', () => {
  test.each<[string, CurrencyCode, bigint | string]>([
    ['12,7', 'GBP', 60_960n], // 254s 0d
    ['7142857,14', 'GBP', 34_285_714_272n],
    ['12,53125', 'GBP', 60_150n], // 250s 7½d has a decimal form
    ['7142857/2/10,25', 'GBP', 34_285_714_285n], // £7,142,857 2s 10¼d has none
    ['7142857/2/9,5', 'GBP', 34_285_714_270n],
    ['0/0/0,05', 'GBP', 1n], // the smallest unit, 1/4800 £
    ['12/10/7', 'GBP', 60_140n],
    ['12/10/7,', 'GBP', 60_140n],
    ['20000000,', 'USD', 2_000_000_000n],
    ['35,08', 'USD', 3508n],
    [
      '12,001',
      'GBP',
      '!amount "12,001" is not a whole number of the 1/4800 £ (or write it as pounds/shillings/pence)',
    ],
    ['35,0875', 'USD', '!amount "35,0875" is not a whole number of the cent'],
    ['12/20/0', 'GBP', '!amount "12/20/0": shillings must be below 20'],
    ['12/0/12', 'GBP', '!amount "12/0/12": pence must be below 12'],
    ['12/0/1,33', 'GBP', '!amount "12/0/1,33": pence must be a whole number of 1/20 d'],
    ['12/10', 'GBP', '!amount "12/10" is not a number or pounds/shillings/pence like "12/10/7,5"'],
    ['12/10/7', 'USD', '!amount "12/10/7" is not a number'],
  ])('%j %s → %s', (text, currency, expected) => {
    expect(show(readSwiftMoney(text, currency, 'amount'))).toBe(expected);
  });

  test.each<[bigint, CurrencyCode, string]>([
    [60_960n, 'GBP', '12,7'],
    [34_285_714_285n, 'GBP', '7142857/2/10,25'],
    [34_285_714_270n, 'GBP', '7142857/2/9,5'],
    [60_140n, 'GBP', '12/10/7'],
    [1n, 'GBP', '0/0/0,05'],
    [48n, 'GBP', '0,01'],
    [2_000_000_000n, 'USD', '20000000,'],
  ])('%s %s → %j', (minor, currency, expected) => {
    expect(writeSwiftMoney(minor, currency)).toBe(expected);
  });

  test('any amount in any currency survives writing and reading', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<CurrencyCode>('GBP', 'USD', 'EUR'),
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        (c, m) => {
          expect(show(readSwiftMoney(writeSwiftMoney(m, c), c, 'amount'))).toBe(m);
        },
      ),
    );
  });
});

describe('dates YYMMDD', () => {
  test.each([
    ['610117', '1961-01-17'],
    ['500101', '1950-01-01'],
    ['491231', '2049-12-31'],
    ['240229', '2024-02-29'],
    ['610229', '!date "610229" is no real date'],
    ['611301', '!date "611301" is no real date'],
    ['61017', '!date "61017" is not a date YYMMDD'],
    ['1961-01-17', '!date "1961-01-17" is not a date YYMMDD'],
  ])('%j → %s', (text, expected) => {
    expect(show(readSwiftDate(text, 'date'))).toBe(expected);
  });

  test.each([
    ['1961-01-17', '1961-01-17'],
    ['1949-12-31', '!date 1949-12-31 cannot be written YYMMDD (years 1950–2049)'],
    ['2050-01-01', '!date 2050-01-01 cannot be written YYMMDD (years 1950–2049)'],
    ['1961-02-29', '!date "1961-02-29" is not a date YYYY-MM-DD'],
  ])('JSON %j → %s', (text, expected) => {
    expect(show(checkIsoDate(text, 'date'))).toBe(expected);
  });

  test('writes back what it reads', () => {
    expect(writeSwiftDate('1961-01-17')).toBe('610117');
    expect(writeSwiftDate('2024-02-29')).toBe('240229');
    expect(() => writeSwiftDate('1949-12-31')).toThrow();
  });
});
