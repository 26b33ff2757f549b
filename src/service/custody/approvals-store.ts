// Four eyes: a step or a change of reference data made by one user waits here until a second,
// different user approves it. Only then is it carried out, under both names.
import type { FeeSchedule } from '../../domain/custody/charges.ts';
import type { Action } from '../../domain/custody/controls.ts';
import type { InstructionEvent } from '../../domain/custody/instruction.ts';
import type { HandOverRecord } from '../../domain/custody/movement.ts';
import type { Representative } from '../../domain/custody/representatives.ts';
import type { SigningRule } from '../../domain/custody/signing.ts';
import type { UserChange } from '../../domain/custody/user-admin.ts';
import type { Fixing } from '../../domain/fixing.ts';
import type { Tx } from '../../store/store.ts';
import { toJson } from '../kernel/json.ts';
import type { ReweighPayload } from '../vault/reweigh.ts';
import { approvalAccount } from './accounts.ts';
import { lastApprovalId, recordApproval } from './queries-approvals.ts';

/** What waits for approval, with everything needed to carry it out. */
export type ApprovalPayload =
  | {
      readonly kind: 'instruction_step';
      readonly instruction_id: string;
      readonly event: InstructionEvent;
      readonly date: string;
      readonly handover: HandOverRecord | null;
      readonly bar_ids: readonly bigint[] | null;
    }
  | { readonly kind: 'register_representative'; readonly representative: Representative }
  | {
      readonly kind: 'revoke_representative';
      readonly representative_id: string;
      readonly revoked_on: string;
    }
  | { readonly kind: 'set_signing_rule'; readonly rule: SigningRule; readonly owner_party_id: string }
  | { readonly kind: 'record_fixing'; readonly fixings: readonly Fixing[] }
  | { readonly kind: 'set_fee_schedule'; readonly schedule: FeeSchedule; readonly party_id: string }
  | {
      readonly kind: 'user_change';
      readonly change: UserChange;
      /**
       * A registration's: the SHA-256 (hex) of the first part of the new user's enrolment secret,
       * shown once to the maker; the checker is shown the second. Absent from proposals made before
       * the secret was split, which are declined and proposed again.
       */
      readonly first_part_hash: string | undefined;
    }
  | ReweighPayload;

/** The key of an instruction's step while it waits for approval: one pending approval a step. */
export function pendingStepKey(instruction_id: string, event: InstructionEvent['kind']): string {
  return `${instruction_id} ${event}`;
}

/**
 * Records a maker's step for a checker to approve, with the account of what it will do, composed
 * from the books now, and that account's digest; returns the approval's number.
 */
export async function propose(
  tx: Tx,
  request: {
    action: Action;
    subject: string;
    party_id: string;
    payload: ApprovalPayload;
    maker_user_id: string;
    now: string;
  },
): Promise<bigint> {
  const id = (await lastApprovalId(tx)) + 1n;
  const header = {
    id,
    action: request.action,
    party_id: request.party_id,
    maker_user_id: request.maker_user_id,
  };
  const account = await approvalAccount(tx, header, request.payload);
  const payload = request.payload;
  await recordApproval(tx, {
    id,
    action: request.action,
    subject: request.subject,
    party_id: request.party_id,
    payload: toJson(request.payload),
    maker_user_id: request.maker_user_id,
    status: 'pending',
    checker_user_id: null,
    outcome: null,
    created_at: request.now,
    decided_at: null,
    account: toJson(account.lines),
    digest: account.digest,
    pending_step:
      payload.kind === 'instruction_step' ? pendingStepKey(payload.instruction_id, payload.event.kind) : null,
  });
  return id;
}
