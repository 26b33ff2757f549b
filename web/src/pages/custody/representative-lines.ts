// A representative's terms in words, as its approval states them: who, by which document, from when
// to when, for which accounts, up to how much in all.
import { showWeight } from '../../format.ts';
import type { RepresentativeShown } from './terms.ts';

/** The lines that describe a representative's authority. */
export function representativeLines(representative: RepresentativeShown): string[] {
  const limit = representative.limit_fine_milli_oz;
  return [
    `Representative ${representative.id}: ${representative.name}`,
    `Identity document: ${representative.identity_document}`,
    `Authority from ${representative.authority_valid_from} to ${representative.authority_valid_until} (included)` +
      (representative.revoked_on ? `, revoked from ${representative.revoked_on}` : ''),
    `Accounts: ${representative.account_ids.join(', ')}`,
    limit === null ? 'Limit: none' : `Limit: ${showWeight(limit)} in all (over all its releases)`,
    ...receivedLines(representative),
  ];
}

/** What it has received so far, and what of its limit is left, when the desk has read it. */
function receivedLines(representative: RepresentativeShown): string[] {
  const received = representative.received_fine_milli_oz;
  if (received === null) return [];
  const limit = representative.limit_fine_milli_oz;
  if (limit === null) return [`Received so far: ${showWeight(received)}`];
  const left = BigInt(limit) - BigInt(received);
  return [
    `Received so far: ${showWeight(received)} of its limit; ${showWeight((left > 0n ? left : 0n).toString())} left`,
  ];
}

/** Whether a representative may collect on a date (its authority then, not revoked). */
export function authorizedOn(representative: RepresentativeShown, date: string): boolean {
  if (representative.revoked_on !== null && representative.revoked_on <= date) return false;
  return representative.authority_valid_from <= date && date <= representative.authority_valid_until;
}
