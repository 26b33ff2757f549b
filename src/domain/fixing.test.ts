import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isIsoDate, isLondonWeekend, parseFixingCsv, parseLbmaJson } from './fixing.ts';
import { type CurrencyCode, parseLsd } from './money.ts';

describe('isIsoDate', () => {
  test.each([
    ['2024-01-02', true],
    ['1961-01-17', true],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2023-02-29', false],
    ['2023-02-30', false],
    ['2023-04-31', false],
    ['2023-12-31', true],
    ['2023-13-01', false],
    ['2023-00-10', false],
    ['2023-01-00', false],
    ['2023-1-2', false],
    ['2023-01-02T00:00', false],
    [' 2023-01-02', false],
    ['20230102', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(isIsoDate(text)).toBe(expected);
  });

  test('agrees with a Date round trip', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const text = `${year}-${`${month}`.padStart(2, '0')}-${`${day}`.padStart(2, '0')}`;
          const roundTrip = new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
          expect(isIsoDate(text)).toBe(roundTrip);
        },
      ),
    );
  });
});

describe('isLondonWeekend', () => {
  test.each([
    ['2024-01-06', true], // Saturday
    ['2024-01-07', true], // Sunday
    ['2024-01-08', false], // Monday
    ['2024-01-05', false], // Friday
    ['1961-01-17', false], // Tuesday, the client's decision
    ['1954-03-22', false], // Monday, the market reopened
    ['1970-01-01', false], // Thursday
    ['1969-12-28', true], // Sunday
    ['1600-01-01', true], // Saturday
    ['0001-01-06', true], // Saturday (proleptic Gregorian)
    ['9999-12-31', false], // Friday
  ])('%s → %s', (date, expected) => {
    expect(isLondonWeekend(date)).toBe(expected);
  });

  test('agrees with Date.getUTCDay', () => {
    fc.assert(
      fc.property(fc.integer({ min: -25_000, max: 50_000 }), (days) => {
        const date = new Date(days * 86_400_000);
        const text = date.toISOString().slice(0, 10);
        const weekday = date.getUTCDay();
        expect(isLondonWeekend(text)).toBe(weekday === 0 || weekday === 6);
      }),
    );
  });

  test('throws on a text that is no date (a bug in the caller)', () => {
    expect(() => isLondonWeekend('2023-02-30')).toThrow();
  });
});

/** One LBMA feed entry. */
const entry = (values: string, date = '2024-01-02') => `{"d":"${date}","v":[${values}]}`;
/** An LBMA feed of entries. */
const feed = (...entries: string[]) => `[${entries.join(',')}]`;
const LBMA_SAMPLE = feed(entry('2064.4,1624.95,1872.18'), entry('37.7,null,null', '1968-04-01'));

describe('parseLbmaJson', () => {
  test('the LBMA sample in USD', () => {
    expect(parseLbmaJson(LBMA_SAMPLE, 'USD', 'LBMA PM')).toEqual({
      ok: true,
      fixings: [
        { date: '2024-01-02', currency: 'USD', minor_per_oz: 206_440n, source: 'LBMA PM' },
        { date: '1968-04-01', currency: 'USD', minor_per_oz: 3_770n, source: 'LBMA PM' },
      ],
      skipped: [],
    });
  });

  test.each([
    ['GBP', 7_799_760n], // 1624.95 × 4800 minor units
    ['EUR', 187_218n],
  ] as const)('the LBMA sample in %s → %s, 1968 skipped', (currency, minor) => {
    expect(parseLbmaJson(LBMA_SAMPLE, currency, 'LBMA PM')).toEqual({
      ok: true,
      fixings: [{ date: '2024-01-02', currency, minor_per_oz: minor, source: 'LBMA PM' }],
      skipped: [{ date: '1968-04-01', reason: `no ${currency} price (null)` }],
    });
  });

  test('reads digits as written, beyond what a double holds', () => {
    const parsed = parseLbmaJson(feed(entry('90071992547409.93,1,1')), 'USD', 'x');
    expect(parsed.ok && parsed.fixings[0]?.minor_per_oz).toBe(9_007_199_254_740_993n);
  });

  test.each([
    ['[]', 'USD', 0, 0],
    [' [ { "v" : [ 1 , 2 , 3 ] , "d" : "2024-01-02" } ]\n', 'EUR', 1, 0],
    [feed(entry('0,0.0,0.00')), 'GBP', 0, 1],
    ['[{"d":"2024-01-02","v":[1,null,3],"extra":true}]', 'USD', 1, 0],
    [feed(entry('1,"x",3')), 'USD', 1, 0],
    [feed(entry('1,2,3', '2024-01-\\u0030\\u0032')), 'USD', 1, 0],
  ] as const)('%s in %s → %i fixings, %i skipped', (text, currency, fixings, skipped) => {
    const parsed = parseLbmaJson(text, currency as CurrencyCode, 'x');
    expect(parsed.ok && [parsed.fixings.length, parsed.skipped.length]).toEqual([fixings, skipped]);
  });

  test('zero is skipped with a reason', () => {
    expect(parseLbmaJson(feed(entry('0,1,2')), 'USD', 'x')).toEqual({
      ok: true,
      fixings: [],
      skipped: [{ date: '2024-01-02', reason: 'USD price is 0' }],
    });
  });

  test.each([
    ['', null, 'not valid JSON: expected a value at line 1, column 1, found the end of the text'],
    ['{"d":"2024-01-02"}', null, 'the LBMA feed must be a JSON array'],
    [feed(entry('1,2,3')).slice(0, -1), null, '"," or "]" at line 1, column 32, found the end'],
    ['[{"d":"2024-01-02","v":[1,2,3],}]', null, 'expected a key at line 1, column 32, found "}]"'],
    [`${feed(entry('1,2,3'))}\n x`, null, 'text after the JSON value at line 2, column 2'],
    ['[{"d":"2024-01-02","d":"2024-01-03","v":[1]}]', null, 'key "d" repeated at line 1, col'],
    [feed(entry('NaN,2,3')), null, 'expected a value at line 1, column 25, found "NaN,2,3]}]"'],
    [feed(entry('01,2,3')), null, 'expected "," or "]" at line 1, column 26, found "1,2,3]}]"'],
    [feed(entry('1.,2,3')), null, 'expected "," or "]" at line 1, column 26, found ".,2,3]}]"'],
    [feed(entry('1,2,3', '2024-01-02\n')), null, 'expected a well-formed string at line 1, col'],
    ['[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', null, 'shallower'],
    ['["2024-01-02"]', 0, 'entry 0: is not an object {"d": date, "v": [USD, GBP, EUR]}'],
    [feed(entry('1,2,3', '2023-2-3')), 0, 'entry 0: "d" is not a YYYY-MM-DD date'],
    [feed(entry('2064.405,1,1')), 0, 'entry 0: 2024-01-02: price in USD "2064.405" has 3 decimals'],
    [feed(entry('2.0644e3,1,1')), 0, 'entry 0: 2024-01-02: USD price 2.0644e3 uses exponent'],
    [feed(entry('-5,1,1')), 0, 'entry 0: 2024-01-02: price "-5" must be above zero'],
    [feed(entry('true,1,1')), 0, 'entry 0: 2024-01-02: the USD value is neither a number nor null'],
    [feed(entry('1,1,1'), entry('1,1,1', '2024-01-03'), entry('2,1,1')), 2, 'repeats entry 0'],
    [feed(entry('null,1,1'), entry('null,1,1')), 1, 'entry 1: date 2024-01-02 repeats entry 0'],
  ])('%s → problem at %s: %s', (text, index, reason) => {
    expect(parseLbmaJson(text, 'USD', 'x')).toEqual({
      ok: false,
      problems: [{ index, reason: expect.stringContaining(reason) }],
    });
  });

  test('reports every problem of every entry', () => {
    const text = feed(entry('1,2', '2023-02-30'), entry('1.234,2,3'));
    expect(parseLbmaJson(text, 'USD', 'x')).toEqual({
      ok: false,
      problems: [
        { index: 0, reason: 'entry 0: "d" is not a YYYY-MM-DD date' },
        { index: 0, reason: 'entry 0: "v" is not an array of three values [USD, GBP, EUR]' },
        {
          index: 1,
          reason: 'entry 1: 2024-01-02: price in USD "1.234" has 3 decimals; at most 2 are allowed',
        },
      ],
    });
  });
});

const HEAD = 'date,currency,price\n';

describe('parseFixingCsv', () => {
  test('the DOMAIN.md facts: 254s 0d is £12 14s, exactly as parseLsd counts it', () => {
    const parsed = parseFixingCsv(`${HEAD}1961-01-17,GBP,254s 0d\n1961-01-18,GBP,£12 14s\n`, 'x');
    const lsd = parseLsd('£12 14s 0d');
    expect(lsd).toEqual({ ok: true, value: 254n * 240n });
    const minor = parsed.ok && parsed.fixings.map((fixing) => fixing.minor_per_oz);
    expect(minor).toEqual([254n * 240n, 254n * 240n]);
  });

  test.each([
    ['1961-01-17,GBP,254s 0d', 'GBP', 60_960n],
    ['1961-01-17,GBP,250s 7½d', 'GBP', 60_150n],
    ['1961-01-17,GBP,£12 10s 7½d', 'GBP', 60_150n],
    ['1961-01-17,gbp,12.70', 'GBP', 60_960n],
    ['2024-01-02,GBP,1850.35', 'GBP', 185_035n * 48n],
    ['2024-01-02,GBP,"1,850.35"', 'GBP', 185_035n * 48n],
    ['2024-01-02,USD,2064.4', 'USD', 206_440n],
    ['2024-01-02,EUR,EUR 1872.18', 'EUR', 187_218n],
    [' 2024-01-02 , USD , 35.56 ', 'USD', 3_556n],
  ])('%j → %s %s', (row, currency, minor) => {
    expect(parseFixingCsv(`${HEAD}${row}`, 'file')).toEqual({
      ok: true,
      fixings: [{ date: row.trim().slice(0, 10), currency, minor_per_oz: minor, source: 'file' }],
      skipped: [],
    });
  });

  test('any column order, a source column, CRLF and blank lines', () => {
    const lines = ['Price,SOURCE,Date,Currency', '', '35.56,BoE,1961-01-31,USD'];
    lines.push('254s 0d,,1961-01-31,GBP', ',,1961-02-01,GBP', '');
    expect(parseFixingCsv(lines.join('\r\n'), 'default')).toEqual({
      ok: true,
      fixings: [
        { date: '1961-01-31', currency: 'USD', minor_per_oz: 3_556n, source: 'BoE' },
        { date: '1961-01-31', currency: 'GBP', minor_per_oz: 60_960n, source: 'default' },
      ],
      skipped: [{ date: '1961-02-01', reason: 'no GBP price' }],
    });
  });

  test.each([
    ['', null, 'no header line date,currency,price'],
    ['\n\ndate,price', 3, 'required column "currency" is missing'],
    ['date,currency,price,note', 1, 'unknown column "note"'],
    [`${HEAD}2024-01-02,USD`, 2, 'row 2: 2 fields; the header has 3'],
    [`${HEAD}2024-01-02,USD,"1`, 2, 'row 2: line is not valid CSV'],
    [`${HEAD}2024-01-02,XAU,1`, 2, 'row 2: currency "XAU" is not GBP, USD or EUR'],
    [`${HEAD}2024-01-02,USD,2064.405`, 2, 'row 2: price in USD "2064.405" has 3 decimals'],
    [`${HEAD}2024-01-02,USD,2.0644e3`, 2, 'row 2: price "2.0644e3" is not like "GBP 1234.56"'],
    [`${HEAD}2024-01-02,USD,0`, 2, 'row 2: price "0" must be above zero'],
    [`${HEAD}1961-01-17,USD,254s 0d`, 2, 'row 2: price "254s 0d" is in GBP, the row is in USD'],
    [`${HEAD}1961-01-17,GBP,254s 12d`, 2, 'row 2: "254s 12d": pence must be below 12'],
    [`${HEAD}\n2024-01-02,USD,1\n2024-01-02,GBP,1\n2024-01-02,usd,2`, 5, 'row 5: 2024-01-02 USD'],
    [`${HEAD}2024-01-02,USD,\n2024-01-02,USD,1`, 3, 'row 3: 2024-01-02 USD repeats row 2'],
  ])('%j → problem at %s: %s', (text, index, reason) => {
    expect(parseFixingCsv(text, 'x')).toEqual({
      ok: false,
      problems: [{ index, reason: expect.stringContaining(reason) }],
    });
  });

  test('reports every problem of every row', () => {
    expect(parseFixingCsv(`${HEAD}2023-02-30,XAU,1\n2024-01-02,USD,-1`, 'x')).toEqual({
      ok: false,
      problems: [
        { index: 2, reason: 'row 2: date "2023-02-30" is not a YYYY-MM-DD date' },
        { index: 2, reason: 'row 2: currency "XAU" is not GBP, USD or EUR' },
        { index: 3, reason: 'row 3: price "-1" must be above zero' },
      ],
    });
  });
});
