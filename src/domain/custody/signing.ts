// Per-account signing rules: an instruction binds the client only when enough of the signatories
// named for the account have signed it ("any two of these four").
import type { Role, User } from './controls.ts';
import { type CustodyOutcome, refuseCustody } from './refusal.ts';

/** The most signatories one rule may name: a named constant, as every limit is. */
export const SIGNATORIES_PER_RULE_MAX = 64;
const SIGNING_ROLE: Role = 'client_signatory';

/** Any `required_signatures` of `signatory_user_ids` must sign for the account. */
export interface SigningRule {
  readonly account_id: string;
  readonly required_signatures: number;
  readonly signatory_user_ids: readonly string[];
}

/**
 * One signatory's signature, dated, over the digest of the account it signed (account-text.ts).
 * A signature recorded before signatures kept what they signed has no digest.
 */
export interface Signature {
  readonly user_id: string;
  readonly signed_on: string;
  readonly digest?: string;
}

/**
 * Checks a rule before it is set: at least one signature required, no more than there are
 * signatories, no one named twice, and everyone named an active signatory of the account's owner.
 */
export function checkSigningRule(
  rule: SigningRule,
  owner_party_id: string,
  users: ReadonlyMap<string, User>,
): CustodyOutcome<object> {
  const count = rule.signatory_user_ids.length;
  const required = rule.required_signatures;
  if (!Number.isSafeInteger(required) || required < 1 || required > count) {
    return invalid(`requires ${required} signatures of ${count} signatories`, 'required_signatures');
  }
  if (count > SIGNATORIES_PER_RULE_MAX) {
    return invalid(`names ${count} signatories; at most ${SIGNATORIES_PER_RULE_MAX}`, 'signatories');
  }
  if (new Set(rule.signatory_user_ids).size !== count) {
    return invalid('names a signatory twice', 'signatories');
  }
  for (const id of rule.signatory_user_ids) {
    const user = users.get(id);
    if (!user || user.role !== SIGNING_ROLE || user.party_id !== owner_party_id || !user.active) {
      return invalid(`names ${id}, who is not an active signatory of ${owner_party_id}`, 'signatories');
    }
  }
  return { ok: true };

  function invalid(what: string, field: string) {
    return refuseCustody('signing_rule_invalid', `the signing rule of ${rule.account_id} ${what}`, field);
  }
}

/**
 * Adds one signature to those collected; `complete` tells whether the rule is now met. Every
 * signature must be over the account the first was: two signatories who signed different terms
 * have not both signed anything.
 */
export function addSignature(
  rule: SigningRule,
  collected: readonly Signature[],
  signature: Signature,
): CustodyOutcome<{ signatures: readonly Signature[]; complete: boolean }> {
  if (!rule.signatory_user_ids.includes(signature.user_id)) {
    return refuseCustody(
      'signer_not_on_signatory_list',
      `${signature.user_id} is not a signatory of account ${rule.account_id}`,
      'signer',
    );
  }
  if (collected.some((earlier) => earlier.user_id === signature.user_id)) {
    return refuseCustody('signatory_already_signed', `${signature.user_id} has already signed`, 'signer');
  }
  const first = collected[0];
  if (first !== undefined && first.digest !== signature.digest) {
    return refuseCustody(
      'approval_changed',
      `${signature.user_id} signs an account (digest ${signature.digest ?? 'none'}) other than the one ` +
        `${first.user_id} signed (digest ${first.digest ?? 'none recorded'})`,
      'digest',
    );
  }
  const signatures = [...collected, signature];
  return { ok: true, signatures, complete: signatures.length >= rule.required_signatures };
}

/** Checks a full set of signatures against a rule, in order: listed, each once, enough of them. */
export function checkSignatures(rule: SigningRule, signatures: readonly Signature[]): CustodyOutcome<object> {
  let collected: readonly Signature[] = [];
  for (const signature of signatures) {
    const added = addSignature(rule, collected, signature);
    if (!added.ok) return added;
    collected = added.signatures;
  }
  if (collected.length < rule.required_signatures) {
    return refuseCustody(
      'too_few_signatures',
      `account ${rule.account_id} needs ${rule.required_signatures} signatures; ${collected.length} given`,
      'signatures',
    );
  }
  return { ok: true };
}
