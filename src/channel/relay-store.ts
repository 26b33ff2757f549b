// The relay's own store (SQLite, WAL, synchronous FULL): sealed envelopes and signed receipts by
// sender and recipient, kept until their recipient acknowledges them and a week after; the
// signing keys pinned for the banks it serves; and the nonces of recent requests, so none is
// accepted twice.

import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { createOwnerOnly, tightenToOwnerOnly, warnOnStandardError } from '../store/sqlite/open.ts';
import { decodeBase64, keyFingerprint } from './keys.ts';

/** An item the relay holds for its recipient, by its id, as the sender posted it. */
export interface StoredItem {
  readonly id: string;
  readonly body: string;
}

/**
 * How long an item is kept once its recipient acknowledged it: a sender that resends within it gets
 * the first id back; past it the row is deleted (when new items are stored), so the relay's file
 * holds what waits and a week of what was taken, not every envelope ever carried.
 */
export const RELAY_ACKNOWLEDGED_RETENTION_MS = 7 * 24 * 60 * 60_000;

/** How much one sender may have waiting at the relay, in items and in bytes. */
export interface QueueLimits {
  readonly items: number;
  readonly bytes: number;
}

/** What putting an item did: stored, recognized (and queued again if it had been taken), or refused. */
export type PutResult =
  | { readonly ok: true; readonly id: string; readonly duplicate: boolean }
  | { readonly ok: false; readonly code: 'conflict' | 'queue_full'; readonly message: string };

/** An item to put: its sender and recipient, the text it is known by, and the text to hand out. */
export interface PutItem {
  readonly sender: string;
  readonly recipient: string;
  readonly hash_of: string;
  readonly body: string;
}

/** A queue of items (envelopes or receipts) from senders to recipients. */
export interface RelayQueue {
  /**
   * Stores an item once, by the hash of `hash_of`. The same item again from the same sender returns
   * the first id and, if its recipient had acknowledged it, hands it out again (a resend); from
   * another sender it is a conflict. A sender over its limits is refused. Items acknowledged more
   * than RELAY_ACKNOWLEDGED_RETENTION_MS before `now` are deleted first.
   */
  put(item: PutItem, now: string, limits: QueueLimits): PutResult;
  /** Items for a recipient not yet acknowledged, oldest first, after the item `after` if given. */
  pending(recipient: string, limit: number, after?: bigint): StoredItem[];
  /** Marks items acknowledged, only those addressed to the recipient; how many were. */
  acknowledge(recipient: string, ids: readonly string[], now: string): number;
}

/** A bank the relay serves: its signing key, pinned. */
export interface RelayBank {
  readonly bank_id: string;
  readonly signing_public: string;
  readonly fingerprint: string;
  readonly pinned_at: string;
}

/** The relay's store. */
export interface RelayStore {
  readonly envelopes: RelayQueue;
  readonly receipts: RelayQueue;
  /** Pins a bank's signing key; a different key for a pinned bank only with `replace`. */
  pin(
    bank: { bank_id: string; signing_public: string },
    now: string,
    replace: boolean,
  ):
    | { ok: true; bank: RelayBank; changed: 'pinned' | 'unchanged' | 'replaced' }
    | { ok: false; message: string };
  /** The signing key pinned for a bank, if any. */
  signingKey(bank: string): KeyObject | undefined;
  /** The banks pinned, by id. */
  banks(): RelayBank[];
  /** Records a request's nonce until `expires_ms`; false when it was seen already. */
  spendNonce(bank: string, nonce: string, expires_ms: number, now_ms: number): boolean;
  /** How many items are held, and how many wait for their recipient. */
  counts(): { stored: number; pending: number };
  close(): void;
}

const SCHEMA = `
create table if not exists envelopes (
  id integer primary key autoincrement, sender text not null, recipient text not null,
  hash text not null unique, body text not null, stored_at text not null, acknowledged_at text);
create index if not exists envelopes_pending on envelopes (recipient, acknowledged_at, id);
create index if not exists envelopes_by_sender on envelopes (sender, acknowledged_at);
create table if not exists receipts (
  id integer primary key autoincrement, sender text not null, recipient text not null,
  hash text not null unique, body text not null, stored_at text not null, acknowledged_at text);
create index if not exists receipts_pending on receipts (recipient, acknowledged_at, id);
create index if not exists receipts_by_sender on receipts (sender, acknowledged_at);
create index if not exists envelopes_acknowledged on envelopes (acknowledged_at)
  where acknowledged_at is not null;
create index if not exists receipts_acknowledged on receipts (acknowledged_at)
  where acknowledged_at is not null;
create table if not exists banks (
  bank_id text primary key, signing_public text not null, fingerprint text not null,
  pinned_at text not null);
create table if not exists nonces (
  bank_id text not null, nonce text not null, expires_ms integer not null,
  primary key (bank_id, nonce));
create index if not exists nonces_by_expiry on nonces (expires_ms);`;

type Database = BetterSqlite3.Database;

/** What one sender has waiting in a queue (receipts apart, so envelopes waiting never stop them). */
function waitingOf(db: Database, table: 'envelopes' | 'receipts'): (sender: string) => Waiting {
  const statement = db.prepare(
    `select count(*) as items, coalesce(sum(length(body)), 0) as bytes from ${table}
      where sender = ? and acknowledged_at is null`,
  );
  return (sender) => {
    const row = statement.get(sender) as { items: bigint; bytes: bigint };
    return { items: Number(row.items), bytes: Number(row.bytes) };
  };
}

type Waiting = { items: number; bytes: number };

/** A queue over one of the two tables of the same shape. */
function queueOver(db: Database, table: 'envelopes' | 'receipts') {
  const waiting = waitingOf(db, table);
  const insert = db.prepare(
    `insert into ${table} (sender, recipient, hash, body, stored_at) values (?, ?, ?, ?, ?)`,
  );
  const byHash = db.prepare(`select id, sender, recipient, acknowledged_at from ${table} where hash = ?`);
  const requeue = db.prepare(`update ${table} set acknowledged_at = null where id = ?`);
  const pending = db.prepare(
    `select id, body from ${table} where recipient = ? and acknowledged_at is null and id > ?
      order by id limit ?`,
  );
  const ack = db.prepare(
    `update ${table} set acknowledged_at = ? where id = ? and recipient = ? and acknowledged_at is null`,
  );
  const purge = db.prepare(`delete from ${table} where acknowledged_at is not null and acknowledged_at < ?`);
  const queue: RelayQueue = {
    put: db.transaction((item: PutItem, now: string, limits: QueueLimits): PutResult => {
      purge.run(new Date(Date.parse(now) - RELAY_ACKNOWLEDGED_RETENTION_MS).toISOString());
      const hash = createHash('sha256').update(item.hash_of).digest('hex');
      const seen = byHash.get(hash) as
        | { id: bigint; sender: string; recipient: string; acknowledged_at: string | null }
        | undefined;
      if (seen && (seen.sender !== item.sender || seen.recipient !== item.recipient)) {
        return { ok: false, code: 'conflict', message: 'the same bytes were posted by another bank' };
      }
      if (seen && seen.acknowledged_at === null) return { ok: true, id: seen.id.toString(), duplicate: true };
      const has = waiting(item.sender);
      if (has.items + 1 > limits.items || has.bytes + item.body.length > limits.bytes) {
        const message = `${item.sender} has ${has.items} items (${has.bytes} bytes) waiting: the most allowed`;
        return { ok: false, code: 'queue_full', message };
      }
      if (seen) {
        requeue.run(seen.id);
        return { ok: true, id: seen.id.toString(), duplicate: true };
      }
      const result = insert.run(item.sender, item.recipient, hash, item.body, now);
      return { ok: true, id: BigInt(result.lastInsertRowid).toString(), duplicate: false };
    }),
    pending(recipient, limit, after = 0n) {
      const rows = pending.all(recipient, after, BigInt(limit)) as { id: bigint; body: string }[];
      return rows.map((row) => ({ id: row.id.toString(), body: row.body }));
    },
    acknowledge: (recipient, ids, now) =>
      db.transaction(() => ids.reduce((sum, id) => sum + ack.run(now, BigInt(id), recipient).changes, 0))(),
  };
  return queue;
}

/** Pinning and reading the banks' signing keys; keys are read once and kept by their text. */
function pinsOver(db: Database): Pick<RelayStore, 'pin' | 'signingKey' | 'banks'> {
  const select = db.prepare('select * from banks where bank_id = ?');
  const upsert = db.prepare(
    'insert into banks (bank_id, signing_public, fingerprint, pinned_at) values (?, ?, ?, ?) ' +
      'on conflict (bank_id) do update set signing_public = excluded.signing_public, ' +
      'fingerprint = excluded.fingerprint, pinned_at = excluded.pinned_at',
  );
  const all = db.prepare('select * from banks order by bank_id');
  const keys = new Map<string, KeyObject>();
  const keyOf = (text: string): KeyObject | undefined => {
    const known = keys.get(text);
    if (known) return known;
    const bytes = decodeBase64(text);
    if (bytes === null) return undefined;
    try {
      const key = createPublicKey({ key: bytes, format: 'der', type: 'spki' });
      if (key.asymmetricKeyType !== 'ed25519') return undefined;
      keys.set(text, key);
      return key;
    } catch {
      return undefined;
    }
  };
  return {
    pin(bank, now, replace) {
      const key = keyOf(bank.signing_public);
      if (key === undefined) return { ok: false, message: 'the signing key is not an Ed25519 public key' };
      const row = select.get(bank.bank_id) as RelayBank | undefined;
      const fingerprint = keyFingerprint(key);
      if (row && row.signing_public === bank.signing_public)
        return { ok: true, bank: row, changed: 'unchanged' };
      if (row && !replace) {
        const message = `${bank.bank_id} already has a key pinned (${row.fingerprint}); replace it on purpose`;
        return { ok: false, message };
      }
      upsert.run(bank.bank_id, bank.signing_public, fingerprint, now);
      const pinned = { ...bank, fingerprint, pinned_at: now };
      return { ok: true, bank: pinned, changed: row ? 'replaced' : 'pinned' };
    },
    signingKey(bank) {
      const row = select.get(bank) as RelayBank | undefined;
      return row === undefined ? undefined : keyOf(row.signing_public);
    },
    banks: () => all.all() as RelayBank[],
  };
}

/** Opens (creating if needed) the relay's SQLite file, owner-only (one others could read is tightened). */
export function openRelayStore(path: string, warn: (line: string) => void = warnOnStandardError): RelayStore {
  // Owner-only, as the books: the envelopes are sealed, but who wrote to whom and when is not.
  createOwnerOnly(path);
  tightenToOwnerOnly(path, warn);
  const db = new BetterSqlite3(path, { timeout: 10_000 });
  db.defaultSafeIntegers(true);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(SCHEMA);
  const insertNonce = db.prepare(
    'insert into nonces (bank_id, nonce, expires_ms) values (?, ?, ?) on conflict do nothing',
  );
  const purge = db.prepare('delete from nonces where expires_ms < ?');
  const count = db.prepare(
    `select count(*) as stored, count(*) - count(acknowledged_at) as pending from (
       select acknowledged_at from envelopes union all select acknowledged_at from receipts)`,
  );
  return {
    envelopes: queueOver(db, 'envelopes'),
    receipts: queueOver(db, 'receipts'),
    ...pinsOver(db),
    spendNonce(bank, nonce, expires_ms, now_ms) {
      purge.run(BigInt(now_ms));
      return insertNonce.run(bank, nonce, BigInt(expires_ms)).changes === 1;
    },
    counts() {
      const row = count.get() as { stored: bigint; pending: bigint };
      return { stored: Number(row.stored), pending: Number(row.pending) };
    },
    close() {
      db.close();
    },
  };
}
