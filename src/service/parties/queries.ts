// The reads of parties, accounts, users and sessions that the server and the command line offer,
// and the few small writes of a session; SQL stays here, behind the application layer.

import type { Account } from '../../domain/ledger.ts';
import type { Outcome } from '../../domain/outcome.ts';
import type { SessionRow } from '../../store/schema.ts';
import type { Ingot } from '../kernel/context.ts';
import { findAccount } from './parties.ts';
import { hasUser } from './queries-users.ts';

/** A party as listed: its id, name and role. */
export interface PartyListing {
  readonly id: string;
  readonly name: string;
  readonly role: string;
}

/** Every party in id order, or only those named in `among`. */
export async function listParties(ingot: Ingot, among?: readonly string[]): Promise<PartyListing[]> {
  let query = ingot.store.db.selectFrom('parties').select(['id', 'name', 'role']).orderBy('id');
  if (among) query = query.where('id', 'in', [...among]);
  return query.execute();
}

/** A party's name, or undefined when no such party is registered. */
export async function partyName(ingot: Ingot, id: string): Promise<string | undefined> {
  const row = await ingot.store.db
    .selectFrom('parties')
    .select('name')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.name;
}

/** The party holding an account, or undefined when there is no such account. */
export async function accountHolder(
  ingot: Ingot,
  accountId: string,
): Promise<{ id: string; party_id: string } | undefined> {
  return ingot.store.db
    .selectFrom('accounts')
    .select(['id', 'party_id'])
    .where('id', '=', accountId)
    .executeTakeFirst();
}

/** One account and its balance, or account_not_found. */
export function accountById(
  ingot: Ingot,
  id: string,
  field = 'account',
): Promise<Outcome<{ account: Account }>> {
  return findAccount(ingot.store.db, id, field);
}

/** Whether a user of this id is registered. */
export async function userExists(ingot: Ingot, id: string): Promise<boolean> {
  return hasUser(ingot.store.db, id);
}

/** Whether any user has been cleared to open letters yet. */
export async function anyoneCleared(ingot: Ingot): Promise<boolean> {
  const row = await ingot.store.db.selectFrom('clearances').select('user_id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** An API token as its owner sees it: never the token, only its hash (the id is the hash's start). */
export type TokenListing = Pick<
  SessionRow,
  'token_hash' | 'label' | 'created_at' | 'expires_at' | 'revoked_at'
>;

/** A user's API tokens, oldest first. */
export async function apiTokensOf(ingot: Ingot, userId: string): Promise<TokenListing[]> {
  return ingot.store.db
    .selectFrom('sessions')
    .select(['token_hash', 'label', 'created_at', 'expires_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .where('kind', '=', 'api_token')
    .orderBy('created_at')
    .execute();
}

/** Revokes the user's live API token whose hash starts with `idPrefix`; false when none is. */
export async function revokeApiToken(ingot: Ingot, userId: string, idPrefix: string): Promise<boolean> {
  const now = ingot.now();
  const revoked = await ingot.store.write((tx) =>
    tx
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('kind', '=', 'api_token')
      .where('token_hash', 'like', `${idPrefix}%`)
      .where('revoked_at', 'is', null)
      .executeTakeFirst(),
  );
  return revoked.numUpdatedRows > 0n;
}
