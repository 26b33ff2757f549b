// Refusals of correspondence: keys, the register, clearances, the relay. A closed list of codes;
// a core refusal (invalid_input, offer_not_found…) is a correspondence refusal too.
import type { CustodyRefusalCode } from '../custody/refusal.ts';
import { type Outcome, type Refusal, refuse } from '../outcome.ts';

/** Every reason correspondence may refuse a request. */
export const CORRESPONDENCE_REFUSAL_CODES = [
  'own_keys_not_generated',
  'own_keys_exist',
  'key_file_exists',
  'key_file_unreadable',
  'key_file_not_private',
  'key_already_pinned',
  'fingerprint_mismatch',
  'correspondent_not_pinned',
  'message_not_found',
  'message_invalid',
  'not_cleared',
  'clearance_exceeds_granter',
  'document_not_available',
  'relay_unreachable',
  'relay_refused',
  'key_passphrase_missing',
  'key_passphrase_wrong',
  'key_file_not_encrypted',
] as const;

/** A code only correspondence uses. */
export type CorrespondenceOnlyRefusalCode = (typeof CORRESPONDENCE_REFUSAL_CODES)[number];
/** Any code a correspondence refusal may carry. */
export type CorrespondenceRefusalCode = CustodyRefusalCode | CorrespondenceOnlyRefusalCode;

/** A refused correspondence request: the one refusal shape, over the correspondence codes. */
export type CorrespondenceRefusal = Refusal<CorrespondenceRefusalCode>;

/** The outcome of a correspondence request. */
export type CorrespondenceOutcome<T> = Outcome<T, CorrespondenceRefusalCode>;

/** Builds a correspondence refusal. */
export function refuseCorrespondence(
  code: CorrespondenceRefusalCode,
  message: string,
  field?: string,
): CorrespondenceRefusal {
  return refuse<CorrespondenceRefusalCode>(code, message, field);
}
