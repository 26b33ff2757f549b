// A workbook as Excel saves it: every text cell an index into xl/sharedStrings.xml. The strings are
// kept in a scratch table on disk while the rows stream; the table is read whichever comes first in
// the zip, the strings or the sheet, and is gone afterwards, whether the list was read or refused.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { addParty, openAccount } from '../src/service/parties/parties.ts';
import { SHARED_STRINGS_DIRECTORY_PREFIX } from '../src/service/vault/shared-string-table.ts';
import { type SourceRow, WorkbookRefused, xlsxRows } from '../src/service/vault/weight-list-sources.ts';
import { importWeightList } from '../src/service/vault/weight-lists.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';

type Cell = string | number;

/** A zip archive of the entries in the order given, each deflated as Excel writes them. */
function zip(entries: readonly (readonly [string, string])[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const plain = Buffer.from(text);
    const data = deflateRawSync(plain);
    const path = Buffer.from(name);
    const fields = { crc: crc32(plain), size: data.length, plain: plain.length, name: path.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(fields.crc, 14);
    local.writeUInt32LE(fields.size, 18);
    local.writeUInt32LE(fields.plain, 22);
    local.writeUInt16LE(fields.name, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(fields.crc, 16);
    central.writeUInt32LE(fields.size, 20);
    central.writeUInt32LE(fields.plain, 24);
    central.writeUInt16LE(fields.name, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, path, data);
    centrals.push(central, path);
    offset += local.length + path.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const column = (index: number) => String.fromCharCode(65 + index);

/**
 * An .xlsx workbook whose text cells are all shared strings (each distinct text once, in order of
 * first use, as Excel writes them); the serial of the last row is rich text in three runs.
 */
function sharedStringsWorkbook(
  sheets: Record<string, readonly (readonly Cell[])[]>,
  order: 'after' | 'before',
) {
  const strings: string[] = [];
  const positionOf = (text: string) => {
    const found = strings.indexOf(text);
    return found >= 0 ? found : strings.push(text) - 1;
  };
  const sheetParts = Object.values(sheets).map((rows, sheet) => {
    const xml = rows.map((cells, row) => {
      const xmlCells = cells.map((value, index) => {
        const ref = `${column(index)}${row + 1}`;
        if (typeof value === 'number') return `<c r="${ref}"><v>${value}</v></c>`;
        return `<c r="${ref}" t="s"><v>${positionOf(value)}</v></c>`;
      });
      return `<row r="${row + 1}">${xmlCells.join('')}</row>`;
    });
    const body = `<worksheet xmlns="${MAIN}"><sheetData>${xml.join('')}</sheetData></worksheet>`;
    return [`xl/worksheets/sheet${sheet + 1}.xml`, body] as const;
  });
  const items = strings.map((text) => {
    if (!text.startsWith('RICH-')) return `<si><t xml:space="preserve">${escaped(text)}</t></si>`;
    const runs = [text.slice(0, 3), text.slice(3, 5), text.slice(5)];
    return `<si>${runs.map((run) => `<r><rPr><b/></rPr><t>${escaped(run)}</t></r>`).join('')}</si>`;
  });
  const shared = [
    'xl/sharedStrings.xml',
    `<sst xmlns="${MAIN}" count="${strings.length}" uniqueCount="${strings.length}">${items.join('')}</sst>`,
  ] as const;
  const names = Object.keys(sheets);
  const book = names.map((name, i) => `<sheet name="${name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`);
  const rels = names.map(
    (_, i) =>
      `<Relationship Id="rId${i + 1}" Type="${RELS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  );
  const front = [
    ['[Content_Types].xml', contentTypes(names.length)],
    ['_rels/.rels', `<Relationships xmlns="${PACKAGE_RELS}">${OFFICE_DOCUMENT}</Relationships>`],
    [
      'xl/workbook.xml',
      `<workbook xmlns="${MAIN}" xmlns:r="${RELS}"><sheets>${book.join('')}</sheets></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `<Relationships xmlns="${PACKAGE_RELS}">${rels.join('')}<Relationship Id="rIdS" Type="${RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ],
  ] as const;
  return zip(order === 'after' ? [...front, ...sheetParts, shared] : [...front, shared, ...sheetParts]);
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const OFFICE_DOCUMENT = `<Relationship Id="rId1" Type="${RELS}/officeDocument" Target="xl/workbook.xml"/>`;
function contentTypes(sheets: number): string {
  const types = 'http://schemas.openxmlformats.org/package/2006/content-types';
  const ml = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
  const overrides = Array.from(
    { length: sheets },
    (_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${ml}.worksheet+xml"/>`,
  );
  return (
    `<Types xmlns="${types}"><Default Extension="xml" ContentType="application/xml"/>` +
    `<Override PartName="/xl/workbook.xml" ContentType="${ml}.sheet.main+xml"/>` +
    `<Override PartName="/xl/sharedStrings.xml" ContentType="${ml}.sharedStrings+xml"/>` +
    `${overrides.join('')}</Types>`
  );
}

const ANNEX_C = [
  'metal',
  'serial_number',
  'brand_code',
  'gross_weight_troy_oz',
  'assay',
  'fine_weight_troy_oz',
  'year_of_manufacture',
];
const ROWS: readonly (readonly Cell[])[] = [
  ['Gold', '123456', 'XYZ', 401.125, 995.8, 399.44, 2023],
  ['Gold', 'A&B<1>', 'XYZ', 400, 999.9, 399.96, 2023],
  ['Gold', 'RICH-7788', 'XYZ', 400.5, 999.9, 400.459, 2023],
];
const ORDERS = ['after', 'before'] as const;

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'ingot-test-scratch-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

const rowsOf = (workbook: Buffer, chosen: readonly string[] | null = null) =>
  xlsxRows(Readable.from([workbook]), chosen, scratch);
const texts = (row: SourceRow) => row.cells.map((cell) => cell.text);

describe('a workbook saved with shared strings', () => {
  test.each(ORDERS)('is read with sharedStrings.xml %s the sheet in the zip', async (order) => {
    const workbook = sharedStringsWorkbook({ Bars: [ANNEX_C, ...ROWS] }, order);
    const read: string[][] = [];
    const during: string[][] = [];
    for await (const row of rowsOf(workbook)) {
      read.push(texts(row));
      during.push(readdirSync(scratch));
    }
    expect(read).toEqual([ANNEX_C, ...ROWS.map((row) => row.map(String))]);
    // The table is on disk while the rows are read, and removed once they end.
    expect(during[0]).toHaveLength(1);
    expect(during[0]?.[0]).toMatch(new RegExp(`^${SHARED_STRINGS_DIRECTORY_PREFIX}`));
    expect(readdirSync(scratch)).toEqual([]);
  });

  test('a shared-string cell is text, a number cell keeps its decimal', async () => {
    const workbook = sharedStringsWorkbook({ Bars: [ANNEX_C, ['Gold', '0400.10', 'XYZ', 400.1]] }, 'after');
    const rows: SourceRow[] = [];
    for await (const row of rowsOf(workbook)) rows.push(row);
    expect(rows[1]?.cells.map((cell) => [cell.text, cell.stored])).toEqual([
      ['Gold', 'text'],
      ['0400.10', 'text'],
      ['XYZ', 'text'],
      ['400.1', 'number'],
    ]);
  });

  test.each(ORDERS)('a refusal of the sheets (strings %s) leaves no table behind', async (order) => {
    const workbook = sharedStringsWorkbook({ North: [ANNEX_C, ...ROWS], South: [ANNEX_C] }, order);
    const reading = async () => {
      for await (const _row of rowsOf(workbook)) expect.unreachable('no row of an unchosen workbook');
    };
    await expect(reading()).rejects.toThrow(WorkbookRefused);
    await expect(reading()).rejects.toThrow('2 sheets ("North", "South")');
    expect(readdirSync(scratch)).toEqual([]);
  });

  test('a reader that stops after the header leaves no table behind', async () => {
    const workbook = sharedStringsWorkbook({ Bars: [ANNEX_C, ...ROWS] }, 'after');
    for await (const row of rowsOf(workbook)) {
      expect(row.header).toBe(true);
      expect(readdirSync(scratch)).toHaveLength(1);
      break;
    }
    expect(readdirSync(scratch)).toEqual([]);
  });
});

describe('importing a workbook saved with shared strings', () => {
  let ingot: Ingot;
  beforeEach(async () => {
    ingot = ingotOver(await openSqliteStore(':memory:'), 'setup');
    expect((await addParty(ingot, { id: 'GOSBANK', name: 'State Bank', role: 'depository' })).ok).toBe(true);
    const account = { id: 'VAULT', party_id: 'GOSBANK', kind: 'custody', unit: 'XAU' } as const;
    expect((await openAccount(ingot, account)).ok).toBe(true);
  });
  const importing = (workbook: Buffer, key: string) =>
    importWeightList(ingot, {
      account_id: 'VAULT',
      rows: rowsOf(workbook),
      list: { mapping: null, year: null },
      rules: { minimum_fineness: 9950n, good_delivery: true },
      date: '1961-01-02',
      key,
      source: 'list.xlsx',
    });

  test.each(ORDERS)('imports the bars (strings %s), refuses a silver row, keeps no table', async (order) => {
    const silver = ['Silver', '5', 'XYZ', 1000, 999.9, 999.9, 2023];
    const refused = await importing(sharedStringsWorkbook({ Bars: [ANNEX_C, ...ROWS, silver] }, order), 'a');
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).toContain('metal \\"Silver\\" is not gold');
    expect(readdirSync(scratch)).toEqual([]);
    const taken = await importing(sharedStringsWorkbook({ Bars: [ANNEX_C, ...ROWS] }, order), 'b');
    expect(taken.ok && taken.bars).toBe(3);
    expect(readdirSync(scratch)).toEqual([]);
  });
});
