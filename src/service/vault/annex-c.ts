// A bar list written as the LBMA's Annex C weight list, as CSV lines or an .xlsx workbook streamed to
// its destination a row at a time.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { quoteCsvField } from '../../domain/barlist.ts';
import { assert, type Outcome } from '../../domain/outcome.ts';
import { ANNEX_C_COLUMNS, annexCFields } from '../../domain/weight-list.ts';
import type { Ingot } from '../kernel/context.ts';
import { findAccount } from '../parties/parties.ts';
import { barView, toBarSpec } from './bar-view.ts';
import { barsWhere } from './bars.ts';

/** The sheet an Annex C workbook's bars are written on. */
export const ANNEX_C_SHEET = 'Weight list';

/** Where an Annex C list goes: CSV lines to a writer, or a workbook to a stream. */
export type AnnexCTarget =
  | { readonly format: 'csv'; readonly write: (line: string) => void | Promise<void> }
  | { readonly format: 'xlsx'; readonly stream: Writable };

/**
 * A decimal as the number a workbook cell holds. The double's shortest form must read back as the
 * same decimal (it does for weights and assays, a few significant digits), else this is a bug.
 */
function cellNumber(text: string): number {
  const value = Number(text);
  const [whole = '', fraction = ''] = String(value).split('.');
  const [wantWhole = '', wantFraction = ''] = text.split('.');
  assert(
    whole === wantWhole && fraction === wantFraction.replace(/0+$/, ''),
    `${text} is not exact as a number`,
  );
  return value;
}

/** Writes an account's bars as an Annex C weight list. Returns the count and the fine gold. */
export async function exportAnnexC(
  ingot: Ingot,
  account_id: string,
  target: AnnexCTarget,
): Promise<Outcome<{ bars: number; fine_milli_oz: bigint }>> {
  const found = await findAccount(ingot.store.db, account_id);
  if (!found.ok) return found;
  const workbook =
    target.format === 'xlsx'
      ? new ExcelJS.stream.xlsx.WorkbookWriter({
          stream: target.stream,
          useStyles: false,
          useSharedStrings: false,
        })
      : null;
  const sheet = workbook?.addWorksheet(ANNEX_C_SHEET) ?? null;
  const header = [...ANNEX_C_COLUMNS];
  if (sheet) sheet.addRow(header).commit();
  else if (target.format === 'csv') await target.write(header.join(','));
  let bars = 0;
  let fine = 0n;
  for await (const row of barsWhere(ingot, { owner_account_id: account_id })) {
    const fields = annexCFields(toBarSpec(barView(row)));
    if (sheet) {
      const [metal = '', serial = '', brand = '', ...numbers] = fields;
      sheet.addRow([metal, serial, brand, ...numbers.map(cellNumber)]).commit();
    } else if (target.format === 'csv') await target.write(fields.map(quoteCsvField).join(','));
    bars += 1;
    fine += row.fine_milli_oz;
  }
  if (workbook) await workbook.commit();
  if (found.account.kind === 'custody') {
    assert(
      fine === found.account.balance,
      `${account_id}: bars sum to ${fine}, balance is ${found.account.balance}`,
    );
  }
  return { ok: true, bars, fine_milli_oz: fine };
}
