// Receiving: an envelope is opened against the pinned keys and the pair's last sequence number,
// registered, applied and receipted, all in one transaction, so a message is applied exactly once
// and its signed receipt goes back to the sender. What is tampered, replayed, misaddressed or from
// an unknown sender is logged as rejected, outside the register (it takes no number); an authentic
// next message that is unreadable or expired is registered as rejected under its number;
// what comes before its predecessors is held back (not acknowledged) until they have come.
import { signReceipt } from '../../channel/receipt.ts';
import { type Header, type OpenRefusal, open, readEnvelope } from '../../channel/seal.ts';
import { readPayload } from '../../domain/correspondence/payload.ts';
import type { Message } from '../../domain/messages/index.ts';
import { assert } from '../../domain/outcome.ts';
import type { MessageRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { ingotWithin } from '../kernel/nested.ts';
import { applyToBooks } from './apply-books.ts';
import { type Applied, applyToView } from './client-view.ts';
import { type Channel, logChannelEvent, pinnedKeys } from './keyring.ts';
import { envelopeHash } from './outbox.ts';
import {
  advanceReceivedSequence,
  envelopeLogged,
  keptReceipt,
  receivedSequence,
  recordReceipt,
  unpostReceipt,
} from './queries-channel.ts';
import { incomingByEnvelope, setApplied } from './queries-register.ts';
import { registerMessage } from './register.ts';

/**
 * What became of an envelope: registered (received, or rejected when it held no valid message),
 * rejected without a register number (junk), seen before, or held back.
 */
export type Reception =
  | { readonly kind: 'received'; readonly id: bigint; readonly type: string; readonly applied: string }
  | { readonly kind: 'rejected'; readonly id: bigint | null; readonly code: string; readonly reason: string }
  | { readonly kind: 'duplicate'; readonly id: bigint | null }
  | { readonly kind: 'deferred'; readonly code: string; readonly reason: string };

/** An envelope as fetched: its JSON value and the relay's id for it. */
export interface Arrived {
  readonly value: unknown;
  readonly relay_id: string | null;
}

/** The hash an envelope is known by: of its ciphertext, or of the whole value when it has none. */
function hashOf(value: unknown): string {
  const ciphertext = (value as { ciphertext?: unknown } | null)?.ciphertext;
  return envelopeHash(typeof ciphertext === 'string' ? ciphertext : (JSON.stringify(value) ?? 'null'));
}

/**
 * The hash junk is logged by: of the whole envelope as it came. Never of its ciphertext alone: a
 * copy altered outside the ciphertext (its nonce, its header) and rejected would otherwise be the
 * genuine message's hash, and the genuine message would then be taken for that junk again.
 */
function junkHashOf(value: unknown): string {
  return envelopeHash(JSON.stringify(value) ?? 'null');
}

/** The sender an envelope claims, before anything is proved. */
function claimedSender(value: unknown): string {
  const read = readEnvelope(value);
  return read.ok ? read.envelope.sender : 'unknown';
}

/** The register row of an incoming message, in a state, with what is known of it. */
function incomingRow(
  ingot: Ingot,
  arrived: Arrived,
  fields: { correspondent: string; state: 'received' | 'rejected'; header?: Header; reason?: string },
): Omit<MessageRow, 'id' | 'number'> {
  const now = ingot.now();
  return {
    direction: 'in',
    correspondent: fields.correspondent,
    registered_at: now,
    date: now.slice(0, 10),
    classification: 'confidential',
    copies: 1n,
    subject: '(not opened)',
    message_type: null,
    reference: null,
    message_id: fields.header?.message_id ?? null,
    sequence: fields.header ? BigInt(fields.header.sequence) : null,
    state: fields.state,
    reason: fields.reason ?? null,
    text: null,
    envelope: JSON.stringify(arrived.value) ?? 'null',
    envelope_hash: hashOf(arrived.value),
    relay_id: arrived.relay_id,
    origin: null,
    applied: null,
    linked: null,
    sent_at: fields.header?.sent_at ?? null,
    delivered_at: null,
  };
}

/** Logs a refused envelope as rejected, with its reason; it takes no number in the register. */
async function reject(tx: Tx, ingot: Ingot, arrived: Arrived, refusal: OpenRefusal): Promise<Reception> {
  const correspondent = refusal.header?.sender ?? claimedSender(arrived.value);
  const reason = `${refusal.code}: ${refusal.message}`;
  await logChannelEvent(tx, {
    at: ingot.now(),
    bank_id: correspondent,
    event: 'rejected',
    detail: reason,
    envelope_hash: junkHashOf(arrived.value),
  });
  return { kind: 'rejected', id: null, code: refusal.code, reason };
}

/**
 * Signs a receipt for a registered message and keeps it to post; one kept already is posted again.
 * With `create` false only a receipt kept already is (a message rejected before this bank receipted).
 */
async function issueReceipt(
  tx: Tx,
  ingot: Ingot,
  channel: Channel,
  row: { id: bigint; correspondent: string; sequence: bigint; envelope_hash: string },
  create = true,
): Promise<void> {
  const kept = await keptReceipt(tx, row.id);
  if (kept) {
    await unpostReceipt(tx, row.id);
    return;
  }
  if (!create) return;
  const at = ingot.now();
  const receipt = signReceipt(
    {
      sender: channel.bank_id,
      recipient: row.correspondent,
      sequence: Number(row.sequence),
      envelope_hash: row.envelope_hash,
      received_at: at,
    },
    channel.keys.signing.private_key,
  );
  await recordReceipt(tx, { message_id: row.id, receipt: JSON.stringify(receipt), at, posted_at: null });
}

/** Holds an envelope back until its predecessors come; logged once. */
async function defer(tx: Tx, ingot: Ingot, arrived: Arrived, refusal: OpenRefusal): Promise<Reception> {
  const hash = hashOf(arrived.value);
  const logged = await envelopeLogged(tx, hash, 'held_back');
  if (!logged) {
    const sender = refusal.header?.sender ?? claimedSender(arrived.value);
    await logChannelEvent(tx, {
      at: ingot.now(),
      bank_id: sender,
      event: 'held_back',
      detail: refusal.message,
      envelope_hash: hash,
    });
  }
  return { kind: 'deferred', code: refusal.code, reason: refusal.message };
}

/** Moves the pair's last sequence number on to the message's, which must be the next. */
async function takeSequence(tx: Tx, header: Header): Promise<void> {
  const moved = await advanceReceivedSequence(tx, header.sender, BigInt(header.sequence));
  assert(
    moved.numUpdatedRows === 1n,
    `the sequence from ${header.sender} moved while ${header.sequence} was opened`,
  );
}

/**
 * Registers as rejected, applying nothing, a message proved to be the correspondent's next (its
 * signature verified, its number the next) that cannot be taken: unreadable, or arrived after it
 * expired. It takes its number and is receipted, so the messages after it are not held back for
 * ever behind it; the sender reads from the receipt's time that it came too late.
 */
async function registerRejected(
  tx: Tx,
  ingot: Ingot,
  channel: Channel,
  arrived: Arrived,
  header: Header,
  code: 'malformed' | 'expired',
  message: string,
): Promise<Reception> {
  await takeSequence(tx, header);
  const reason = `${code}: ${message}`;
  const row = incomingRow(ingot, arrived, {
    correspondent: header.sender,
    state: 'rejected',
    header,
    reason,
  });
  const { id } = await registerMessage(tx, row);
  const receipted = {
    correspondent: header.sender,
    sequence: BigInt(header.sequence),
    envelope_hash: hashOf(arrived.value),
  };
  await issueReceipt(tx, ingot, channel, { id, ...receipted });
  return { kind: 'rejected', id, code, reason };
}

/** Registers an opened message and applies it to the books (depository) or the view (client). */
async function accept(
  tx: Tx,
  ingot: Ingot,
  channel: Channel,
  arrived: Arrived,
  opened: { header: Header; body: string },
): Promise<Reception> {
  const { header } = opened;
  const read = readPayload(opened.body);
  // Signed by the correspondent under its next number: registered, and receipted, though unread.
  if (!read.ok) return registerRejected(tx, ingot, channel, arrived, header, 'malformed', read.message);
  await takeSequence(tx, header);
  const receipted = {
    correspondent: header.sender,
    sequence: BigInt(header.sequence),
    envelope_hash: hashOf(arrived.value),
  };
  const { payload, message } = read;
  const row = {
    ...incomingRow(ingot, arrived, { correspondent: header.sender, state: 'received', header }),
    classification: payload.classification,
    subject: payload.subject,
    message_type: message.type,
    reference: message.reference,
    text: payload.text,
  };
  const { id } = await registerMessage(tx, row);
  const applied = await applyReceived(
    tx,
    ingot,
    channel,
    { id, sender: header.sender, message_id: header.message_id },
    message,
  );
  await setApplied(tx, id, applied);
  await issueReceipt(tx, ingot, channel, { id, ...receipted });
  return { kind: 'received', id, type: message.type, applied: applied.applied };
}

/** Applies a registered message by the instance's mode. */
async function applyReceived(
  tx: Tx,
  ingot: Ingot,
  channel: Channel,
  arrival: { id: bigint; sender: string; message_id: string },
  message: Message,
): Promise<Applied> {
  if (channel.mode === 'client') return applyToView(tx, arrival.id, message);
  return applyToBooks(ingotWithin(ingot, tx), arrival, message);
}

/** Receives one envelope: opens, registers and applies it, or rejects, recognizes or holds it back. */
export async function receiveEnvelope(ingot: Ingot, channel: Channel, arrived: Arrived): Promise<Reception> {
  return ingot.store.write(async (tx) => {
    const hash = hashOf(arrived.value);
    const seen = await incomingByEnvelope(tx, hash);
    if (seen) {
      // A resend: the first receipt was lost, or the relay's acknowledgement was. Receipted again.
      if (seen.sequence !== null) {
        const row = { ...seen, sequence: seen.sequence, envelope_hash: hash };
        await issueReceipt(tx, ingot, channel, row, seen.state === 'received');
      }
      const detail = `delivered again; registered as #${seen.id}, nothing applied twice`;
      await logChannelEvent(tx, {
        at: ingot.now(),
        bank_id: claimedSender(arrived.value),
        event: 'duplicate',
        detail,
        envelope_hash: hash,
      });
      return { kind: 'duplicate', id: seen.id };
    }
    // Junk seen before, the very same bytes: nothing to log again.
    const refused = await envelopeLogged(tx, junkHashOf(arrived.value), 'rejected');
    if (refused) return { kind: 'duplicate', id: null };
    const sender = claimedSender(arrived.value);
    const peer = await receivedSequence(tx, sender);
    const opened = open(arrived.value, {
      recipient: channel.bank_id,
      recipientKeys: channel.keys,
      senderPins: await pinnedKeys(tx),
      now: ingot.now(),
      lastSequenceSeen: peer && peer.is_self === 0n ? Number(peer.received_sequence) : 0,
    });
    if (opened.ok) return accept(tx, ingot, channel, arrived, opened);
    // Expiry is checked last: an expired message is authentic and the next, so it takes its number.
    if (opened.code === 'expired' && opened.header) {
      return registerRejected(tx, ingot, channel, arrived, opened.header, 'expired', opened.message);
    }
    return opened.code === 'out_of_order'
      ? defer(tx, ingot, arrived, opened)
      : reject(tx, ingot, arrived, opened);
  });
}
