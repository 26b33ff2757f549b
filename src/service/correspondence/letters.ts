// Letters written by a bank's users over the API and in the desk: a free-format MT699 from the
// bank whose Ingot this is to one of its correspondents, checked, registered, signed and sealed
// into the outbox exactly as `ingot send letter` queues one; `ingot sync` delivers it.
import { type Classification, mayOpen } from '../../domain/correspondence/classification.ts';
import { composeLetter } from '../../domain/correspondence/compose.ts';
import { checkSubject } from '../../domain/correspondence/payload.ts';
import { type CorrespondenceOutcome, refuseCorrespondence } from '../../domain/correspondence/refusal.ts';
import { checkFreeText } from '../../domain/messages/text.ts';
import { assert } from '../../domain/outcome.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { clearanceOf } from './clearance.ts';
import { listKeys, loadChannel } from './keyring.ts';
import { atomicallyCorrespondence, type Queued, queueIn } from './outbox.ts';
import { lastMessageNumber } from './queries-register.ts';

/** A letter as its writer asks for it. */
export interface LetterRequest {
  readonly to: string;
  readonly classification: Classification;
  readonly subject: string;
  readonly text: string;
  /** The business date of the letter (YYYY-MM-DD). */
  readonly date: string;
  readonly by_user_id: string;
  /** The writer's bank: a user writes only for the bank whose Ingot this is. */
  readonly by_party_id: string;
  /** A key the writer chose for this letter: asked again, the letter is not written twice. */
  readonly key: string | null;
}

/** A letter queued: where it stands in the register, and its reference. */
export interface LetterQueued {
  readonly id: bigint;
  readonly number: bigint;
  readonly sequence: bigint;
  readonly reference: string;
  readonly correspondent: string;
  readonly replayed: boolean;
}

/** The reference of the next letter to a correspondent: LTR-YYMMDD-N, N its number in the register. */
async function nextReference(tx: Tx, to: string, date: string): Promise<string> {
  const number = ((await lastMessageNumber(tx, to, 'out')) ?? 0n) + 1n;
  return `LTR-${date.slice(2).replaceAll('-', '')}-${number}`;
}

/** Checks what the writer typed: a subject of one line, a text of printable lines. */
function checkLetter(request: LetterRequest): CorrespondenceOutcome<{ subject: string; text: string }> {
  const subject = checkSubject(request.subject);
  if (!subject.ok) return subject;
  const text = checkFreeText(request.text, null, 'the text');
  if (!text.ok) return refuseCorrespondence('invalid_input', text.reason, 'text');
  return { ok: true, subject: subject.subject, text: text.value };
}

/** The bank whose keys this instance holds, or a refusal when it has none yet. */
async function ownBank(ingot: Ingot): Promise<CorrespondenceOutcome<{ bank_id: string }>> {
  const self = (await listKeys(ingot)).find((key) => key.is_self);
  if (!self) {
    const message = 'this bank has no keys yet: run `ingot keys generate --bank ID` first';
    return refuseCorrespondence('own_keys_not_generated', message, 'keys');
  }
  return { ok: true, bank_id: self.bank_id };
}

/**
 * Writes a letter from the writer's bank into the outbox, sealed with the bank's keys opened by
 * `passphrase` (undefined: this server was not given it). The writer must be of the bank whose
 * Ingot this is and cleared for the classification it writes under.
 */
export async function writeLetter(
  ingot: Ingot,
  passphrase: string | undefined,
  request: LetterRequest,
): Promise<CorrespondenceOutcome<LetterQueued>> {
  const checked = checkLetter(request);
  if (!checked.ok) return checked;
  const bank = await ownBank(ingot);
  if (!bank.ok) return bank;
  if (request.by_party_id !== bank.bank_id) {
    const message = `${request.by_user_id} is of ${request.by_party_id}: letters from it are written at its own Ingot`;
    return refuseCorrespondence('user_acts_for_another_party', message, 'to');
  }
  if (passphrase === undefined || passphrase === '') {
    const message = 'this server was started without the key passphrase, so it cannot sign a letter';
    return refuseCorrespondence('key_passphrase_missing', message, 'passphrase');
  }
  const loaded = await loadChannel(ingot, passphrase);
  if (!loaded.ok) return loaded;
  const { channel } = loaded;
  return atomicallyCorrespondence(ingot, async (tx) => {
    const clearance = await clearanceOf(tx, request.by_user_id);
    if (!mayOpen(clearance, request.classification)) {
      const held = clearance === null ? 'no clearance' : `clearance ${clearance}`;
      const message = `${request.by_user_id} (${held}) may not write a letter classified ${request.classification}`;
      return refuseCorrespondence('not_cleared', message, 'classification');
    }
    const reference = await nextReference(tx, request.to, request.date);
    const message = composeLetter({ reference, related_reference: null, text: checked.text });
    const origin = request.key === null ? null : `letter:${request.by_party_id}:${request.key}`;
    const queued = await queueIn(tx, ingot, channel, {
      to: request.to,
      classification: request.classification,
      subject: checked.subject,
      message,
      origin,
      linked: null,
      date: request.date,
    });
    if (!queued.ok) return queued;
    assert(queued.replayed || queued.reference === reference, `letter #${queued.id} kept its reference`);
    return { ok: true, ...letterOf(queued, request.to) };
  });
}

/** What the writer is told of a letter queued. */
function letterOf(queued: Queued, to: string): LetterQueued {
  const { id, number, sequence, reference, replayed } = queued;
  return { id, number, sequence, reference, correspondent: to, replayed };
}
