// Refusals of the custody domain. A closed list of codes, to be appended to REFUSAL_CODES in
// ../outcome.ts when the lead wires this module; until then custody outcomes use these types,
// which accept every core refusal too (a core `Refusal` is a `CustodyRefusal`).
import { type Outcome, type Refusal, type RefusalCode, refuse } from '../outcome.ts';

/** Every reason the custody domain may refuse a request, grouped by the object at fault. */
export const CUSTODY_REFUSAL_CODES = [
  // Controls: users, roles, four eyes, signing rules, visibility.
  'user_not_active',
  'role_not_for_party',
  'role_may_not_perform_action',
  'user_acts_for_another_party',
  'second_user_approval_required',
  'checker_is_maker',
  'role_may_not_approve_action',
  'user_not_found',
  'password_too_weak',
  'enrolment_invalid',
  'enrolment_needs_second_administrator',
  'account_not_visible_to_party',
  'signing_rule_invalid',
  'signer_not_on_signatory_list',
  'signatory_already_signed',
  'too_few_signatures',
  // What an approval or a signature was shown is no longer what it would do; a step asked twice.
  'approval_changed',
  'step_already_pending',
  // Instructions and their state machine.
  'instruction_not_found',
  'event_not_for_instruction_kind',
  'instruction_is_closed',
  'event_not_allowed_in_state',
  'step_dated_before_previous_step',
  'source_account_not_custody',
  'target_account_not_custody',
  'target_is_source_account',
  'quote_expired',
  // Remarks on an instruction.
  'remark_is_empty',
  'remark_too_long',
  'remark_dated_before_previous',
  // Bars named or proposed for an instruction.
  'selection_is_empty',
  'bar_listed_twice',
  'bar_not_in_account',
  'bar_reserved_by_another_instruction',
  'quantity_exceeds_holdings',
  'quantity_exceeds_free_gold',
  'proposal_exceeds_quantity',
  'proposal_short_of_quantity',
  // Representatives and hand-over.
  'representative_not_found',
  'representative_not_registered_for_account',
  'representative_not_named_in_instruction',
  'authority_not_yet_valid',
  'authority_lapsed',
  'authority_revoked',
  'release_date_not_reached',
  'exceeds_representative_limit',
  'identity_not_checked',
  // Charges.
  'fee_schedule_invalid',
] as const;

export type CustodyOnlyRefusalCode = (typeof CUSTODY_REFUSAL_CODES)[number];
/** A custody refusal may also carry any core code (insufficient_funds, bar_not_found, …). */
export type CustodyRefusalCode = RefusalCode | CustodyOnlyRefusalCode;

/** A refused custody request: the one refusal shape, over the custody codes. */
export type CustodyRefusal = Refusal<CustodyRefusalCode>;

/** The outcome of a custody rule: the result, or the first refusal. */
export type CustodyOutcome<T> = Outcome<T, CustodyRefusalCode>;

/** Builds a custody refusal. */
export function refuseCustody(code: CustodyRefusalCode, message: string, field?: string): CustodyRefusal {
  return refuse<CustodyRefusalCode>(code, message, field);
}
