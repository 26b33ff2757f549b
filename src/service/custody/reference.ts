// Reference data of custody: representatives, signing rules and fee schedules, stored as the
// domain's records; and the acting users, loaded and checked for every step.

import { type FeeSchedule, feeSchedule1961 } from '../../domain/custody/charges.ts';
import type { User } from '../../domain/custody/controls.ts';
import { type CustodyOutcome, refuseCustody } from '../../domain/custody/refusal.ts';
import type { Representative } from '../../domain/custody/representatives.ts';
import type { SigningRule } from '../../domain/custody/signing.ts';
import { assert } from '../../domain/outcome.ts';
import type { Tx } from '../../store/store.ts';
import { toJson } from '../kernel/json.ts';
import { toUser } from '../parties/users.ts';
import {
  activeSignatories,
  depositoryParty,
  feeScheduleBody,
  type ReferenceTable,
  referenceHolder,
  representativeBody,
  signingRuleBody,
  upsertReference,
  userRow,
} from './queries-reference.ts';
import { storedFeeSchedule, storedRepresentative, storedSigningRule } from './stored.ts';

/** A user by id, or a refusal naming the field the id came in. */
export async function loadUser(tx: Tx, id: string, field = 'user'): Promise<CustodyOutcome<{ user: User }>> {
  const row = await userRow(tx, id);
  if (!row) return refuseCustody('invalid_input', `no user ${id} is registered`, field);
  return { ok: true, user: toUser(row) };
}

/** The depository's party id; every custody rule needs it. */
export async function depositoryOf(tx: Tx): Promise<string> {
  const row = await depositoryParty(tx);
  return row?.id ?? '';
}

/** A registered representative, if any. */
export async function loadRepresentative(tx: Tx, id: string): Promise<Representative | undefined> {
  const row = await representativeBody(tx, id);
  return row ? storedRepresentative(row.body, id) : undefined;
}

/**
 * Refuses a representative whose id another party holds, exactly as a representative that does not
 * exist is refused: a bank may not take over another's representative (and its history of what it
 * received), nor learn more of it than that the id is not its own.
 */
export async function checkRepresentativeHolder(
  tx: Tx,
  representative: Pick<Representative, 'id' | 'client_party_id'>,
): Promise<CustodyOutcome<object>> {
  const row = await referenceHolder(tx, 'representatives', representative.id);
  if (row === undefined || row.party_id === representative.client_party_id) return { ok: true };
  return refuseCustody(
    'representative_not_found',
    `no representative ${representative.id}`,
    'representative',
  );
}

/**
 * The signing rule of an account. Without one set, any one active signatory of the account's
 * owner binds it (a client's letter to the depository usually sets a stricter rule).
 */
export async function signingRuleOf(tx: Tx, accountId: string, ownerPartyId: string): Promise<SigningRule> {
  const row = await signingRuleBody(tx, accountId);
  if (row) return storedSigningRule(row.body, accountId);
  const signatories = await activeSignatories(tx, ownerPartyId);
  return { account_id: accountId, required_signatures: 1, signatory_user_ids: signatories.map((s) => s.id) };
}

/** A client's fee schedule; the 1961 terms (no custody fee, shipment at the client's cost) by default. */
export async function feeScheduleOf(tx: Tx, partyId: string): Promise<FeeSchedule> {
  const row = await feeScheduleBody(tx, partyId);
  return row ? storedFeeSchedule(row.body, partyId) : feeSchedule1961(`${partyId}-1961`);
}

/**
 * Writes a reference record (a representative, a signing rule, a fee schedule), replacing the last
 * of the same party. A record of another party under the same id is never replaced: the callers
 * refuse that first, so meeting one here is a bug.
 */
export async function saveReference(
  tx: Tx,
  table: ReferenceTable,
  record: {
    id: string;
    party_id: string;
    body: unknown;
    made_by: string;
    checked_by: string | null;
    now: string;
  },
): Promise<void> {
  const values = {
    id: record.id,
    party_id: record.party_id,
    body: toJson(record.body),
    made_by: record.made_by,
    checked_by: record.checked_by,
    updated_at: record.now,
  };
  const held = await referenceHolder(tx, table, record.id);
  assert(
    held === undefined || held.party_id === record.party_id,
    `${table} ${record.id} belongs to ${held?.party_id}, not ${record.party_id}`,
  );
  await upsertReference(tx, table, values);
}
