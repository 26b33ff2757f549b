// A weight list uploaded over HTTP as the market sends it: an Annex C workbook (.xlsx), its sheet
// chosen by name; a file that is no workbook is bad input naming what is wrong, nothing imported.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XLSX_TYPE } from '../../src/server/uploads.ts';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { type Served, servedWorld } from './support.ts';

const ANNEX_C = [
  'metal',
  'serial_number',
  'brand_code',
  'gross_weight_troy_oz',
  'assay',
  'fine_weight_troy_oz',
  'year_of_manufacture',
];
const ROWS = [
  ['Gold', 'WB-1', 'XYZ', 401.125, 995.8, 399.44, 2023],
  ['Gold', 'WB-2', 'XYZ', 400.0, 999.9, 399.96, 2023],
];

let served: Served;
let token: string;
beforeAll(async () => {
  served = await servedWorld(5);
  token = (await served.signIn('operator')).token ?? '';
});
afterAll(async () => {
  expect((await verifyStore(served.ingot)).breaches).toEqual([]);
  await served.close();
});

async function workbook(sheets: Record<string, unknown[][]>): Promise<Blob> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) book.addWorksheet(name).addRows(rows);
  return new Blob([await book.xlsx.writeBuffer()]);
}

async function upload(body: Blob, key: string, query = '') {
  const response = await fetch(`${served.url}/bars/import?account=GOSBANK-VAULT&date=1961-01-02${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': key, 'content-type': XLSX_TYPE },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('an .xlsx weight list over HTTP', () => {
  it('is refused naming the sheets when there are several, then read from the one chosen', async () => {
    const book = await workbook({ North: [ANNEX_C, ...ROWS], South: [ANNEX_C] });
    const refused = await upload(book, 'wb-1');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.problems)).toContain('2 sheets');
    expect(JSON.stringify(refused.body.problems)).toContain('North');
    const taken = await upload(book, 'wb-2', '&sheet=North');
    expect([taken.status, taken.body.bars, taken.body.fine_milli_oz]).toEqual([201, 2, '799400']);
  });

  it('answers a file that is no workbook as bad input, and imports nothing', async () => {
    const before = (await (await served.signIn('operator')).get('/accounts/GOSBANK-VAULT')).body;
    const junk = await upload(new Blob(['this is not a workbook']), 'wb-3');
    expect(junk.status).toBe(400);
    expect(JSON.stringify(junk.body)).toContain('not a readable .xlsx workbook');
    expect((await (await served.signIn('operator')).get('/accounts/GOSBANK-VAULT')).body).toEqual(before);
  });
});
