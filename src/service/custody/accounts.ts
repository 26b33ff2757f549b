// The accounts checkers and signatories approve: loaded from the books in the caller's transaction
// and composed by the domain (account-text.ts), so proposing, showing and approving all compose
// the same lines from the same facts, and any change in the books since shows in the digest.
import { type AccountText, accountOf } from '../../domain/custody/account-text.ts';
import type { Instruction } from '../../domain/custody/instruction.ts';
import {
  type AccountBar,
  type InstructionFacts,
  instructionAccountLines,
  stepAccountLines,
} from '../../domain/custody/instruction-account.ts';
import {
  type ApprovalHeader,
  feeScheduleLines,
  fixingsLines,
  headerLines,
  type NamedAccount,
  representativeLines,
  revocationLines,
  signingRuleLines,
  userChangeLines,
} from '../../domain/custody/reference-account.ts';
import type { Representative } from '../../domain/custody/representatives.ts';
import type { Fixing } from '../../domain/fixing.ts';
import { type CurrencyCode, isCurrencyCode } from '../../domain/money.ts';
import type { Tx } from '../../store/store.ts';
import { fixingOn } from '../trading/queries-fixings.ts';
import { reweighLines } from '../vault/reweigh.ts';
import type { ApprovalPayload } from './approvals-store.ts';
import { transitAccountId } from './instruction-plans.ts';
import {
  accountOwner,
  accountsNamed,
  barsNamedIn,
  barsNamedOfInstruction,
  cashAccountIn,
  goldAccountBalances,
  partyName,
} from './queries-accounts.ts';
import { instructionBody } from './queries-instructions.ts';
import { feeScheduleAgreed, signingRuleBody, userNames, userOfParty } from './queries-reference.ts';
import { feeScheduleOf, loadRepresentative } from './reference.ts';
import { storedInstruction, storedSigningRule } from './stored.ts';

/** The account a signatory signs (and accepts the quote of), as the books give it now. */
export async function instructionAccount(tx: Tx, instruction: Instruction): Promise<AccountText> {
  return accountOf(instructionAccountLines(await instructionFacts(tx, instruction)));
}

/** The account of a pending approval, as the books give it now. */
export async function approvalAccount(
  tx: Tx,
  header: ApprovalHeader,
  payload: ApprovalPayload,
): Promise<AccountText> {
  return accountOf([...headerLines(header), ...(await payloadLines(tx, payload))]);
}

async function payloadLines(tx: Tx, payload: ApprovalPayload): Promise<string[]> {
  switch (payload.kind) {
    case 'instruction_step': {
      const row = await instructionBody(tx, payload.instruction_id);
      if (!row) return [`Instruction ${payload.instruction_id}: no such instruction`];
      const facts = await instructionFacts(tx, storedInstruction(row.body, payload.instruction_id));
      return stepAccountLines(facts, payload);
    }
    case 'register_representative':
      return representativeLines(payload.representative, await namedAccounts(tx, payload.representative));
    case 'revoke_representative': {
      const existing = await loadRepresentative(tx, payload.representative_id);
      if (!existing) return [`Revoke representative ${payload.representative_id}: no such representative`];
      return revocationLines(payload.revoked_on, existing, await namedAccounts(tx, existing));
    }
    case 'set_signing_rule':
      return signingRuleReference(tx, payload.rule, payload.owner_party_id);
    case 'record_fixing': {
      const fixings = [];
      for (const fixing of payload.fixings) fixings.push(await withRecorded(tx, fixing));
      return fixingsLines(fixings);
    }
    case 'set_fee_schedule': {
      const replaces = await feeScheduleAgreed(tx, payload.party_id);
      const party = await partyNamed(tx, payload.party_id);
      return feeScheduleLines(party, payload.schedule, replaces !== undefined);
    }
    case 'reweigh_bar':
      return reweighLines(tx, payload);
    case 'user_change': {
      const change = payload.change;
      const party = change.kind === 'register_user' ? change.user.party_id : change.party_id;
      const current =
        change.kind === 'register_user' ? undefined : await userOfParty(tx, change.user_id, change.party_id);
      return userChangeLines(change, await partyNamed(tx, party), current);
    }
  }
}

async function signingRuleReference(
  tx: Tx,
  rule: Parameters<typeof signingRuleLines>[0],
  owner: string,
): Promise<string[]> {
  const stored = await signingRuleBody(tx, rule.account_id);
  const replaced = stored ? storedSigningRule(stored.body, rule.account_id) : undefined;
  const ids = [...rule.signatory_user_ids, ...(replaced?.signatory_user_ids ?? [])];
  const users = await userNames(tx, ids);
  return signingRuleLines(rule, owner, users, replaced);
}

async function withRecorded(tx: Tx, proposed: Fixing) {
  const row = await fixingOn(tx, proposed.date, proposed.currency);
  const currency: CurrencyCode | undefined = row && isCurrencyCode(row.currency) ? row.currency : undefined;
  const recorded =
    row && currency
      ? { date: row.date, currency, minor_per_oz: row.minor_per_oz, source: row.source }
      : undefined;
  return { proposed, recorded };
}

async function partyNamed(tx: Tx, id: string): Promise<{ id: string; name: string }> {
  const row = await partyName(tx, id);
  return row ?? { id, name: 'no such party' };
}

async function namedAccounts(tx: Tx, representative: Representative): Promise<NamedAccount[]> {
  if (representative.account_ids.length === 0) return [];
  return accountsNamed(tx, representative.account_ids);
}

/** What the books say about an instruction now: its bars, representative, charges and cash. */
export async function instructionFacts(tx: Tx, instruction: Instruction): Promise<InstructionFacts> {
  const details = instruction.details;
  const schedule = await feeScheduleOf(tx, instruction.client_party_id);
  const target =
    details.kind === 'transfer' && details.target.kind === 'existing_account'
      ? await accountOwner(tx, details.target.account_id)
      : undefined;
  const cash = await cashAccountIn(tx, instruction.client_party_id, schedule.currency);
  return {
    instruction,
    client_name: (await partyNamed(tx, instruction.client_party_id)).name,
    bars: await barsNamed(tx, instruction),
    representative:
      details.kind === 'release' ? await loadRepresentative(tx, details.representative_id) : undefined,
    target_owner: target?.party_id ?? null,
    schedule,
    cash: cash
      ? { account_id: cash.id, balance: { currency: schedule.currency, minor: cash.balance } }
      : null,
    transit_account_id: transitAccountId(instruction.source_account_id),
    gold_balances: await goldBalances(tx, instruction),
  };
}

/** The balances of the gold accounts an instruction's steps move its bars between, by id. */
async function goldBalances(tx: Tx, instruction: Instruction): Promise<Map<string, bigint>> {
  const details = instruction.details;
  const ids = [instruction.source_account_id, transitAccountId(instruction.source_account_id)];
  if (details.kind === 'transfer') ids.push(details.target.account_id);
  const rows = await goldAccountBalances(tx, ids);
  return new Map(rows.map((row) => [row.id, row.balance]));
}

/** The bars an instruction names, or else those reserved for it or moved by it, in id order. */
async function barsNamed(tx: Tx, instruction: Instruction): Promise<AccountBar[]> {
  const selection = instruction.selection;
  if (selection.kind === 'bars') {
    const bars: AccountBar[] = [];
    for (let start = 0; start < selection.bar_ids.length; start += 1000) {
      const chunk = selection.bar_ids.slice(start, start + 1000);
      bars.push(...(await barsNamedIn(tx, chunk)));
    }
    return bars.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return barsNamedOfInstruction(tx, instruction.id);
}
