// Users and their sessions as stored: looked up, listed, registered, changed, enrolled, signed in
// and out. Each function runs on the executor it is given (the store's handle or a transaction),
// so it runs where its caller's statements run.
import type { Insertable } from 'kysely';
import type { SessionRow, UserRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** Whether a user of this id is registered. */
export async function hasUser(db: Tx, id: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/** One user as stored (its password hash included), or undefined. */
export function userRow(db: Tx, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The party of a user, or undefined when there is no such user. */
export function partyOfUser(db: Tx, id: string): Promise<{ party_id: string } | undefined> {
  return db.selectFrom('users').select('party_id').where('id', '=', id).executeTakeFirst();
}

/** Whether any user of a party has enrolled (set its own password). */
export async function partyHasEnrolledUser(db: Tx, party_id: string): Promise<boolean> {
  const enrolled = await db
    .selectFrom('users')
    .select('id')
    .where('party_id', '=', party_id)
    .where('enrolled_at', 'is not', null)
    .executeTakeFirst();
  return enrolled !== undefined;
}

/** How many active users of a party hold one of `roles`, enrolled or not. */
export async function activeUsersIn(db: Tx, party_id: string, roles: readonly string[]): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<bigint | number>().as('n'))
    .where('party_id', '=', party_id)
    .where('active', '=', 1n)
    .where('role', 'in', roles.length > 0 ? [...roles] : [''])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every user as stored, by party then id, optionally of one party. */
export function userRows(db: Tx, party_id?: string): Promise<UserRow[]> {
  let query = db.selectFrom('users').selectAll().orderBy('party_id').orderBy('id');
  if (party_id) query = query.where('party_id', '=', party_id);
  return query.execute();
}

/** Registers a user. */
export async function recordUser(tx: Tx, user: Insertable<UserRow>): Promise<void> {
  await tx.insertInto('users').values(user).execute();
}

/** Gives a user another role. */
export async function recordUserRole(tx: Tx, user_id: string, role: string): Promise<void> {
  await tx.updateTable('users').set({ role }).where('id', '=', user_id).execute();
}

/** Disables a user as of `now`. */
export async function recordUserDisabled(tx: Tx, user_id: string, now: string): Promise<void> {
  await tx.updateTable('users').set({ active: 0n, disabled_at: now }).where('id', '=', user_id).execute();
}

/** A user enrolled: its own password set, its enrolment secret used up. */
export async function recordEnrolment(
  tx: Tx,
  user_id: string,
  password_hash: string,
  enrolled_at: string,
): Promise<void> {
  await tx
    .updateTable('users')
    .set({ password_hash, enrolled_at, enrolment_hash: null, enrolment_expires_at: null })
    .where('id', '=', user_id)
    .execute();
}

/** Records a session or an API token (by its hash). */
export async function recordSession(tx: Tx, session: SessionRow): Promise<void> {
  await tx.insertInto('sessions').values(session).execute();
}

/** The user a token's hash belongs to, with the token's expiry and revocation, or undefined. */
export function userOfTokenHash(
  db: Tx,
  token_hash: string,
): Promise<(UserRow & Pick<SessionRow, 'expires_at' | 'revoked_at'>) | undefined> {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.expires_at', 'sessions.revoked_at'])
    .where('sessions.token_hash', '=', token_hash)
    .executeTakeFirst();
}

/** Revokes the session or token of this hash as of `now`. */
export async function revokeSession(tx: Tx, token_hash: string, now: string): Promise<void> {
  await tx.updateTable('sessions').set({ revoked_at: now }).where('token_hash', '=', token_hash).execute();
}

/** Revokes every live session and token of a user as of `now`; how many were live. */
export async function revokeSessionsOf(tx: Tx, user_id: string, now: string): Promise<number> {
  const ended = await tx
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', user_id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(ended.numUpdatedRows);
}
