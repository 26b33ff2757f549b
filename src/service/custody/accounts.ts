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
import { reweighLines } from '../vault/reweigh.ts';
import type { ApprovalPayload } from './approvals-store.ts';
import { transitAccountId } from './instruction-plans.ts';
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
      const row = await tx
        .selectFrom('instructions')
        .select('body')
        .where('id', '=', payload.instruction_id)
        .executeTakeFirst();
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
      const replaces = await tx
        .selectFrom('fee_schedules')
        .select('id')
        .where('id', '=', payload.party_id)
        .executeTakeFirst();
      const party = await partyNamed(tx, payload.party_id);
      return feeScheduleLines(party, payload.schedule, replaces !== undefined);
    }
    case 'reweigh_bar':
      return reweighLines(tx, payload);
    case 'user_change': {
      const change = payload.change;
      const party = change.kind === 'register_user' ? change.user.party_id : change.party_id;
      const current =
        change.kind === 'register_user'
          ? undefined
          : await tx
              .selectFrom('users')
              .select(['name', 'role'])
              .where('id', '=', change.user_id)
              .where('party_id', '=', change.party_id)
              .executeTakeFirst();
      return userChangeLines(change, await partyNamed(tx, party), current);
    }
  }
}

async function signingRuleReference(
  tx: Tx,
  rule: Parameters<typeof signingRuleLines>[0],
  owner: string,
): Promise<string[]> {
  const stored = await tx
    .selectFrom('signing_rules')
    .select('body')
    .where('id', '=', rule.account_id)
    .executeTakeFirst();
  const replaced = stored ? storedSigningRule(stored.body, rule.account_id) : undefined;
  const ids = [...rule.signatory_user_ids, ...(replaced?.signatory_user_ids ?? [])];
  const users = await tx.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
  return signingRuleLines(rule, owner, users, replaced);
}

async function withRecorded(tx: Tx, proposed: Fixing) {
  const row = await tx
    .selectFrom('fixings')
    .selectAll()
    .where('date', '=', proposed.date)
    .where('currency', '=', proposed.currency)
    .executeTakeFirst();
  const currency: CurrencyCode | undefined = row && isCurrencyCode(row.currency) ? row.currency : undefined;
  const recorded =
    row && currency
      ? { date: row.date, currency, minor_per_oz: row.minor_per_oz, source: row.source }
      : undefined;
  return { proposed, recorded };
}

async function partyNamed(tx: Tx, id: string): Promise<{ id: string; name: string }> {
  const row = await tx.selectFrom('parties').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
  return row ?? { id, name: 'no such party' };
}

async function namedAccounts(tx: Tx, representative: Representative): Promise<NamedAccount[]> {
  if (representative.account_ids.length === 0) return [];
  return tx
    .selectFrom('accounts')
    .select(['id', 'party_id', 'kind', 'unit'])
    .where('id', 'in', representative.account_ids)
    .execute();
}

/** What the books say about an instruction now: its bars, representative, charges and cash. */
export async function instructionFacts(tx: Tx, instruction: Instruction): Promise<InstructionFacts> {
  const details = instruction.details;
  const schedule = await feeScheduleOf(tx, instruction.client_party_id);
  const target =
    details.kind === 'transfer' && details.target.kind === 'existing_account'
      ? await tx
          .selectFrom('accounts')
          .select('party_id')
          .where('id', '=', details.target.account_id)
          .executeTakeFirst()
      : undefined;
  const cash = await tx
    .selectFrom('accounts')
    .select(['id', 'balance'])
    .where('party_id', '=', instruction.client_party_id)
    .where('kind', '=', 'cash')
    .where('unit', '=', schedule.currency)
    .orderBy('id')
    .executeTakeFirst();
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
  const rows = await tx
    .selectFrom('accounts')
    .select(['id', 'balance'])
    .where('id', 'in', ids)
    .where('unit', '=', 'XAU')
    .execute();
  return new Map(rows.map((row) => [row.id, row.balance]));
}

/** The bars an instruction names, or else those reserved for it or moved by it, in id order. */
async function barsNamed(tx: Tx, instruction: Instruction): Promise<AccountBar[]> {
  const columns = ['bars.id', 'bars.refiner', 'bars.serial', 'bars.fine_milli_oz'] as const;
  const selection = instruction.selection;
  if (selection.kind === 'bars') {
    const bars: AccountBar[] = [];
    for (let start = 0; start < selection.bar_ids.length; start += 1000) {
      const chunk = selection.bar_ids.slice(start, start + 1000);
      bars.push(...(await tx.selectFrom('bars').select(columns).where('id', 'in', chunk).execute()));
    }
    return bars.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return tx
    .selectFrom('instruction_bars')
    .innerJoin('bars', 'bars.id', 'instruction_bars.bar_id')
    .select(columns)
    .where('instruction_bars.instruction_id', '=', instruction.id)
    .orderBy('bars.id')
    .execute();
}
