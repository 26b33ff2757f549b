// Which accounts of custody are classified, and what a reader not cleared for them is shown. An
// instruction's account names its bars by refiner, serial and bar id, and so does the account of a
// step on it and of a bar's reweighing: each is a bar list (clearance.ts), refused whole to such a
// reader when asked for alone, and listed with the bars withheld (domain/custody/withheld.ts).
import { type BarLines, withheldLines } from '../../domain/custody/withheld.ts';
import type { ClassifiedKind } from '../correspondence/clearance.ts';
import type { ApprovalPayload } from './approvals-store.ts';
import type { approvalShown } from './queries.ts';

/** What an instruction is, shown whole: its account names its bars. */
export const INSTRUCTION_CLASSIFIED: ClassifiedKind = 'barlist';

/** An approval as the server and the command line show it. */
export type ShownApproval = NonNullable<Awaited<ReturnType<typeof approvalShown>>>;

/** An approval as shown to a reader not cleared for its bars: what names them is left out. */
export type WithheldApproval = Omit<ShownApproval, 'payload' | 'outcome'> & {
  readonly payload: unknown;
  readonly outcome: unknown;
};

/** Where an approval's account names bars, or null when it names none. */
function barLinesOf(payload: ApprovalPayload): BarLines | null {
  if (payload.kind === 'instruction_step') return 'bar_lines';
  if (payload.kind === 'reweigh_bar') return 'all_but_header';
  return null;
}

/** The classified thing an approval's account is, or null when it is not classified. */
export function approvalClassified(approval: { readonly payload: ApprovalPayload }): ClassifiedKind | null {
  return barLinesOf(approval.payload) === null ? null : 'barlist';
}

/** The outcome's fields that name no bar: what state a step left and which entry it wrote. */
const OUTCOME_SHOWN = ['ok', 'state', 'entry_id', 'pending_approval'];

/**
 * An approval as a reader not cleared for a bar list is shown it in a list: its number, action,
 * party, users, status and dates; its account without the lines naming bars and one line saying
 * so (`notice`, the refusal's words); no digest of lines it cannot see, which would let a guess of
 * them be confirmed; the payload and outcome without bars. An approval naming no bar is unchanged.
 */
export function withheldApproval(approval: ShownApproval, notice: string): WithheldApproval {
  const where = barLinesOf(approval.payload);
  if (where === null) return approval;
  const { lines, withheld } = withheldLines(approval.account, where, notice);
  const payload = approval.payload;
  const outcome = approval.outcome;
  const shownOutcome =
    outcome !== null && typeof outcome === 'object'
      ? Object.fromEntries(Object.entries(outcome).filter(([key]) => OUTCOME_SHOWN.includes(key)))
      : outcome;
  return {
    ...approval,
    subject: payload.kind === 'reweigh_bar' ? 'reweigh bar (withheld)' : approval.subject,
    payload: withheldPayload(payload),
    outcome: shownOutcome,
    account: lines,
    digest: withheld === 0 ? approval.digest : null,
    // Which approvals share its accounts could say where its bars are (a reweighing's account is
    // withheld whole); the reader may not approve it anyway. An approval naming no bar moves none.
    voids: [],
  };
}

/** A payload without the bars it names: an instruction's step keeps its instruction and event. */
function withheldPayload(payload: ApprovalPayload): unknown {
  if (payload.kind === 'reweigh_bar') return { kind: payload.kind, date: payload.date };
  if (payload.kind !== 'instruction_step') return payload;
  const { bar_ids: _withheld, ...kept } = payload;
  return kept;
}
