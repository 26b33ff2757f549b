// Users under four eyes, each bank master of its own people. Registering a user, changing its role
// or disabling it is proposed by one user and approved by a second, both of the user's own bank:
// the depository administers its staff, a client bank its signatories and viewers. The depository
// registers only a client's first administrators (its signatories), at onboarding, until the first
// of them enrols, and none of them enrols before two are registered, so that the client always has
// a second administrator to approve a change; from then on no depository user can create, change
// or approve anything for a client's user.
import { isDepositoryRole, type Role, type User } from './controls.ts';
import { type CustodyOutcome, refuseCustody } from './refusal.ts';

/** A change to a bank's users, as proposed. */
export type UserChange =
  | { readonly kind: 'register_user'; readonly user: Omit<User, 'active'> }
  | {
      readonly kind: 'change_user_role';
      readonly user_id: string;
      readonly party_id: string;
      readonly role: Role;
    }
  | { readonly kind: 'disable_user'; readonly user_id: string; readonly party_id: string };

/** What the rules need to know of the books. */
export interface UserAdminFacts {
  readonly depository_party_id: string;
  /** Whether any user of the changed user's bank has enrolled (set its own password). */
  readonly party_has_enrolled_user: boolean;
}

/** Roles that administer their own bank's users: propose and approve. */
export const ADMINISTRATORS: Readonly<Record<'depository' | 'client', readonly Role[]>> = {
  depository: ['depository_operator', 'depository_supervisor'],
  client: ['client_signatory'],
};
/** Of the depository's staff, only a supervisor approves a change of users. */
const DEPOSITORY_CHECKERS: readonly Role[] = ['depository_supervisor'];

/** The bank whose users a change touches. */
export function partyOfChange(change: UserChange): string {
  return change.kind === 'register_user' ? change.user.party_id : change.party_id;
}

/** Checks one user acting as maker or checker of a change of users. */
export function checkUserAdministrator(
  change: UserChange,
  actor: User,
  capacity: 'maker' | 'checker',
  facts: UserAdminFacts,
): CustodyOutcome<object> {
  if (!actor.active) return refuseCustody('user_not_active', `user ${actor.id} is not active`, capacity);
  const party = partyOfChange(change);
  const ofDepository = actor.party_id === facts.depository_party_id;
  if (actor.party_id !== party) {
    if (!onboarding(change, actor, facts)) {
      return refuseCustody(
        'user_acts_for_another_party',
        ofDepository
          ? `the users of ${party} are administered by ${party} itself`
          : `user ${actor.id} of ${actor.party_id} may not administer the users of ${party}`,
        capacity,
      );
    }
    const role = change.kind === 'register_user' ? change.user.role : undefined;
    if (role === undefined || !ADMINISTRATORS.client.includes(role)) {
      // The client's administrators register the rest of its people once they have enrolled.
      const administrators = ADMINISTRATORS.client.join(', ');
      return refuseCustody(
        'user_acts_for_another_party',
        `at onboarding the depository registers only ${party}'s administrators (${administrators}); ${party} registers a ${role ?? 'user'} itself`,
        'role',
      );
    }
  }
  const roles = ofDepository
    ? capacity === 'checker'
      ? DEPOSITORY_CHECKERS
      : ADMINISTRATORS.depository
    : ADMINISTRATORS.client;
  if (!roles.includes(actor.role)) {
    const doing = change.kind.replaceAll('_', ' ');
    return capacity === 'maker'
      ? refuseCustody('role_may_not_perform_action', `a ${actor.role} may not ${doing}`, capacity)
      : refuseCustody('role_may_not_approve_action', `a ${actor.role} may not approve: ${doing}`, capacity);
  }
  return { ok: true };
}

/** The depository's staff register a client's first users, until one of them has enrolled. */
function onboarding(change: UserChange, actor: User, facts: UserAdminFacts): boolean {
  return (
    change.kind === 'register_user' &&
    actor.party_id === facts.depository_party_id &&
    isDepositoryRole(actor.role) &&
    !facts.party_has_enrolled_user
  );
}

/** Checks the maker and, different from it, the checker of a change of users. */
export function authorizeUserChange(
  change: UserChange,
  actors: { readonly maker: User; readonly checker: User },
  facts: UserAdminFacts,
): CustodyOutcome<object> {
  const maker = checkUserAdministrator(change, actors.maker, 'maker', facts);
  if (!maker.ok) return maker;
  if (actors.checker.id === actors.maker.id) {
    return refuseCustody(
      'checker_is_maker',
      `user ${actors.checker.id} may not approve its own proposal`,
      'checker',
    );
  }
  if (
    change.kind !== 'register_user' &&
    (change.user_id === actors.checker.id || change.user_id === actors.maker.id)
  ) {
    // Nobody changes its own role or disables itself under its own eyes.
    return refuseCustody(
      'checker_is_maker',
      `user ${change.user_id} may not take part in a change of itself`,
      'user',
    );
  }
  return checkUserAdministrator(change, actors.checker, 'checker', facts);
}

/** Administrators a client bank has registered before any of them enrols: one approves the other. */
export const CLIENT_ADMINISTRATORS_MIN = 2;

/**
 * Whether a user may enrol now, its secret being good: a client's user only once its bank has two
 * active administrators registered. The depository registers a client's administrators only until
 * the first enrols, and every change of the client's users or signing rules then needs a second of
 * them: a client whose only administrator had enrolled would have nobody to approve anything, and
 * nobody left who may register one.
 */
export function checkEnrolment(
  user: Pick<User, 'party_id'>,
  facts: { readonly depository_party_id: string; readonly party_administrators: number },
): CustodyOutcome<object> {
  if (user.party_id === facts.depository_party_id) return { ok: true };
  if (facts.party_administrators >= CLIENT_ADMINISTRATORS_MIN) return { ok: true };
  const registered =
    facts.party_administrators === 1 ? 'one administrator' : `${facts.party_administrators} administrators`;
  return refuseCustody(
    'enrolment_needs_second_administrator',
    `${user.party_id} has ${registered} registered: the depository registers ${CLIENT_ADMINISTRATORS_MIN} (${ADMINISTRATORS.client.join(', ')}) before any enrols, so that one can approve the other's changes; the secret stays good until it expires`,
    'user',
  );
}

/** Why a password may not be used, or undefined when it may. */
export function passwordWeakness(password: string, user_id: string, common: (text: string) => boolean) {
  if ([...password].length < PASSWORD_LENGTH_MIN)
    return `a password needs at least ${PASSWORD_LENGTH_MIN} characters`;
  if ([...password].length > PASSWORD_LENGTH_MAX)
    return `a password has at most ${PASSWORD_LENGTH_MAX} characters`;
  if (new Set(password).size < 4) return 'a password needs more than three different characters';
  if (password.toLowerCase().includes(user_id.toLowerCase())) return 'a password may not contain the user id';
  if (common(password) || common(password.toLowerCase()))
    return 'that password is on the list of common passwords';
  return undefined;
}

export const PASSWORD_LENGTH_MIN = 12;
export const PASSWORD_LENGTH_MAX = 1024;
