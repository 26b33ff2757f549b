// The SQL of the books that the depository's messages are written from and applied to: parties'
// names, the bars an entry moved, trades, instructions and the entries they made, a bar by its
// number, an account's owner. Each function runs on the executor it is given, so a caller's
// transaction or snapshot stays the one it runs in.
import type { BarRow, InstructionRow, TradeRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** A party's name, if the party exists. */
export async function partyName(tx: Tx, id: string): Promise<string | undefined> {
  const row = await tx.selectFrom('parties').select('name').where('id', '=', id).executeTakeFirst();
  return row?.name;
}

/**
 * The bars some journal entries moved, in custody order: out of the source account or into the
 * target account, when one is named.
 */
export async function barsMovedBy(
  tx: Tx,
  entryIds: readonly bigint[],
  account: { source?: string; target?: string },
): Promise<BarRow[]> {
  let query = tx
    .selectFrom('bar_moves')
    .innerJoin('bars', 'bars.id', 'bar_moves.bar_id')
    .selectAll('bars')
    .where('bar_moves.entry_id', 'in', entryIds)
    .orderBy('bars.id');
  if (account.source) query = query.where('bar_moves.source_account_id', '=', account.source);
  if (account.target) query = query.where('bar_moves.target_account_id', '=', account.target);
  return query.execute();
}

/** The vault of some bar an account owns (the seller's stock behind an offer). */
export async function vaultOfStock(tx: Tx, accountId: string) {
  return tx.selectFrom('bars').select('vault').where('owner_account_id', '=', accountId).executeTakeFirst();
}

/** A trade's row, if it exists. */
export async function tradeById(tx: Tx, id: string): Promise<TradeRow | undefined> {
  return tx.selectFrom('trades').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An instruction's row, if it exists. */
export async function instructionById(tx: Tx, id: string): Promise<InstructionRow | undefined> {
  return tx.selectFrom('instructions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The journal entries an instruction's steps made, with their value dates, in order. */
export async function entriesOfInstruction(tx: Tx, instructionId: string) {
  return tx
    .selectFrom('instruction_steps')
    .innerJoin('entries', 'entries.id', 'instruction_steps.entry_id')
    .select(['entries.id', 'entries.value_date'])
    .where('instruction_steps.instruction_id', '=', instructionId)
    .orderBy('entries.id')
    .execute();
}

/** The trade each of these journal entries belongs to, if any. */
export async function tradesOfEntries(tx: Tx, entryIds: readonly bigint[]) {
  return tx.selectFrom('entries').select(['id', 'trade_id']).where('id', 'in', entryIds).execute();
}

/** The instruction steps that made these journal entries. */
export async function instructionStepsOfEntries(tx: Tx, entryIds: readonly bigint[]) {
  return tx
    .selectFrom('instruction_steps')
    .select(['entry_id', 'instruction_id'])
    .where('entry_id', 'in', entryIds)
    .execute();
}

/** A bar in the books by its refiner and serial number: its id, fine weight and year. */
export async function barByNumber(tx: Tx, bar: { refiner: string; serial: string }) {
  return tx
    .selectFrom('bars')
    .select(['id', 'fine_milli_oz', 'year'])
    .where('refiner', '=', bar.refiner)
    .where('serial', '=', bar.serial)
    .executeTakeFirst();
}

/** The party an account belongs to, if the account exists. */
export async function accountOwner(tx: Tx, accountId: string) {
  return tx.selectFrom('accounts').select('party_id').where('id', '=', accountId).executeTakeFirst();
}
