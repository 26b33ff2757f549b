// The relay's own store: sealed envelopes by sender and recipient, kept durably (SQLite, WAL,
// synchronous FULL) until their recipient acknowledges them. It never sees what they say.
import { createHash } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import type { Envelope } from './seal.ts';

/** An envelope the relay holds, by its id. */
export interface StoredEnvelope {
  readonly id: string;
  readonly envelope: Envelope;
}

/** What the relay knows of an envelope: held for its recipient, or acknowledged by it. */
export interface EnvelopeState {
  readonly id: string;
  readonly state: 'stored' | 'acknowledged' | 'unknown';
}

/** The relay's store. */
export interface RelayStore {
  /** Stores an envelope once: the same ciphertext again returns the first id. */
  put(envelope: Envelope, now: string): { id: string; duplicate: boolean };
  /** Envelopes for a bank not yet acknowledged, oldest first. */
  pending(recipient: string, limit: number): StoredEnvelope[];
  /** Marks envelopes acknowledged, only those addressed to the bank; how many were. */
  acknowledge(recipient: string, ids: readonly string[], now: string): number;
  /** The states of envelopes sent by a bank. */
  states(sender: string, ids: readonly string[]): EnvelopeState[];
  /** How many envelopes are held, and how many wait for their recipient. */
  counts(): { stored: number; pending: number };
  close(): void;
}

/** Opens (creating if needed) the relay's SQLite file. */
export function openRelayStore(path: string): RelayStore {
  const db = new BetterSqlite3(path, { timeout: 10_000 });
  db.defaultSafeIntegers(true);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`create table if not exists envelopes (
    id integer primary key autoincrement,
    sender text not null,
    recipient text not null,
    hash text not null unique,
    body text not null,
    stored_at text not null,
    acknowledged_at text
  );
  create index if not exists envelopes_pending on envelopes (recipient, acknowledged_at, id);`);
  const insert = db.prepare(
    'insert into envelopes (sender, recipient, hash, body, stored_at) values (?, ?, ?, ?, ?) ' +
      'on conflict (hash) do nothing',
  );
  const byHash = db.prepare('select id from envelopes where hash = ?');
  const pending = db.prepare(
    'select id, body from envelopes where recipient = ? and acknowledged_at is null order by id limit ?',
  );
  const ack = db.prepare(
    'update envelopes set acknowledged_at = ? where id = ? and recipient = ? and acknowledged_at is null',
  );
  const state = db.prepare('select acknowledged_at from envelopes where id = ? and sender = ?');
  const count = db.prepare(
    'select count(*) as stored, count(*) - count(acknowledged_at) as pending from envelopes',
  );
  return {
    put(envelope, now) {
      const hash = createHash('sha256').update(envelope.ciphertext).digest('hex');
      const result = insert.run(envelope.sender, envelope.recipient, hash, JSON.stringify(envelope), now);
      const row = byHash.get(hash) as { id: bigint };
      return { id: row.id.toString(), duplicate: result.changes === 0 };
    },
    pending(recipient, limit) {
      const rows = pending.all(recipient, BigInt(limit)) as { id: bigint; body: string }[];
      return rows.map((row) => ({ id: row.id.toString(), envelope: JSON.parse(row.body) as Envelope }));
    },
    acknowledge(recipient, ids, now) {
      const run = db.transaction(() =>
        ids.reduce((sum, id) => sum + ack.run(now, BigInt(id), recipient).changes, 0),
      );
      return run();
    },
    states(sender, ids) {
      return ids.map((id) => {
        const row = state.get(BigInt(id), sender) as { acknowledged_at: string | null } | undefined;
        const found =
          row === undefined ? 'unknown' : row.acknowledged_at === null ? 'stored' : 'acknowledged';
        return { id, state: found };
      });
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
