// What custody's reference data reads and writes (reference.ts, fee-schedules.ts, approvals.ts): the
// acting users, the depository, representatives, signing rules and fee schedules. Each function runs
// on the executor it is given (the store's handle or a transaction), so it runs where its caller's
// statements run.
import type { PartyRow, ReferenceRow, UserRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** The tables of reference records, each a party's record kept as the domain's body. */
export type ReferenceTable = 'representatives' | 'signing_rules' | 'fee_schedules';

/** A user as stored, or undefined when none has that id. */
export function userRow(tx: Tx, id: string): Promise<UserRow | undefined> {
  return tx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A party's users as stored, in no particular order. */
export function usersOfParty(tx: Tx, partyId: string): Promise<UserRow[]> {
  return tx.selectFrom('users').selectAll().where('party_id', '=', partyId).execute();
}

/** The depository's party, if one is registered. */
export function depositoryParty(tx: Tx): Promise<Pick<PartyRow, 'id'> | undefined> {
  return tx.selectFrom('parties').select('id').where('role', '=', 'depository').executeTakeFirst();
}

/** A representative's stored body, if one of that id is registered. */
export function representativeBody(tx: Tx, id: string): Promise<Pick<ReferenceRow, 'body'> | undefined> {
  return tx.selectFrom('representatives').select('body').where('id', '=', id).executeTakeFirst();
}

/** The party whose reference record (representative, signing rule, fee schedule) holds an id. */
export function referenceHolder(
  tx: Tx,
  table: ReferenceTable,
  id: string,
): Promise<Pick<ReferenceRow, 'party_id'> | undefined> {
  return tx.selectFrom(table).select('party_id').where('id', '=', id).executeTakeFirst();
}

/** An account's stored signing rule, if one is set. */
export function signingRuleBody(tx: Tx, accountId: string): Promise<Pick<ReferenceRow, 'body'> | undefined> {
  return tx.selectFrom('signing_rules').select('body').where('id', '=', accountId).executeTakeFirst();
}

/** The active signatories of a party, in id order. */
export function activeSignatories(tx: Tx, partyId: string): Promise<Pick<UserRow, 'id'>[]> {
  return tx
    .selectFrom('users')
    .select('id')
    .where('party_id', '=', partyId)
    .where('role', '=', 'client_signatory')
    .where('active', '=', 1n)
    .orderBy('id')
    .execute();
}

/** A client's stored fee schedule, if one was agreed. */
export function feeScheduleBody(tx: Tx, partyId: string): Promise<Pick<ReferenceRow, 'body'> | undefined> {
  return tx.selectFrom('fee_schedules').select('body').where('id', '=', partyId).executeTakeFirst();
}

/** Writes a reference record, replacing the one of the same id. */
export async function upsertReference(tx: Tx, table: ReferenceTable, values: ReferenceRow): Promise<void> {
  await tx
    .insertInto(table)
    .values(values)
    .onConflict((c) => c.column('id').doUpdateSet(values))
    .execute();
}

/** The client banks (only `party` when given), in id order. */
export function clientParties(tx: Tx, party: string | undefined): Promise<Pick<PartyRow, 'id' | 'name'>[]> {
  let clients = tx.selectFrom('parties').select(['id', 'name']).where('role', '=', 'client').orderBy('id');
  if (party !== undefined) clients = clients.where('id', '=', party);
  return clients.execute();
}

/** The fee schedules agreed with the parties, in no particular order. */
export function feeSchedulesOf(
  tx: Tx,
  partyIds: readonly string[],
): Promise<Pick<ReferenceRow, 'id' | 'body' | 'made_by' | 'checked_by' | 'updated_at'>[]> {
  return tx
    .selectFrom('fee_schedules')
    .select(['id', 'body', 'made_by', 'checked_by', 'updated_at'])
    .where('id', 'in', partyIds)
    .execute();
}

/** The id of a client's agreed fee schedule, if one was agreed. */
export function feeScheduleAgreed(tx: Tx, partyId: string): Promise<Pick<ReferenceRow, 'id'> | undefined> {
  return tx.selectFrom('fee_schedules').select('id').where('id', '=', partyId).executeTakeFirst();
}

/** A user's name and role, if the user is one of the party's. */
export function userOfParty(
  tx: Tx,
  userId: string,
  partyId: string,
): Promise<Pick<UserRow, 'name' | 'role'> | undefined> {
  return tx
    .selectFrom('users')
    .select(['name', 'role'])
    .where('id', '=', userId)
    .where('party_id', '=', partyId)
    .executeTakeFirst();
}

/** The names of the users of the ids (not empty), in no particular order. */
export function userNames(tx: Tx, ids: readonly string[]): Promise<Pick<UserRow, 'id' | 'name'>[]> {
  return tx.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
}
