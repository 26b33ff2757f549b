// The postings and bar moves of an instruction's step, written as one journal entry: a release to a
// representative, a transfer to a third party, a shipment's costs, dispatch, delivery, return.
import type { FeeSchedule } from '../../domain/custody/charges.ts';
import type { Instruction, StepPlan } from '../../domain/custody/instruction.ts';
import {
  type HandOverRecord,
  type MovementPlan,
  type PlanInput,
  planDelivery,
  planDispatch,
  planRelease,
  planReturn,
  planShipmentCharge,
  planTransfer,
} from '../../domain/custody/movement.ts';
import { type CustodyOutcome, refuseCustody } from '../../domain/custody/refusal.ts';
import type { CustodyBar } from '../../domain/custody/reservation.ts';
import { externalAccountId } from '../../domain/ledger.ts';
import { assert } from '../../domain/outcome.ts';
import type { Tx } from '../../store/store.ts';
import { addPostings, insertEntry, loadAccounts, nextEntryId, sealEntry } from '../journal/journal.ts';
import type { Ingot } from '../kernel/context.ts';
import { ensureExternalAccount } from '../parties/parties.ts';
import { recordPartyOnce } from '../parties/queries-parties.ts';
import {
  cashAccountId,
  executedReleases,
  fineOfInstructionBars,
  instructionBarsIn,
  moveBar,
  openAccountOnce,
  recordBarMove,
} from './queries-plans.ts';
import { depositoryOf, loadRepresentative } from './reference.ts';
import { storedInstruction } from './stored.ts';

/** Where each plan's bars are before it, and what state they are left in after it. */
const BAR_PATH: Record<Exclude<StepPlan, 'none' | 'shipment_charge'>, { from: string; to: string }> = {
  release: { from: 'reserved', to: 'delivered_out' },
  transfer: { from: 'reserved', to: 'held' },
  dispatch: { from: 'reserved', to: 'in_transit' },
  delivery: { from: 'in_transit', to: 'delivered_out' },
  return: { from: 'in_transit', to: 'held' },
};

/** The account holding a shipment's bars while they travel: a custody account of the client. */
export function transitAccountId(sourceAccountId: string): string {
  return `${sourceAccountId}-TRANSIT`;
}

/** Opens a transfer's disposal account (and registers its beneficiary) when the step executes. */
async function openDisposalAccount(tx: Tx, instruction: Instruction, now: string): Promise<void> {
  const details = instruction.details;
  if (details.kind !== 'transfer' || details.target.kind !== 'disposal_account') return;
  const { beneficiary_party_id, beneficiary_name, account_id } = details.target;
  await recordPartyOnce(tx, {
    id: beneficiary_party_id,
    name: beneficiary_name,
    role: 'third_party',
    created_at: now,
  });
  await openAccountOnce(
    tx,
    { id: account_id, party_id: beneficiary_party_id, kind: 'custody', unit: 'XAU' },
    now,
  );
}

async function barsOf(tx: Tx, instructionId: string, state: string): Promise<CustodyBar[]> {
  const rows = await instructionBarsIn(tx, instructionId, state);
  return rows.map((row) => ({ ...row, reserved_for: row.instruction_id }));
}

export interface PlanContext {
  readonly date: string;
  readonly schedule: FeeSchedule;
  readonly handover: HandOverRecord | undefined;
}

/** Plans a step's movement and writes it as one journal entry; returns the entry's number. */
export async function executePlan(
  tx: Tx,
  ingot: Ingot,
  instruction: Instruction,
  plan: Exclude<StepPlan, 'none'>,
  context: PlanContext,
): Promise<CustodyOutcome<{ entry_id: bigint }>> {
  const now = ingot.now();
  const currency = context.schedule.currency;
  const clientCash = await cashAccountId(tx, instruction.client_party_id, currency);
  if (!clientCash) {
    const message = `${instruction.client_party_id} has no ${currency} account to bear the charges`;
    return refuseCustody('account_not_found', message, 'account');
  }
  const fees = `${await depositoryOf(tx)}-FEES`;
  await openAccountOnce(
    tx,
    { id: fees, party_id: await depositoryOf(tx), kind: 'cash', unit: currency },
    now,
  );
  const transit = transitAccountId(instruction.source_account_id);
  await openAccountOnce(
    tx,
    { id: transit, party_id: instruction.client_party_id, kind: 'custody', unit: 'XAU' },
    now,
  );
  await ensureExternalAccount(tx, 'XAU', now);
  await openDisposalAccount(tx, instruction, now);
  const path = plan === 'shipment_charge' ? null : BAR_PATH[plan];
  const bars = path ? await barsOf(tx, instruction.id, path.from) : [];
  const target = instruction.details.kind === 'transfer' ? [instruction.details.target.account_id] : [];
  const ids = [instruction.source_account_id, transit, fees, clientCash, externalAccountId('XAU'), ...target];
  const input: PlanInput = {
    instruction,
    bars,
    accounts: await loadAccounts(tx, ids),
    schedule: context.schedule,
    charge_accounts: { client_cash_account_id: clientCash, fee_income_account_id: fees },
    date: context.date,
  };
  const planned = await planFor(tx, plan, input, context.handover, transit);
  if (!planned.ok) return planned;
  const entryId = await nextEntryId(tx);
  await insertEntry(tx, entryId, {
    kind: `instruction_${plan}`,
    value_date: context.date,
    recorded_at: now,
    memo: planned.memo,
  });
  const posted = await addPostings(tx, entryId, planned.postings, input.accounts);
  assert(posted.ok, `postings of ${instruction.id} refused after planning`);
  if (path) await moveBars(tx, entryId, planned, path.to, instruction.id);
  await sealEntry(tx, entryId);
  return { ok: true, entry_id: entryId };
}

async function planFor(
  tx: Tx,
  plan: Exclude<StepPlan, 'none'>,
  input: PlanInput,
  handover: HandOverRecord | undefined,
  transit: string,
): Promise<CustodyOutcome<MovementPlan>> {
  switch (plan) {
    case 'release': {
      const details = input.instruction.details;
      assert(details.kind === 'release', 'a release plan for another kind');
      if (!handover)
        return refuseCustody(
          'identity_not_checked',
          'record the hand-over: who came, and the identity check',
          'handover',
        );
      const representative = await loadRepresentative(tx, handover.representative_id);
      if (!representative) {
        return refuseCustody(
          'representative_not_found',
          `no representative ${handover.representative_id}`,
          'representative',
        );
      }
      const received = await receivedSoFar(tx, representative.id);
      return planRelease(input, representative, handover, received);
    }
    case 'transfer':
      return planTransfer(input);
    case 'shipment_charge':
      return planShipmentCharge(input);
    case 'dispatch':
      return planDispatch(input, transit);
    case 'delivery':
      return planDelivery(input, transit);
    case 'return':
      return planReturn(input, transit);
  }
}

/** The fine gold handed to a representative so far: the bars of the executed releases naming it. */
export async function receivedSoFar(tx: Tx, representativeId: string): Promise<bigint> {
  const rows = await executedReleases(tx);
  let total = 0n;
  for (const row of rows) {
    const details = storedInstruction(row.body, row.id).details;
    if (details.kind !== 'release' || details.representative_id !== representativeId) continue;
    total += await fineOfInstructionBars(tx, row.id);
  }
  return total;
}

async function moveBars(
  tx: Tx,
  entryId: bigint,
  planned: MovementPlan,
  state: string,
  instructionId: string,
) {
  for (const move of planned.bar_moves) {
    await recordBarMove(tx, { entry_id: entryId, ...move });
    const keep = state === 'in_transit' ? instructionId : null;
    const updated = await moveBar(tx, move, state, keep);
    assert(updated === 1n, `bar ${move.bar_id} was not in ${move.source_account_id}`);
  }
}
