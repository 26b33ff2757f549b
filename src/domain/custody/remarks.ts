// The thread of dated remarks on an instruction: details agreed case by case, from both sides.
// Append-only: a remark is never edited or removed; a correction is a new remark.
import { assert } from '../outcome.ts';
import { authorizeMaker, type User } from './controls.ts';
import type { Instruction } from './instruction.ts';
import { type CustodyOutcome, refuseCustody } from './refusal.ts';

/** The longest remark, in characters (Unicode code points). */
export const REMARK_LENGTH_MAX = 2000;

/** One remark, numbered from 1 within its instruction. */
export interface Remark {
  readonly instruction_id: string;
  readonly sequence: bigint;
  readonly author_user_id: string;
  readonly author_party_id: string;
  readonly written_on: string;
  readonly text: string;
}

/** What an author writes. */
export interface RemarkRequest {
  readonly author: User;
  readonly written_on: string;
  readonly text: string;
}

/**
 * Checks a remark in order (the author may write on this client's instruction, the text, the date
 * not before the previous remark or the draft) and returns it with the thread that ends with it.
 */
export function appendRemark(
  instruction: Instruction,
  thread: readonly Remark[],
  request: RemarkRequest,
  depository_party_id: string,
): CustodyOutcome<{ remark: Remark; thread: readonly Remark[] }> {
  thread.forEach((remark, index) => {
    assert(
      remark.instruction_id === instruction.id,
      `remark of ${remark.instruction_id} on ${instruction.id}`,
    );
    assert(remark.sequence === BigInt(index + 1), `remark ${remark.sequence} out of sequence`);
  });
  const scope = { depository_party_id, owner_party_id: instruction.client_party_id };
  const authorized = authorizeMaker('add_remark', request.author, scope);
  if (!authorized.ok) return authorized;
  const text = request.text.trim();
  if (text === '') return refuseCustody('remark_is_empty', 'a remark needs some text', 'text');
  const length = [...text].length;
  if (length > REMARK_LENGTH_MAX) {
    return refuseCustody(
      'remark_too_long',
      `a remark has at most ${REMARK_LENGTH_MAX} characters, not ${length}`,
      'text',
    );
  }
  const previous = thread.at(-1)?.written_on ?? instruction.drafted_on;
  if (request.written_on < previous) {
    return refuseCustody(
      'remark_dated_before_previous',
      `a remark on ${instruction.id} cannot be dated ${request.written_on}, before ${previous}`,
      'date',
    );
  }
  const remark: Remark = {
    instruction_id: instruction.id,
    sequence: BigInt(thread.length + 1),
    author_user_id: request.author.id,
    author_party_id: request.author.party_id,
    written_on: request.written_on,
    text,
  };
  return { ok: true, remark, thread: [...thread, remark] };
}
