// Who may call what over HTTP. Each route names one action; the roles allowed each action come
// from the controls table (src/domain/custody/controls.ts) where it has the action, and are stated
// here for the sale's own steps. What a user sees is narrowed to its party by `canSee`; a classified
// thing (a bar list, a metal account's statement, a trade's confirmation) is then given, in every
// form, only to a user cleared for it (`readable…`, through service/correspondence/clearance.ts).

import {
  canSee,
  isDepositoryRole,
  PERMISSIONS,
  ROLES,
  type Role,
  type User,
} from '../domain/custody/controls.ts';
import { type Refusal, refuse } from '../domain/outcome.ts';
import { type ClassifiedKind, mayRead, statementKind } from '../service/correspondence/clearance.ts';
import type { Ingot } from '../service/kernel/context.ts';
import { accountById, accountHolder } from '../service/parties/queries.ts';
import { depositoryPartyId } from '../service/parties/users.ts';
import { tradeParties } from '../service/trading/queries.ts';

const OPERATORS: readonly Role[] = ['depository_operator', 'depository_supervisor'];
const SIGNATORIES: readonly Role[] = ['client_signatory'];

/** What a user may ask of the API; each route declares exactly one. */
export const HTTP_PERMISSIONS = {
  /** Read what the user's party may see (the depository's staff see everything). */
  read: ROLES,
  /** Read the whole journal, verify the books, reconcile a count. */
  read_books: PERMISSIONS.view_journal.makers,
  verify_books: PERMISSIONS.verify_journal.makers,
  /** Read the server's metrics (also with the metrics token): the depository's staff. */
  read_metrics: ['depository_operator', 'depository_supervisor', 'auditor'],
  /** Register parties and open accounts: reference data, kept by the depository. */
  keep_reference_data: OPERATORS,
  /** Propose a change of one's own bank's users (register, change a role, disable), end sessions. */
  administer_users: PERMISSIONS.register_user.makers,
  record_fixing: PERMISSIONS.record_fixing.makers,
  /** Money paid in and out, bars received into the vault: the depository books them. */
  move_cash: OPERATORS,
  receive_bars: OPERATORS,
  make_offer: OPERATORS,
  /** Accepting an offer commits the client's money: its signatories only. */
  accept_offer: SIGNATORIES,
  allocate_trade: OPERATORS,
  settle_trade: OPERATORS,
  cancel_trade: OPERATORS,
  /** A second user approves what waits for four eyes; the service checks the role fits the step. */
  approve: [...new Set(Object.values(PERMISSIONS).flatMap((p) => p.checkers))],
  /** The maker withdraws, or a checker declines, what waits for four eyes. */
  decline: [
    ...new Set(
      Object.values(PERMISSIONS).flatMap((p) => (p.checkers.length ? [...p.makers, ...p.checkers] : [])),
    ),
  ],
  /** Custody at the client's disposal: each instruction step is the controls table's action. */
  draft_instruction: PERMISSIONS.draft_instruction.makers,
  sign_instruction: PERMISSIONS.sign_instruction.makers,
  cancel_instruction: PERMISSIONS.cancel_instruction.makers,
  accept_quote: PERMISSIONS.accept_quote.makers,
  decline_quote: PERMISSIONS.decline_quote.makers,
  accept_instruction: PERMISSIONS.accept_instruction.makers,
  reject_instruction: PERMISSIONS.reject_instruction.makers,
  execute_instruction: PERMISSIONS.execute_instruction.makers,
  fail_instruction: PERMISSIONS.fail_instruction.makers,
  quote_shipment: PERMISSIONS.quote_shipment.makers,
  dispatch_shipment: PERMISSIONS.dispatch_shipment.makers,
  confirm_delivery: PERMISSIONS.confirm_delivery.makers,
  report_return: PERMISSIONS.report_return.makers,
  add_remark: PERMISSIONS.add_remark.makers,
  register_representative: PERMISSIONS.register_representative.makers,
  revoke_representative: PERMISSIONS.revoke_representative.makers,
  set_signing_rule: PERMISSIONS.set_signing_rule.makers,
  set_fee_schedule: PERMISSIONS.set_fee_schedule.makers,
  reweigh_bar: PERMISSIONS.reweigh_bar.makers,
  export_journal: PERMISSIONS.export_journal.makers,
  /** A client bank's treasury is its own planning data: its signatories keep it. */
  keep_treasury: SIGNATORIES,
  /** A letter to a correspondent: the depository's operators and supervisors, a client's signatories. */
  send_letter: [...OPERATORS, ...SIGNATORIES],
  /** Every signed-in user manages its own API tokens. */
  own_tokens: ROLES,
} as const satisfies Record<string, readonly Role[]>;

export type HttpAction = keyof typeof HTTP_PERMISSIONS;

/** True when the role may perform the action. */
export function mayPerform(role: Role, action: HttpAction): boolean {
  return (HTTP_PERMISSIONS[action] as readonly Role[]).includes(role);
}

/** The depository party, found once it exists (a fresh store may register it later). */
export function depositoryLookup(ingot: Ingot): () => Promise<string> {
  let known: string | undefined;
  return async () => {
    known ??= await depositoryPartyId(ingot);
    return known ?? '';
  };
}

/** The party whose data a user is limited to, or undefined for the depository's staff. */
export function partyScope(user: User): string | undefined {
  return isDepositoryRole(user.role) ? undefined : user.party_id;
}

/** The same refusal whether the object does not exist or the user may not see it. */
export function notVisible(
  code: 'account_not_found' | 'offer_not_found' | 'trade_not_found' | 'party_not_found',
  what: string,
  id: string,
  field: string,
): Refusal {
  return refuse(code, `no ${what} ${id} is visible to you`, field);
}

/** Checks that the user may see an account; refuses as not found otherwise. */
export async function visibleAccount(
  ingot: Ingot,
  user: User,
  depository: string,
  accountId: string,
  field = 'account',
): Promise<Refusal | undefined> {
  const row = await accountHolder(ingot, accountId);
  if (row && canSee(user, row, depository)) return undefined;
  return notVisible('account_not_found', 'account', accountId, field);
}

/** True when the user may see an offer: the depository's staff, or the offer's buyer or seller. */
export function seesOffer(user: User, offer: { seller_party_id: string; buyer_party_id: string }): boolean {
  const scope = partyScope(user);
  return scope === undefined || offer.buyer_party_id === scope || offer.seller_party_id === scope;
}

/** Checks that the user may see a trade (through its offer); refuses as not found otherwise. */
export async function visibleTrade(ingot: Ingot, user: User, tradeId: string): Promise<Refusal | undefined> {
  const row = await tradeParties(ingot, tradeId);
  if (row && seesOffer(user, row)) return undefined;
  return notVisible('trade_not_found', 'trade', tradeId, 'trade');
}

/** A refusal of any feature, as the HTTP edge sends it. */
type AnyRefusal = Refusal<string>;

/** Refuses a user not cleared for a classified thing (403 not_cleared), in every form alike. */
export async function uncleared(
  ingot: Ingot,
  user: User,
  kind: ClassifiedKind,
): Promise<AnyRefusal | undefined> {
  const cleared = await mayRead(ingot, { user_id: user.id, kind });
  return cleared.ok ? undefined : cleared;
}

/**
 * Checks that the user may read an account's bar list or statement: not visible is answered as
 * not found (exactly as if it did not exist), then not cleared as refused; a cash account's
 * statement is not classified.
 */
export async function readableAccount(
  ingot: Ingot,
  user: User,
  depository: string,
  request: { readonly account_id: string; readonly kind: 'barlist' | 'statement' },
): Promise<AnyRefusal | undefined> {
  const hidden = await visibleAccount(ingot, user, depository, request.account_id, 'id');
  if (hidden) return hidden;
  if (request.kind === 'barlist') return uncleared(ingot, user, 'barlist');
  const found = await accountById(ingot, request.account_id, 'id');
  if (!found.ok) return found;
  const kind = statementKind(found.account);
  return kind === null ? undefined : uncleared(ingot, user, kind);
}

/** Checks that the user may read a trade's bars: not visible as not found, then the clearance. */
export async function readableTradeBars(
  ingot: Ingot,
  user: User,
  tradeId: string,
): Promise<AnyRefusal | undefined> {
  return (await visibleTrade(ingot, user, tradeId)) ?? uncleared(ingot, user, 'barlist');
}
