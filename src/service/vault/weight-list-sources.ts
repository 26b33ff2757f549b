// The rows of a weight list as they are read: CSV lines, or the sheets of an .xlsx workbook streamed
// through exceljs's WorkbookReader, a row at a time, so a million-row workbook is never held whole.
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { splitCsvLine } from '../../domain/barlist.ts';
import type { SourceCell } from '../../domain/weight-list.ts';
import { readingNow } from '../kernel/lines.ts';

/** One row of a list: its sheet (null for CSV), its 1-based row number, its cells, its CSV text. */
export interface SourceRow {
  readonly sheet: string | null;
  readonly row: number;
  readonly cells: readonly SourceCell[];
  /** The CSV line as read, so Ingot's own lists pass through untouched; null for a workbook. */
  readonly line: string | null;
  /** True for the first row of a sheet: its header. */
  readonly header: boolean;
}

/** A refusal of the workbook as a whole (which sheets), naming what there is. */
export class WorkbookRefused extends Error {}

/**
 * The rows of CSV lines; a line that is not valid CSV reads as one cell holding its text. The lines
 * are listened to from this call on (a generator's body would start only at the first row asked
 * for, after the import's first queries: a readline interface would have emitted lines meanwhile).
 */
export function csvRows(lines: AsyncIterable<string>): AsyncGenerator<SourceRow> {
  return rowsOfLines(readingNow(lines));
}

async function* rowsOfLines(lines: AsyncIterable<string>): AsyncGenerator<SourceRow> {
  let row = 0;
  for await (const line of lines) {
    row += 1;
    const fields = splitCsvLine(row === 1 ? line.replace(/^\uFEFF/, '') : line) ?? [line];
    const cells = fields.map((text) => ({ text, stored: 'csv' as const }));
    yield { sheet: null, row, cells, line, header: row === 1 };
  }
}

/** The names of a workbook's sheets once its workbook part has been read (before any sheet). */
function sheetNames(reader: ExcelJS.stream.xlsx.WorkbookReader): string[] {
  const model: unknown = Reflect.get(reader, 'model');
  const sheets: unknown =
    typeof model === 'object' && model !== null ? Reflect.get(model, 'sheets') : undefined;
  if (!Array.isArray(sheets)) return [];
  return sheets.flatMap((sheet: unknown) => {
    const name: unknown =
      typeof sheet === 'object' && sheet !== null ? Reflect.get(sheet, 'name') : undefined;
    return typeof name === 'string' ? [name] : [];
  });
}

/** The sheets to read: those chosen, or the only one; refused naming them when that is unclear. */
function chosenSheets(names: readonly string[], chosen: readonly string[] | null): Set<string> {
  const listed = names.map((name) => `"${name}"`).join(', ');
  if (chosen === null || chosen.length === 0) {
    if (names.length > 1) {
      throw new WorkbookRefused(
        `the workbook has ${names.length} sheets (${listed}): choose one or more by name (--sheet; sheet= over HTTP)`,
      );
    }
    return new Set(names);
  }
  const missing = chosen.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    const named = missing.map((name) => `"${name}"`).join(', ');
    throw new WorkbookRefused(`the workbook has no sheet ${named}; its sheets are ${listed}`);
  }
  return new Set(chosen);
}

/** A cell as text, telling numbers from text; a number keeps the decimal text it was written as. */
export function cellOf(value: ExcelJS.CellValue): SourceCell {
  if (value === null || value === undefined) return { text: '', stored: 'text' };
  // A number read from the sheet's XML is the nearest double to the decimal written there; its
  // shortest decimal form (String) is that same decimal for up to 15 significant digits, so no
  // arithmetic is done on it: the text is parsed exactly, and a longer one is refused by its decimals.
  if (typeof value === 'number') return { text: String(value), stored: 'number' };
  if (typeof value === 'string') return { text: value, stored: 'text' };
  if (typeof value === 'boolean') return { text: String(value), stored: 'text' };
  if (value instanceof Date) return { text: value.toISOString(), stored: 'text' };
  if ('richText' in value) return { text: value.richText.map((part) => part.text).join(''), stored: 'text' };
  if ('result' in value && value.result !== undefined) return cellOf(value.result as ExcelJS.CellValue);
  if ('text' in value && typeof value.text === 'string') return { text: value.text, stored: 'text' };
  if ('error' in value) return { text: String(value.error), stored: 'text' };
  return { text: '', stored: 'text' };
}

/** The cells of a row, empty cells included, from column A to its last cell. */
function rowCells(row: ExcelJS.Row): SourceCell[] {
  const cells: SourceCell[] = [];
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    while (cells.length < column - 1) cells.push({ text: '', stored: 'text' });
    cells[column - 1] = cellOf(cell.value);
  });
  return cells;
}

/**
 * The rows of the chosen sheets of an .xlsx workbook, streamed. Sheets not chosen are read past
 * (the archive is one stream), their rows not kept.
 */
export async function* xlsxRows(
  input: Readable,
  chosen: readonly string[] | null,
): AsyncGenerator<SourceRow> {
  try {
    yield* workbookRows(input, chosen);
  } catch (error) {
    if (error instanceof WorkbookRefused) throw error;
    // A file that is no workbook at all (not a zip archive, cut short) is bad input, not a bug.
    const reason = error instanceof Error ? error.message : String(error);
    throw new WorkbookRefused(`the file is not a readable .xlsx workbook (${reason})`);
  }
}

async function* workbookRows(input: Readable, chosen: readonly string[] | null): AsyncGenerator<SourceRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  let sheets: Set<string> | null = null;
  for await (const worksheet of reader) {
    sheets ??= chosenSheets(sheetNames(reader), chosen);
    const name: unknown = Reflect.get(worksheet, 'name');
    const sheet = typeof name === 'string' ? name : 'Sheet';
    const wanted = sheets.has(sheet) || (sheets.size === 0 && chosen === null);
    let first = true;
    for await (const row of worksheet) {
      if (!wanted) continue;
      const cells = rowCells(row);
      if (first && cells.length === 0) continue;
      yield { sheet, row: row.number, cells, line: null, header: first };
      first = false;
    }
  }
  if (sheets === null) throw new WorkbookRefused('the workbook has no sheets');
}
