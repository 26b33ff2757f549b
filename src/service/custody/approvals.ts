// Four eyes on every step that moves value and every change of reference data: the maker proposes,
// a second user approves, and only then is it carried out under both names.

import { firstDifference } from '../../domain/custody/account-text.ts';
import { checkFeeSchedule, type FeeSchedule } from '../../domain/custody/charges.ts';
import {
  type Action,
  authorize,
  authorizeChecker,
  authorizeMaker,
  isDepositoryRole,
  type User,
} from '../../domain/custody/controls.ts';
import { type CustodyOutcome, refuseCustody } from '../../domain/custody/refusal.ts';
import { checkRepresentativeTerms, type Representative } from '../../domain/custody/representatives.ts';
import { checkSigningRule, type SigningRule } from '../../domain/custody/signing.ts';
import { checkUserAdministrator, partyOfChange } from '../../domain/custody/user-admin.ts';
import type { Fixing } from '../../domain/fixing.ts';
import { assert } from '../../domain/outcome.ts';
import type { ApprovalRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { atomically, idempotent } from '../kernel/idempotency.ts';
import { readStored, toJson } from '../kernel/json.ts';
import { array, isRecord, string } from '../kernel/shape.ts';
import { applyUserChange, userAdminFacts } from '../parties/user-admin.ts';
import { toUser } from '../parties/users.ts';
import { recordFixingsIn } from '../trading/fixings.ts';
import { applyReweigh } from '../vault/reweigh.ts';
import { approvalAccount } from './accounts.ts';
import { type ApprovalPayload, propose } from './approvals-store.ts';
import { applyStep, loadInstruction } from './instructions.ts';
import { accountOwner } from './queries-accounts.ts';
import { approvalRow, recordDecision } from './queries-approvals.ts';
import { usersOfParty } from './queries-reference.ts';
import {
  checkRepresentativeHolder,
  depositoryOf,
  loadRepresentative,
  loadUser,
  saveReference,
} from './reference.ts';
import { storedApprovalPayload } from './stored.ts';

/** Proposes a reference-data change after checking what the maker alone can be checked for. */
async function proposeChange(
  ingot: Ingot,
  request: {
    by_user_id: string;
    action: Action;
    owner_party_id: string;
    subject: string;
    payload: ApprovalPayload;
  },
  check: (tx: Tx) => Promise<CustodyOutcome<object>>,
): Promise<CustodyOutcome<{ pending_approval: bigint }>> {
  return atomically(ingot, async (tx) => {
    const maker = await loadUser(tx, request.by_user_id, 'by');
    if (!maker.ok) return maker;
    const scope = { depository_party_id: await depositoryOf(tx), owner_party_id: request.owner_party_id };
    const allowed = authorizeMaker(request.action, maker.user, scope);
    if (!allowed.ok) return allowed;
    const checked = await check(tx);
    if (!checked.ok) return checked;
    const id = await propose(tx, {
      action: request.action,
      subject: request.subject,
      party_id: request.owner_party_id,
      payload: request.payload,
      maker_user_id: maker.user.id,
      now: ingot.now(),
    });
    return { ok: true, pending_approval: id };
  });
}

/** A client signatory proposes an authorized representative; a second signatory approves. */
export async function proposeRepresentative(
  ingot: Ingot,
  by_user_id: string,
  representative: Representative,
) {
  return proposeChange(
    ingot,
    {
      by_user_id,
      action: 'register_representative',
      owner_party_id: representative.client_party_id,
      subject: `representative ${representative.id}: ${representative.name}`,
      payload: { kind: 'register_representative', representative },
    },
    async (tx) => {
      const terms = checkRepresentativeTerms(representative);
      return terms.ok ? checkOwnAccounts(tx, representative) : terms;
    },
  );
}

/**
 * Refuses a representative named for an account its bank does not hold, exactly as if the account
 * did not exist: a bank learns nothing of another's accounts by proposing.
 */
async function checkOwnAccounts(tx: Tx, representative: Representative): Promise<CustodyOutcome<object>> {
  const holder = await checkRepresentativeHolder(tx, representative);
  if (!holder.ok) return holder;
  for (const id of representative.account_ids) {
    const account = await accountOwner(tx, id);
    if (account?.party_id !== representative.client_party_id) {
      return refuseCustody('account_not_found', `account ${id} does not exist`, 'account_ids');
    }
  }
  return { ok: true };
}

/** A client signatory proposes to revoke a representative's authority from a date. */
export async function proposeRevocation(
  ingot: Ingot,
  by_user_id: string,
  representative_id: string,
  revoked_on: string,
) {
  const existing = await loadRepresentative(ingot.store.db, representative_id);
  if (!existing)
    return refuseCustody(
      'representative_not_found',
      `no representative ${representative_id}`,
      'representative',
    );
  return proposeChange(
    ingot,
    {
      by_user_id,
      action: 'revoke_representative',
      owner_party_id: existing.client_party_id,
      subject: `revoke representative ${representative_id} from ${revoked_on}`,
      payload: { kind: 'revoke_representative', representative_id, revoked_on },
    },
    async () => ({ ok: true }),
  );
}

/**
 * A signatory of the account's bank proposes its signing rule; a second signatory of that bank
 * approves it. The depository has no part in who signs for a client. Another bank's account is
 * answered exactly as one that does not exist: a bank learns nothing of another's by proposing.
 */
export async function proposeSigningRule(ingot: Ingot, by_user_id: string, rule: SigningRule) {
  const db = ingot.store.db;
  const account = await accountOwner(db, rule.account_id);
  const maker = await loadUser(db, by_user_id, 'by');
  const foreign = maker.ok && !isDepositoryRole(maker.user.role) && maker.user.party_id !== account?.party_id;
  if (!account || foreign)
    return refuseCustody('account_not_found', `account ${rule.account_id} does not exist`, 'account');
  return proposeChange(
    ingot,
    {
      by_user_id,
      action: 'set_signing_rule',
      owner_party_id: account.party_id,
      subject: `signing rule of ${rule.account_id}: any ${rule.required_signatures} of ${rule.signatory_user_ids.join(', ')}`,
      payload: { kind: 'set_signing_rule', rule, owner_party_id: account.party_id },
    },
    (tx) => checkRule(tx, rule, account.party_id),
  );
}

async function checkRule(tx: Tx, rule: SigningRule, owner: string): Promise<CustodyOutcome<object>> {
  const rows = await usersOfParty(tx, owner);
  const users = new Map<string, User>(rows.map((row) => [row.id, toUser(row)]));
  return checkSigningRule(rule, owner, users);
}

/** The most fixings an approval's subject names one by one; its account always lists them all. */
const FIXINGS_NAMED_MAX = 5;

/**
 * A depository operator proposes fixings, entered by hand or imported; a supervisor checks them
 * against the source.
 */
export async function proposeFixings(ingot: Ingot, by_user_id: string, fixings: readonly Fixing[]) {
  assert(fixings.length > 0, 'a proposal of fixings names at least one');
  const depository = await depositoryOf(ingot.store.db);
  const sorted = fixings.map((f) => f.date).sort();
  const dates =
    fixings.length <= FIXINGS_NAMED_MAX
      ? fixings.map((f) => `${f.date} ${f.currency}`).join(', ')
      : `${fixings.length} from ${sorted[0]} to ${sorted.at(-1)}`;
  return proposeChange(
    ingot,
    {
      by_user_id,
      action: 'record_fixing',
      owner_party_id: depository,
      subject: `fixings ${dates}`,
      payload: { kind: 'record_fixing', fixings },
    },
    async () => ({ ok: true }),
  );
}

/** A depository operator proposes a client's fee schedule; a supervisor approves it. */
export async function proposeFeeSchedule(
  ingot: Ingot,
  by_user_id: string,
  party_id: string,
  schedule: FeeSchedule,
) {
  return proposeChange(
    ingot,
    {
      by_user_id,
      action: 'set_fee_schedule',
      owner_party_id: party_id,
      subject: `fee schedule of ${party_id}`,
      payload: { kind: 'set_fee_schedule', schedule, party_id },
    },
    async () => checkFeeSchedule(schedule),
  );
}

/**
 * What a checker sends to approve: the approval, and the digest of the account it was shown. The
 * edges (HTTP, CLI) always require the digest; a program replaying known books (a scenario) may
 * leave it out, and is then held to the account as the books give it now.
 */
export interface ApproveRequest {
  readonly approval_id: bigint;
  readonly by_user_id: string;
  readonly digest?: string | undefined;
}

/**
 * A second user approves a pending step or change, which is carried out now, under both names,
 * only if the account it was shown is the one stored and the books still give that account.
 */
export async function approve(
  ingot: Ingot,
  request: ApproveRequest,
  key?: string,
): Promise<CustodyOutcome<{ approval_id: bigint; outcome: unknown; replayed?: boolean }>> {
  const work = (tx: Tx) => approveIn(tx, ingot, request);
  // With a key, a retried approval returns its first result instead of "not pending", as the books
  // keep it: a new user's enrolment secret is shown once, to the first answer only.
  const stored = (done: Awaited<ReturnType<typeof work>>) =>
    done.ok && isRecord(done.outcome) ? { ...done, outcome: kept(done.outcome) } : done;
  return key ? idempotent(ingot, key, 'approvals.approve', request, work, stored) : atomically(ingot, work);
}

async function approveIn(
  tx: Tx,
  ingot: Ingot,
  request: ApproveRequest,
): Promise<CustodyOutcome<{ approval_id: bigint; outcome: unknown }>> {
  const row = await approvalRow(tx, request.approval_id);
  if (!row) return refuseCustody('invalid_input', `no approval ${request.approval_id}`, 'approval');
  if (row.status !== 'pending') {
    return refuseCustody('invalid_input', `approval ${row.id} is ${row.status}, not pending`, 'approval');
  }
  const payload = storedApprovalPayload(row.payload, row.id);
  const unchanged = await checkAccount(tx, row, payload, request.digest);
  if (!unchanged.ok) return unchanged;
  const checker = await loadUser(tx, request.by_user_id, 'by');
  if (!checker.ok) return checker;
  const maker = await loadUser(tx, row.maker_user_id, 'maker');
  if (!maker.ok) return maker;
  const actors = { maker: maker.user, checker: checker.user };
  const done = await carryOut(tx, ingot, payload, actors, row.action as Action, row.party_id);
  if (!done.ok) return done;
  await recordDecision(tx, row.id, {
    status: 'approved',
    checker_user_id: checker.user.id,
    outcome: toJson(kept(done)),
    decided_at: ingot.now(),
  });
  return { ok: true, approval_id: row.id, outcome: done };
}

const LINES = array(string);

/** An approval's stored account, read back and checked. */
export function storedAccount(row: Pick<ApprovalRow, 'id' | 'account'>): readonly string[] {
  return row.account === null ? [] : readStored(row.account, `account of approval ${row.id}`, LINES);
}

/**
 * Approves only what the checker was shown: the digest it sends must be the stored one, and the
 * account composed from the books now must still be the one stored (a balance, a quote, a rule
 * changed since makes it another approval, to be declined and proposed again).
 */
async function checkAccount(
  tx: Tx,
  row: ApprovalRow,
  payload: ApprovalPayload,
  digest: string | undefined,
): Promise<CustodyOutcome<object>> {
  const id = row.id;
  if (row.digest === null) {
    const message = `approval ${id} was proposed before approvals showed what they do; decline it and propose again`;
    return refuseCustody('approval_changed', message, 'approval');
  }
  if (digest !== undefined && digest !== row.digest) {
    const message = `the digest sent is not that of approval ${id}'s account; read it again and approve what it shows`;
    return refuseCustody('approval_changed', message, 'digest');
  }
  const header = { id, action: row.action, party_id: row.party_id, maker_user_id: row.maker_user_id };
  const now = await approvalAccount(tx, header, payload);
  if (now.digest === row.digest) return { ok: true };
  const change = firstDifference(storedAccount(row), now.lines) ?? 'its wording changed';
  const message = `what approval ${id} would do has changed since it was proposed: ${change}; decline it and propose again`;
  return refuseCustody('approval_changed', message, 'digest');
}

/**
 * What of an approval's outcome is kept in the books: all of it but a new user's enrolment secret,
 * which its approver is shown once and nobody can read back.
 */
function kept(done: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { enrolment_secret_part: _secret, ...rest } = done;
  return rest;
}

async function carryOut(
  tx: Tx,
  ingot: Ingot,
  payload: ApprovalPayload,
  actors: { maker: User; checker: User },
  action: Action,
  owner: string,
): Promise<CustodyOutcome<Record<string, unknown>>> {
  if (payload.kind === 'instruction_step') {
    const found = await loadInstruction(tx, payload.instruction_id);
    if (!found.ok) return found;
    const command = {
      instruction_id: payload.instruction_id,
      event: payload.event,
      date: payload.date,
      ...(payload.handover ? { handover: payload.handover } : {}),
      ...(payload.bar_ids ? { bar_ids: payload.bar_ids } : {}),
    };
    return applyStep(tx, ingot, found.instruction, command, actors);
  }
  if (payload.kind === 'user_change') {
    // Users are administered by their own bank, not by the custody table's scopes: see user-admin.ts.
    const checker = actors.checker;
    return applyUserChange(
      tx,
      ingot,
      payload.change,
      { maker: actors.maker, checker },
      payload.first_part_hash,
    );
  }
  const scope = { depository_party_id: await depositoryOf(tx), owner_party_id: owner };
  const allowed = authorize(action, actors, scope);
  if (!allowed.ok) return allowed;
  const names = { made_by: actors.maker.id, checked_by: actors.checker.id, now: ingot.now() };
  if (payload.kind === 'register_representative') {
    const representative = payload.representative;
    const own = await checkOwnAccounts(tx, representative);
    if (!own.ok) return own;
    await saveReference(tx, 'representatives', {
      id: representative.id,
      party_id: owner,
      body: representative,
      ...names,
    });
    return { ok: true, representative_id: representative.id };
  }
  if (payload.kind === 'revoke_representative') {
    const existing = await loadRepresentative(tx, payload.representative_id);
    if (!existing)
      return refuseCustody(
        'representative_not_found',
        `no representative ${payload.representative_id}`,
        'representative',
      );
    const body = { ...existing, revoked_on: payload.revoked_on };
    await saveReference(tx, 'representatives', { id: existing.id, party_id: owner, body, ...names });
    return { ok: true, representative_id: existing.id };
  }
  if (payload.kind === 'reweigh_bar') return applyReweigh(tx, ingot, payload, actors);
  if (payload.kind === 'record_fixing') {
    const entered = `${actors.maker.id}, checked by ${actors.checker.id}`;
    return recordFixingsIn(tx, payload.fixings, entered, ingot.now());
  }
  if (payload.kind === 'set_fee_schedule') {
    const valid = checkFeeSchedule(payload.schedule);
    if (!valid.ok) return valid;
    await saveReference(tx, 'fee_schedules', {
      id: payload.party_id,
      party_id: payload.party_id,
      body: payload.schedule,
      ...names,
    });
    return { ok: true, party_id: payload.party_id };
  }
  const checked = await checkRule(tx, payload.rule, owner);
  if (!checked.ok) return checked;
  await saveReference(tx, 'signing_rules', {
    id: payload.rule.account_id,
    party_id: owner,
    body: payload.rule,
    ...names,
  });
  return { ok: true, account_id: payload.rule.account_id };
}

/**
 * The maker withdraws, or a user who may approve it declines, a pending approval; nothing is
 * carried out. Anyone else is refused: as if the approval did not exist when it is another bank's
 * business, else naming why.
 */
export async function decline(
  ingot: Ingot,
  request: { approval_id: bigint; by_user_id: string; reason: string },
): Promise<CustodyOutcome<{ approval_id: bigint }>> {
  return atomically(ingot, async (tx) => {
    const row = await approvalRow(tx, request.approval_id);
    const missing = refuseCustody('invalid_input', `no approval ${request.approval_id}`, 'approval');
    if (!row) return missing;
    const user = await loadUser(tx, request.by_user_id, 'by');
    if (!user.ok) return user;
    if (user.user.id !== row.maker_user_id) {
      const may = await mayApprove(tx, row, user.user);
      if (!may.ok) return may.code === 'user_acts_for_another_party' ? missing : may;
    }
    if (row.status !== 'pending') {
      return refuseCustody('invalid_input', `approval ${row.id} is ${row.status}, not pending`, 'approval');
    }
    await recordDecision(tx, row.id, {
      status: 'declined',
      checker_user_id: user.user.id,
      outcome: toJson({ reason: request.reason }),
      decided_at: ingot.now(),
    });
    return { ok: true, approval_id: row.id };
  });
}

/** Whether a user may approve a pending approval, as far as the user alone decides it. */
async function mayApprove(tx: Tx, row: ApprovalRow, user: User): Promise<CustodyOutcome<object>> {
  const payload = storedApprovalPayload(row.payload, row.id);
  if (payload.kind === 'user_change') {
    // A bank's users are its own business: only its administrators (or, at onboarding, the
    // depository's supervisors) check a change of them.
    const facts = await userAdminFacts(tx, partyOfChange(payload.change));
    return checkUserAdministrator(payload.change, user, 'checker', facts);
  }
  const scope = { depository_party_id: await depositoryOf(tx), owner_party_id: row.party_id };
  return authorizeChecker(row.action as Action, user, scope);
}
