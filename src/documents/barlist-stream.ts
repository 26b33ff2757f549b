// The bar list as a PDF of any length, written as it is read: a page at a time, each page stamped
// as it begins (its number of the whole known beforehand from the count of bars), and handed on
// as soon as it is finished, so a vault of millions of bars prints in the memory of a few pages.
// It looks as `writeBarListPdf` draws it; the rows are written as the PDF's own text operators,
// since pdfkit's general text layout costs half a millisecond a cell.
import PDFDocument from 'pdfkit';
import { stampOf } from '../domain/correspondence/classification.ts';
import { assert } from '../domain/outcome.ts';
import {
  BAR_COLUMNS,
  barCells,
  type Doc,
  type DocumentHeader,
  drawHeader,
  drawRow,
  drawTableHeading,
  FOOTER_SPACE,
  MARGIN,
  ounces,
  type PrintedBar,
  ROW_HEIGHT,
  stampPage,
} from './pdf.ts';

/** What is known before the first bar is read: the header, how many bars follow, where they lie. */
export interface BarListPlan {
  readonly header: DocumentHeader;
  readonly bars: number;
  readonly location: string;
}

/** Height kept below the last row for the totals and the closing sentence. */
const CLOSING_SPACE = 50;
/** Where the table starts on every page after the first. */
const CONTINUED_TOP = MARGIN + 10;
/** The table's heading row and the space under its rule. */
const HEADING_SPACE = ROW_HEIGHT + 2;
const FONT_SIZE = 9;
/** Text that the PDF's standard encoding writes as it is: printable ASCII. */
const PLAIN_TEXT = /^[\x20-\x7e]*$/;

/** The pages a list takes: rows per page, and one more if the totals do not fit under the last. */
export function pagesOf(plan: {
  bars: number;
  first_rows: number;
  rows: number;
  closing_fits: (rows_on_last: number) => boolean;
}): number {
  assert(plan.first_rows >= 0 && plan.rows > 0, 'a page holds rows');
  if (plan.bars <= plan.first_rows) return plan.closing_fits(plan.bars) ? 1 : 2;
  const rest = plan.bars - plan.first_rows;
  const full = Math.ceil(rest / plan.rows);
  const last = rest - (full - 1) * plan.rows;
  return 1 + full + (plan.closing_fits(last) ? 0 : 1);
}

/** pdfkit's current font, whose resource name the text operators use. */
interface CurrentFont {
  readonly id: string;
  readonly ascender: number;
}

function currentFont(doc: Doc): CurrentFont {
  const font = (doc as unknown as { _font?: CurrentFont })._font;
  assert(font !== undefined && typeof font.id === 'string', 'pdfkit has a current font');
  return font;
}

/** Printable ASCII as the hex string pdfkit writes for its text, so the text reads back alike. */
function hex(text: string): string {
  return Buffer.from(text, 'latin1').toString('hex');
}

/**
 * The width of text as the operators below set it: the sum of its characters' advances, with no
 * kerning (a plain Tj applies none), each character measured once.
 */
function widthOf(doc: Doc, widths: Map<string, number>, text: string): number {
  let width = 0;
  for (const character of text) {
    let advance = widths.get(character);
    if (advance === undefined) {
      advance = doc.widthOfString(character);
      widths.set(character, advance);
    }
    width += advance;
  }
  return width;
}

/** Writes rows as text operators at the current height (printable ASCII only: see drawRows). */
function rowOperators(doc: Doc, rows: readonly (readonly string[])[]): string {
  const widths = new Map<string, number>();
  const font = currentFont(doc);
  const height = doc.page.height;
  const rise = (font.ascender / 1000) * FONT_SIZE;
  let ops = '';
  let y = doc.y;
  for (const cells of rows) {
    let x = MARGIN;
    const baseline = (height - y - rise).toFixed(2);
    BAR_COLUMNS.forEach((column, index) => {
      const text = cells[index] ?? '';
      if (text === '') {
        x += column.width;
        return;
      }
      const left = column.align === 'right' ? x + column.width - 5 - widthOf(doc, widths, text) : x + 5;
      ops += `1 0 0 1 ${left.toFixed(2)} ${baseline} Tm [<${hex(text)}>] TJ\n`;
      x += column.width;
    });
    y += ROW_HEIGHT;
  }
  doc.y = y;
  return `q 1 0 0 -1 0 ${height} cm BT /${font.id} ${FONT_SIZE} Tf\n${ops}ET Q`;
}

/** Draws rows on the current page: as operators, or by pdfkit's layout for any other text. */
function drawRows(doc: Doc, rows: readonly (readonly string[])[]): void {
  doc.font('Helvetica').fontSize(FONT_SIZE).fillColor('black');
  if (rows.every((cells) => cells.every((cell) => PLAIN_TEXT.test(cell)))) {
    doc.addContent(rowOperators(doc, rows));
  } else {
    for (const cells of rows) drawRow(doc, BAR_COLUMNS, cells);
  }
  doc.x = MARGIN;
}

/** The table's heading and its rule. */
function drawHeading(doc: Doc): void {
  drawTableHeading(doc, BAR_COLUMNS);
}

/** A page's stamps (its margins opened for them and closed again). */
function stamp(doc: Doc, header: DocumentHeader, page: number, pages: number): void {
  const { x, y } = doc;
  const margins = doc.page.margins;
  doc.page.margins = { top: 0, bottom: 0, left: MARGIN, right: MARGIN };
  stampPage(doc, header, page, pages);
  doc.page.margins = margins;
  doc.x = x;
  doc.y = y;
}

/** Rows that fit between `top` and the footer. */
function rowsBetween(doc: Doc, top: number): number {
  return Math.max(0, Math.floor((doc.page.height - FOOTER_SPACE - top - HEADING_SPACE) / ROW_HEIGHT));
}

/**
 * The bar list as PDF, in chunks as each page is finished. `bars` must yield exactly
 * `plan.bars` bars (the page numbers are counted from it); the totals are summed as they pass.
 */
export async function* barListPdfChunks(
  plan: BarListPlan,
  bars: AsyncIterable<PrintedBar>,
): AsyncGenerator<Buffer> {
  const { header } = plan;
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: false,
    info: { Title: `${header.title} ${header.reference}`, Subject: stampOf(header.classification) },
  });
  // The document is read as each page ends, not left to flow: its 'data' events wait for the
  // event loop, which a list read without a pause would not give them until the very end.
  const take = (): Buffer | null => {
    const chunks: Buffer[] = [];
    for (let chunk = doc.read() as Buffer | null; chunk !== null; chunk = doc.read() as Buffer | null) {
      chunks.push(chunk);
    }
    return chunks.length === 0 ? null : Buffer.concat(chunks);
  };
  drawHeader(doc, header);
  const first_rows = rowsBetween(doc, doc.y);
  const rows_per_page = rowsBetween(doc, CONTINUED_TOP);
  // Whether the totals fit under the last rows is decided by count, here and as the rows are drawn.
  const bottom = doc.page.height - FOOTER_SPACE;
  const firstTop = doc.y + HEADING_SPACE;
  const nextTop = CONTINUED_TOP + HEADING_SPACE;
  const closingFits = (top: number, rows: number) => top + rows * ROW_HEIGHT + CLOSING_SPACE <= bottom;
  const pages = pagesOf({
    bars: plan.bars,
    first_rows,
    rows: rows_per_page,
    closing_fits: (rows) => closingFits(plan.bars <= first_rows ? firstTop : nextTop, rows),
  });
  let page = 1;
  drawHeading(doc);
  let room = first_rows;
  let top = firstTop;
  let number = 0;
  let gross = 0n;
  let fine = 0n;
  let batch: string[][] = [];
  const flushBatch = () => {
    if (batch.length > 0) drawRows(doc, batch);
    batch = [];
  };
  // Each page is stamped as it is left, after its rows, as `writeBarListPdf` stamps them all.
  const newPage = () => {
    flushBatch();
    stamp(doc, header, page, pages);
    doc.addPage();
    page += 1;
    doc.y = CONTINUED_TOP;
  };
  for await (const bar of bars) {
    if (room === 0) {
      newPage();
      drawHeading(doc);
      room = rows_per_page;
      top = nextTop;
      const chunk = take();
      if (chunk) yield chunk;
    }
    number += 1;
    gross += bar.gross_milli_oz;
    fine += bar.fine_milli_oz;
    batch.push(barCells(number, bar));
    room -= 1;
  }
  flushBatch();
  assert(number === plan.bars, `the bar list announced ${plan.bars} bars, ${number} were read`);
  const rows_on_last = (page === 1 ? first_rows : rows_per_page) - room;
  if (!closingFits(top, rows_on_last)) newPage();
  assert(page === pages, `the bar list was counted as ${pages} pages and took ${page}`);
  drawClosing(doc, plan, gross, fine);
  stamp(doc, header, page, pages);
  // pdfkit writes the cross-reference table and the trailer as it ends, at once.
  doc.end();
  const last = take();
  if (last) yield last;
}

/** The totals under the table and the sentence that closes the list. */
function drawClosing(doc: Doc, plan: BarListPlan, gross: bigint, fine: bigint): void {
  const width = BAR_COLUMNS.reduce((sum, column) => sum + column.width, 0);
  doc
    .moveTo(MARGIN, doc.y + 1)
    .lineTo(MARGIN + width, doc.y + 1)
    .lineWidth(0.5)
    .stroke();
  doc.y += 4;
  drawRow(doc, BAR_COLUMNS, ['', 'Total', `${plan.bars} bars`, '', ounces(gross), '', ounces(fine)], true);
  doc.moveDown(1);
  doc
    .font('Helvetica')
    .fontSize(FONT_SIZE)
    .text(
      `Gold held at ${plan.location}, allocated, in bars. Weights in troy ounces; ` +
        'fine weight is gross weight times fineness, truncated to 0.001 oz.',
      MARGIN,
    );
}
