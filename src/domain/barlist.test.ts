import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type BarListHeader,
  type BarListRules,
  type BarSpec,
  barKey,
  formatBarListHeader,
  formatBarRow,
  isBlankLine,
  parseBarListHeader,
  parseBarRow,
  splitCsvLine,
} from './barlist.ts';
import { fineWeight } from './weight.ts';

const HEADER = 'serial,refiner,year,gross_oz,fineness,fine_oz';
const LENIENT: BarListRules = { minimum_fineness: 0n, good_delivery: false };
const CONTRACT: BarListRules = { minimum_fineness: 9950n, good_delivery: true };

function header(line = HEADER): BarListHeader {
  const parsed = parseBarListHeader(line);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.header;
}

/** Matchers for an array of strings, each containing the given text. */
function containing(texts: readonly string[]): unknown[] {
  return texts.map((text) => expect.stringContaining(text));
}

/** The reasons of a row's problems, or 'ok'. */
function reasons(line: string, rules: BarListRules = CONTRACT, head = header()): string[] | 'ok' {
  const parsed = parseBarRow(line, 7, head, rules);
  return parsed.ok ? 'ok' : parsed.problems.map((problem) => problem.reason);
}

describe('splitCsvLine', () => {
  test.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['', ['']],
    ['a,,c,', ['a', '', 'c', '']],
    ['"a,b",c', ['a,b', 'c']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
    ['""', ['']],
    ['x,""', ['x', '']],
    ['a,b\r', ['a', 'b']],
    [' a , b ', [' a ', ' b ']],
    ['"unclosed,b', null],
    ['a"b,c', null],
    ['"a"b,c', null],
    ['"a" ,c', null],
    ['"a""', null],
  ])('%j → %j', (line, expected) => {
    expect(splitCsvLine(line)).toEqual(expected);
  });
});

describe('isBlankLine', () => {
  test.each([
    ['', true],
    ['  \t', true],
    ['\r', true],
    [',', false],
    ['a', false],
  ])('%j → %s', (line, expected) => {
    expect(isBlankLine(line)).toBe(expected);
  });
});

describe('parseBarListHeader', () => {
  test('maps columns in any order, case-insensitively, with optional columns', () => {
    const parsed = parseBarListHeader('\uFEFFFine_OZ,Serial,BAR_ID,refiner, year ,gross_oz,fineness');
    expect(parsed).toEqual({
      ok: true,
      header: {
        column_count: 7,
        columns: {
          fine_oz: 0,
          serial: 1,
          bar_id: 2,
          refiner: 3,
          year: 4,
          gross_oz: 5,
          fineness: 6,
          vault: null,
          location: null,
        },
      },
    });
  });

  const REQUIRED = ['serial', 'refiner', 'year', 'gross_oz', 'fineness', 'fine_oz'];
  const ALL_MISSING = REQUIRED.map((name) => `column "${name}" is missing`);
  const TWO_MISSING = ['column "gross_oz" is missing', 'column "fine_oz" is missing'];
  test.each([
    [`${HEADER},colour`, ['unknown column "colour"']],
    ['serial,refiner,year,fineness', TWO_MISSING],
    [`${HEADER},SERIAL`, ['column "serial" appears more than once']],
    [`${HEADER},"vault`, ['header line is not valid CSV']],
    ['', ['unknown column ""', ...ALL_MISSING]],
  ])('%j → %j', (line, expected) => {
    const parsed = parseBarListHeader(line);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((problem) => problem.reason)).toEqual(containing(expected));
    expect(parsed.problems.every((problem) => problem.row === 1)).toBe(true);
  });

  test('a problem names its column', () => {
    expect(parseBarListHeader(`${HEADER},colour`)).toEqual({
      ok: false,
      problems: [{ row: 1, column: 'colour', reason: 'unknown column "colour"' }],
    });
  });
});

describe('parseBarRow', () => {
  test('parses the DOMAIN.md example row', () => {
    expect(parseBarRow('123456,XYZ,2023,401.125,995.8,399.440', 2, header(), CONTRACT)).toEqual({
      ok: true,
      bar: {
        serial: '123456',
        refiner: 'XYZ',
        year: 2023,
        gross_milli_oz: 401_125n,
        fineness: 9958n,
        fine_milli_oz: 399_440n,
        vault: null,
        location: null,
        bar_id: null,
      },
    });
  });

  test('reads optional columns in header order; empty is null', () => {
    const head = header(`bar_id,location,${HEADER},vault`);
    const parsed = parseBarRow('B-1,,"A,1",RAND,1999,400.000,999.9,399.960,"Vault ""K"""', 3, head, CONTRACT);
    expect(parsed).toMatchObject({
      ok: true,
      bar: { bar_id: 'B-1', location: null, serial: 'A,1', vault: 'Vault "K"' },
    });
  });

  const LONG = '9'.repeat(33);
  const ACCENTED = 'é'.repeat(32);
  test.each([
    ['1,XYZ,2023,401.125,995.8,399.440', 'ok'],
    ['1,XYZ,2023,401.125,995.8,399.440,extra', ['7 fields; the header has 6']],
    ['1,XYZ,2023', ['3 fields; the header has 6']],
    ['"1,XYZ,2023,401.125,995.8,399.440', ['line is not valid CSV']],
    [',XYZ,2023,401.125,995.8,399.440', ['serial is empty']],
    ['1,,2023,401.125,995.8,399.440', ['refiner is empty']],
    ['1\u00072,XYZ,2023,401.125,995.8,399.440', ['serial contains a non-printable character']],
    ['1,XYZ\u200b,2023,401.125,995.8,399.440', ['refiner contains a non-printable character']],
    ['1, XYZ,2023,401.125,995.8,399.440', ['refiner " XYZ" has leading or trailing spaces']],
    [`${LONG},XYZ,2023,401.125,995.8,399.440`, ['is 33 characters long; at most 32 are allowed']],
    [`${ACCENTED},XYZ,2023,401.125,995.8,399.440`, 'ok'],
    ['1,XYZ,23,401.125,995.8,399.440', ['year "23" is not four digits']],
    ['1,XYZ,2023.0,401.125,995.8,399.440', ['year "2023.0" is not four digits']],
    ['1,XYZ,1799,401.125,995.8,399.440', ['year 1799 is outside 1800–2100']],
    ['1,XYZ,2101,401.125,995.8,399.440', ['year 2101 is outside 1800–2100']],
    ['1,XYZ,1800,401.125,995.8,399.440', 'ok'],
    ['1,XYZ,2023,401.1255,995.8,399.440', ['"401.1255" has 4 decimals; at most 3']],
    ['1,XYZ,2023,0,995.8,399.440', ['gross weight 0 oz must be above zero']],
    ['1,XYZ,2023,heavy,995.8,399.440', ['gross weight (oz) "heavy" is not a decimal number']],
    ['1,XYZ,2023,401.125,995.85,399.440', ['"995.85" has 2 decimals; at most 1 are allowed']],
    ['1,XYZ,2023,401.125,0,399.440', ['fineness 0‰ must be above 0 and at most 1000.0‰']],
    ['1,XYZ,2023,401.125,1000.1,399.440', ['fineness 1000.1‰ is outside 0–1000.0‰']],
    ['1,XYZ,2023,400.000,1000,400.000', 'ok'],
    ['1,XYZ,2023,401.125,995.8,399.441', ['fine weight 399.441 oz should be 399.440 oz']],
    ['1,XYZ,2023,401.125,995.8,399.4405', ['"399.4405" has 4 decimals; at most 3']],
    ['1,XYZ,2023,401.125,995.8,-399.440', ['fine weight -399.440 oz must be above zero']],
    ['1,XYZ,2023,401.125,990.0,397.113', ['fineness 990.0‰ is below the contract minimum 995.0‰']],
    ['1,XYZ,2023,401.130,995.8,399.445', ['401.130 oz is not a multiple of 0.025 oz (Good']],
    ['1,XYZ,2023,351.000,995.0,349.245', ['349.245 oz is below the Good Delivery minimum 350']],
    ['1,XYZ,2023,431.000,999.9,430.956', ['430.956 oz is above the Good Delivery maximum 430']],
    ['1,XYZ,2023,430.000,1000.0,430.000', 'ok'],
    ['1,XYZ,2023,351.775,995.0,350.016', 'ok'],
    [',,1700,-1,995.85,x', ['serial', 'refiner', 'year', 'gross', 'fineness', '"x" is not']],
    ['1,XYZ,2023,401.130,990.0,397.000', ['contract minimum', 'should be 397.118', 'multiple of']],
  ] as const)('under the contract rules %j → %j', (line, expected) => {
    expect(reasons(line)).toEqual(expected === 'ok' ? 'ok' : containing(expected));
  });

  const LOW_MINIMUM: BarListRules = { minimum_fineness: 9900n, good_delivery: true };
  const LOW_MINIMUM_ONLY: BarListRules = { minimum_fineness: 9900n, good_delivery: false };
  test.each([
    ['1,XYZ,2023,401.130,990.0,397.118', LENIENT, 'ok'],
    ['1,XYZ,2023,1.001,500.0,0.500', LENIENT, 'ok'],
    ['1,XYZ,2023,401.125,990.0,397.113', LOW_MINIMUM, ['below the Good Delivery minimum 995.0‰']],
    ['1,XYZ,2023,401.125,990.0,397.113', LOW_MINIMUM_ONLY, 'ok'],
  ] as const)('%j under %o → %j', (line, rules, expected) => {
    expect(reasons(line, rules)).toEqual(expected === 'ok' ? 'ok' : containing(expected));
  });

  test('problems carry the row and the column', () => {
    expect(parseBarRow('123456,XYZ,2023,401.125,995.8,399.441', 42, header(), CONTRACT)).toEqual({
      ok: false,
      problems: [
        {
          row: 42,
          column: 'fine_oz',
          reason:
            'fine weight 399.441 oz should be 399.440 oz ' + '(401.125 oz at 995.8‰, truncated to 0.001 oz)',
        },
      ],
    });
  });
});

describe('barKey', () => {
  test.each([
    ['XYZ', '123', 'xyz', '123', true],
    ['Rand', 'A1', 'RAND', 'A1', true],
    ['XYZ', 'a1', 'XYZ', 'A1', false],
    ['XYZ', '123', 'XYZ', '0123', false],
    ['XY', 'Z123', 'XYZ', '123', false],
  ])('%s/%s vs %s/%s → same %s', (refinerA, serialA, refinerB, serialB, same) => {
    expect(barKey(refinerA, serialA) === barKey(refinerB, serialB)).toBe(same);
  });
});

describe('formatting', () => {
  const bar: BarSpec = {
    serial: 'A,"1"',
    refiner: 'XYZ',
    year: 2023,
    gross_milli_oz: 401_125n,
    fineness: 9950n,
    fine_milli_oz: 399_119n,
    vault: 'London',
    location: null,
    bar_id: 'K-7',
  };

  const ROW = '"A,""1""",XYZ,2023,401.125,995.0,399.119';
  test.each([
    [false, HEADER, ROW],
    [true, `${HEADER},vault,location,bar_id`, `${ROW},London,,K-7`],
  ])('with optional columns %s', (withOptional, expectedHeader, expectedRow) => {
    expect(formatBarListHeader(withOptional)).toBe(expectedHeader);
    expect(formatBarRow(bar, withOptional)).toBe(expectedRow);
  });

  test('formats small weights with three decimals', () => {
    const small = { ...bar, serial: '1', gross_milli_oz: 5n, fineness: 10000n, fine_milli_oz: 5n };
    expect(formatBarRow(small, false)).toBe('1,XYZ,2023,0.005,1000.0,0.005');
  });
});

const MARK_CHARACTERS = [...'AZaz09-/. ,"\'é€𝔸ß'];
const markArbitrary = (maxLength: number) =>
  fc
    .array(fc.constantFrom(...MARK_CHARACTERS), { minLength: 1, maxLength })
    .map((characters) => characters.join(''))
    .filter((text) => text.trim() === text && text !== '');
const optionalTextArbitrary = fc.option(markArbitrary(60), { nil: null });

const barArbitrary = (withOptional: boolean): fc.Arbitrary<BarSpec> =>
  fc
    .record({
      serial: markArbitrary(32),
      refiner: markArbitrary(32),
      year: fc.integer({ min: 1800, max: 2100 }),
      gross_milli_oz: fc.bigInt(1n, 100_000_000n),
      fineness: fc.bigInt(1n, 10_000n),
      vault: withOptional ? optionalTextArbitrary : fc.constant(null),
      location: withOptional ? optionalTextArbitrary : fc.constant(null),
      bar_id: withOptional ? optionalTextArbitrary : fc.constant(null),
    })
    .map((bar) => ({ ...bar, fine_milli_oz: fineWeight(bar.gross_milli_oz, bar.fineness) }))
    .filter((bar) => bar.fine_milli_oz > 0n);

describe('round trip parse → format → parse', () => {
  test.each([false, true])('with optional columns %s', (withOptional) => {
    const head = header(formatBarListHeader(withOptional));
    fc.assert(
      fc.property(barArbitrary(withOptional), (bar) => {
        const first = parseBarRow(formatBarRow(bar, withOptional), 2, head, LENIENT);
        expect(first).toEqual({ ok: true, bar });
        if (!first.ok) return;
        const second = parseBarRow(formatBarRow(first.bar, withOptional), 2, head, LENIENT);
        expect(second).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });

  test('Good Delivery bars pass the contract rules', () => {
    const head = header(formatBarListHeader(true));
    const goodDelivery = fc
      .record({
        steps: fc.bigInt(14_000n, 17_320n),
        fineness: fc.bigInt(9950n, 10_000n),
        bar: barArbitrary(true),
      })
      .map(({ steps, fineness, bar }) => {
        const gross = steps * 25n;
        return {
          ...bar,
          gross_milli_oz: gross,
          fineness,
          fine_milli_oz: fineWeight(gross, fineness),
        };
      })
      .filter((bar) => bar.fine_milli_oz >= 350_000n && bar.fine_milli_oz <= 430_000n);
    fc.assert(
      fc.property(goodDelivery, (bar) => {
        expect(parseBarRow(formatBarRow(bar, true), 2, head, CONTRACT)).toEqual({ ok: true, bar });
      }),
    );
  });
});
