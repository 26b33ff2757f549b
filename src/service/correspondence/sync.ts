// Synchronizing with the relay: push the outbox in sequence order (stopping at the first failure,
// so nothing overtakes), pull what is addressed to this bank and receive it, acknowledge what was
// registered, and mark as delivered what the correspondents have acknowledged.
import type { RelayClient } from '../../channel/relay-client.ts';
import { readEnvelope } from '../../channel/seal.ts';
import type { Ingot } from '../kernel/context.ts';
import { receiveEnvelope } from './inbox.ts';
import type { Channel } from './keyring.ts';

/** Envelopes fetched at once. */
export const SYNC_FETCH_LIMIT = 200;
/** Fetch rounds in one sync: each round may let held-back envelopes through. */
export const SYNC_ROUNDS_MAXIMUM = 20;

/** What one sync did. */
export interface SyncReport {
  pushed: number;
  waiting: number;
  received: number;
  rejected: number;
  duplicates: number;
  held_back: number;
  delivered: number;
  /** Why the relay could not be used, if it could not (it is retried at the next sync). */
  problem: string | null;
}

/** Pushes the outbox, oldest sequence first per correspondent; stops at the first failure. */
async function push(ingot: Ingot, relay: RelayClient, report: SyncReport): Promise<void> {
  const rows = await ingot.store.db
    .selectFrom('messages')
    .select(['id', 'correspondent', 'envelope'])
    .where('direction', '=', 'out')
    .where('state', '=', 'outbox')
    .orderBy('correspondent')
    .orderBy('sequence')
    .execute();
  const stopped = new Set<string>();
  for (const row of rows) {
    if (stopped.has(row.correspondent) || report.problem !== null) {
      report.waiting += 1;
      continue;
    }
    const envelope = readEnvelope(JSON.parse(row.envelope ?? 'null'));
    if (!envelope.ok)
      throw new Error(`message #${row.id} in the outbox has no envelope: ${envelope.message}`);
    const posted = await relay.post(envelope.envelope);
    if (!posted.ok) {
      report.waiting += 1;
      if (posted.code === 'relay_unreachable') report.problem = posted.message;
      else stopped.add(row.correspondent);
      continue;
    }
    await ingot.store.write((tx) =>
      tx
        .updateTable('messages')
        .set({ state: 'sent', relay_id: posted.id, sent_at: ingot.now() })
        .where('id', '=', row.id)
        .where('state', '=', 'outbox')
        .execute(),
    );
    report.pushed += 1;
  }
}

/** Pulls and receives what waits at the relay, round after round while held-back ones get through. */
async function pull(ingot: Ingot, channel: Channel, relay: RelayClient, report: SyncReport): Promise<void> {
  for (let round = 0; round < SYNC_ROUNDS_MAXIMUM; round += 1) {
    const fetched = await relay.fetch(channel.bank_id, SYNC_FETCH_LIMIT);
    if (!fetched.ok) {
      report.problem = fetched.message;
      return;
    }
    const done: string[] = [];
    let held = 0;
    for (const { id, envelope } of fetched.envelopes) {
      const receipt = await receiveEnvelope(ingot, channel, { value: envelope, relay_id: id });
      if (receipt.kind === 'deferred') held += 1;
      else done.push(id);
      if (receipt.kind === 'received') report.received += 1;
      if (receipt.kind === 'rejected') report.rejected += 1;
      if (receipt.kind === 'duplicate') report.duplicates += 1;
    }
    report.held_back = held;
    if (done.length > 0) {
      const acknowledged = await relay.acknowledge(channel.bank_id, done);
      if (!acknowledged.ok) {
        report.problem = acknowledged.message;
        return;
      }
    }
    if (done.length === 0 || (held === 0 && fetched.envelopes.length < SYNC_FETCH_LIMIT)) return;
  }
}

/** Marks as delivered the sent messages their recipients have acknowledged at the relay. */
async function confirmDelivery(ingot: Ingot, channel: Channel, relay: RelayClient, report: SyncReport) {
  const sent = await ingot.store.db
    .selectFrom('messages')
    .select(['id', 'relay_id'])
    .where('direction', '=', 'out')
    .where('state', '=', 'sent')
    .execute();
  const byRelay = new Map(
    sent.flatMap((row) => (row.relay_id === null ? [] : [[row.relay_id, row.id] as const])),
  );
  if (byRelay.size === 0) return;
  const answered = await relay.states(channel.bank_id, [...byRelay.keys()]);
  if (!answered.ok) {
    report.problem = answered.message;
    return;
  }
  const delivered = answered.states
    .filter((s) => s.state === 'acknowledged')
    .flatMap((s) => byRelay.get(s.id) ?? []);
  if (delivered.length === 0) return;
  await ingot.store.write((tx) =>
    tx
      .updateTable('messages')
      .set({ state: 'delivered', delivered_at: ingot.now() })
      .where('id', 'in', delivered)
      .where('state', '=', 'sent')
      .execute(),
  );
  report.delivered += delivered.length;
}

/** One exchange with the relay: push, pull, confirm. A relay that is down leaves all for next time. */
export async function syncOnce(ingot: Ingot, channel: Channel, relay: RelayClient): Promise<SyncReport> {
  const report: SyncReport = {
    pushed: 0,
    waiting: 0,
    received: 0,
    rejected: 0,
    duplicates: 0,
    held_back: 0,
    delivered: 0,
    problem: null,
  };
  await push(ingot, relay, report);
  if (report.problem === null) await pull(ingot, channel, relay, report);
  if (report.problem === null) await confirmDelivery(ingot, channel, relay, report);
  return report;
}
