import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  divideFloor,
  divideHalfUp,
  formatScaled,
  groupThousands,
  type Parsed,
  parseCount,
  parseScaled,
} from './decimal.ts';

/** The value, or the reason prefixed with "!" so a table can hold both. */
function show(parsed: Parsed<bigint>): bigint | string {
  return parsed.ok ? parsed.value : `!${parsed.reason}`;
}

describe('parseScaled', () => {
  test.each([
    ['12', 3, 12_000n],
    ['401.125', 3, 401_125n],
    ['1,234.5', 3, 1_234_500n],
    ['1,234,567', 0, 1_234_567n],
    ['-0.25', 2, -25n],
    ['+7', 1, 70n],
    ['.5', 1, 5n],
    ['  42.10  ', 2, 4210n],
    ['0', 6, 0n],
    ['007', 0, 7n],
  ])('%j at scale %i → %s', (text, scale, expected) => {
    expect(show(parseScaled(text, scale, 'x'))).toBe(expected);
  });

  test.each([
    ['', 'x "" is not a decimal number'],
    ['   ', 'x "   " is not a decimal number'],
    ['-', 'x "-" is not a decimal number'],
    ['1.', 'x "1." is not a decimal number'],
    ['1,23', 'x "1,23" is not a decimal number'],
    ['12,3456', 'x "12,3456" is not a decimal number'],
    ['1.2.3', 'x "1.2.3" is not a decimal number'],
    ['1e3', 'x "1e3" is not a decimal number'],
    ['abc', 'x "abc" is not a decimal number'],
    ['1.2345', 'x "1.2345" has 4 decimals; at most 3 are allowed'],
  ])('%j is refused: %s', (text, reason) => {
    expect(show(parseScaled(text, 3, 'x'))).toBe(`!${reason}`);
  });

  test('property: plain digits read the short way give what the general pattern gives', () => {
    const digits = fc.stringMatching(/^[0-9]{1,20}$/);
    const plain = fc.tuple(digits, fc.option(digits, { nil: undefined }), fc.integer({ min: 0, max: 6 }));
    fc.assert(
      fc.property(plain, ([whole, fraction, scale]) => {
        const text = fraction === undefined ? whole : `${whole}.${fraction}`;
        // A leading space keeps the text off the short way, so the general pattern reads it.
        // (A refusal quotes the text as given, so the space is taken out of its reason.)
        const general = String(show(parseScaled(` ${text}`, scale, 'x'))).replace('" ', '"');
        return String(show(parseScaled(text, scale, 'x'))) === general;
      }),
    );
  });
});

describe('formatScaled', () => {
  test.each([
    [401_125n, 3, {}, '401.125'],
    [5n, 3, {}, '0.005'],
    [-5n, 3, {}, '-0.005'],
    [1_234_567_890n, 3, { group: true }, '1,234,567.890'],
    [1_234_567_890n, 3, { decimals: 1 }, '1234567.8'],
    [-1_999n, 3, { decimals: 0 }, '-1'],
    [0n, 0, {}, '0'],
    [-123_456_789n, 2, { group: true }, '-1,234,567.89'],
  ])('%s at scale %i with %j → %s', (value, scale, options, expected) => {
    expect(formatScaled(value, scale, options)).toBe(expected);
  });

  test('more decimals than the scale is an error', () => {
    expect(() => formatScaled(1n, 2, { decimals: 3 })).toThrow('3 decimals asked of a value with scale 2');
  });

  test('property: parseScaled(formatScaled(v)) = v, grouped or not', () => {
    fc.assert(
      fc.property(
        fc.bigInt(-(10n ** 20n), 10n ** 20n),
        fc.integer({ min: 0, max: 8 }),
        fc.boolean(),
        (v, s, g) => {
          expect(show(parseScaled(formatScaled(v, s, { group: g }), s, 'x'))).toBe(v);
        },
      ),
    );
  });
});

describe('groupThousands', () => {
  test.each([
    ['0', '0'],
    ['999', '999'],
    ['1000', '1,000'],
    ['123456', '123,456'],
    ['1234567', '1,234,567'],
  ])('%s → %s', (digits, expected) => {
    expect(groupThousands(digits)).toBe(expected);
  });
});

describe('divideFloor and divideHalfUp', () => {
  test.each([
    [7n, 2n, 3n, 4n],
    [5n, 2n, 2n, 3n],
    [-5n, 2n, -3n, -3n],
    [-7n, 2n, -4n, -4n],
    [-1n, 3n, -1n, 0n],
    [1n, 3n, 0n, 0n],
    [2n, 3n, 0n, 1n],
    [-2n, 3n, -1n, -1n],
    [6n, 3n, 2n, 2n],
    [-6n, 3n, -2n, -2n],
    [0n, 5n, 0n, 0n],
  ])('%s / %s → floor %s, half away from zero %s', (n, d, floor, halfUp) => {
    expect([divideFloor(n, d), divideHalfUp(n, d)]).toEqual([floor, halfUp]);
  });

  test.each([[0n], [-1n]])('a denominator of %s is an error', (d) => {
    expect(() => divideFloor(1n, d)).toThrow('denominator must be positive');
    expect(() => divideHalfUp(1n, d)).toThrow('denominator must be positive');
  });

  test('property: floor ≤ exact < floor + 1, and |exact − halfUp| ≤ ½', () => {
    fc.assert(
      fc.property(fc.bigInt(-(10n ** 15n), 10n ** 15n), fc.bigInt(1n, 10n ** 6n), (n, d) => {
        const floor = divideFloor(n, d);
        const half = divideHalfUp(n, d);
        expect(floor * d <= n && n < (floor + 1n) * d).toBe(true);
        const twice = 2n * (n - half * d);
        expect(-d <= twice && twice <= d).toBe(true);
      }),
    );
  });
});

describe('parseCount', () => {
  test.each([
    ['0', 0n],
    ['60', 60n],
    [' 12 ', 12n],
    ['-1', '!n "-1" is not a whole number'],
    ['1.5', '!n "1.5" is not a whole number'],
    ['1,000', '!n "1,000" is not a whole number'],
    ['', '!n "" is not a whole number'],
  ])('%j → %s', (text, expected) => {
    expect(show(parseCount(text, 'n'))).toBe(expected);
  });
});
