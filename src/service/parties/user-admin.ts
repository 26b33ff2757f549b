// Users under four eyes: a change of a bank's users is proposed by one of its administrators and
// carried out when a second approves it (src/domain/custody/user-admin.ts says who may). A new
// user enrols once with a secret in two parts, one shown once to its proposer and one to its
// approver, each handed over out of band, and sets its own password: nobody who registered it ever
// knows the whole secret, so neither can enrol as it. Disabling a user ends its sessions and tokens
// at once.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { checkUser, ROLES, type Role, type User } from '../../domain/custody/controls.ts';
import { type CustodyOutcome, refuseCustody } from '../../domain/custody/refusal.ts';
import {
  ADMINISTRATORS,
  authorizeUserChange,
  checkEnrolment,
  checkUserAdministrator,
  partyOfChange,
  passwordWeakness,
  type UserAdminFacts,
  type UserChange,
} from '../../domain/custody/user-admin.ts';
import type { Tx } from '../../store/store.ts';
import { propose } from '../custody/approvals-store.ts';
import { depositoryOf, loadUser } from '../custody/reference.ts';
import type { Ingot } from '../kernel/context.ts';
import { atomically } from '../kernel/idempotency.ts';
import { partyExists } from './queries-parties.ts';
import {
  activeUsersIn,
  hasUser,
  partyHasEnrolledUser,
  partyOfUser,
  recordEnrolment,
  recordUser,
  recordUserDisabled,
  recordUserRole,
  revokeSessionsOf,
  userRow,
} from './queries-users.ts';
import { hashPassword, isCommonPassword } from './users.ts';

/** How long an enrolment secret stays good: long enough to hand it over, short enough to matter. */
export const ENROLMENT_DAYS = 7;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** What the rules need to know of the books about the bank a change touches. */
export async function userAdminFacts(tx: Tx, party: string): Promise<UserAdminFacts> {
  const enrolled = await partyHasEnrolledUser(tx, party);
  return { depository_party_id: await depositoryOf(tx), party_has_enrolled_user: enrolled };
}

/** The subject an approval of a change shows. */
function subjectOf(change: UserChange): string {
  if (change.kind === 'register_user')
    return `register ${change.user.id} (${change.user.role}) of ${change.user.party_id}`;
  if (change.kind === 'change_user_role')
    return `make ${change.user_id} of ${change.party_id} a ${change.role}`;
  return `disable ${change.user_id} of ${change.party_id}`;
}

/** Checks what a change asks of the books: a new id, a known party, a role fitting it, a user to change. */
async function checkChange(tx: Tx, change: UserChange, depository: string): Promise<CustodyOutcome<object>> {
  if (change.kind === 'register_user') {
    if (!(await partyExists(tx, change.user.party_id))) {
      return refuseCustody('party_not_found', `no party ${change.user.party_id}`, 'party_id');
    }
    if (await hasUser(tx, change.user.id)) {
      return refuseCustody('invalid_input', `user ${change.user.id} already exists`, 'id');
    }
    return checkUser({ ...change.user, active: true }, depository);
  }
  const target = await userRow(tx, change.user_id);
  // Another bank's user is answered exactly as one that does not exist.
  if (!target || target.party_id !== change.party_id) {
    return refuseCustody('user_not_found', `no user ${change.user_id} of ${change.party_id}`, 'user');
  }
  if (target.active !== 1n)
    return refuseCustody('user_not_active', `user ${change.user_id} is disabled`, 'user');
  if (change.kind === 'change_user_role') {
    return checkUser(
      { id: target.id, name: target.name, party_id: target.party_id, role: change.role, active: true },
      depository,
    );
  }
  return { ok: true };
}

/** A change as asked: a change of an existing user is of the asker's own bank's users. */
export type UserChangeRequest =
  | Extract<UserChange, { kind: 'register_user' }>
  | Omit<Extract<UserChange, { kind: 'change_user_role' }>, 'party_id'>
  | Omit<Extract<UserChange, { kind: 'disable_user' }>, 'party_id'>;

/** The parts of an enrolment secret: each its own random 128 bits, base64url. */
function secretPart(): string {
  return randomBytes(16).toString('base64url');
}

/** How the two parts are written together when the new user enrols: "<first>.<second>". */
const PARTS_JOINED_BY = '.';

/** A proposal made; a registration's carries the first part of the enrolment secret, shown once. */
export type UserChangeProposed = {
  readonly pending_approval: bigint;
  readonly enrolment_secret_part?: string;
};

/**
 * Proposes a change of a bank's users; a second administrator of that bank approves it. A
 * registration answers the first part of the new user's enrolment secret, to its maker alone.
 */
export async function proposeUserChange(
  ingot: Ingot,
  request: { change: UserChangeRequest; by_user_id: string },
): Promise<CustodyOutcome<UserChangeProposed>> {
  const asked = request.change;
  if (asked.kind !== 'disable_user') {
    const role = asked.kind === 'register_user' ? asked.user.role : asked.role;
    if (!(ROLES as readonly string[]).includes(role)) {
      return refuseCustody('invalid_input', `role "${role}" is not one of ${ROLES.join(', ')}`, 'role');
    }
  }
  return atomically(ingot, async (tx) => {
    const maker = await loadUser(tx, request.by_user_id, 'by');
    if (!maker.ok) return maker;
    const change: UserChange =
      asked.kind === 'register_user' ? asked : { ...asked, party_id: maker.user.party_id };
    const party = partyOfChange(change);
    const facts = await userAdminFacts(tx, party);
    const allowed = checkUserAdministrator(change, maker.user, 'maker', facts);
    if (!allowed.ok) return allowed;
    const checked = await checkChange(tx, change, facts.depository_party_id);
    if (!checked.ok) return checked;
    const first = change.kind === 'register_user' ? secretPart() : undefined;
    const first_part_hash = first === undefined ? undefined : digest(first).toString('hex');
    const id = await propose(tx, {
      action: change.kind,
      subject: subjectOf(change),
      party_id: party,
      payload: { kind: 'user_change', change, first_part_hash },
      maker_user_id: maker.user.id,
      now: ingot.now(),
    });
    return first === undefined
      ? { ok: true, pending_approval: id }
      : { ok: true, pending_approval: id, enrolment_secret_part: first };
  });
}

/** What an approved change did; a registration carries the second part of the secret, shown once. */
export type UserChangeDone =
  | {
      readonly ok: true;
      readonly user_id: string;
      readonly enrolment_secret_part: string;
      readonly enrolment_expires_at: string;
    }
  | { readonly ok: true; readonly user_id: string };

/** Carries out an approved change in the approval's transaction, the rules checked again as of now. */
export async function applyUserChange(
  tx: Tx,
  ingot: Ingot,
  change: UserChange,
  actors: { maker: User; checker: User },
  first_part_hash?: string,
): Promise<CustodyOutcome<UserChangeDone>> {
  const facts = await userAdminFacts(tx, partyOfChange(change));
  const allowed = authorizeUserChange(change, actors, facts);
  if (!allowed.ok) return allowed;
  const checked = await checkChange(tx, change, facts.depository_party_id);
  if (!checked.ok) return checked;
  const now = ingot.now();
  if (change.kind === 'register_user') {
    if (first_part_hash === undefined) {
      // Proposed when the approver was shown the whole secret: it could have enrolled as the user.
      const message =
        'this registration was proposed before enrolment secrets were split between its maker and its approver; decline it and propose it again';
      return refuseCustody('approval_changed', message, 'approval');
    }
    const second = secretPart();
    const expires = new Date(Date.parse(now) + ENROLMENT_DAYS * 86_400_000).toISOString();
    await recordUser(tx, {
      ...change.user,
      active: 1n,
      password_hash: '',
      created_at: now,
      created_by: `${actors.maker.id}, approved by ${actors.checker.id}`,
      enrolment_hash: `${first_part_hash}${PARTS_JOINED_BY}${digest(second).toString('hex')}`,
      enrolment_expires_at: expires,
      enrolled_at: null,
      disabled_at: null,
    });
    return {
      ok: true,
      user_id: change.user.id,
      enrolment_secret_part: second,
      enrolment_expires_at: expires,
    };
  }
  if (change.kind === 'change_user_role') {
    await recordUserRole(tx, change.user_id, change.role);
  } else {
    await recordUserDisabled(tx, change.user_id, now);
  }
  // A new role or none: whatever the user's sessions and tokens were issued under ends now.
  await revokeSessionsOf(tx, change.user_id, now);
  return { ok: true, user_id: change.user_id };
}

/**
 * Ends every session and API token of a user of one's own bank at once (a lost laptop, a leaked
 * token): it only takes access away, so one administrator suffices.
 */
export async function endSessionsOf(
  ingot: Ingot,
  request: { user_id: string; by_user_id: string },
): Promise<CustodyOutcome<{ ended: number }>> {
  return atomically(ingot, async (tx) => {
    const actor = await loadUser(tx, request.by_user_id, 'by');
    if (!actor.ok) return actor;
    const target = await partyOfUser(tx, request.user_id);
    const party = target?.party_id ?? '';
    if (!target || target.party_id !== actor.user.party_id) {
      return refuseCustody('user_not_found', `no user ${request.user_id} of ${actor.user.party_id}`, 'user');
    }
    const change: UserChange = { kind: 'disable_user', user_id: request.user_id, party_id: party };
    const allowed = checkUserAdministrator(change, actor.user, 'maker', await userAdminFacts(tx, party));
    if (!allowed.ok) return allowed;
    return { ok: true, ended: await revokeSessionsOf(tx, request.user_id, ingot.now()) };
  });
}

/**
 * Whether a secret as the new user gives it ("<first part>.<second part>") is the one kept: each
 * part against its own hash. A secret kept whole (a user registered before the split) is one part.
 */
function secretMatches(given: string, kept: string): boolean {
  const hashes = kept.split(PARTS_JOINED_BY);
  const parts = given.trim().split(PARTS_JOINED_BY);
  if (parts.length !== hashes.length) return false;
  // Every part compared, in constant time each: which part is wrong is not told.
  let matches = true;
  for (const [index, hash] of hashes.entries()) {
    matches = timingSafeEqual(digest(parts[index] ?? ''), Buffer.from(hash, 'hex')) && matches;
  }
  return matches;
}

/** A new user sets its own password with the one-time secret it was handed. */
export async function enrol(
  ingot: Ingot,
  request: { user_id: string; secret: string; password: string },
): Promise<CustodyOutcome<{ user_id: string }>> {
  const weakness = passwordWeakness(request.password, request.user_id, isCommonPassword);
  if (weakness) return refuseCustody('password_too_weak', weakness, 'password');
  const password_hash = await hashPassword(request.password);
  return atomically(ingot, async (tx) => {
    const row = await userRow(tx, request.user_id);
    // One refusal for an unknown user, a used or expired secret and a wrong one: nothing to learn.
    const refused = refuseCustody(
      'enrolment_invalid',
      'unknown user, or a wrong, used or expired secret',
      'secret',
    );
    if (!row?.enrolment_hash || !row.enrolment_expires_at || row.active !== 1n) return refused;
    if (row.enrolment_expires_at <= ingot.now()) return refused;
    if (!secretMatches(request.secret, row.enrolment_hash)) return refused;
    // Told only to whoever holds the secret; the secret stays good.
    const facts = {
      depository_party_id: await depositoryOf(tx),
      party_administrators: await activeUsersIn(tx, row.party_id, ADMINISTRATORS.client),
    };
    const allowed = checkEnrolment(row, facts);
    if (!allowed.ok) return allowed;
    await recordEnrolment(tx, row.id, password_hash, ingot.now());
    return { ok: true, user_id: row.id };
  });
}

/** The role a text names, if any. */
export function roleOf(text: string): Role | undefined {
  return (ROLES as readonly string[]).includes(text) ? (text as Role) : undefined;
}
