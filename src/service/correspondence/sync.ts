// Synchronizing with the relay: push the outbox in sequence order (stopping at the first failure,
// so nothing overtakes) and post again what was sent but not receipted in time; pull what is
// addressed to this bank, receive it and acknowledge it; post the receipts this bank signed; and
// mark as delivered only what a correspondent's verified receipt says it received.

import { readReceipt, verifyReceipt } from '../../channel/receipt.ts';
import type { RelayClient } from '../../channel/relay-client.ts';
import { readEnvelope } from '../../channel/seal.ts';
import type { Ingot } from '../kernel/context.ts';
import { receiveEnvelope } from './inbox.ts';
import { type Channel, logChannelEvent, pinnedKeys } from './keyring.ts';
import { MESSAGE_VALIDITY_DAYS } from './outbox.ts';
import {
  markReceipted,
  markReceiptPosted,
  markSent,
  messagesToPush,
  recordReceiptOnce,
  recordSending,
  sentUnder,
  unpostedReceipts,
} from './queries-channel.ts';

/** Envelopes or receipts fetched at once. */
export const SYNC_FETCH_LIMIT = 200;
/** Fetch rounds in one sync: each round may let held-back envelopes through. */
export const SYNC_ROUNDS_MAXIMUM = 20;
/** A message sent but not receipted after this long is posted again: same sequence, same envelope. */
export const RESEND_AFTER_MS = 5 * 60_000;
const MS_PER_DAY = 86_400_000;

/** What one sync did. */
export interface SyncReport {
  pushed: number;
  resent: number;
  waiting: number;
  received: number;
  rejected: number;
  duplicates: number;
  held_back: number;
  receipts_sent: number;
  delivered: number;
  receipts_refused: number;
  /** Why the relay could not be used, if it could not (it is retried at the next sync). */
  problem: string | null;
}

/** How a sync behaves; the default resends after RESEND_AFTER_MS. */
export interface SyncOptions {
  readonly resend_after_ms?: number;
}

/** When a message sealed at `registered_at` expires, in milliseconds: its envelope says the same. */
function expiryOf(registered_at: string): number {
  return Date.parse(registered_at) + MESSAGE_VALIDITY_DAYS * MS_PER_DAY;
}

/** True when a sent message is due to be posted again: unreceipted too long, and not expired. */
function dueAgain(ingot: Ingot, row: { registered_at: string; last_sent_at: string | null }, after: number) {
  const now = Date.parse(ingot.now());
  const expired = expiryOf(row.registered_at) <= now;
  return !expired && (row.last_sent_at === null || Date.parse(row.last_sent_at) + after <= now);
}

/** Pushes the outbox and what is due again, oldest sequence first per correspondent. */
async function push(ingot: Ingot, relay: RelayClient, report: SyncReport, after: number): Promise<void> {
  const rows = await messagesToPush(ingot.store.db);
  const stopped = new Set<string>();
  for (const row of rows) {
    const first = row.state === 'outbox';
    if (stopped.has(row.correspondent) || report.problem !== null) {
      if (first) report.waiting += 1;
      continue;
    }
    if (!first && !dueAgain(ingot, row, after)) continue;
    const envelope = readEnvelope(JSON.parse(row.envelope ?? 'null'));
    if (!envelope.ok) throw new Error(`message #${row.id} has no envelope: ${envelope.message}`);
    const posted = await relay.post(envelope.envelope);
    if (!posted.ok) {
      if (first) report.waiting += 1;
      if (posted.code === 'relay_unreachable') report.problem = posted.message;
      else stopped.add(row.correspondent);
      continue;
    }
    const now = ingot.now();
    await ingot.store.write(async (tx) => {
      await markSent(tx, row.id, posted.id, now);
      await recordSending(tx, row.id, (row.attempts ?? 0n) + 1n, now);
    });
    if (first) report.pushed += 1;
    else report.resent += 1;
  }
}

/**
 * Pulls and receives what waits at the relay, round after round while held-back ones get through.
 * Each round walks the whole inbox a page at a time, past what is held back: a correspondent whose
 * earlier numbers never come holds back only its own messages, never another bank's behind them.
 */
async function pull(ingot: Ingot, channel: Channel, relay: RelayClient, report: SyncReport): Promise<void> {
  for (let round = 0; round < SYNC_ROUNDS_MAXIMUM; round += 1) {
    let done = 0;
    let held = 0;
    let after: string | undefined;
    for (;;) {
      const fetched = await relay.fetch(SYNC_FETCH_LIMIT, after);
      if (!fetched.ok) {
        report.problem = fetched.message;
        return;
      }
      const finished: string[] = [];
      for (const { id, value } of fetched.envelopes) {
        const reception = await receiveEnvelope(ingot, channel, { value, relay_id: id });
        if (reception.kind === 'deferred') held += 1;
        else finished.push(id);
        if (reception.kind === 'received') report.received += 1;
        if (reception.kind === 'rejected') report.rejected += 1;
        if (reception.kind === 'duplicate') report.duplicates += 1;
      }
      if (finished.length > 0) {
        const acknowledged = await relay.acknowledge(finished);
        if (!acknowledged.ok) {
          report.problem = acknowledged.message;
          return;
        }
      }
      done += finished.length;
      after = fetched.envelopes.at(-1)?.id;
      if (after === undefined || fetched.envelopes.length < SYNC_FETCH_LIMIT) break;
    }
    report.held_back = held;
    // Another round only if something got through and something waits that it may have freed.
    if (done === 0 || held === 0) return;
  }
}

/** Posts the receipts this bank signed for what it received and the relay does not have yet. */
async function postReceipts(ingot: Ingot, relay: RelayClient, report: SyncReport): Promise<void> {
  const rows = await unpostedReceipts(ingot.store.db);
  for (const row of rows) {
    const read = readReceipt(JSON.parse(row.receipt));
    if (!read.ok) throw new Error(`the receipt of message #${row.id} is unreadable: ${read.message}`);
    const posted = await relay.postReceipt(read.receipt);
    if (!posted.ok && posted.code === 'relay_unreachable') {
      report.problem = posted.message;
      return;
    }
    // Refused (the relay's queue is full): it stays to post at the next sync.
    if (!posted.ok) continue;
    await ingot.store.write((tx) => markReceiptPosted(tx, row.id, ingot.now()));
    report.receipts_sent += 1;
  }
}

/** Marks a sent message delivered on a receipt verified against its recipient's pinned key. */
async function takeReceipt(ingot: Ingot, channel: Channel, value: unknown): Promise<'delivered' | 'refused'> {
  return ingot.store.write(async (tx) => {
    const verified = verifyReceipt(value, { recipient: channel.bank_id, pins: await pinnedKeys(tx) });
    const now = ingot.now();
    const claimed = readReceipt(value);
    const bank_id = claimed.ok ? claimed.receipt.sender : 'unknown';
    if (!verified.ok) {
      const detail = `receipt refused, ${verified.code}: ${verified.message}`;
      await logChannelEvent(tx, { at: now, bank_id, event: 'receipt_refused', detail });
      return 'refused';
    }
    const { receipt } = verified;
    const sent = await sentUnder(tx, receipt);
    if (!sent) {
      const detail = `receipt refused: no message ${receipt.sequence} in that envelope was sent to ${bank_id}`;
      await logChannelEvent(tx, { at: now, bank_id, event: 'receipt_refused', detail });
      return 'refused';
    }
    if (sent.state === 'delivered' || sent.state === 'rejected') return 'delivered';
    // Received after it expired: the recipient registered it as rejected and applied nothing.
    const expires = expiryOf(sent.registered_at);
    const late = Date.parse(receipt.received_at) >= expires;
    const reason = late
      ? `arrived at ${receipt.received_at}, after it expired at ${new Date(expires).toISOString()}: ` +
        `${receipt.sender} registered it as rejected and applied nothing; send it again as a new message`
      : null;
    await markReceipted(tx, sent.id, { state: late ? 'rejected' : 'delivered', delivered_at: now, reason });
    await recordReceiptOnce(tx, {
      message_id: sent.id,
      receipt: JSON.stringify(receipt),
      at: now,
      posted_at: null,
    });
    return 'delivered';
  });
}

/** Takes the receipts waiting at the relay: verified ones mark delivery, others are logged and dropped. */
async function confirmDelivery(ingot: Ingot, channel: Channel, relay: RelayClient, report: SyncReport) {
  for (let round = 0; round < SYNC_ROUNDS_MAXIMUM; round += 1) {
    const fetched = await relay.fetchReceipts(SYNC_FETCH_LIMIT);
    if (!fetched.ok) {
      report.problem = fetched.message;
      return;
    }
    for (const { value } of fetched.receipts) {
      const taken = await takeReceipt(ingot, channel, value);
      if (taken === 'delivered') report.delivered += 1;
      else report.receipts_refused += 1;
    }
    if (fetched.receipts.length === 0) return;
    const acknowledged = await relay.acknowledgeReceipts(fetched.receipts.map((r) => r.id));
    if (!acknowledged.ok) {
      report.problem = acknowledged.message;
      return;
    }
    if (fetched.receipts.length < SYNC_FETCH_LIMIT) return;
  }
}

/** One exchange with the relay: push, pull, receipt, confirm. A relay down leaves all for next time. */
export async function syncOnce(
  ingot: Ingot,
  channel: Channel,
  relay: RelayClient,
  options: SyncOptions = {},
): Promise<SyncReport> {
  const report: SyncReport = {
    pushed: 0,
    resent: 0,
    waiting: 0,
    received: 0,
    rejected: 0,
    duplicates: 0,
    held_back: 0,
    receipts_sent: 0,
    delivered: 0,
    receipts_refused: 0,
    problem: null,
  };
  await push(ingot, relay, report, options.resend_after_ms ?? RESEND_AFTER_MS);
  if (report.problem === null) await pull(ingot, channel, relay, report);
  if (report.problem === null) await postReceipts(ingot, relay, report);
  if (report.problem === null) await confirmDelivery(ingot, channel, relay, report);
  return report;
}
