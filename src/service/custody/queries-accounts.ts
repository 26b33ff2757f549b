// What the accounts checkers and signatories approve are composed from (accounts.ts), and the owner
// of an account that proposals check (approvals.ts): parties, accounts, balances and bars, as the
// books give them now. Each function runs on the executor it is given (the store's handle or a
// transaction), so it runs where its caller's statements run.
import type { AccountRow, BarRow, PartyRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** The party holding an account, or undefined when there is no account of that id. */
export function accountOwner(tx: Tx, id: string): Promise<Pick<AccountRow, 'party_id'> | undefined> {
  return tx.selectFrom('accounts').select('party_id').where('id', '=', id).executeTakeFirst();
}

/** A party's id and name, or undefined when there is no party of that id. */
export function partyName(tx: Tx, id: string): Promise<Pick<PartyRow, 'id' | 'name'> | undefined> {
  return tx.selectFrom('parties').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

/** The accounts of the ids (not empty) with their party, kind and unit, in no particular order. */
export function accountsNamed(
  tx: Tx,
  ids: readonly string[],
): Promise<Pick<AccountRow, 'id' | 'party_id' | 'kind' | 'unit'>[]> {
  return tx
    .selectFrom('accounts')
    .select(['id', 'party_id', 'kind', 'unit'])
    .where('id', 'in', ids)
    .execute();
}

/** A party's first cash account in a currency (by id), with its balance, if it has one. */
export function cashAccountIn(
  tx: Tx,
  partyId: string,
  currency: string,
): Promise<Pick<AccountRow, 'id' | 'balance'> | undefined> {
  return tx
    .selectFrom('accounts')
    .select(['id', 'balance'])
    .where('party_id', '=', partyId)
    .where('kind', '=', 'cash')
    .where('unit', '=', currency)
    .orderBy('id')
    .executeTakeFirst();
}

/** The balances of those of the accounts that hold gold, in no particular order. */
export function goldAccountBalances(
  tx: Tx,
  ids: readonly string[],
): Promise<Pick<AccountRow, 'id' | 'balance'>[]> {
  return tx
    .selectFrom('accounts')
    .select(['id', 'balance'])
    .where('id', 'in', ids)
    .where('unit', '=', 'XAU')
    .execute();
}

/** What an account names of a bar: its id, mark, serial and fine weight. */
export type NamedBar = Pick<BarRow, 'id' | 'refiner' | 'serial' | 'fine_milli_oz'>;

const NAMED_BAR = ['bars.id', 'bars.refiner', 'bars.serial', 'bars.fine_milli_oz'] as const;

/** The bars of the ids (a chunk of at most 1000) as an account names them, in no particular order. */
export function barsNamedIn(tx: Tx, ids: readonly bigint[]): Promise<NamedBar[]> {
  return tx.selectFrom('bars').select(NAMED_BAR).where('id', 'in', ids).execute();
}

/** The bars recorded as an instruction's (reserved for it or moved by it), in id order. */
export function barsNamedOfInstruction(tx: Tx, instructionId: string): Promise<NamedBar[]> {
  return tx
    .selectFrom('instruction_bars')
    .innerJoin('bars', 'bars.id', 'instruction_bars.bar_id')
    .select(NAMED_BAR)
    .where('instruction_bars.instruction_id', '=', instructionId)
    .orderBy('bars.id')
    .execute();
}
