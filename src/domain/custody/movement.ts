// The postings and bar moves of an instruction's steps: release, transfer, dispatch, delivery,
// return, and a shipment's costs. Each plan checks its rules in order and writes nothing; the store
// writes the plan with the step, in one transaction, or nothing at all.
import { type Account, applyPostings, externalAccountId, type Posting } from '../ledger.ts';
import type { Money } from '../money.ts';
import { assert } from '../outcome.ts';
import { barsText, describeWeight, type FineMilliOz } from '../weight.ts';
import {
  type ChargeAccounts,
  chargePostings,
  type FeeSchedule,
  handlingFee,
  shipmentCharge,
} from './charges.ts';
import type { Instruction } from './instruction.ts';
import { type CustodyOutcome, refuseCustody } from './refusal.ts';
import { checkHandOver, type Representative } from './representatives.ts';
import type { CustodyBar } from './reservation.ts';

/** One bar changing account; the bar's history is the list of its moves. */
export interface BarMove {
  readonly bar_id: bigint;
  readonly source_account_id: string;
  readonly target_account_id: string;
}

/** What the store writes for a step: one journal entry with these postings and bar moves. */
export interface MovementPlan {
  readonly memo: string;
  readonly postings: readonly Posting[];
  readonly bar_moves: readonly BarMove[];
  readonly fine_milli_oz: FineMilliOz;
  readonly charge: Money;
  readonly balances: ReadonlyMap<string, bigint>;
}

/** What every plan needs, loaded by the store in the step's transaction. */
export interface PlanInput {
  readonly instruction: Instruction;
  /** The bars the step moves: reserved for the instruction, or in transit for it. */
  readonly bars: readonly CustodyBar[];
  /** Every account the plan posts to, with its balance now. */
  readonly accounts: ReadonlyMap<string, Account>;
  readonly schedule: FeeSchedule;
  readonly charge_accounts: ChargeAccounts;
  readonly date: string;
}

/** The operator's record of a hand-over at the vault. */
export interface HandOverRecord {
  readonly representative_id: string;
  readonly identity_document_checked: boolean;
}

/**
 * Plans a release: the representative at the vault must be the one named, the date reached, the
 * hand-over valid (representatives.ts); the bars leave custody to the outside world, the fee is charged.
 */
export function planRelease(
  input: PlanInput,
  representative: Representative,
  handOver: HandOverRecord,
  received_fine_milli_oz: FineMilliOz,
): CustodyOutcome<MovementPlan> {
  const { instruction, date } = input;
  const details = instruction.details;
  assert(details.kind === 'release', `instruction ${instruction.id} is not a release`);
  assert(representative.id === handOver.representative_id, 'representative loaded for another hand-over');
  if (handOver.representative_id !== details.representative_id) {
    const named = details.representative_id;
    const message = `instruction ${instruction.id} names ${named}, not ${handOver.representative_id}`;
    return refuseCustody('representative_not_named_in_instruction', message, 'representative');
  }
  if (date < details.release_on) {
    const message = `instruction ${instruction.id} releases on ${details.release_on}, not before`;
    return refuseCustody('release_date_not_reached', message, 'date');
  }
  const fine = sumBars(input.bars);
  const checked = checkHandOver(representative, {
    client_party_id: instruction.client_party_id,
    account_id: instruction.source_account_id,
    date,
    fine_milli_oz: fine,
    received_fine_milli_oz,
    identity_document_checked: handOver.identity_document_checked,
  });
  if (!checked.ok) return checked;
  const recipient = `${representative.name} (${representative.identity_document})`;
  const memo = `release ${instruction.id} to ${recipient}`;
  return plan(
    input,
    memo,
    instruction.source_account_id,
    externalAccountId('XAU'),
    handlingFee(input.schedule, 'release'),
  );
}

/** Plans a transfer by book entry to the target account (a disposal account is opened before). */
export function planTransfer(input: PlanInput): CustodyOutcome<MovementPlan> {
  const { instruction } = input;
  const details = instruction.details;
  assert(details.kind === 'transfer', `instruction ${instruction.id} is not a transfer`);
  const target = details.target.account_id;
  assert(input.accounts.has(target), `transfer target ${target} not loaded or not opened`);
  const fee = handlingFee(input.schedule, 'transfer');
  return plan(input, `transfer ${instruction.id} to ${target}`, instruction.source_account_id, target, fee);
}

/** Plans the charge on quote acceptance: the costs the client bears; insufficient funds, nothing moves. */
export function planShipmentCharge(input: PlanInput): CustodyOutcome<MovementPlan> {
  const { instruction } = input;
  assert(instruction.details.kind === 'shipment' && instruction.quote, `${instruction.id} has no quote`);
  assert(input.bars.length === 0, 'a quote acceptance moves no bars');
  const charge = shipmentCharge(input.schedule, instruction.quote);
  const memo = `shipment ${instruction.id} to ${instruction.details.destination}: transport and insurance`;
  return finish(input, memo, [], [], 0n, charge);
}

/** Plans a dispatch: the bars leave the vault for the client's in-transit account. */
export function planDispatch(input: PlanInput, transit_account_id: string): CustodyOutcome<MovementPlan> {
  const { instruction } = input;
  assert(instruction.details.kind === 'shipment', `instruction ${instruction.id} is not a shipment`);
  const memo = `shipment ${instruction.id} dispatched by ${instruction.details.carrier}`;
  return plan(input, memo, instruction.source_account_id, transit_account_id, zero(input));
}

/** Plans a confirmed delivery: the bars in transit leave the books at their destination. */
export function planDelivery(input: PlanInput, transit_account_id: string): CustodyOutcome<MovementPlan> {
  const { instruction } = input;
  assert(instruction.details.kind === 'shipment', `instruction ${instruction.id} is not a shipment`);
  const memo = `shipment ${instruction.id} delivered at ${instruction.details.destination}`;
  return plan(input, memo, transit_account_id, externalAccountId('XAU'), zero(input));
}

/** Plans a failed shipment's return: the bars in transit come back to the client's custody account. */
export function planReturn(input: PlanInput, transit_account_id: string): CustodyOutcome<MovementPlan> {
  const { instruction } = input;
  assert(instruction.details.kind === 'shipment', `instruction ${instruction.id} is not a shipment`);
  const memo = `shipment ${instruction.id} returned to custody`;
  return plan(input, memo, transit_account_id, instruction.source_account_id, zero(input));
}

function zero(input: PlanInput): Money {
  return { currency: input.schedule.currency, minor: 0n };
}

function sumBars(bars: readonly CustodyBar[]): FineMilliOz {
  return bars.reduce((sum, bar) => sum + bar.fine_milli_oz, 0n);
}

/** Moves every bar from source to target, charges the fee, checks the postings against the accounts. */
function plan(
  input: PlanInput,
  memo: string,
  source: string,
  target: string,
  fee: Money,
): CustodyOutcome<MovementPlan> {
  const { instruction, bars } = input;
  assert(bars.length > 0, `instruction ${instruction.id} has no bars to move`);
  assert(new Set(bars.map((bar) => bar.id)).size === bars.length, 'a bar listed twice in a plan');
  for (const bar of bars) {
    assert(bar.owner_account_id === source, `bar ${bar.id} is not in ${source}`);
    const reserved = source === instruction.source_account_id;
    assert(
      !reserved || bar.reserved_for === instruction.id,
      `bar ${bar.id} is not reserved for ${instruction.id}`,
    );
  }
  const selection = instruction.selection;
  if (selection.kind === 'bars') {
    const named = new Set(selection.bar_ids);
    assert(
      bars.length === named.size && bars.every((bar) => named.has(bar.id)),
      'bars differ from those named',
    );
  }
  const fine = sumBars(bars);
  const moves = bars.map((bar) => ({ bar_id: bar.id, source_account_id: source, target_account_id: target }));
  const gold: Posting[] = [
    { account_id: source, unit: 'XAU', amount: -fine },
    { account_id: target, unit: 'XAU', amount: fine },
  ];
  return finish(input, `${memo}: ${barsText(bars.length)}, ${describeWeight(fine)}`, gold, moves, fine, fee);
}

function finish(
  input: PlanInput,
  memo: string,
  gold: readonly Posting[],
  moves: readonly BarMove[],
  fine: FineMilliOz,
  charge: Money,
): CustodyOutcome<MovementPlan> {
  assert(charge.currency === input.schedule.currency, 'a charge in another currency than the schedule');
  const postings = [...gold, ...chargePostings(charge, input.charge_accounts)];
  const applied = applyPostings(postings, input.accounts);
  if (!applied.ok) return applied;
  return {
    ok: true,
    memo,
    postings,
    bar_moves: moves,
    fine_milli_oz: fine,
    charge,
    balances: applied.balances,
  };
}
