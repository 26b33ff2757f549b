// Instructions at the client's disposal: drafted and signed by the client, accepted, executed,
// quoted, dispatched by the depository; each step checked by the domain, then written with its
// postings and bar moves in one transaction, or nothing at all.

import { allocate } from '../../domain/allocation.ts';
import { type AccountText, firstDifference } from '../../domain/custody/account-text.ts';
import { type Actors, authorizeMaker, canSee, needsFourEyes } from '../../domain/custody/controls.ts';
import { type DraftRequest, draftInstruction } from '../../domain/custody/draft.ts';
import {
  EVENT_ACTIONS,
  findRule,
  type Instruction,
  type InstructionEvent,
  transition,
} from '../../domain/custody/instruction.ts';
import type { HandOverRecord } from '../../domain/custody/movement.ts';
import { type CustodyOutcome, refuseCustody } from '../../domain/custody/refusal.ts';
import { appendRemark, type Remark } from '../../domain/custody/remarks.ts';
import {
  type CustodyBar,
  checkBarSelection,
  checkProposal,
  checkQuantity,
} from '../../domain/custody/reservation.ts';
import { assert } from '../../domain/outcome.ts';
import type { InstructionRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import { loadAccounts } from '../journal/journal.ts';
import type { Ingot } from '../kernel/context.ts';
import { atomically, idempotent } from '../kernel/idempotency.ts';
import { readStored, toJson } from '../kernel/json.ts';
import { nextInSequence } from '../kernel/sequence.ts';
import { array, string } from '../kernel/shape.ts';
import { heldBarPool } from '../trading/trades.ts';
import { instructionAccount } from './accounts.ts';
import { pendingStepKey, propose } from './approvals-store.ts';
import { executePlan, receivedSoFar } from './instruction-plans.ts';
import { approvalPendingAs } from './queries-approvals.ts';
import {
  custodyBarsIn,
  freeReservedBars,
  instructionBody,
  lastStepNumber,
  recordInstruction,
  recordInstructionBars,
  recordInstructionChange,
  recordRemark,
  recordStepRow,
  remarkRows,
  reserveBars,
  reservedFineOf,
  stepWithDigest,
} from './queries-instructions.ts';
import { depositoryOf, feeScheduleOf, loadRepresentative, loadUser, signingRuleOf } from './reference.ts';
import { storedInstruction } from './stored.ts';

/** The events by which a signatory signs: each records the account it signed. */
const SIGNATURE_EVENTS: readonly InstructionEvent['kind'][] = ['sign', 'accept_quote'];

/** Loads an instruction, or the refusal naming it. */
export async function loadInstruction(
  tx: Tx,
  id: string,
): Promise<CustodyOutcome<{ instruction: Instruction }>> {
  const row = await instructionBody(tx, id);
  if (!row) return refuseCustody('instruction_not_found', `instruction ${id} does not exist`, 'instruction');
  return { ok: true, instruction: storedInstruction(row.body, id) };
}

async function saveInstruction(tx: Tx, instruction: Instruction, now: string, isNew: boolean): Promise<void> {
  const row: InstructionRow = {
    id: instruction.id,
    kind: instruction.details.kind,
    client_party_id: instruction.client_party_id,
    source_account_id: instruction.source_account_id,
    state: instruction.state,
    body: toJson(instruction),
    created_at: now,
    updated_at: now,
  };
  if (isNew) await recordInstruction(tx, row);
  else await recordInstructionChange(tx, instruction.id, row);
}

async function loadBars(tx: Tx, ids: readonly bigint[]): Promise<Map<bigint, CustodyBar>> {
  const bars = new Map<bigint, CustodyBar>();
  for (let start = 0; start < ids.length; start += 1000) {
    const rows = await custodyBarsIn(tx, ids.slice(start, start + 1000));
    for (const row of rows) {
      const reserved_for = row.instruction_id ?? row.trade_id;
      bars.set(row.id, {
        id: row.id,
        fine_milli_oz: row.fine_milli_oz,
        owner_account_id: row.owner_account_id,
        reserved_for,
      });
    }
  }
  return bars;
}

export interface DraftCommand extends Omit<DraftRequest, 'id'> {
  readonly by_user_id: string;
}

/** Drafts an instruction for the client's signatories to sign. */
export async function draft(
  ingot: Ingot,
  command: DraftCommand,
): Promise<CustodyOutcome<{ instruction_id: string }>> {
  return atomically(ingot, async (tx) => {
    const maker = await loadUser(tx, command.by_user_id, 'by');
    if (!maker.ok) return maker;
    const depository = await depositoryOf(tx);
    const targetId = command.details.kind === 'transfer' ? [command.details.target.account_id] : [];
    const accounts = await loadAccounts(tx, [command.source_account_id, ...targetId]);
    const source = accounts.get(command.source_account_id);
    // An account the maker may not see is answered as one that does not exist, before anything
    // about it (its owner, its gold) could show in a refusal.
    if (!source || !canSee(maker.user, source, depository)) {
      const missing = `account ${command.source_account_id} does not exist`;
      return refuseCustody('account_not_found', missing, 'account');
    }
    const selected = await selectedWeight(tx, command, source.balance);
    if (!selected.ok) return selected;
    const named =
      command.details.kind === 'release'
        ? await loadRepresentative(tx, command.details.representative_id)
        : undefined;
    // Another bank's representative is none of this client's: treated as not registered, and
    // nothing more of it (what it has received) is read.
    const representative = named?.client_party_id === source.party_id ? named : undefined;
    const received = representative ? await receivedSoFar(tx, representative.id) : 0n;
    const schedule = await feeScheduleOf(tx, source?.party_id ?? '');
    const id = `INS-${await nextInSequence(tx, 'instruction')}`;
    const drafted = draftInstruction({ ...command, id }, maker.user, {
      depository_party_id: depository,
      currency: schedule.currency,
      accounts,
      representative,
      selected_fine_milli_oz: selected.fine_milli_oz,
      representative_received_fine_milli_oz: received,
    });
    if (!drafted.ok) return drafted;
    await saveInstruction(tx, drafted.instruction, ingot.now(), true);
    // The account as drafted, kept with the step: a signatory shown it and refused later is told
    // which line changed since.
    await recordStep(tx, ingot, drafted.instruction, {
      event: 'draft',
      from: '',
      date: command.date,
      maker: maker.user.id,
      account: await instructionAccount(tx, drafted.instruction),
    });
    return { ok: true, instruction_id: id };
  });
}

/** The fine weight a draft asks for: the named bars' (checked as a selection) or the quantity. */
async function selectedWeight(
  tx: Tx,
  command: DraftCommand,
  held: bigint,
): Promise<CustodyOutcome<{ fine_milli_oz: bigint }>> {
  const selection = command.selection;
  if (selection.kind === 'bars') {
    const bars = await loadBars(tx, selection.bar_ids);
    const chosen = checkBarSelection('new', command.source_account_id, selection.bar_ids, bars);
    return chosen.ok ? { ok: true, fine_milli_oz: chosen.fine_milli_oz } : chosen;
  }
  const quantity = checkQuantity(selection.fine_milli_oz, {
    held_fine_milli_oz: held,
    reserved_fine_milli_oz: await reservedFineOf(tx, command.source_account_id),
  });
  return quantity.ok ? { ok: true, fine_milli_oz: selection.fine_milli_oz } : quantity;
}

async function recordStep(
  tx: Tx,
  ingot: Ingot,
  instruction: Instruction,
  step: {
    event: string;
    from: string;
    date: string;
    maker: string;
    checker?: string | null;
    reason?: string | null;
    entry_id?: bigint | null;
    /** The instruction's account the step signed, or put before the signatories (draft, quote). */
    account?: AccountText | undefined;
  },
): Promise<void> {
  const last = await lastStepNumber(tx, instruction.id);
  await recordStepRow(tx, {
    instruction_id: instruction.id,
    number: last + 1n,
    event: step.event,
    from_state: step.from,
    to_state: instruction.state,
    date: step.date,
    maker_user_id: step.maker,
    checker_user_id: step.checker ?? null,
    reason: step.reason ?? null,
    entry_id: step.entry_id ?? null,
    recorded_at: ingot.now(),
    digest: step.account?.digest ?? null,
    account: step.account ? toJson(step.account.lines) : null,
  });
}

export interface StepCommand {
  readonly instruction_id: string;
  readonly event: InstructionEvent;
  readonly date: string;
  readonly by_user_id: string;
  /** For executing a release: the operator's record of the hand-over at the vault. */
  readonly handover?: HandOverRecord;
  /** For accepting a quantity instruction: the bars proposed (by default the depository chooses). */
  readonly bar_ids?: readonly bigint[];
  /**
   * The digest of the instruction's account as the user was shown it (`showInstruction`): when
   * given, the step is refused if the account the books give now differs. The edges require it of
   * a signatory who signs or accepts a quote.
   */
  readonly digest?: string | undefined;
}

export type StepResult =
  | { readonly state: string; readonly entry_id: bigint | null; readonly pending_approval: null }
  | { readonly state: string; readonly entry_id: null; readonly pending_approval: bigint };

/**
 * Takes a step. A step that needs four eyes is checked as far as one user can be, then waits for
 * a second user's approval (`approveStep`); nothing moves until then.
 */
export async function step(
  ingot: Ingot,
  command: StepCommand,
  key?: string,
): Promise<CustodyOutcome<StepResult & { replayed?: boolean }>> {
  const work = (tx: Tx) => stepIn(tx, ingot, command);
  // With a key, a retried step returns its first result; without, a retry is refused by the state.
  return key ? idempotent(ingot, key, 'instructions.step', command, work) : atomically(ingot, work);
}

async function stepIn(tx: Tx, ingot: Ingot, command: StepCommand): Promise<CustodyOutcome<StepResult>> {
  const maker = await loadUser(tx, command.by_user_id, 'by');
  if (!maker.ok) return maker;
  const found = await loadInstruction(tx, command.instruction_id);
  if (!found.ok) return found;
  const { instruction } = found;
  const signs = SIGNATURE_EVENTS.includes(command.event.kind);
  const account =
    signs || command.digest !== undefined ? await instructionAccount(tx, instruction) : undefined;
  if (command.digest !== undefined && account) {
    const shown = await checkShown(tx, instruction, command.digest, account);
    if (!shown.ok) return shown;
  }
  const action = EVENT_ACTIONS[command.event.kind];
  if (!needsFourEyes(action)) {
    return applyStep(tx, ingot, instruction, command, { maker: maker.user }, account);
  }
  const scope = {
    depository_party_id: await depositoryOf(tx),
    owner_party_id: instruction.client_party_id,
  };
  const allowed = authorizeMaker(action, maker.user, scope);
  if (!allowed.ok) return allowed;
  const rule = findRule(instruction, command.event.kind);
  if (!rule.ok) return rule;
  // Checked and proposed in one write transaction; the unique key stops a second all the same.
  const key = pendingStepKey(instruction.id, command.event.kind);
  const waiting = await approvalPendingAs(tx, key);
  if (waiting) {
    const message = `${command.event.kind} of ${instruction.id} already waits for approval ${waiting.id}`;
    return refuseCustody('step_already_pending', message, 'event');
  }
  const payload = {
    kind: 'instruction_step' as const,
    instruction_id: instruction.id,
    event: command.event,
    date: command.date,
    handover: command.handover ?? null,
    bar_ids: command.bar_ids ?? null,
  };
  const subject = `instruction ${instruction.id}: ${command.event.kind}`;
  const id = await propose(tx, {
    action,
    subject,
    party_id: instruction.client_party_id,
    payload,
    maker_user_id: maker.user.id,
    now: ingot.now(),
  });
  return { ok: true, state: instruction.state, entry_id: null, pending_approval: id };
}

/**
 * Refuses a step whose user was shown another account of the instruction than the books give now,
 * naming the first line that changed when the account shown is one the instruction recorded.
 */
async function checkShown(
  tx: Tx,
  instruction: Instruction,
  digest: string,
  now: AccountText,
): Promise<CustodyOutcome<object>> {
  if (now.digest === digest) return { ok: true };
  const seen = await recordedAccount(tx, instruction.id, digest);
  const change = seen ? firstDifference(seen, now.lines) : undefined;
  const message = change
    ? `the account of ${instruction.id} has changed since you were shown it: ${change}; ` +
      'read it again before you act on it'
    : `the account of ${instruction.id} is not the one you were shown (its digest is now ${now.digest}): ` +
      'its terms, bars, charges or a balance changed; read it again before you act on it';
  return refuseCustody('approval_changed', message, 'digest');
}

const LINES = array(string);

/** The lines of an account of the instruction that a step recorded with this digest, if any did. */
async function recordedAccount(
  tx: Tx,
  instructionId: string,
  digest: string,
): Promise<readonly string[] | undefined> {
  const row = await stepWithDigest(tx, instructionId, digest);
  if (!row?.account) return undefined;
  return readStored(row.account, `account of ${instructionId} at step ${row.number}`, LINES);
}

/**
 * The refusal of a signature over another account than the first signatory's, naming the first
 * line that differs from what that signatory signed, and what to do.
 */
async function signedOtherAccount(
  tx: Tx,
  instruction: Instruction,
  event: InstructionEvent['kind'],
  now: AccountText,
): Promise<CustodyOutcome<never>> {
  const first = (event === 'sign' ? instruction.signatures : instruction.quote_signatures)[0];
  assert(first !== undefined, `${instruction.id}: a signature refused as unlike no earlier one`);
  const remedy =
    event === 'sign'
      ? 'cancel the instruction and draft it again'
      : 'decline the quote and have the depository quote again';
  if (first.digest === undefined) {
    const message =
      `${first.user_id} signed ${instruction.id} before signatures recorded what they signed, so no ` +
      `later signature can be shown to be over the same account; ${remedy}`;
    return refuseCustody('approval_changed', message, 'digest');
  }
  const signed = await recordedAccount(tx, instruction.id, first.digest);
  const change = (signed && firstDifference(signed, now.lines)) ?? `its digest was ${first.digest}`;
  const message =
    `the account of ${instruction.id} is not the one ${first.user_id} signed: ${change}; ` +
    `every signature must be over the same account; ${remedy}`;
  return refuseCustody('approval_changed', message, 'digest');
}

/** Carries out a step under its actors: transition, bars, postings, all in the caller's transaction. */
export async function applyStep(
  tx: Tx,
  ingot: Ingot,
  instruction: Instruction,
  command: Omit<StepCommand, 'by_user_id'>,
  actors: Actors,
  shown?: AccountText,
): Promise<CustodyOutcome<StepResult>> {
  const depository = await depositoryOf(tx);
  const schedule = await feeScheduleOf(tx, instruction.client_party_id);
  const signing_rule = await signingRuleOf(tx, instruction.source_account_id, instruction.client_party_id);
  // A signature signs the account as the books give it now, and records it.
  const kind = command.event.kind;
  const signed = SIGNATURE_EVENTS.includes(kind)
    ? (shown ?? (await instructionAccount(tx, instruction)))
    : undefined;
  const moved = transition(instruction, command.event, actors, {
    date: command.date,
    depository_party_id: depository,
    signing_rule,
    currency: schedule.currency,
    ...(signed ? { account_digest: signed.digest } : {}),
  });
  if (!moved.ok) {
    if (moved.code === 'approval_changed' && signed) return signedOtherAccount(tx, instruction, kind, signed);
    return moved;
  }
  const { next } = moved;
  if (moved.bars === 'reserve') {
    const reserved = await reserveFor(tx, next, command.bar_ids);
    if (!reserved.ok) return reserved;
  }
  if (moved.bars === 'free') await freeReservedBars(tx, next.id);
  let entryId: bigint | null = null;
  if (moved.plan !== 'none') {
    const executed = await executePlan(tx, ingot, next, moved.plan, {
      date: command.date,
      schedule,
      handover: command.handover,
    });
    if (!executed.ok) return executed;
    entryId = executed.entry_id;
  }
  await saveInstruction(tx, next, ingot.now(), false);
  // A quote puts a new account before the signatories, as a draft does: it is kept with the step.
  const account = kind === 'quote' ? await instructionAccount(tx, next) : signed;
  await recordStep(tx, ingot, next, {
    event: kind,
    from: instruction.state,
    date: command.date,
    maker: actors.maker.id,
    checker: actors.checker?.id ?? null,
    reason: moved.step.reason,
    entry_id: entryId,
    account,
  });
  return { ok: true, state: next.state, entry_id: entryId, pending_approval: null };
}

/** Reserves the named bars, or proposes bars for a quantity, for the instruction. */
async function reserveFor(
  tx: Tx,
  instruction: Instruction,
  proposed?: readonly bigint[],
): Promise<CustodyOutcome<object>> {
  const selection = instruction.selection;
  let ids: readonly bigint[];
  if (selection.kind === 'bars') ids = selection.bar_ids;
  else if (proposed && proposed.length > 0) ids = proposed;
  else {
    const allocation = await allocate(
      selection.fine_milli_oz,
      heldBarPool(tx, instruction.source_account_id, 0n),
    );
    ids = allocation.bars.map((bar) => bar.id);
  }
  const bars = await loadBars(tx, ids);
  const chosen =
    selection.kind === 'bars'
      ? checkBarSelection(instruction.id, instruction.source_account_id, ids, bars)
      : checkProposal(instruction, ids, bars);
  if (!chosen.ok) return chosen;
  for (let start = 0; start < ids.length; start += 1000) {
    const chunk = ids.slice(start, start + 1000);
    const updated = await reserveBars(tx, instruction, chunk);
    if (updated !== BigInt(chunk.length)) {
      return refuseCustody(
        'bar_reserved_by_another_instruction',
        'some of the bars are reserved elsewhere',
        'bars',
      );
    }
    await recordInstructionBars(tx, instruction.id, chunk);
  }
  return { ok: true };
}

/** Adds a dated remark to an instruction's thread (both sides write; nothing is ever edited). */
export async function addRemark(
  ingot: Ingot,
  command: { instruction_id: string; by_user_id: string; written_on: string; text: string },
): Promise<CustodyOutcome<{ number: bigint }>> {
  return atomically(ingot, async (tx) => {
    const author = await loadUser(tx, command.by_user_id, 'by');
    if (!author.ok) return author;
    const found = await loadInstruction(tx, command.instruction_id);
    if (!found.ok) return found;
    const thread = await remarksOf(tx, command.instruction_id);
    const request = { author: author.user, written_on: command.written_on, text: command.text };
    const added = appendRemark(found.instruction, thread, request, await depositoryOf(tx));
    if (!added.ok) return added;
    const { remark } = added;
    await recordRemark(tx, {
      instruction_id: remark.instruction_id,
      number: remark.sequence,
      author_user_id: remark.author_user_id,
      author_party_id: remark.author_party_id,
      written_on: remark.written_on,
      text: remark.text,
      recorded_at: ingot.now(),
    });
    return { ok: true, number: remark.sequence };
  });
}

/** An instruction's remarks, in order. */
export async function remarksOf(tx: Tx, instructionId: string): Promise<Remark[]> {
  const rows = await remarkRows(tx, instructionId);
  return rows.map((row) => ({
    instruction_id: row.instruction_id,
    sequence: row.number,
    author_user_id: row.author_user_id,
    author_party_id: row.author_party_id,
    written_on: row.written_on,
    text: row.text,
  }));
}
