// Instructions: the client's orders to dispose of its gold, each a small state machine. Every
// step is checked here (who may take it, in which state, on which date) before anything is written;
// an illegal step is a refusal naming the state and the event, never a silent no-op.
import type { Money } from '../money.ts';
import { assert } from '../outcome.ts';
import type { FineMilliOz } from '../weight.ts';
import { type Action, type Actors, authorize } from './controls.ts';
import { type CustodyOutcome, refuseCustody } from './refusal.ts';
import { addSignature, type Signature, type SigningRule } from './signing.ts';

export const INSTRUCTION_KINDS = ['release', 'transfer', 'shipment'] as const;
export type InstructionKind = (typeof INSTRUCTION_KINDS)[number];

export const INSTRUCTION_STATES = [
  'drafted',
  'signed',
  'accepted',
  'executed',
  'rejected',
  'cancelled',
  'failed',
  'quoted',
  'quote_accepted',
  'quote_declined',
  'in_transit',
  'delivered',
  'returned',
] as const;
export type InstructionState = (typeof INSTRUCTION_STATES)[number];

/** States with no way out: the instruction is closed. */
export const CLOSED_STATES: readonly InstructionState[] = [
  'executed',
  'rejected',
  'cancelled',
  'failed',
  'delivered',
  'returned',
];

/** Named bars, or a quantity for which the depository proposes bars when it accepts. */
export type Selection =
  | { readonly kind: 'bars'; readonly bar_ids: readonly bigint[] }
  | { readonly kind: 'quantity'; readonly fine_milli_oz: FineMilliOz };

/** Release to an authorized representative, on or after a date. */
export interface ReleaseDetails {
  readonly kind: 'release';
  readonly representative_id: string;
  readonly release_on: string;
}

/** Where transferred gold goes: a third party's existing account, or a disposal account opened for it. */
export type TransferTarget =
  | { readonly kind: 'existing_account'; readonly account_id: string }
  | {
      readonly kind: 'disposal_account';
      readonly account_id: string;
      readonly beneficiary_party_id: string;
      readonly beneficiary_name: string;
    };

/** Transfer by book entry to a third party. */
export interface TransferDetails {
  readonly kind: 'transfer';
  readonly target: TransferTarget;
}

/** Shipment to another location at the client's expense. */
export interface ShipmentDetails {
  readonly kind: 'shipment';
  readonly destination: string;
  readonly carrier: string;
  readonly insurance_value: Money;
}

export type InstructionDetails = ReleaseDetails | TransferDetails | ShipmentDetails;

/** The depository's quote for a shipment's transport and insurance, in the agreement's currency. */
export interface ShipmentQuote {
  readonly transport: Money;
  readonly insurance: Money;
  readonly quoted_on: string;
  /** Last day the client may accept the quote, included. */
  readonly valid_until: string;
}

/** An instruction as stored: its terms, its state and the signatures collected so far. */
export interface Instruction {
  readonly id: string;
  readonly client_party_id: string;
  readonly source_account_id: string;
  readonly selection: Selection;
  readonly details: InstructionDetails;
  readonly state: InstructionState;
  readonly drafted_by: string;
  readonly drafted_on: string;
  /** Date of the latest step: no step may be dated before it. */
  readonly last_step_on: string;
  readonly signatures: readonly Signature[];
  readonly quote: ShipmentQuote | null;
  readonly quote_signatures: readonly Signature[];
}

export type InstructionEvent =
  | { readonly kind: 'sign' }
  | { readonly kind: 'cancel'; readonly reason: string }
  | { readonly kind: 'accept' }
  | { readonly kind: 'reject'; readonly reason: string }
  | { readonly kind: 'execute' }
  | { readonly kind: 'fail'; readonly reason: string }
  | {
      readonly kind: 'quote';
      readonly transport: Money;
      readonly insurance: Money;
      readonly valid_until: string;
    }
  | { readonly kind: 'accept_quote' }
  | { readonly kind: 'decline_quote'; readonly reason: string }
  | { readonly kind: 'dispatch' }
  | { readonly kind: 'confirm_delivery' }
  | { readonly kind: 'report_return'; readonly reason: string };
export type EventKind = InstructionEvent['kind'];

/**
 * What the store must do with the instruction's bars after a step: reserve the named or proposed
 * bars for it, free its reservation, or move bars as the step's plan (movement.ts) says.
 */
export type BarEffect = 'none' | 'reserve' | 'free' | 'move';

/** One legal transition: in state `from`, event `event` leads to `to`, for these kinds. */
export interface TransitionRule {
  readonly from: InstructionState;
  readonly event: EventKind;
  readonly to: InstructionState;
  readonly kinds: readonly InstructionKind[];
}

const ALL: readonly InstructionKind[] = INSTRUCTION_KINDS;
const RELEASE_OR_TRANSFER: readonly InstructionKind[] = ['release', 'transfer'];
const SHIPMENT: readonly InstructionKind[] = ['shipment'];

/**
 * Every legal transition; anything else is refused. `sign` and `accept_quote` reach their target
 * only when the account's signing rule is met; until then the signature is recorded and the state stays.
 */
export const TRANSITIONS: readonly TransitionRule[] = [
  { from: 'drafted', event: 'sign', to: 'signed', kinds: ALL },
  { from: 'drafted', event: 'cancel', to: 'cancelled', kinds: ALL },
  { from: 'signed', event: 'accept', to: 'accepted', kinds: ALL },
  { from: 'signed', event: 'reject', to: 'rejected', kinds: ALL },
  { from: 'signed', event: 'cancel', to: 'cancelled', kinds: ALL },
  { from: 'accepted', event: 'execute', to: 'executed', kinds: RELEASE_OR_TRANSFER },
  { from: 'accepted', event: 'fail', to: 'failed', kinds: RELEASE_OR_TRANSFER },
  { from: 'accepted', event: 'cancel', to: 'cancelled', kinds: ALL },
  { from: 'accepted', event: 'quote', to: 'quoted', kinds: SHIPMENT },
  { from: 'quoted', event: 'accept_quote', to: 'quote_accepted', kinds: SHIPMENT },
  { from: 'quoted', event: 'decline_quote', to: 'quote_declined', kinds: SHIPMENT },
  { from: 'quoted', event: 'cancel', to: 'cancelled', kinds: SHIPMENT },
  { from: 'quote_declined', event: 'quote', to: 'quoted', kinds: SHIPMENT },
  { from: 'quote_declined', event: 'reject', to: 'rejected', kinds: SHIPMENT },
  { from: 'quote_declined', event: 'cancel', to: 'cancelled', kinds: SHIPMENT },
  { from: 'quote_accepted', event: 'dispatch', to: 'in_transit', kinds: SHIPMENT },
  { from: 'quote_accepted', event: 'fail', to: 'failed', kinds: SHIPMENT },
  { from: 'in_transit', event: 'confirm_delivery', to: 'delivered', kinds: SHIPMENT },
  { from: 'in_transit', event: 'report_return', to: 'returned', kinds: SHIPMENT },
];

/** The action the controls decide on for each event. */
export const EVENT_ACTIONS: Readonly<Record<EventKind, Action>> = {
  sign: 'sign_instruction',
  cancel: 'cancel_instruction',
  accept: 'accept_instruction',
  reject: 'reject_instruction',
  execute: 'execute_instruction',
  fail: 'fail_instruction',
  quote: 'quote_shipment',
  accept_quote: 'accept_quote',
  decline_quote: 'decline_quote',
  dispatch: 'dispatch_shipment',
  confirm_delivery: 'confirm_delivery',
  report_return: 'report_return',
};

/** True when no event leads out of the state. */
export function isClosed(state: InstructionState): boolean {
  return CLOSED_STATES.includes(state);
}

/** True when bars are reserved for the instruction in its present state. */
export function holdsReservation(instruction: Instruction): boolean {
  const { state, selection } = instruction;
  if (state === 'signed') return selection.kind === 'bars';
  return ['accepted', 'quoted', 'quote_declined', 'quote_accepted'].includes(state);
}

/** What the step records in the journal: who took it, when, and the states on either side. */
export interface Step {
  readonly instruction_id: string;
  readonly event: EventKind;
  readonly from: InstructionState;
  readonly to: InstructionState;
  readonly date: string;
  readonly maker_user_id: string;
  readonly checker_user_id: string | null;
  /** The reason given for a cancellation, rejection, failure, declined quote or return. */
  readonly reason: string | null;
}

/** What a step needs besides the instruction and the event. */
export interface TransitionContext {
  readonly date: string;
  readonly depository_party_id: string;
  /** The signing rule of the instruction's source account. */
  readonly signing_rule: SigningRule;
  /** The agreement's currency: a shipment quote must be in it. */
  readonly currency: Money['currency'];
  /**
   * For a signature (sign, accept_quote): the digest of the account signed, which the signature
   * records; the application layer composes it from the books and always gives it.
   */
  readonly account_digest?: string;
}

/**
 * The plan (movement.ts, charges.ts) the store must make and write with the step, in the same
 * transaction: the postings and bar moves of an execution, a shipment's costs on quote acceptance.
 */
export type StepPlan =
  | 'none'
  | 'release'
  | 'transfer'
  | 'shipment_charge'
  | 'dispatch'
  | 'delivery'
  | 'return';

export interface Transition {
  readonly next: Instruction;
  readonly step: Step;
  readonly bars: BarEffect;
  readonly plan: StepPlan;
}

/**
 * Takes one step, checking in order: who may take it, whether the event exists for this kind of
 * instruction, whether the instruction is closed, whether the state allows the event, the date,
 * then the event's own rules. Returns the instruction after the step; writes nothing.
 */
export function transition(
  instruction: Instruction,
  event: InstructionEvent,
  actors: Actors,
  context: TransitionContext,
): CustodyOutcome<Transition> {
  const scope = {
    depository_party_id: context.depository_party_id,
    owner_party_id: instruction.client_party_id,
  };
  const authorized = authorize(EVENT_ACTIONS[event.kind], actors, scope);
  if (!authorized.ok) return authorized;
  const rule = findRule(instruction, event.kind);
  if (!rule.ok) return rule;
  if (context.date < instruction.last_step_on) {
    return refuseCustody(
      'step_dated_before_previous_step',
      `instruction ${instruction.id} last moved on ${instruction.last_step_on}; ${context.date} is earlier`,
      'date',
    );
  }
  const changed = applyEvent(instruction, event, rule.to, actors, context);
  if (!changed.ok) return changed;
  const next: Instruction = { ...changed.next, last_step_on: context.date };
  const step: Step = {
    instruction_id: instruction.id,
    event: event.kind,
    from: instruction.state,
    to: next.state,
    date: context.date,
    maker_user_id: actors.maker.id,
    checker_user_id: actors.checker?.id ?? null,
    reason: 'reason' in event ? event.reason : null,
  };
  return { ok: true, next, step, bars: barEffect(instruction, next, event.kind), plan: stepPlan(next, step) };
}

/** The rule for an event in the instruction's state, or the refusal naming both. */
export function findRule(
  instruction: Instruction,
  event: EventKind,
): CustodyOutcome<{ to: InstructionState }> {
  const kind = instruction.details.kind;
  const { state, id } = instruction;
  const doing = event.replaceAll('_', ' ');
  if (!TRANSITIONS.some((rule) => rule.event === event && rule.kinds.includes(kind))) {
    return refuseCustody('event_not_for_instruction_kind', `a ${kind} instruction cannot ${doing}`, 'event');
  }
  if (isClosed(state)) {
    return refuseCustody(
      'instruction_is_closed',
      `instruction ${id} is ${state}; it cannot ${doing}`,
      'event',
    );
  }
  const rule = TRANSITIONS.find((r) => r.from === state && r.event === event && r.kinds.includes(kind));
  if (!rule) {
    return refuseCustody(
      'event_not_allowed_in_state',
      `instruction ${id} is ${state}; ${doing} is not allowed in that state`,
      'event',
    );
  }
  return { ok: true, to: rule.to };
}

function applyEvent(
  instruction: Instruction,
  event: InstructionEvent,
  to: InstructionState,
  actors: Actors,
  context: TransitionContext,
): CustodyOutcome<{ next: Instruction }> {
  const signature: Signature = {
    user_id: actors.maker.id,
    signed_on: context.date,
    ...(context.account_digest === undefined ? {} : { digest: context.account_digest }),
  };
  switch (event.kind) {
    case 'sign': {
      assert(
        context.signing_rule.account_id === instruction.source_account_id,
        'signing rule of another account',
      );
      const added = addSignature(context.signing_rule, instruction.signatures, signature);
      if (!added.ok) return added;
      const state = added.complete ? to : instruction.state;
      return { ok: true, next: { ...instruction, state, signatures: added.signatures } };
    }
    case 'quote': {
      const quote = checkQuote(event, context);
      if (!quote.ok) return quote;
      return { ok: true, next: { ...instruction, state: to, quote: quote.quote, quote_signatures: [] } };
    }
    case 'accept_quote':
      return acceptQuote(instruction, to, signature, context);
    default:
      return { ok: true, next: { ...instruction, state: to } };
  }
}

function acceptQuote(
  instruction: Instruction,
  to: InstructionState,
  signature: Signature,
  context: TransitionContext,
): CustodyOutcome<{ next: Instruction }> {
  const quote = instruction.quote;
  assert(quote !== null, `instruction ${instruction.id} is quoted without a quote`);
  if (context.date > quote.valid_until) {
    return refuseCustody(
      'quote_expired',
      `the quote for ${instruction.id} expired on ${quote.valid_until}`,
      'date',
    );
  }
  assert(
    context.signing_rule.account_id === instruction.source_account_id,
    'signing rule of another account',
  );
  const added = addSignature(context.signing_rule, instruction.quote_signatures, signature);
  if (!added.ok) return added;
  const state = added.complete ? to : instruction.state;
  return { ok: true, next: { ...instruction, state, quote_signatures: added.signatures } };
}

/** Checks a quote's terms: the agreement's currency, no negative cost, a validity from today. */
function checkQuote(
  event: Extract<InstructionEvent, { kind: 'quote' }>,
  context: TransitionContext,
): CustodyOutcome<{ quote: ShipmentQuote }> {
  for (const [field, amount] of [
    ['transport', event.transport],
    ['insurance', event.insurance],
  ] as const) {
    if (amount.currency !== context.currency) {
      return refuseCustody('currency_mismatch', `the ${field} cost must be in ${context.currency}`, field);
    }
    if (amount.minor < 0n)
      return refuseCustody('invalid_input', `the ${field} cost cannot be negative`, field);
  }
  if (event.valid_until < context.date) {
    return refuseCustody(
      'invalid_input',
      `the quote would expire on ${event.valid_until}, before it is made`,
      'valid_until',
    );
  }
  const quote = {
    transport: event.transport,
    insurance: event.insurance,
    quoted_on: context.date,
    valid_until: event.valid_until,
  };
  return { ok: true, quote };
}

/** What happens to the bars: see BarEffect. */
function barEffect(before: Instruction, after: Instruction, event: EventKind): BarEffect {
  if (before.state === after.state) return 'none';
  if (['execute', 'dispatch', 'confirm_delivery', 'report_return'].includes(event)) return 'move';
  if (['cancel', 'reject', 'fail'].includes(event)) return holdsReservation(before) ? 'free' : 'none';
  return holdsReservation(after) && !holdsReservation(before) ? 'reserve' : 'none';
}

function stepPlan(after: Instruction, step: Step): StepPlan {
  if (step.from === step.to) return 'none';
  if (step.event === 'execute') return after.details.kind === 'release' ? 'release' : 'transfer';
  if (step.event === 'accept_quote') return 'shipment_charge';
  if (step.event === 'dispatch') return 'dispatch';
  if (step.event === 'confirm_delivery') return 'delivery';
  if (step.event === 'report_return') return 'return';
  return 'none';
}
