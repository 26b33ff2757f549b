// Sending: a message is checked, registered, signed and sealed to its recipient under the next
// sequence number of the pair, and waits in the outbox until the relay has it (see sync.ts).
import { createHash } from 'node:crypto';
import { seal } from '../../channel/seal.ts';
import type { Classification } from '../../domain/correspondence/classification.ts';
import { checkSubject, payloadOf, writePayload } from '../../domain/correspondence/payload.ts';
import {
  type CorrespondenceOutcome,
  type CorrespondenceRefusal,
  refuseCorrespondence,
} from '../../domain/correspondence/refusal.ts';
import { checkMessage, type Message } from '../../domain/messages/index.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { type Channel, logChannelEvent, pinnedKeys } from './keyring.ts';
import { channelBank, setSentSequence } from './queries-channel.ts';
import { messageOfOrigin, resendable, setMessageState } from './queries-register.ts';
import { registerMessage } from './register.ts';

/** How long a sealed message stays valid: an envelope older than this is refused as expired. */
export const MESSAGE_VALIDITY_DAYS = 30;
const MS_PER_DAY = 86_400_000;

/** A message to send, with the particulars of the register. */
export interface Outgoing {
  readonly to: string;
  readonly classification: Classification;
  readonly subject: string;
  readonly message: Message;
  /** What the message was written from ("settlement:TRADE-1:MT600"): sent once however often asked. */
  readonly origin: string | null;
  /** The object in the books it concerns: TRADE-1, INS-3. */
  readonly linked: string | null;
  /** The business date of the message (YYYY-MM-DD). */
  readonly date: string;
}

/** A message queued: its register id and number, and its place in the pair's sequence. */
export interface Queued {
  readonly id: bigint;
  readonly number: bigint;
  readonly sequence: bigint;
  readonly reference: string;
  readonly type: string;
  readonly replayed: boolean;
}

/** SHA-256 of an envelope's ciphertext (or of what stands for it), hex. */
export function envelopeHash(ciphertext: string): string {
  return createHash('sha256').update(ciphertext).digest('hex');
}

/** The message queued before from the same origin, if any: it is not sent twice. */
async function queuedBefore(tx: Tx, origin: string | null): Promise<Queued | null> {
  if (origin === null) return null;
  const seen = await messageOfOrigin(tx, origin);
  if (!seen) return null;
  const { id, number, sequence, reference, message_type } = seen;
  return {
    id,
    number,
    sequence: sequence ?? 0n,
    reference: reference ?? '',
    type: message_type ?? '',
    replayed: true,
  };
}

/** Takes the next sequence number to a pinned correspondent, or refuses an unknown one. */
async function nextSequence(tx: Tx, to: string): Promise<CorrespondenceOutcome<{ sequence: bigint }>> {
  const peer = await channelBank(tx, to);
  if (!peer || peer.is_self === 1n) {
    const text = `no keys are pinned for ${to}: pin them with \`ingot keys pin\``;
    return refuseCorrespondence('correspondent_not_pinned', text, 'to');
  }
  const sequence = peer.sent_sequence + 1n;
  await setSentSequence(tx, to, sequence);
  return { ok: true, sequence };
}

/** Queues one message within the caller's transaction. */
export async function queueIn(
  tx: Tx,
  ingot: Ingot,
  channel: Channel,
  outgoing: Outgoing,
): Promise<CorrespondenceOutcome<Queued>> {
  const { message } = outgoing;
  const before = await queuedBefore(tx, outgoing.origin);
  if (before !== null) return { ok: true, ...before };
  const checked = checkMessage(message);
  if (!checked.ok) return refuseCorrespondence('message_invalid', checked.message, checked.field);
  const subject = checkSubject(outgoing.subject);
  if (!subject.ok) return subject;
  const next = await nextSequence(tx, outgoing.to);
  if (!next.ok) return next;
  const { sequence } = next;
  const now = ingot.now();
  const payload = payloadOf(message, outgoing.classification, subject.subject);
  const sealed = seal(writePayload(payload), {
    sender: channel.bank_id,
    senderKeys: channel.keys,
    recipient: outgoing.to,
    recipientPins: await pinnedKeys(tx),
    sequence: Number(sequence),
    sentAt: now,
    expiresAt: new Date(Date.parse(now) + MESSAGE_VALIDITY_DAYS * MS_PER_DAY).toISOString(),
  });
  if (!sealed.ok && sealed.code === 'too_large') {
    return refuseCorrespondence('message_invalid', sealed.message, 'message');
  }
  if (!sealed.ok) return refuseCorrespondence('correspondent_not_pinned', sealed.message, 'to');
  const registered = await registerMessage(tx, {
    direction: 'out',
    correspondent: outgoing.to,
    registered_at: now,
    date: outgoing.date,
    classification: outgoing.classification,
    copies: 1n,
    subject: subject.subject,
    message_type: message.type,
    reference: message.reference,
    message_id: sealed.header.message_id,
    sequence,
    state: 'outbox',
    reason: null,
    text: payload.text,
    envelope: JSON.stringify(sealed.envelope),
    envelope_hash: envelopeHash(sealed.envelope.ciphertext),
    relay_id: null,
    origin: outgoing.origin,
    applied: null,
    linked: outgoing.linked,
    sent_at: null,
    delivered_at: null,
  });
  return {
    ok: true,
    ...registered,
    sequence,
    reference: message.reference,
    type: message.type,
    replayed: false,
  };
}

/**
 * Puts a message sent but not receipted back in the outbox, to be posted again at the next sync
 * (the same envelope under the same sequence number: the recipient applies it at most once).
 */
export async function resendMessage(
  ingot: Ingot,
  id: bigint,
): Promise<CorrespondenceOutcome<{ id: bigint; correspondent: string; sequence: bigint; state: string }>> {
  return ingot.store.write(async (tx) => {
    const row = await resendable(tx, id);
    if (row?.direction !== 'out' || row.sequence === null) {
      return refuseCorrespondence('message_not_found', `no message #${id} was sent from here`, 'id');
    }
    if (row.state === 'delivered' || row.state === 'rejected') {
      const late = row.state === 'rejected' ? ', after it had expired: send it again as a new message' : '';
      const message = `message #${id} was receipted by ${row.correspondent} at ${row.delivered_at}${late}`;
      return refuseCorrespondence('message_invalid', message, 'id');
    }
    if (row.state === 'sent') {
      await setMessageState(tx, id, 'outbox');
      const detail = `message #${id} (sequence ${row.sequence}) put back in the outbox by ${ingot.user}`;
      await logChannelEvent(tx, { at: ingot.now(), bank_id: row.correspondent, event: 'resend', detail });
    }
    return { ok: true, id, correspondent: row.correspondent, sequence: row.sequence, state: 'outbox' };
  });
}

/** Thrown to roll back a transaction and hand its refusal to the caller. */
class RollBack extends Error {
  constructor(readonly refusal: CorrespondenceRefusal) {
    super(refusal.message);
  }
}

/** Runs `work` in one write transaction; a refusal rolls back everything it wrote. */
export async function atomicallyCorrespondence<T extends object>(
  ingot: Ingot,
  work: (tx: Tx) => Promise<CorrespondenceOutcome<T>>,
): Promise<CorrespondenceOutcome<T>> {
  try {
    return await ingot.store.write(async (tx) => {
      const outcome = await work(tx);
      if (!outcome.ok) throw new RollBack(outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof RollBack) return error.refusal;
    throw error;
  }
}

/** Queues messages together: all of them, in order, or none. */
export async function queueMessages(
  ingot: Ingot,
  channel: Channel,
  messages: readonly Outgoing[],
): Promise<CorrespondenceOutcome<{ queued: Queued[] }>> {
  return atomicallyCorrespondence(ingot, async (tx) => {
    const queued: Queued[] = [];
    for (const outgoing of messages) {
      const one = await queueIn(tx, ingot, channel, outgoing);
      if (!one.ok) return one;
      queued.push(one);
    }
    return { ok: true, queued };
  });
}
