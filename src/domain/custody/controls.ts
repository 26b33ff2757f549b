// Who may do what: users and roles, four eyes on every step that moves value or changes reference
// data, and visibility (a party sees only its own accounts). Signing rules are in signing.ts.
import { type CustodyOutcome, refuseCustody } from './refusal.ts';

/** The roles a user may hold; each user holds exactly one, which keeps duties segregated. */
export const ROLES = [
  'depository_operator',
  'depository_supervisor',
  'client_signatory',
  'client_viewer',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles held only by users of the depository; the rest are held only by users of a client. */
export const DEPOSITORY_ROLES: readonly Role[] = ['depository_operator', 'depository_supervisor', 'auditor'];

/** A person who uses Ingot, belonging to one party (the depository or a client). */
export interface User {
  readonly id: string;
  readonly name: string;
  readonly party_id: string;
  readonly role: Role;
  readonly active: boolean;
}

/** Everything a user may ask of Ingot that the controls decide on. */
export const ACTIONS = [
  'draft_instruction',
  'sign_instruction',
  'cancel_instruction',
  'accept_quote',
  'decline_quote',
  'accept_instruction',
  'reject_instruction',
  'execute_instruction',
  'fail_instruction',
  'quote_shipment',
  'dispatch_shipment',
  'confirm_delivery',
  'report_return',
  'add_remark',
  'record_fixing',
  'register_representative',
  'revoke_representative',
  'set_signing_rule',
  'register_user',
  'change_user_role',
  'disable_user',
  'set_fee_schedule',
  'reweigh_bar',
  'view_account',
  'view_journal',
  'export_journal',
  'verify_journal',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Who may make an action and, when a second user must approve it (four eyes), who may check it. */
export interface Permission {
  readonly makers: readonly Role[];
  /** Empty: one user suffices. Otherwise a second, different user of one of these roles must approve. */
  readonly checkers: readonly Role[];
}

const OPERATORS: readonly Role[] = ['depository_operator', 'depository_supervisor'];
const SUPERVISORS: readonly Role[] = ['depository_supervisor'];
const SIGNATORIES: readonly Role[] = ['client_signatory'];
const READERS: readonly Role[] = ['depository_operator', 'depository_supervisor', 'auditor'];
const ONE_USER: readonly Role[] = [];

/**
 * The permission table. Four eyes (a non-empty checker list) on every depository step that moves
 * gold or money and on every change of reference data. A client's own steps that move value
 * (signing an instruction, accepting a quote) are guarded by its signing rule instead.
 */
export const PERMISSIONS: Readonly<Record<Action, Permission>> = {
  draft_instruction: { makers: SIGNATORIES, checkers: ONE_USER },
  sign_instruction: { makers: SIGNATORIES, checkers: ONE_USER },
  cancel_instruction: { makers: SIGNATORIES, checkers: ONE_USER },
  accept_quote: { makers: SIGNATORIES, checkers: ONE_USER },
  decline_quote: { makers: SIGNATORIES, checkers: ONE_USER },
  accept_instruction: { makers: OPERATORS, checkers: ONE_USER },
  reject_instruction: { makers: OPERATORS, checkers: ONE_USER },
  execute_instruction: { makers: OPERATORS, checkers: SUPERVISORS },
  fail_instruction: { makers: OPERATORS, checkers: ONE_USER },
  quote_shipment: { makers: OPERATORS, checkers: SUPERVISORS },
  dispatch_shipment: { makers: OPERATORS, checkers: SUPERVISORS },
  confirm_delivery: { makers: OPERATORS, checkers: SUPERVISORS },
  report_return: { makers: OPERATORS, checkers: SUPERVISORS },
  add_remark: { makers: [...SIGNATORIES, ...OPERATORS], checkers: ONE_USER },
  record_fixing: { makers: OPERATORS, checkers: SUPERVISORS },
  register_representative: { makers: SIGNATORIES, checkers: SIGNATORIES },
  revoke_representative: { makers: SIGNATORIES, checkers: SIGNATORIES },
  // Who signs for a client's account is the client's own business: one signatory proposes the
  // rule, a second of the same bank approves it, and the depository has no part in it.
  set_signing_rule: { makers: SIGNATORIES, checkers: SIGNATORIES },
  // Each bank administers its own users (user-admin.ts decides whose): the table says which roles.
  register_user: { makers: [...OPERATORS, ...SIGNATORIES], checkers: [...SUPERVISORS, ...SIGNATORIES] },
  change_user_role: { makers: [...OPERATORS, ...SIGNATORIES], checkers: [...SUPERVISORS, ...SIGNATORIES] },
  disable_user: { makers: [...OPERATORS, ...SIGNATORIES], checkers: [...SUPERVISORS, ...SIGNATORIES] },
  set_fee_schedule: { makers: OPERATORS, checkers: SUPERVISORS },
  // A bar's weights are what its owner holds: reweighing one moves gold in the books.
  reweigh_bar: { makers: OPERATORS, checkers: SUPERVISORS },
  view_account: { makers: ROLES, checkers: ONE_USER },
  view_journal: { makers: READERS, checkers: ONE_USER },
  export_journal: { makers: READERS, checkers: ONE_USER },
  verify_journal: { makers: READERS, checkers: ONE_USER },
};

/** True when the action needs a second user's approval. */
export function needsFourEyes(action: Action): boolean {
  return PERMISSIONS[action].checkers.length > 0;
}

/** True for roles held by the depository's own staff. */
export function isDepositoryRole(role: Role): boolean {
  return DEPOSITORY_ROLES.includes(role);
}

/** Where an action applies: the depository, and the party whose account or data it touches. */
export interface Scope {
  readonly depository_party_id: string;
  readonly owner_party_id: string;
}

/** The user who makes a step and, for four eyes, the different user who checks it. */
export interface Actors {
  readonly maker: User;
  readonly checker?: User | undefined;
}

/** Checks a user before it is registered: a depository role for depository staff only, and so on. */
export function checkUser(user: User, depository_party_id: string): CustodyOutcome<object> {
  if (user.id.trim() === '') return refuseCustody('invalid_input', 'a user needs an id', 'id');
  if (user.name.trim() === '') return refuseCustody('invalid_input', `user ${user.id} needs a name`, 'name');
  return checkRoleFitsParty(user, depository_party_id);
}

function checkRoleFitsParty(user: User, depository_party_id: string): CustodyOutcome<object> {
  const ofDepository = user.party_id === depository_party_id;
  if (isDepositoryRole(user.role) !== ofDepository) {
    return refuseCustody(
      'role_not_for_party',
      `user ${user.id} of ${user.party_id} cannot hold the role ${user.role}`,
      'role',
    );
  }
  return { ok: true };
}

type Capacity = 'maker' | 'checker';

/** Checks one user acting as maker or checker of an action on a scope. */
function checkActor(action: Action, user: User, capacity: Capacity, scope: Scope): CustodyOutcome<object> {
  if (!user.active) return refuseCustody('user_not_active', `user ${user.id} is not active`, capacity);
  const fits = checkRoleFitsParty(user, scope.depository_party_id);
  if (!fits.ok) return { ...fits, field: capacity };
  if (!isDepositoryRole(user.role) && user.party_id !== scope.owner_party_id) {
    return refuseCustody(
      'user_acts_for_another_party',
      `user ${user.id} of ${user.party_id} may not act for ${scope.owner_party_id}`,
      capacity,
    );
  }
  const permission = PERMISSIONS[action];
  const doing = action.replaceAll('_', ' ');
  if (capacity === 'maker' && !permission.makers.includes(user.role)) {
    return refuseCustody('role_may_not_perform_action', `a ${user.role} may not ${doing}`, capacity);
  }
  if (capacity === 'checker' && !permission.checkers.includes(user.role)) {
    return refuseCustody('role_may_not_approve_action', `a ${user.role} may not approve ${doing}`, capacity);
  }
  return { ok: true };
}

/** Checks the maker alone: enough to record a step that a checker will approve later. */
export function authorizeMaker(action: Action, maker: User, scope: Scope): CustodyOutcome<object> {
  return checkActor(action, maker, 'maker', scope);
}

/**
 * Checks a user who would approve (or decline) an action on a scope, before the maker is looked at:
 * active, of a role fitting its party, acting for its own bank, and of a role that checks it.
 */
export function authorizeChecker(action: Action, checker: User, scope: Scope): CustodyOutcome<object> {
  if (!needsFourEyes(action)) {
    const doing = action.replaceAll('_', ' ');
    return refuseCustody(
      'role_may_not_approve_action',
      `${doing} is not approved by a second user`,
      'checker',
    );
  }
  return checkActor(action, checker, 'checker', scope);
}

/**
 * Checks an action's maker and checker against the permission table, in order: the maker, then,
 * for four eyes, that a checker is there, is not the maker, and may approve.
 */
export function authorize(action: Action, actors: Actors, scope: Scope): CustodyOutcome<object> {
  const maker = checkActor(action, actors.maker, 'maker', scope);
  if (!maker.ok) return maker;
  if (!needsFourEyes(action)) return { ok: true };
  const checker = actors.checker;
  if (checker === undefined) {
    return refuseCustody(
      'second_user_approval_required',
      `${action.replaceAll('_', ' ')} needs a second user's approval`,
      'checker',
    );
  }
  if (checker.id === actors.maker.id) {
    return refuseCustody('checker_is_maker', `user ${checker.id} may not approve its own step`, 'checker');
  }
  return checkActor(action, checker, 'checker', scope);
}

/** The account fields visibility depends on. */
export interface OwnedAccount {
  readonly id: string;
  readonly party_id: string;
}

/**
 * True when the user may see the account: the depository's staff see every account, anyone else
 * only its own party's (a third party, only the disposal accounts opened for it).
 */
export function canSee(user: User, account: OwnedAccount, depository_party_id: string): boolean {
  if (user.party_id === depository_party_id) return isDepositoryRole(user.role);
  return !isDepositoryRole(user.role) && account.party_id === user.party_id;
}

/** Refuses an account the user's party may not see. */
export function checkVisibility(
  user: User,
  account: OwnedAccount,
  depository_party_id: string,
): CustodyOutcome<object> {
  if (canSee(user, account, depository_party_id)) return { ok: true };
  return refuseCustody(
    'account_not_visible_to_party',
    `account ${account.id} is not visible to ${user.party_id}`,
    'account',
  );
}

/** The accounts a user may see, in the order given. */
export function visibleAccounts<A extends OwnedAccount>(
  user: User,
  accounts: readonly A[],
  depository_party_id: string,
): A[] {
  return accounts.filter((account) => canSee(user, account, depository_party_id));
}
