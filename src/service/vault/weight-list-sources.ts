// The rows of a weight list as they are read: CSV lines, or the sheets of an .xlsx workbook streamed
// through exceljs's WorkbookReader, a row at a time, so a million-row workbook is never held whole.
// Its shared strings (how Excel saves every text cell) go to a scratch table on disk, not the heap.
import { tmpdir } from 'node:os';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { splitCsvLine } from '../../domain/barlist.ts';
import type { SourceCell } from '../../domain/weight-list.ts';
import { readingNow } from '../kernel/lines.ts';
import { SharedStringTable } from './shared-string-table.ts';

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
function rowCells(row: ExcelJS.Row, strings: SharedStringTable): SourceCell[] {
  const cells: SourceCell[] = [];
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    while (cells.length < column - 1) cells.push({ text: '', stored: 'text' });
    const position = sharedStringPosition(cell.value);
    cells[column - 1] =
      position === null ? cellOf(cell.value) : { text: strings.text(position) ?? '', stored: 'text' };
  });
  return cells;
}

/** The index of a shared-string cell, as exceljs leaves it when the strings are emitted. */
function sharedStringPosition(value: ExcelJS.CellValue): number | null {
  if (typeof value !== 'object' || value === null || !('sharedString' in value)) return null;
  const position: unknown = value.sharedString;
  return typeof position === 'number' && Number.isInteger(position) && position >= 0 ? position : null;
}

/**
 * The rows of the chosen sheets of an .xlsx workbook, streamed. Sheets not chosen are read past
 * (the archive is one stream), their rows not kept. The shared strings are kept in a scratch
 * database in a new directory under `scratch` (the system's temporary directory unless given),
 * removed when the rows end, are refused, or are no longer asked for.
 */
export async function* xlsxRows(
  input: Readable,
  chosen: readonly string[] | null,
  scratch: string = tmpdir(),
): AsyncGenerator<SourceRow> {
  try {
    yield* workbookRows(input, chosen, scratch);
  } catch (error) {
    if (error instanceof WorkbookRefused) throw error;
    // A file that is no workbook at all (not a zip archive, cut short) is bad input, not a bug.
    const reason = error instanceof Error ? error.message : String(error);
    throw new WorkbookRefused(`the file is not a readable .xlsx workbook (${reason})`);
  }
}

/** What exceljs's reader gives, in archive order: a shared string, or a worksheet to stream. */
type WorkbookEvent =
  | { readonly kind: 'shared-string'; readonly position: number; readonly text: string }
  | { readonly kind: 'worksheet'; readonly worksheet: AsyncIterable<ExcelJS.Row> };

/**
 * The reader's events. With `sharedStrings: 'emit'` every worksheet is buffered to a temporary
 * file by exceljs and streamed only once the whole archive has been read, so all the shared
 * strings have arrived before the first row, wherever xl/sharedStrings.xml lies in the zip.
 * exceljs 4.4 yields a worksheet as `{ eventType, value }` but a shared string bare, as
 * `{ index, text }` (its own `read()` expects the first form for both): both are taken.
 */
async function* workbookEvents(reader: ExcelJS.stream.xlsx.WorkbookReader): AsyncGenerator<WorkbookEvent> {
  const events: AsyncIterable<unknown> = { [Symbol.asyncIterator]: () => reader.parse() };
  for await (const event of events) {
    if (typeof event !== 'object' || event === null) continue;
    const kind: unknown = Reflect.get(event, 'eventType');
    const value: unknown = Reflect.get(event, 'value');
    if (kind === 'worksheet' && typeof value === 'object' && value !== null) {
      yield { kind, worksheet: value as AsyncIterable<ExcelJS.Row> };
    }
    const string = kind === 'shared-strings' ? value : kind === undefined ? event : null;
    if (typeof string !== 'object' || string === null) continue;
    const position: unknown = Reflect.get(string, 'index');
    if (typeof position !== 'number') throw new Error('exceljs: a shared string without its index');
    yield { kind: 'shared-string', position, text: sharedStringText(Reflect.get(string, 'text')) };
  }
}

/**
 * The input, for exceljs to pipe into unzipper's archive parser. On reading the archive's last
 * record that parser ends its writable side and, on 'finish', emits 'end' at once, before the
 * entries it has queued have been read; exceljs stops at that 'end'. An entry queued while exceljs
 * was still copying a worksheet to its temporary file was lost without a word: with Excel's order
 * (xl/sharedStrings.xml after the sheets) a small list read every text cell empty (exceljs issues
 * #683 and #3064). The parser's own 'end' comes when its queue is empty; an earlier one is dropped.
 */
function withArchiveEndKept(input: Readable): Readable {
  const source = new PassThrough();
  input.on('error', (error) => source.destroy(error));
  input.pipe(source);
  const pipe = source.pipe.bind(source);
  source.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    if (destination instanceof Readable) keepEndUntilDrained(destination);
    return pipe(destination, options);
  };
  return source;
}

function keepEndUntilDrained(archive: Readable): void {
  const emit = archive.emit.bind(archive);
  Object.defineProperty(archive, 'emit', {
    value: (event: string | symbol, ...args: unknown[]): boolean =>
      event === 'end' && archive.readableLength > 0 ? false : emit(event, ...args),
  });
}

/** A shared string's text: plain, or the runs of rich text joined (null for an empty entry). */
function sharedStringText(text: unknown): string {
  if (typeof text === 'string') return text;
  if (typeof text !== 'object' || text === null) return '';
  return cellOf(text as ExcelJS.CellValue).text;
}

async function* workbookRows(
  input: Readable,
  chosen: readonly string[] | null,
  scratch: string,
): AsyncGenerator<SourceRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(withArchiveEndKept(input), {
    worksheets: 'emit',
    sharedStrings: 'emit',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  const strings = new SharedStringTable(scratch);
  try {
    let sheets: Set<string> | null = null;
    for await (const event of workbookEvents(reader)) {
      if (event.kind === 'shared-string') {
        strings.add(event.position, event.text);
        continue;
      }
      sheets ??= chosenSheets(sheetNames(reader), chosen);
      yield* sheetRows(event.worksheet, sheets, chosen, strings);
    }
    if (sheets === null) throw new WorkbookRefused('the workbook has no sheets');
  } finally {
    strings.close();
  }
}

/** The rows of one worksheet, its first non-empty row the header; nothing if it is not chosen. */
async function* sheetRows(
  worksheet: AsyncIterable<ExcelJS.Row>,
  sheets: Set<string>,
  chosen: readonly string[] | null,
  strings: SharedStringTable,
): AsyncGenerator<SourceRow> {
  const name: unknown = Reflect.get(worksheet, 'name');
  const sheet = typeof name === 'string' ? name : 'Sheet';
  const wanted = sheets.has(sheet) || (sheets.size === 0 && chosen === null);
  let first = true;
  for await (const row of worksheet) {
    if (!wanted) continue;
    const cells = rowCells(row, strings);
    if (first && cells.length === 0) continue;
    yield { sheet, row: row.number, cells, line: null, header: first };
    first = false;
  }
}
