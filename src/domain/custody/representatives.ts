// A client's authorized representatives: the people to whom the depository may hand its gold over.
import { describeWeight, type FineMilliOz } from '../weight.ts';
import { type CustodyOutcome, refuseCustody } from './refusal.ts';

/** A person the client authorizes to receive its gold from some of its accounts, for a while. */
export interface Representative {
  readonly id: string;
  readonly client_party_id: string;
  readonly name: string;
  /** The identity document the operator must see at hand-over, e.g. "passport Cuba D-123456". */
  readonly identity_document: string;
  readonly authority_valid_from: string;
  /** Last day of the authority, included. */
  readonly authority_valid_until: string;
  /** The day the client revoked the authority, if it did; from that day on it is void. */
  readonly revoked_on: string | null;
  readonly account_ids: readonly string[];
  /**
   * The most fine gold this representative may receive in all under this authority, or null for no
   * limit. Cumulative, so a limit cannot be evaded by splitting a release.
   */
  readonly limit_fine_milli_oz: FineMilliOz | null;
}

/** Checks a representative's own terms before it is registered. */
export function checkRepresentativeTerms(representative: Representative): CustodyOutcome<object> {
  const { id } = representative;
  if (representative.name.trim() === '') return invalid(`representative ${id} needs a name`, 'name');
  if (representative.identity_document.trim() === '') {
    return invalid(`representative ${id} needs an identity document`, 'identity_document');
  }
  if (representative.authority_valid_until < representative.authority_valid_from) {
    return invalid(`the authority of ${id} ends before it starts`, 'authority_valid_until');
  }
  if (representative.account_ids.length === 0) {
    return invalid(`representative ${id} is registered for no account`, 'accounts');
  }
  const limit = representative.limit_fine_milli_oz;
  if (limit !== null && limit <= 0n) return invalid(`the limit of ${id} must be above zero`, 'limit');
  return { ok: true };
}

function invalid(message: string, field: string) {
  return refuseCustody('invalid_input', message, field);
}

/**
 * The refusal of a representative that is not registered, or not for the client asking: the same
 * status, code, field and message, the id aside, whether or not another bank holds the id.
 */
export function representativeNotFound(id: string) {
  return refuseCustody('representative_not_found', `no representative ${id}`, 'representative');
}

/** What a release asks of a representative's authority. */
export interface AuthorityRequest {
  readonly client_party_id: string;
  readonly account_id: string;
  readonly date: string;
  readonly fine_milli_oz: FineMilliOz;
  /** Fine gold already handed to this representative under the same authority. */
  readonly received_fine_milli_oz: FineMilliOz;
}

/** Checks that a representative may receive this gold from this account on this date. */
export function checkAuthority(
  representative: Representative,
  request: AuthorityRequest,
): CustodyOutcome<object> {
  const { id } = representative;
  // Another bank's representative is none of this client's: answered as one not registered, so the
  // refusal tells the client nothing of it (not even that the id is taken, nor whose it is).
  if (representative.client_party_id !== request.client_party_id) return representativeNotFound(id);
  if (!representative.account_ids.includes(request.account_id)) {
    return refuseCustody(
      'representative_not_registered_for_account',
      `${id} is not registered for account ${request.account_id}`,
      'representative',
    );
  }
  if (request.date < representative.authority_valid_from) {
    return refuseCustody(
      'authority_not_yet_valid',
      `the authority of ${id} is valid from ${representative.authority_valid_from}`,
      'date',
    );
  }
  if (request.date > representative.authority_valid_until) {
    return refuseCustody(
      'authority_lapsed',
      `the authority of ${id} lapsed after ${representative.authority_valid_until}`,
      'date',
    );
  }
  const revoked = representative.revoked_on;
  if (revoked !== null && request.date >= revoked) {
    return refuseCustody('authority_revoked', `the authority of ${id} was revoked on ${revoked}`, 'date');
  }
  const limit = representative.limit_fine_milli_oz;
  const total = request.received_fine_milli_oz + request.fine_milli_oz;
  if (limit !== null && total > limit) {
    return refuseCustody(
      'exceeds_representative_limit',
      `${id} may receive ${describeWeight(limit)} in all; this release would make ${describeWeight(total)}`,
      'quantity',
    );
  }
  return { ok: true };
}

/** The hand-over as the depository operator records it at the vault. */
export interface HandOver extends AuthorityRequest {
  /** The operator saw the identity document registered for the representative. */
  readonly identity_document_checked: boolean;
}

/** Checks a hand-over: the representative's authority, then the operator's identity check. */
export function checkHandOver(representative: Representative, handOver: HandOver): CustodyOutcome<object> {
  const authority = checkAuthority(representative, handOver);
  if (!authority.ok) return authority;
  if (!handOver.identity_document_checked) {
    return refuseCustody(
      'identity_not_checked',
      `the operator must check ${representative.name}'s ${representative.identity_document} before hand-over`,
      'identity_document_checked',
    );
  }
  return { ok: true };
}
