// Weight lists as they come, through the command line as a process: Annex C in CSV and .xlsx,
// the silver row refused, a workbook with several sheets, and a round trip of the Annex C export.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Workspace, workspace } from './support/cli.ts';

const ANNEX_C =
  'metal,serial_number,brand_code,gross_weight_troy_oz,assay,fine_weight_troy_oz,year_of_manufacture';
const ROWS = [
  ['Gold', '123456', 'XYZ', 401.125, 995.8, 399.44, 2023],
  ['Gold', '123457', 'XYZ', 400.0, 999.9, 399.96, 2023],
] as const;

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
  ws.ingot('parties', 'add', 'GOSBANK', '--name', 'State Bank', '--role', 'depository');
  ws.ingot('accounts', 'open', 'VAULT', '--party', 'GOSBANK', '--kind', 'custody', '--unit', 'XAU');
  ws.ingot('accounts', 'open', 'COPY', '--party', 'GOSBANK', '--kind', 'custody', '--unit', 'XAU');
});
afterEach(() => ws.dispose());

async function workbook(file: string, sheets: Record<string, readonly (readonly (string | number)[])[]>) {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) book.addWorksheet(name).addRows(rows.map((r) => [...r]));
  await book.xlsx.writeFile(join(ws.dir, file));
}
const importing = (file: string, ...more: string[]) =>
  ws.ingot('bars', 'import', file, '--account', 'VAULT', '--date', '1961-01-02', '--no-progress', ...more);

describe('bars import reads weight lists as they come', () => {
  test('Annex C as CSV, and without the year given --year', () => {
    writeFileSync(join(ws.dir, 'a.csv'), `${ANNEX_C}\nGold,123456,XYZ,401.125,995.8,399.440,2023\n`);
    expect(importing('a.csv').code).toBe(0);
    const noYear = 'metal,serial_number,brand_code,gross_weight_troy_oz,assay,fine_weight_troy_oz\n';
    writeFileSync(join(ws.dir, 'b.csv'), `${noYear}Gold,9,XYZ,401.125,995.8,399.440\n`);
    expect(importing('b.csv').stderr).toContain('year_of_manufacture');
    expect(importing('b.csv', '--year', '1960').code).toBe(0);
    expect(ws.ingot('verify').code).toBe(0);
  });

  test('Annex C as .xlsx; the silver row is refused naming its sheet and row, nothing imported', async () => {
    await workbook('list.xlsx', {
      Bars: [ANNEX_C.split(','), ...ROWS, ['Silver', '5', 'XYZ', 1000, 999.9, 999.9, 2023]],
    });
    const before = ws.snapshot();
    const refused = importing('list.xlsx');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('sheet "Bars" row 4 (metal): metal "Silver" is not gold');
    expect(ws.snapshot()).toBe(before);
    await workbook('gold.xlsx', { Bars: [ANNEX_C.split(','), ...ROWS] });
    expect(importing('gold.xlsx').stdout).toContain('2 bars, 799.400 fine oz');
    expect(ws.ingot('verify').code).toBe(0);
  });

  test('several sheets: refused naming them; chosen by name; duplicates across sheets named', async () => {
    await workbook('two.xlsx', {
      North: [ANNEX_C.split(','), ROWS[0]],
      South: [ANNEX_C.split(','), ROWS[0]],
    });
    expect(importing('two.xlsx').stderr).toContain('2 sheets ("North", "South")');
    const both = importing('two.xlsx', '--sheet', 'North', '--sheet', 'South');
    expect(both.stderr).toContain('sheet "South" row 2 (serial_number): duplicate bar: XYZ 123456');
    expect(both.stderr).toContain('first at sheet "North" row 2');
    expect(importing('two.xlsx', '--sheet', 'South').code).toBe(0);
  });

  test('a mapped list in kilograms; a mapping naming a missing column is refused', () => {
    const mapping = {
      columns: {
        'Bar No': 'serial',
        Refiner: 'refiner',
        Year: 'year',
        'Gross kg': { field: 'gross', unit: 'kg' },
        Purity: { field: 'fineness', unit: 'per_ten_thousand' },
      },
    };
    writeFileSync(join(ws.dir, 'map.json'), JSON.stringify(mapping));
    writeFileSync(join(ws.dir, 'other.csv'), 'Bar No,Refiner,Year,Gross kg,Purity\nA1,XYZ,1960,12.5,9999\n');
    expect(importing('other.csv', '--columns', 'map.json').stdout).toContain('1 bar, 401.834 fine oz');
    writeFileSync(join(ws.dir, 'short.csv'), 'Bar No,Refiner,Year,Purity\nA2,XYZ,1960,9999\n');
    expect(importing('short.csv', '--columns', 'map.json').stderr).toContain(
      'row 1 (Gross kg): the mapping names column "Gross kg", which the header does not have',
    );
  });

  test('an Annex C export round-trips as CSV and .xlsx', () => {
    writeFileSync(join(ws.dir, 'a.csv'), `${ANNEX_C}\nGold,123456,XYZ,401.125,995.8,399.440,2023\n`);
    expect(importing('a.csv').code).toBe(0);
    const csv = ws.ingot('bars', 'export', '--account', 'VAULT', '--format', 'annex-c', '--out', 'out.csv');
    const xlsx = ws.ingot('bars', 'export', '--account', 'VAULT', '--format', 'annex-c', '--out', 'out.xlsx');
    expect([csv.code, xlsx.code]).toEqual([0, 0]);
    const original = ws.ingot('bars', 'export', '--account', 'VAULT').stdout;
    // The same bars cannot be in the vault twice: move them out of VAULT's books by importing to a fresh workspace.
    for (const file of ['out.csv', 'out.xlsx']) {
      const copy = workspace();
      copy.ingot('parties', 'add', 'GOSBANK', '--name', 'State Bank', '--role', 'depository');
      copy.ingot('accounts', 'open', 'VAULT', '--party', 'GOSBANK', '--kind', 'custody', '--unit', 'XAU');
      const from = join(ws.dir, file);
      expect(copy.ingot('bars', 'import', from, '--account', 'VAULT', '--no-progress').code).toBe(0);
      expect(copy.ingot('bars', 'export', '--account', 'VAULT').stdout).toBe(original);
      expect(copy.ingot('verify').code).toBe(0);
      copy.dispose();
    }
  });
});
