// The account of an instruction, as its signatories sign it and accept its quote, and of a
// depository step on it, as a supervisor approves it: what goes where, which bars, what it costs
// the client and its cash before and after. Composed from facts the application layer loads.
import type { Money } from '../money.ts';
import { barsText, describeWeight, type FineMilliOz, formatOunces } from '../weight.ts';
import { amountText, balanceLine, goldBalanceLine } from './account-text.ts';
import { type FeeSchedule, handlingFee, shipmentCharge } from './charges.ts';
import type { Instruction, InstructionEvent, ShipmentQuote } from './instruction.ts';
import type { HandOverRecord } from './movement.ts';
import type { Representative } from './representatives.ts';

/** A bar as an account names it. */
export interface AccountBar {
  readonly id: bigint;
  readonly refiner: string;
  readonly serial: string;
  readonly fine_milli_oz: FineMilliOz;
}

/** What the books say about an instruction, loaded in the transaction that shows or checks it. */
export interface InstructionFacts {
  readonly instruction: Instruction;
  readonly client_name: string;
  /** The bars named, reserved, or in transit for it, in id order; none before any are chosen. */
  readonly bars: readonly AccountBar[];
  /** For a release: the representative named, if registered. */
  readonly representative: Representative | undefined;
  /** For a transfer to an existing account: the party that holds it, if the account exists. */
  readonly target_owner: string | null;
  readonly schedule: FeeSchedule;
  /** The client's cash account in the schedule's currency, which bears the charges. */
  readonly cash: { readonly account_id: string; readonly balance: Money } | null;
  readonly transit_account_id: string;
  /**
   * The fine weight each gold account a step moves gold between holds now (the source, the transit
   * account, a transfer's target), by id; an account not yet opened is absent.
   */
  readonly gold_balances: ReadonlyMap<string, FineMilliOz>;
}

/** The account a signatory signs, or accepts the quote of: the terms, the gold, the charges. */
export function instructionAccountLines(facts: InstructionFacts): string[] {
  const { instruction, schedule } = facts;
  const date = instruction.drafted_on;
  const lines = termsLines(facts, date);
  const details = instruction.details;
  let charge: Money;
  if (details.kind !== 'shipment') {
    charge = handlingFee(schedule, details.kind);
    lines.push(`Charges on execution: handling fee ${amountText(charge, date)}`);
  } else if (instruction.quote) {
    charge = shipmentCharge(schedule, instruction.quote);
    lines.push(`Charges on acceptance of the quote: ${chargeWords(schedule, charge, date)}`);
  } else {
    charge = handlingFee(schedule, 'shipment');
    lines.push(`Charges: transport and insurance to be quoted; handling fee ${amountText(charge, date)}`);
  }
  // The cash only where the instruction charges it, as for a step: a balance shown beside no charge
  // would let any payment of the client's between two signatures void the second for nothing.
  if (charge.minor > 0n) lines.push(balanceLine(facts.cash, charge, date));
  return lines;
}

/** A depository step waiting for a supervisor, as the supervisor approves it. */
export interface StepFacts {
  readonly event: InstructionEvent;
  readonly date: string;
  readonly handover: HandOverRecord | null;
}

/** The account of a depository step: the step, the instruction's terms, the move, the charges. */
export function stepAccountLines(facts: InstructionFacts, step: StepFacts): string[] {
  const { instruction, schedule } = facts;
  const { date } = step;
  const lines = [`Step: ${step.event.kind.replaceAll('_', ' ')} on ${date}`, ...termsLines(facts, date)];
  const zero: Money = { currency: schedule.currency, minor: 0n };
  const source = instruction.source_account_id;
  const transit = facts.transit_account_id;
  const details = instruction.details;
  let charge = zero;
  switch (step.event.kind) {
    case 'execute': {
      charge = handlingFee(schedule, details.kind);
      lines.push(`Gold moves: ${source} → ${destinationOf(facts)}`);
      lines.push(...goldBalances(facts, source, ownTarget(facts)));
      if (details.kind === 'release') lines.push(handoverLine(step.handover));
      lines.push(`Charges now: handling fee ${amountText(charge, date)}`);
      break;
    }
    case 'quote': {
      const quote = quoteProposed(step.event, date);
      lines.push(quoteLine('Quote proposed', quote, date));
      const fits = quote.transport.currency === schedule.currency;
      const fitsToo = quote.insurance.currency === schedule.currency;
      charge = fits && fitsToo ? shipmentCharge(schedule, quote) : zero;
      lines.push(`Charges when the client accepts: ${chargeWords(schedule, charge, date)}`);
      break;
    }
    case 'dispatch':
      lines.push(`Gold moves: ${source} → ${transit} (in transit)`, ...goldBalances(facts, source, transit));
      lines.push('Charges now: none');
      break;
    case 'confirm_delivery':
      lines.push(`Gold moves: ${transit} → delivered out at the destination`);
      lines.push(...goldBalances(facts, transit, undefined), 'Charges now: none');
      break;
    case 'report_return':
      lines.push(`Gold moves: ${transit} → back to ${source}`, ...goldBalances(facts, transit, source));
      lines.push('Charges now: none');
      break;
    default:
      lines.push('Gold moves: none', 'Charges now: none');
  }
  if ('reason' in step.event) lines.push(`Reason: ${oneLine(step.event.reason)}`);
  // The cash only where the step itself charges it: a balance shown beside no charge would make
  // every payment of the client's, meanwhile, change the account and void the approval for nothing.
  if (step.event.kind === 'execute' && charge.minor > 0n) lines.push(balanceLine(facts.cash, charge, date));
  return lines;
}

/**
 * The balances of the gold accounts a step moves the instruction's bars between, before and after
 * (gold leaving the books, to a representative or at a destination, has no account to show).
 */
function goldBalances(facts: InstructionFacts, from: string, to: string | undefined): string[] {
  const moved = facts.bars.reduce((sum, bar) => sum + bar.fine_milli_oz, 0n);
  const lines = [goldBalanceLine(from, facts.gold_balances.get(from), -moved)];
  if (to !== undefined) lines.push(goldBalanceLine(to, facts.gold_balances.get(to), moved));
  return lines;
}

/**
 * A transfer's target whose balance the account may show: the client's own account, or the
 * disposal account the move opens. Another bank's account is named, never its balance: the account
 * is shown to the client, who may not see another's holdings (README, Confidentiality).
 */
function ownTarget(facts: InstructionFacts): string | undefined {
  const details = facts.instruction.details;
  if (details.kind !== 'transfer') return undefined;
  const own = facts.target_owner === facts.instruction.client_party_id;
  return details.target.kind === 'disposal_account' || own ? details.target.account_id : undefined;
}

function termsLines(facts: InstructionFacts, date: string): string[] {
  const { instruction } = facts;
  const details = instruction.details;
  const lines = [
    `Instruction ${instruction.id}: ${details.kind} for ${oneLine(facts.client_name)} (${instruction.client_party_id})`,
    `From custody account ${instruction.source_account_id}`,
  ];
  if (details.kind === 'release') {
    lines.push(representativeLine(details.representative_id, facts.representative));
    lines.push(`Release on or after ${details.release_on}`);
  } else if (details.kind === 'transfer') {
    const target = details.target;
    lines.push(
      target.kind === 'existing_account'
        ? `To custody account ${target.account_id} of ${facts.target_owner ?? 'no one (no such account)'}`
        : `To disposal account ${target.account_id}, opened for ${oneLine(target.beneficiary_name)} (${target.beneficiary_party_id})`,
    );
  } else {
    lines.push(`Destination: ${oneLine(details.destination)}; carrier: ${oneLine(details.carrier)}`);
    lines.push(`Insured value: ${amountText(details.insurance_value, date)}`);
  }
  lines.push(...goldLines(facts));
  if (instruction.quote)
    lines.push(quoteLine(`Quote of ${instruction.quote.quoted_on}`, instruction.quote, date));
  return lines;
}

function goldLines(facts: InstructionFacts): string[] {
  const selection = facts.instruction.selection;
  if (facts.bars.length === 0) {
    const asked = selection.kind === 'quantity' ? describeWeight(selection.fine_milli_oz) : 'named bars';
    return [`Gold: ${asked} asked; the depository proposes the bars when it accepts`];
  }
  const total = facts.bars.reduce((sum, bar) => sum + bar.fine_milli_oz, 0n);
  const asked = selection.kind === 'quantity' ? ` (${describeWeight(selection.fine_milli_oz)} asked)` : '';
  return [
    `Gold: ${barsText(facts.bars.length)}, ${describeWeight(total)}${asked}`,
    ...facts.bars.map(
      (bar) =>
        `  Bar ${oneLine(bar.refiner)}/${oneLine(bar.serial)} (bar id ${bar.id}): ${formatOunces(bar.fine_milli_oz)} fine oz`,
    ),
  ];
}

function representativeLine(id: string, representative: Representative | undefined): string {
  if (!representative) return `To representative ${id} (not registered)`;
  const limit =
    representative.limit_fine_milli_oz === null
      ? 'no limit'
      : `limit ${describeWeight(representative.limit_fine_milli_oz)} in all`;
  const revoked = representative.revoked_on ? `, revoked from ${representative.revoked_on}` : '';
  return (
    `To representative ${id}: ${oneLine(representative.name)}, identity document ` +
    `${oneLine(representative.identity_document)}; authority ${representative.authority_valid_from} to ` +
    `${representative.authority_valid_until}${revoked}; ${limit}`
  );
}

function destinationOf(facts: InstructionFacts): string {
  const details = facts.instruction.details;
  if (details.kind === 'release') return `delivered out to representative ${details.representative_id}`;
  if (details.kind === 'transfer') return details.target.account_id;
  return facts.transit_account_id;
}

function handoverLine(handover: HandOverRecord | null): string {
  if (!handover) return 'Hand-over: none recorded (the step will be refused)';
  const checked = handover.identity_document_checked ? 'checked' : 'NOT checked';
  return `Hand-over: to ${handover.representative_id}, identity document ${checked}`;
}

function quoteProposed(event: Extract<InstructionEvent, { kind: 'quote' }>, date: string): ShipmentQuote {
  return {
    transport: event.transport,
    insurance: event.insurance,
    quoted_on: date,
    valid_until: event.valid_until,
  };
}

function quoteLine(label: string, quote: ShipmentQuote, date: string): string {
  return (
    `${label}: transport ${amountText(quote.transport, date)}, insurance ` +
    `${amountText(quote.insurance, date)}, valid until ${quote.valid_until}`
  );
}

function chargeWords(schedule: FeeSchedule, charge: Money, date: string): string {
  const payer = schedule.shipment_costs_payer === 'client' ? 'transport and insurance' : 'handling only';
  const fee = { currency: schedule.currency, minor: schedule.handling_per_shipment_minor };
  return `${amountText(charge, date)} (${payer}; handling fee ${amountText(fee, date)})`;
}

/** Free text on one line, so no line of an account can pass for two. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
