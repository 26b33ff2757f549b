// Documents a person prints: the bar list, the statement of a metal account and the trade
// confirmation, each headed by both banks, the account, date, reference, classification and copy
// number, stamped on every page. Drawn with pdfkit from the messages' own values.

import { once } from 'node:events';
import PDFDocument from 'pdfkit';
import { type Classification, stampOf } from '../domain/correspondence/classification.ts';
import { formatScaled } from '../domain/decimal.ts';
import { type BarListMessage, totalGross } from '../domain/messages/barlist.ts';
import type { TradeConfirmation } from '../domain/messages/mt600.ts';
import type { MetalStatement } from '../domain/messages/mt608.ts';
import { signedBalance } from '../domain/messages/statement-fields.ts';
import { signedLine } from '../domain/messages/statement-line.ts';
import { formatMoney } from '../domain/money.ts';
import { formatFineness } from '../domain/weight.ts';
import { privateWriteStream } from './private-file.ts';

/** The header of a printed document. */
export interface DocumentHeader {
  readonly title: string;
  readonly classification: Classification;
  readonly copy_number: bigint;
  /** The issuing bank, e.g. "State Bank of the USSR". */
  readonly from: string;
  /** The bank it is addressed to. */
  readonly to: string;
  readonly account: string;
  readonly date: string;
  readonly reference: string;
  readonly related: string | null;
}

export type Doc = PDFKit.PDFDocument;

export const MARGIN = 50;
export const ROW_HEIGHT = 14;
export const FOOTER_SPACE = 60;

/** Ounces to three decimals with thousands separators. */
export function ounces(milli: bigint): string {
  const sign = milli < 0n ? '-' : '';
  return `${sign}${formatScaled(milli < 0n ? -milli : milli, 3, { group: true })}`;
}

/** A new A4 document keeping its pages, so each can be stamped at the end. */
function newDocument(header: DocumentHeader): Doc {
  return new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: `${header.title} ${header.reference}`, Subject: stampOf(header.classification) },
  });
}

/** The head of the first page: stamp, title, both banks, account, date and references. */
export function drawHeader(doc: Doc, header: DocumentHeader): void {
  const width = doc.page.width - 2 * MARGIN;
  doc
    .font('Helvetica-Bold')
    .fontSize(18)
    .text(header.title.toUpperCase(), MARGIN, MARGIN + 24, { width, align: 'center' });
  doc.moveDown(0.8);
  const rows: [string, string][] = [
    ['From', header.from],
    ['To', header.to],
    ['Account', header.account],
    ['Date', header.date],
    ['Reference', header.related === null ? header.reference : `${header.reference} (re ${header.related})`],
    ['Classification', `${stampOf(header.classification)}, copy No. ${header.copy_number}`],
  ];
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(10).text(`${label}:`, MARGIN, y, { width: 95 });
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(value, MARGIN + 100, y, { width: width - 100 });
    doc.moveDown(0.2);
  }
  doc.moveDown(0.8);
}

/** Stamps every page, top and bottom, with the classification, copy number and page. */
function stampPages(doc: Doc, header: DocumentHeader): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    // Writing in the margins must not start a new page.
    doc.page.margins = { top: 0, bottom: 0, left: MARGIN, right: MARGIN };
    stampPage(doc, header, index - range.start + 1, range.count);
  }
}

/** Stamps the current page (its margins open), top and bottom: classification, copy, page of pages. */
export function stampPage(doc: Doc, header: DocumentHeader, page: number, pages: number): void {
  const stamp = stampOf(header.classification);
  const width = doc.page.width - 2 * MARGIN;
  const bottom = doc.page.height - MARGIN + 10;
  doc.font('Helvetica-Bold').fontSize(12).fillColor('#a00000');
  doc.text(stamp, MARGIN, MARGIN - 20, { width, align: 'center', lineBreak: false });
  doc.text(stamp, MARGIN, bottom - 14, { width, align: 'center', lineBreak: false });
  doc.font('Helvetica').fontSize(9).fillColor('black');
  doc.text(`Copy No. ${header.copy_number}`, MARGIN, MARGIN - 18, {
    width,
    align: 'right',
    lineBreak: false,
  });
  const numbered = `${header.reference} - page ${page} of ${pages}`;
  doc.text(numbered, MARGIN, bottom, { width, align: 'right', lineBreak: false });
}

/** A table column: its heading, width, alignment. */
export interface Column {
  readonly heading: string;
  readonly width: number;
  readonly align: 'left' | 'right';
}

/** Draws one row of cells at the current height. */
export function drawRow(doc: Doc, columns: readonly Column[], cells: readonly string[], bold = false): void {
  const y = doc.y;
  let x = MARGIN;
  doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
  columns.forEach((column, index) => {
    doc.text(cells[index] ?? '', x + 5, y, {
      width: column.width - 10,
      align: column.align,
      lineBreak: false,
    });
    x += column.width;
  });
  doc.y = y + ROW_HEIGHT;
  doc.x = MARGIN;
}

/** Draws a table, repeating its heading on each new page. */
/** A table's heading and the rule under it. */
export function drawTableHeading(doc: Doc, columns: readonly Column[]): void {
  const width = columns.reduce((sum, column) => sum + column.width, 0);
  drawRow(
    doc,
    columns,
    columns.map((column) => column.heading),
    true,
  );
  doc
    .moveTo(MARGIN, doc.y - 3)
    .lineTo(MARGIN + width, doc.y - 3)
    .lineWidth(0.5)
    .stroke();
  doc.y += 2;
}

function drawTable(doc: Doc, columns: readonly Column[], rows: readonly (readonly string[])[]): void {
  const width = columns.reduce((sum, column) => sum + column.width, 0);
  const heading = () => drawTableHeading(doc, columns);
  heading();
  for (const cells of rows) {
    if (doc.y + ROW_HEIGHT > doc.page.height - FOOTER_SPACE) {
      doc.addPage();
      doc.y = MARGIN + 10;
      heading();
    }
    drawRow(doc, columns, cells);
  }
  doc
    .moveTo(MARGIN, doc.y + 1)
    .lineTo(MARGIN + width, doc.y + 1)
    .lineWidth(0.5)
    .stroke();
  doc.y += 4;
}

/** Writes the document to a file and waits until it is on disk. */
async function finish(doc: Doc, header: DocumentHeader, path: string): Promise<void> {
  stampPages(doc, header);
  const file = privateWriteStream(path);
  doc.pipe(file);
  doc.end();
  await once(file, 'finish');
}

export const BAR_COLUMNS: readonly Column[] = [
  { heading: 'No.', width: 35, align: 'right' },
  { heading: 'Refiner', width: 75, align: 'left' },
  { heading: 'Serial', width: 90, align: 'left' },
  { heading: 'Year', width: 45, align: 'right' },
  { heading: 'Gross oz', width: 90, align: 'right' },
  { heading: 'Fineness', width: 60, align: 'right' },
  { heading: 'Fine oz', width: 95, align: 'right' },
];

/** A bar as a printed list shows it. */
export interface PrintedBar {
  readonly refiner: string;
  readonly serial: string;
  readonly year: number | bigint;
  readonly gross_milli_oz: bigint;
  readonly fineness: bigint;
  readonly fine_milli_oz: bigint;
}

/** The cells of a bar's row under BAR_COLUMNS: its number in the list, then the bar. */
export function barCells(number: number, bar: PrintedBar): string[] {
  return [
    String(number),
    bar.refiner,
    bar.serial,
    String(bar.year),
    ounces(bar.gross_milli_oz),
    formatFineness(bar.fineness),
    ounces(bar.fine_milli_oz),
  ];
}

/** The bar list as a PDF: the table of bars, then their number and totals of gross and fine weight. */
export async function writeBarListPdf(
  header: DocumentHeader,
  list: BarListMessage,
  path: string,
): Promise<void> {
  const doc = newDocument(header);
  drawHeader(doc, header);
  const rows = list.bars.map((bar, index) => barCells(index + 1, bar));
  drawTable(doc, BAR_COLUMNS, rows);
  const totals = [
    '',
    'Total',
    `${list.count} bars`,
    '',
    ounces(totalGross(list)),
    '',
    ounces(list.total_fine_milli_oz),
  ];
  drawRow(doc, BAR_COLUMNS, totals, true);
  doc.moveDown(1);
  doc
    .font('Helvetica')
    .fontSize(9)
    .text(
      `Gold held at ${list.metal.location}, allocated, in bars. Weights in troy ounces; ` +
        'fine weight is gross weight times fineness, truncated to 0.001 oz.',
      MARGIN,
    );
  await finish(doc, header, path);
}

const STATEMENT_COLUMNS: readonly Column[] = [
  { heading: 'Value date', width: 70, align: 'left' },
  { heading: 'Type', width: 45, align: 'left' },
  { heading: 'Reference', width: 105, align: 'left' },
  { heading: 'Debit oz', width: 90, align: 'right' },
  { heading: 'Credit oz', width: 90, align: 'right' },
  { heading: 'Balance oz', width: 95, align: 'right' },
];

/** The statement as a PDF: opening balance, each line with the running balance, closing balance. */
export async function writeStatementPdf(
  header: DocumentHeader,
  statement: MetalStatement,
  path: string,
): Promise<void> {
  const doc = newDocument(header);
  drawHeader(doc, header);
  let balance = signedBalance(statement.opening);
  const rows: string[][] = [[statement.opening.date, '', 'Opening balance', '', '', ounces(balance)]];
  for (const line of statement.lines) {
    balance += signedLine(line);
    const amount = ounces(line.fine_milli_oz);
    const debit = line.mark === 'D' || line.mark === 'RC';
    rows.push([
      line.value_date,
      line.transaction_type,
      line.owner_reference,
      debit ? amount : '',
      debit ? '' : amount,
      ounces(balance),
    ]);
  }
  drawTable(doc, STATEMENT_COLUMNS, rows);
  const closing = ounces(signedBalance(statement.closing));
  drawRow(doc, STATEMENT_COLUMNS, [statement.closing.date, '', 'Closing balance', '', '', closing], true);
  doc.moveDown(1);
  const number = statement.statement_number.statement_number;
  doc
    .font('Helvetica')
    .fontSize(9)
    .text(
      `Statement No. ${number} of fine gold held at ${statement.metal.location}. ` +
        'The lines lead from the opening to the closing balance.',
      MARGIN,
    );
  await finish(doc, header, path);
}

/** The trade confirmation as a PDF: the terms as both banks agreed them. */
export async function writeConfirmationPdf(
  header: DocumentHeader,
  confirmation: TradeConfirmation,
  path: string,
): Promise<void> {
  const doc = newDocument(header);
  drawHeader(doc, header);
  const party = (lines: readonly string[], identifier: string | null) =>
    [identifier ?? '', ...lines].filter((l) => l !== '').join(', ');
  const { price, metal } = confirmation;
  const paid = confirmation.consideration;
  const perOunce = formatMoney({ currency: price.currency, minor: price.minor_per_oz }, paid.value_date);
  const terms: [string, string][] = [
    ['Function', confirmation.function.code],
    ['Seller', party(confirmation.party_a.lines, confirmation.party_a.identifier)],
    ['Buyer', party(confirmation.party_b.lines, confirmation.party_b.identifier)],
    ['Trade date', confirmation.trade_date],
    [
      'Metal',
      `${metal.commodity}, ${metal.allocation === 'ALLOC' ? 'allocated' : 'unallocated'}, ` +
        `at ${metal.location}`,
    ],
    ['Quantity', `${ounces(confirmation.quantity_fine_milli_oz)} fine troy ounces`],
    ['Price', `${perOunce} per fine ounce`],
    [
      'Consideration',
      `${formatMoney(paid.amount, paid.value_date)}, ${paid.direction} by the seller, ` +
        `value ${paid.value_date}`,
    ],
    ['Remarks', confirmation.sender_to_receiver ?? ''],
  ];
  for (const [label, value] of terms) {
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(11).text(`${label}:`, MARGIN, y, { width: 110 });
    doc
      .font('Helvetica')
      .fontSize(11)
      .text(value, MARGIN + 115, y, { width: doc.page.width - 2 * MARGIN - 115 });
    doc.moveDown(0.4);
  }
  await finish(doc, header, path);
}
