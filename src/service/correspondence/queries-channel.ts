// The channel's SQL: the bank's own keys and its correspondents' pinned ones with their sequence
// numbers, the channel's log, the receipts signed and taken, and what sync pushes to the relay.
// Each function runs on the executor it is given, so a caller's transaction stays the one it runs in.
import type { ChannelBankRow, ChannelEventRow, MessageReceiptRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** The largest id in the channel's log, or undefined when it is empty. */
export async function lastChannelEventId(tx: Tx): Promise<bigint | null | undefined> {
  const last = await tx
    .selectFrom('channel_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return last?.id;
}

/** Writes an event to the channel's log. */
export async function recordChannelEvent(tx: Tx, event: ChannelEventRow): Promise<void> {
  await tx.insertInto('channel_events').values(event).execute();
}

/** The channel's log, oldest first. */
export async function channelEventLog(db: Tx): Promise<ChannelEventRow[]> {
  return db.selectFrom('channel_events').selectAll().orderBy('id').execute();
}

/** Whether an envelope of this hash was logged with this event (held back, rejected). */
export async function envelopeLogged(tx: Tx, envelopeHash: string, event: string) {
  return tx
    .selectFrom('channel_events')
    .select('id')
    .where('envelope_hash', '=', envelopeHash)
    .where('event', '=', event)
    .executeTakeFirst();
}

/** The instance's own bank and keys, if they were generated. */
export async function ownBankRow(tx: Tx): Promise<ChannelBankRow | undefined> {
  return tx.selectFrom('channel_banks').selectAll().where('is_self', '=', 1n).executeTakeFirst();
}

/** The role of a party in the books (depository, client), if the party exists. */
export async function partyRole(tx: Tx, partyId: string): Promise<string | undefined> {
  const party = await tx.selectFrom('parties').select('role').where('id', '=', partyId).executeTakeFirst();
  return party?.role;
}

/** A bank's keys as pinned (or its own), if the channel knows it. */
export async function channelBank(tx: Tx, bankId: string): Promise<ChannelBankRow | undefined> {
  return tx.selectFrom('channel_banks').selectAll().where('bank_id', '=', bankId).executeTakeFirst();
}

/** Every bank the channel knows: its own first, then its correspondents by id. */
export async function allChannelBanks(db: Tx): Promise<ChannelBankRow[]> {
  return db.selectFrom('channel_banks').selectAll().orderBy('is_self', 'desc').orderBy('bank_id').execute();
}

/** The correspondents whose keys are pinned (not the instance's own). */
export async function correspondentBanks(tx: Tx): Promise<ChannelBankRow[]> {
  return tx.selectFrom('channel_banks').selectAll().where('is_self', '=', 0n).execute();
}

/** Records a bank's keys: the instance's own, or a correspondent's pinned for the first time. */
export async function recordChannelBank(tx: Tx, bank: ChannelBankRow): Promise<void> {
  await tx.insertInto('channel_banks').values(bank).execute();
}

/** Names the client signatory in whose name a correspondent's orders are entered. */
export async function setChannelSignatory(tx: Tx, bankId: string, signatory: string | null): Promise<void> {
  await tx
    .updateTable('channel_banks')
    .set({ signatory_user_id: signatory })
    .where('bank_id', '=', bankId)
    .execute();
}

/** Replaces a correspondent's pinned keys. */
export async function replacePinnedKeys(
  tx: Tx,
  bankId: string,
  keys: Pick<
    ChannelBankRow,
    'signing_public' | 'encryption_public' | 'fingerprint' | 'signatory_user_id' | 'pinned_at' | 'pinned_by'
  >,
): Promise<void> {
  await tx.updateTable('channel_banks').set(keys).where('bank_id', '=', bankId).execute();
}

/** The client signatory named for a correspondent's orders. */
export async function channelSignatory(tx: Tx, bankId: string) {
  return tx
    .selectFrom('channel_banks')
    .select('signatory_user_id')
    .where('bank_id', '=', bankId)
    .executeTakeFirst();
}

/** Sets the last sequence number sent to a correspondent. */
export async function setSentSequence(tx: Tx, bankId: string, sequence: bigint): Promise<void> {
  await tx
    .updateTable('channel_banks')
    .set({ sent_sequence: sequence })
    .where('bank_id', '=', bankId)
    .execute();
}

/** The last sequence number received from a bank, and whether it is the instance's own. */
export async function receivedSequence(tx: Tx, bankId: string) {
  return tx
    .selectFrom('channel_banks')
    .select(['received_sequence', 'is_self'])
    .where('bank_id', '=', bankId)
    .executeTakeFirst();
}

/** Moves the last sequence received from a bank on to `sequence`, if it was the one before. */
export async function advanceReceivedSequence(tx: Tx, bankId: string, sequence: bigint) {
  return tx
    .updateTable('channel_banks')
    .set({ received_sequence: sequence })
    .where('bank_id', '=', bankId)
    .where('received_sequence', '=', sequence - 1n)
    .executeTakeFirst();
}

/** The receipt kept for a received message, if one was signed. */
export async function keptReceipt(tx: Tx, messageId: bigint) {
  return tx
    .selectFrom('message_receipts')
    .select('message_id')
    .where('message_id', '=', messageId)
    .executeTakeFirst();
}

/** Marks a kept receipt as not yet posted, so the next sync posts it again. */
export async function unpostReceipt(tx: Tx, messageId: bigint): Promise<void> {
  await tx
    .updateTable('message_receipts')
    .set({ posted_at: null })
    .where('message_id', '=', messageId)
    .execute();
}

/** Keeps a receipt signed by this bank for a message it received. */
export async function recordReceipt(tx: Tx, receipt: MessageReceiptRow): Promise<void> {
  await tx.insertInto('message_receipts').values(receipt).execute();
}

/** Keeps a correspondent's receipt for a message sent, unless one is kept already. */
export async function recordReceiptOnce(tx: Tx, receipt: MessageReceiptRow): Promise<void> {
  await tx
    .insertInto('message_receipts')
    .values(receipt)
    .onConflict((c) => c.column('message_id').doNothing())
    .execute();
}

/** The receipts this bank signed for what it received and has not posted yet, in message order. */
export async function unpostedReceipts(db: Tx) {
  return db
    .selectFrom('message_receipts')
    .innerJoin('messages', 'messages.id', 'message_receipts.message_id')
    .select(['message_receipts.message_id as id', 'message_receipts.receipt'])
    .where('messages.direction', '=', 'in')
    .where('message_receipts.posted_at', 'is', null)
    .orderBy('message_receipts.message_id')
    .execute();
}

/** Notes when a receipt was posted to the relay. */
export async function markReceiptPosted(tx: Tx, messageId: bigint, at: string): Promise<void> {
  await tx
    .updateTable('message_receipts')
    .set({ posted_at: at })
    .where('message_id', '=', messageId)
    .execute();
}

/** The outbox and the messages sent but not receipted, by correspondent and sequence. */
export async function messagesToPush(db: Tx) {
  return db
    .selectFrom('messages')
    .leftJoin('message_sendings', 'message_sendings.message_id', 'messages.id')
    .select(['id', 'correspondent', 'envelope', 'state', 'registered_at', 'last_sent_at', 'attempts'])
    .where('direction', '=', 'out')
    .where('state', 'in', ['outbox', 'sent'])
    .orderBy('correspondent')
    .orderBy('sequence')
    .execute();
}

/** Marks a message in the outbox (or sent) as sent, under the relay's id; first sent now if never. */
export async function markSent(tx: Tx, id: bigint, relayId: string, now: string): Promise<void> {
  await tx
    .updateTable('messages')
    .set((eb) => ({
      state: 'sent',
      relay_id: relayId,
      sent_at: eb.fn.coalesce('sent_at', eb.val(now)),
    }))
    .where('id', '=', id)
    .where('state', 'in', ['outbox', 'sent'])
    .execute();
}

/** Counts a posting of a message to the relay: `attempts` in all, the last now. */
export async function recordSending(tx: Tx, id: bigint, attempts: bigint, now: string): Promise<void> {
  await tx
    .insertInto('message_sendings')
    .values({ message_id: id, attempts: 1n, last_sent_at: now })
    .onConflict((c) => c.column('message_id').doUpdateSet({ attempts, last_sent_at: now }))
    .execute();
}

/** The message sent to a bank under a sequence number in the envelope of this hash, if any. */
export async function sentUnder(
  tx: Tx,
  receipt: { sender: string; sequence: number; envelope_hash: string },
) {
  return tx
    .selectFrom('messages')
    .select(['id', 'state', 'registered_at'])
    .where('direction', '=', 'out')
    .where('correspondent', '=', receipt.sender)
    .where('sequence', '=', BigInt(receipt.sequence))
    .where('envelope_hash', '=', receipt.envelope_hash)
    .executeTakeFirst();
}

/** Marks a sent message receipted: delivered, or rejected when it came too late, and why. */
export async function markReceipted(
  tx: Tx,
  id: bigint,
  receipted: { state: 'delivered' | 'rejected'; delivered_at: string; reason: string | null },
): Promise<void> {
  await tx.updateTable('messages').set(receipted).where('id', '=', id).execute();
}
