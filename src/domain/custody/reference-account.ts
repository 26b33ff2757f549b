// The account of a change of reference data waiting for a second user: a fixing, a representative,
// a signing rule, a fee schedule, a change of a bank's users. Each is composed from the proposal
// and what the books hold now (the rule or schedule it replaces, the names of the people it names).
import type { Fixing } from '../fixing.ts';
import { money } from '../money.ts';
import { describeWeight } from '../weight.ts';
import { amountText } from './account-text.ts';
import type { CustodyFee, FeeSchedule } from './charges.ts';
import { oneLine } from './instruction-account.ts';
import type { Representative } from './representatives.ts';
import type { SigningRule } from './signing.ts';
import type { UserChange } from './user-admin.ts';

/** Who proposed what: the first line of every approval's account. */
export interface ApprovalHeader {
  readonly id: bigint;
  readonly action: string;
  readonly party_id: string;
  readonly maker_user_id: string;
}

/** The header lines: the approval's number, what it is, for which party, proposed by whom. */
export function headerLines(header: ApprovalHeader): string[] {
  return [
    `Approval ${header.id}: ${header.action.replaceAll('_', ' ')} for ${header.party_id}, proposed by ${header.maker_user_id}`,
  ];
}

/** Fixings entered by hand, each with the one already recorded for its date and currency, if any. */
export function fixingsLines(
  fixings: readonly { readonly proposed: Fixing; readonly recorded: Fixing | undefined }[],
): string[] {
  return fixings.flatMap(({ proposed, recorded }) => [
    `Fixing of ${proposed.date} in ${proposed.currency}: ${priceText(proposed)} per fine oz; source ${oneLine(proposed.source)}`,
    recorded
      ? `  Already recorded for that date: ${priceText(recorded)} per fine oz (source ${oneLine(recorded.source)})`
      : '  None recorded for that date yet',
  ]);
}

function priceText(fixing: Fixing): string {
  return amountText(money(fixing.currency, fixing.minor_per_oz), fixing.date);
}

/** An account a representative is registered for, as the books hold it. */
export interface NamedAccount {
  readonly id: string;
  readonly party_id: string;
  readonly kind: string;
  readonly unit: string;
}

/** A representative to register: who, with which document, for which accounts, up to how much. */
export function representativeLines(
  representative: Representative,
  accounts: readonly NamedAccount[],
): string[] {
  const limit = representative.limit_fine_milli_oz;
  return [
    `Representative ${representative.id} of ${representative.client_party_id}: ${oneLine(representative.name)}`,
    `Identity document: ${oneLine(representative.identity_document)}`,
    `Authority from ${representative.authority_valid_from} to ${representative.authority_valid_until} (included)` +
      (representative.revoked_on ? `, revoked from ${representative.revoked_on}` : ''),
    `Accounts: ${representative.account_ids.map((id) => accountWords(id, accounts)).join(', ')}`,
    `Limit: ${limit === null ? 'none' : `${describeWeight(limit)} in all`}`,
  ];
}

function accountWords(id: string, accounts: readonly NamedAccount[]): string {
  const account = accounts.find((a) => a.id === id);
  return account
    ? `${id} (${account.kind}, ${account.unit}, of ${account.party_id})`
    : `${id} (no such account)`;
}

/** A representative's authority revoked from a date: whose, and the terms that end. */
export function revocationLines(
  revoked_on: string,
  representative: Representative,
  accounts: readonly NamedAccount[],
): string[] {
  return [
    `Revoke the authority of representative ${representative.id} from ${revoked_on}`,
    ...representativeLines(representative, accounts),
  ];
}

/** A user as an account names it. */
export interface NamedUser {
  readonly id: string;
  readonly name: string;
}

/** A signing rule, and the rule (or default) it replaces. */
export function signingRuleLines(
  rule: SigningRule,
  owner: string,
  users: readonly NamedUser[],
  replaced: SigningRule | undefined,
): string[] {
  return [
    `Signing rule of account ${rule.account_id} of ${owner}: ${ruleWords(rule, users)}`,
    replaced
      ? `Replaces: ${ruleWords(replaced, users)}`
      : 'Replaces: no rule (any one active signatory of the owner binds the account)',
  ];
}

function ruleWords(rule: SigningRule, users: readonly NamedUser[]): string {
  const names = rule.signatory_user_ids.map((id) => {
    const user = users.find((u) => u.id === id);
    return user ? `${id} (${oneLine(user.name)})` : `${id} (no such user)`;
  });
  return `any ${rule.required_signatures} of ${names.join(', ')}`;
}

/** A client's fee schedule, every term with its unit, and whether it replaces one. */
export function feeScheduleLines(
  party: { readonly id: string; readonly name: string },
  schedule: FeeSchedule,
  replaces: boolean,
): string[] {
  const fee = (minor: bigint) => amountText(money(schedule.currency, minor));
  return [
    `Fee schedule of ${oneLine(party.name)} (${party.id}), agreement ${oneLine(schedule.agreement_id)}, in ${schedule.currency}`,
    `Custody fee: ${custodyWords(schedule.custody, fee)}`,
    `Handling fee per release: ${fee(schedule.handling_per_release_minor)}`,
    `Handling fee per transfer: ${fee(schedule.handling_per_transfer_minor)}`,
    `Handling fee per shipment: ${fee(schedule.handling_per_shipment_minor)}`,
    `Shipment transport and insurance borne by: the ${schedule.shipment_costs_payer}`,
    replaces ? 'Replaces the schedule now in force' : 'Replaces the default terms (the 1961 agreement)',
  ];
}

function custodyWords(custody: CustodyFee, fee: (minor: bigint) => string): string {
  if (custody.kind === 'none') return 'none';
  if (custody.kind === 'rate_of_value') {
    return `${custody.per_year_per10k} per 10,000 of the gold's value a year`;
  }
  return `${fee(custody.per_bar_per_year_minor)} per bar a year`;
}

/** A change of a bank's users: who, of which bank, which role before and after. */
export function userChangeLines(
  change: UserChange,
  bank: { readonly id: string; readonly name: string },
  current: { readonly name: string; readonly role: string } | undefined,
): string[] {
  const of = `of ${oneLine(bank.name)} (${bank.id})`;
  if (change.kind === 'register_user') {
    const { user } = change;
    return [`Register user ${user.id}: ${oneLine(user.name)}, ${of}, as ${user.role}`];
  }
  const who = current
    ? `${change.user_id}: ${oneLine(current.name)}, ${of}`
    : `${change.user_id} ${of} (no such user)`;
  if (change.kind === 'change_user_role') {
    return [`Change the role of user ${who}`, `Role: ${current?.role ?? 'none'} → ${change.role}`];
  }
  return [`Disable user ${who}, now ${current?.role ?? 'no role'}; its sessions and tokens end`];
}
