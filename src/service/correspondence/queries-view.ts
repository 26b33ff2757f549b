// The SQL of a client bank's own view of its gold: the bars its advices credited and debited and
// its bar lists weighed, and the entries the advices made on its accounts. Each function runs on
// the executor it is given, so a caller's transaction stays the one it runs in.
import type { ViewBarRow, ViewEntryRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** A bar by its refiner and serial number. */
interface BarNumber {
  readonly refiner: string;
  readonly serial: string;
}

/** Every bar held in the view (not debited), in any account. */
export async function heldViewBars(tx: Tx): Promise<ViewBarRow[]> {
  return tx.selectFrom('view_bars').selectAll().where('debited_by', 'is', null).execute();
}

/** The bars held in an account of the view, in the order they were credited. */
export async function heldViewBarsOf(db: Tx, accountId: string): Promise<ViewBarRow[]> {
  return db
    .selectFrom('view_bars')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('debited_by', 'is', null)
    .orderBy('id')
    .execute();
}

/** The fine weights (null: not weighed yet) of the bars held in an account of the view. */
export async function heldFineWeightsOf(tx: Tx, accountId: string) {
  return tx
    .selectFrom('view_bars')
    .select(['fine_milli_oz'])
    .where('account_id', '=', accountId)
    .where('debited_by', 'is', null)
    .execute();
}

/** A bar held in the view: its account and fine weight, if it is held. */
export async function heldViewBar(db: Tx, bar: BarNumber) {
  return db
    .selectFrom('view_bars')
    .select(['fine_milli_oz', 'account_id'])
    .where('refiner', '=', bar.refiner)
    .where('serial', '=', bar.serial)
    .where('debited_by', 'is', null)
    .executeTakeFirst();
}

/** Credits bars to the view. */
export async function recordViewBars(tx: Tx, bars: readonly ViewBarRow[]): Promise<void> {
  await tx.insertInto('view_bars').values(bars).execute();
}

/** Debits a bar held in the view by an advice, on its value date. */
export async function debitViewBar(
  tx: Tx,
  bar: BarNumber,
  debit: { debited_by: bigint; debited_on: string },
): Promise<void> {
  await tx
    .updateTable('view_bars')
    .set(debit)
    .where('refiner', '=', bar.refiner)
    .where('serial', '=', bar.serial)
    .where('debited_by', 'is', null)
    .execute();
}

/** Weighs a bar held in the view, as a bar list states it. */
export async function weighViewBar(
  tx: Tx,
  bar: BarNumber & { gross_milli_oz: bigint; fineness: bigint; fine_milli_oz: bigint },
): Promise<void> {
  await tx
    .updateTable('view_bars')
    .set({ gross_milli_oz: bar.gross_milli_oz, fineness: bar.fineness, fine_milli_oz: bar.fine_milli_oz })
    .where('refiner', '=', bar.refiner)
    .where('serial', '=', bar.serial)
    .where('debited_by', 'is', null)
    .execute();
}

/** Writes an advice's entry on an account of the view. */
export async function recordViewEntry(tx: Tx, entry: ViewEntryRow): Promise<void> {
  await tx.insertInto('view_entries').values(entry).execute();
}

/** The marks (C or D) and fine weights of an account's entries, up to a value date if given. */
export async function viewEntriesOf(tx: Tx, accountId: string, upTo?: string) {
  let query = tx
    .selectFrom('view_entries')
    .select(['mark', 'fine_milli_oz'])
    .where('account_id', '=', accountId);
  if (upTo !== undefined) query = query.where('value_date', '<=', upTo);
  return query.execute();
}

/** The accounts the view has entries on, by id; or the one asked for, if it has any. */
export async function viewAccountIds(db: Tx, accountId?: string) {
  let query = db.selectFrom('view_entries').select('account_id').distinct().orderBy('account_id');
  if (accountId !== undefined) query = query.where('account_id', '=', accountId);
  return query.execute();
}
