// The check of a bar's brand and year against the Good Delivery List: one line a case.
import { describe, expect, test } from 'vitest';
import { checkRefiner, parseRefinerList, type Refiner, replaceRefinerList } from './refiners.ts';

const XYZ: Refiner = {
  brand_code: 'XYZ',
  name: 'Example',
  country: 'CH',
  status: 'current',
  listed_on: '1950-01-01',
  removed_on: null,
};
const OLD: Refiner = { ...XYZ, brand_code: 'OLD', status: 'former', removed_on: '1959-06-30' };
const LIST = new Map([
  ['XYZ', XYZ],
  ['OLD', OLD],
]);

describe('checkRefiner', () => {
  test.each([
    ['XYZ', 1960, 'ok'],
    ['xyz', 1950, 'ok'],
    ['XYZ', 1949, 'listed_after_year'],
    ['ABC', 1960, 'not_listed'],
    ['OLD', 1959, 'ok'],
    ['OLD', 1960, 'former_before_year'],
  ] as const)('%s of %i: %s', (brand, year, code) => {
    const checked = checkRefiner(LIST, brand, year);
    expect(checked.ok ? 'ok' : checked.code).toBe(code);
  });
});

describe('parseRefinerList', () => {
  test.each([
    ['XYZ,Example,CH,current,1950-01-01,', null],
    ['XYZ,Example,CH,former,1950-01-01,', 'removed_on'],
    ['XYZ,Example,CH,current,1950-02-30,', 'listed_on'],
    ['XYZ,,CH,current,,', 'name'],
    ['X Y,Example,CH,current,,', 'brand_code'],
    ['XYZ,Example,CH,former,1950-01-01,1949-01-01', 'removed_on'],
  ] as const)('%s: %s', (row, column) => {
    const parsed = parseRefinerList(['brand_code,name,country,status,listed_on,removed_on', row]);
    expect(parsed.ok ? null : parsed.problems[0]?.column).toBe(column);
  });
});

test('a replaced list keeps the refiners it leaves out as former', () => {
  const next = replaceRefinerList([XYZ, OLD], [{ ...XYZ, brand_code: 'NEW' }], '1961-03-01');
  expect(next.map((r) => [r.brand_code, r.status, r.removed_on])).toEqual([
    ['NEW', 'current', null],
    ['XYZ', 'former', '1961-03-01'],
    ['OLD', 'former', '1959-06-30'],
  ]);
});
