// Confidentiality is one rule: a classified thing (the bar list of an account or a trade, the
// statement of a metal account, a trade's confirmation and advices) is given, in whatever form it
// is asked for (JSON, CSV, PDF, a registered message, the command line), only to a user cleared
// for its classification. The server, the command line and the printer all ask `mayRead`.
import {
  type Classification,
  mayOpen,
  parseClassification,
} from '../../domain/correspondence/classification.ts';
import { type CorrespondenceOutcome, refuseCorrespondence } from '../../domain/correspondence/refusal.ts';
import { isDepositoryRole } from '../../domain/custody/controls.ts';
import { assert } from '../../domain/outcome.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { userRow } from '../parties/queries-users.ts';
import { toUser } from '../parties/users.ts';
import { clearanceLevel } from './queries-register.ts';

/** The things that are classified, whatever form they take, and the classification each carries. */
export const CLASSIFIED = {
  /** The bars of an account or of a trade: serials, refiners, weights, where they lie. */
  barlist: 'confidential',
  /** The statement of a metal (custody) account: its movements and its bar list. */
  statement: 'confidential',
  /** A trade's confirmation and its debit and credit advices. */
  confirmation: 'confidential',
  /**
   * The journal, whole: every metal account's movements (each account's statement) and memos that
   * name bars (a reweighing's): never classified below a statement or a bar list.
   */
  journal: 'confidential',
} as const satisfies Record<string, Classification>;

/** A classified thing. */
export type ClassifiedKind = keyof typeof CLASSIFIED;

assert(
  mayOpen(CLASSIFIED.journal, CLASSIFIED.statement) && mayOpen(CLASSIFIED.journal, CLASSIFIED.barlist),
  'the journal holds every statement and names bars: it is classified no lower than either',
);

/** What a reader does with a classified thing: reads it (JSON, CSV, a screen) or prints a copy. */
export type ReadAction = 'read' | 'print';

/** A user's clearance, or null; an inactive registered user has none. */
export async function clearanceOf(tx: Tx, userId: string): Promise<Classification | null> {
  const user = await userRow(tx, userId);
  if (user && user.active !== 1n) return null;
  const row = await clearanceLevel(tx, userId);
  return row ? parseClassification(row.level) : null;
}

/**
 * The party a named reader is limited to before any clearance is asked: a client bank's user sees
 * its own party's things only; the depository's staff, and a name no user has, are not limited.
 */
export async function readerParty(ingot: Ingot, userId: string): Promise<string | undefined> {
  const row = await userRow(ingot.store.db, userId);
  if (row === undefined) return undefined;
  const user = toUser(row);
  return isDepositoryRole(user.role) ? undefined : user.party_id;
}

/**
 * The check itself, once a clearance is known: refused as `not_cleared` (403), in the same words
 * for every form, naming only the user, its clearance and the classification: never the thing.
 */
export function checkClearance(
  user_id: string,
  clearance: Classification | null,
  classification: Classification,
  action: ReadAction,
): CorrespondenceOutcome<object> {
  if (mayOpen(clearance, classification)) return { ok: true };
  const held = clearance === null ? 'no clearance' : `clearance ${clearance}`;
  const message = `${user_id} (${held}) may not ${action} a document classified ${classification}`;
  return refuseCorrespondence('not_cleared', message, 'user');
}

/** What reading a classified thing asks: who, what, how; a copy may be classified above the thing. */
export interface ReadRequest {
  readonly user_id: string;
  readonly kind: ClassifiedKind;
  readonly action?: ReadAction;
  readonly classification?: Classification;
}

/** Whether a user may read (or print) a classified thing: the one check every form goes through. */
export async function mayRead(ingot: Ingot, request: ReadRequest): Promise<CorrespondenceOutcome<object>> {
  const classification = request.classification ?? CLASSIFIED[request.kind];
  assert(
    mayOpen(classification, CLASSIFIED[request.kind]),
    `a ${request.kind} is classified ${CLASSIFIED[request.kind]}, never below (asked ${classification})`,
  );
  const clearance = await clearanceOf(ingot.store.db, request.user_id);
  return checkClearance(request.user_id, clearance, classification, request.action ?? 'read');
}

/**
 * What an account's statement is: a metal account's is the classified statement (and carries
 * its bar list); a cash account's is not a classified document, and null says so.
 */
export function statementKind(account: { readonly kind: string }): ClassifiedKind | null {
  return account.kind === 'custody' ? 'statement' : null;
}
