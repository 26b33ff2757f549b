// A named reader of a bar list, a statement or the documents of a trade, as the command line asks
// with `--user`: checked before anything is read, by the rules the server applies. A registered
// user of a client bank sees only its own party's accounts (another's is answered exactly as one
// that does not exist); then every reader must be cleared for the thing (clearance.ts).
import { canSee, isDepositoryRole } from '../../domain/custody/controls.ts';
import { type Outcome, refuse } from '../../domain/outcome.ts';
import { type ClassifiedKind, mayRead, statementKind } from '../correspondence/clearance.ts';
import type { Ingot } from '../kernel/context.ts';
import { accountById } from '../parties/queries.ts';
import { depositoryPartyId, toUser } from '../parties/users.ts';
import { userById } from './queries.ts';

/** What a reader asks for: a classified kind of thing, of one account when it names one. */
export interface ReaderRequest {
  readonly user_id: string;
  readonly kind: ClassifiedKind;
  readonly account_id?: string;
}

/** A reader allowed: the party it is limited to (undefined: the depository's staff, or unregistered). */
export type ReaderOutcome = Outcome<{ readonly party_id: string | undefined }, string>;

/** The registered user of an id, if any. */
async function registered(ingot: Ingot, id: string) {
  const row = await userById(ingot.store.db, id);
  return row === undefined ? undefined : toUser(row);
}

/**
 * Checks a named reader: the account (when one is named) visible to its party, then its clearance
 * for the thing; a cash account's statement is not classified and needs none.
 */
export async function checkReader(ingot: Ingot, request: ReaderRequest): Promise<ReaderOutcome> {
  const user = await registered(ingot, request.user_id);
  const party_id = user === undefined || isDepositoryRole(user.role) ? undefined : user.party_id;
  let kind: ClassifiedKind | null = request.kind;
  if (request.account_id !== undefined) {
    const id = request.account_id;
    const found = await accountById(ingot, id, 'account');
    const depository = (await depositoryPartyId(ingot)) ?? '';
    const hidden = user !== undefined && found.ok && !canSee(user, found.account, depository);
    if (!found.ok || hidden)
      return refuse('account_not_found', `no account ${id} is visible to you`, 'account');
    if (request.kind === 'statement') kind = statementKind(found.account);
  }
  if (kind === null) return { ok: true, party_id };
  const cleared = await mayRead(ingot, { user_id: request.user_id, kind });
  return cleared.ok ? { ok: true, party_id } : cleared;
}
