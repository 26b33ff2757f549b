import { describe, expect, test } from 'vitest';
import {
  detectLayout,
  parseMapping,
  type SourceCell,
  translateRow,
  type WeightListMapping,
} from './weight-list.ts';

const cells = (line: string, stored: SourceCell['stored'] = 'csv'): SourceCell[] =>
  line.split(';').map((text) => ({ text, stored }));
const ANNEX_C =
  'metal;serial_number;brand_code;gross_weight_troy_oz;assay;fine_weight_troy_oz;year_of_manufacture';
const options = { year: null, good_delivery: true };

function layoutOf(header: string, mapping: WeightListMapping | null = null, year: number | null = null) {
  const detected = detectLayout(cells(header), mapping, year);
  if (!detected.ok) throw new Error(JSON.stringify(detected.problems));
  return detected.layout;
}

describe('weight lists', () => {
  test('Annex C rows read as Ingot lines, with and without the year', () => {
    const row = translateRow(cells('Gold;123456;XYZ;401.125;995.8;399.440;2023'), layoutOf(ANNEX_C), options);
    expect(row).toEqual({ ok: true, line: '123456,XYZ,2023,401.125,995.8,399.440,,,' });
    const noYear = layoutOf(ANNEX_C.replace(';year_of_manufacture', ''), null, 1961);
    const read = translateRow(cells('Gold;1;XYZ;401.125;995.8;399.440'), noYear, { ...options, year: 1961 });
    expect(read).toEqual({ ok: true, line: '1,XYZ,1961,401.125,995.8,399.440,,,' });
  });

  test.each([
    ['Silver;1;XYZ;401.125;995.8;399.440;2023', 'metal', 'is not gold'],
    ['Gold;1;XYZ;1,401.125;995.8;399.440;2023', 'gross_weight_troy_oz', 'thousands separator'],
    ['Gold;1;XYZ;12.475;995.8;12.422;2023', 'gross_weight_troy_oz', 'kilograms or grams'],
    ['Gold;1;XYZ;401.1255;995.8;399.440;2023', 'gross_weight_troy_oz', 'more than 3 decimals'],
    ['Gold;1;XYZ;401.125;99.58;399.440;2023', 'assay', 'not per mille'],
  ])('row %s is refused at %s', (line, column, reason) => {
    const row = translateRow(cells(line), layoutOf(ANNEX_C), options);
    expect(row.ok).toBe(false);
    if (!row.ok) expect(row.problems).toContainEqual({ column, reason: expect.stringContaining(reason) });
  });

  test('a number stored as text in a workbook is refused', () => {
    const row = cells('Gold;1;XYZ;401.125;995.8;399.440;2023', 'text');
    const read = translateRow(row, layoutOf(ANNEX_C), options);
    expect(read.ok ? [] : read.problems.map((p) => p.reason)).toContain(
      'gross_weight_troy_oz "401.125" is a number stored as text',
    );
  });

  test('empty or merged header cells and unknown columns are named', () => {
    expect(detectLayout(cells('metal;;brand_code'), null, null)).toMatchObject({
      ok: false,
      problems: [{ column: 'B', reason: expect.stringContaining('empty') }],
    });
    expect(detectLayout(cells(`${ANNEX_C};gross_kg`), null, null)).toMatchObject({
      ok: false,
      problems: [{ column: 'gross_kg' }],
    });
  });

  test('a mapping reads kilograms and grams, and the vault weighing overrides the refiner', () => {
    const parsed = parseMapping(
      JSON.stringify({
        columns: {
          'Bar No': 'serial',
          Refiner: 'refiner',
          Year: 'year',
          'Gross kg': { field: 'gross', unit: 'kg' },
          Purity: { field: 'fineness', unit: 'per_ten_thousand' },
          'Vault g': { field: 'vault_gross', unit: 'g' },
        },
      }),
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    const layout = layoutOf('Bar No;Refiner;Year;Gross kg;Purity;Vault g', parsed.mapping);
    // 12.5 kg = 401.8779 oz: truncated and rounded down to the 0.025 oz step, 401.875 oz.
    expect(translateRow(cells('A1;XYZ;1960;12.5;9999;'), layout, options)).toEqual({
      ok: true,
      line: 'A1,XYZ,1960,401.875,999.9,401.834,,,',
    });
    // The vault weighed 12,480 g = 401.2413 oz → 401.225 oz: that is the bar's gross weight.
    expect(translateRow(cells('A1;XYZ;1960;12.5;9999;12480'), layout, options)).toEqual({
      ok: true,
      line: 'A1,XYZ,1960,401.225,999.9,401.184,,,',
    });
    const missing = detectLayout(cells('Bar No;Refiner;Year;Gross kg;Purity'), parsed.mapping, null);
    expect(missing).toMatchObject({ ok: false, problems: [{ column: 'Vault g' }] });
  });
});
