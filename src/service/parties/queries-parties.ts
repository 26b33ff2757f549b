// Parties and their accounts as stored: looked up, listed and recorded. Each function runs on the
// executor it is given (the store's handle or a transaction), so it runs where its caller's
// statements run.
import type { AccountRow, PartyRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** Whether a party of this id is registered. */
export async function partyExists(db: Tx, id: string): Promise<boolean> {
  const row = await db.selectFrom('parties').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/** The id of the party whose role is depository, if one is registered. */
export async function depositoryId(db: Tx): Promise<string | undefined> {
  const row = await db.selectFrom('parties').select('id').where('role', '=', 'depository').executeTakeFirst();
  return row?.id;
}

/** The party registered as the depository (its id and name), if one is. */
export async function depositoryNamed(db: Tx): Promise<{ id: string; name: string } | undefined> {
  return db
    .selectFrom('parties')
    .select(['id', 'name'])
    .where('role', '=', 'depository')
    .orderBy('id')
    .executeTakeFirst();
}

/** Records a party. */
export async function recordParty(tx: Tx, party: PartyRow): Promise<void> {
  await tx.insertInto('parties').values(party).execute();
}

/** Records a party unless one of its id is already registered. */
export async function recordPartyOnce(tx: Tx, party: PartyRow): Promise<void> {
  await tx
    .insertInto('parties')
    .values(party)
    .onConflict((c) => c.column('id').doNothing())
    .execute();
}

/** Whether an account of this id is open. */
export async function accountExists(db: Tx, id: string): Promise<boolean> {
  const row = await db.selectFrom('accounts').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/** Records an account with a balance of nothing. */
export async function recordAccount(tx: Tx, account: Omit<AccountRow, 'balance'>): Promise<void> {
  await tx
    .insertInto('accounts')
    .values({ ...account, balance: 0n })
    .execute();
}

/** One account as stored, or undefined. */
export function accountRow(db: Tx, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every account as stored, by party then id, optionally of one party. */
export function accountRows(db: Tx, party_id?: string): Promise<AccountRow[]> {
  let query = db.selectFrom('accounts').selectAll().orderBy('party_id').orderBy('id');
  if (party_id) query = query.where('party_id', '=', party_id);
  return query.execute();
}
