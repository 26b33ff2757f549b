// Long reads that see one state of the books from start to end: a statement, a bar list, a report
// or a reconciliation of millions of bars reads a page at a time while settlements commit, and
// without a snapshot a bar that moves between two pages is listed twice or not at all.
// PostgreSQL: one pooled connection in a REPEATABLE READ, READ ONLY transaction, held to the end.
// SQLite: one read transaction on a connection of its own (WAL: writers are never held up).
import type { Kysely } from 'kysely';
import { assert } from '../domain/outcome.ts';
import { postgresSnapshot } from './postgres/snapshot.ts';
import type { Database } from './schema.ts';
import type { Store } from './store.ts';

/** A read-only view of the books as they were when it was opened, held until released. */
export interface Snapshot {
  /** Reads in the snapshot: every query sees the same committed state. */
  readonly db: Kysely<Database>;
  /** Ends the snapshot's transaction and hands its connection back; a second call does nothing. */
  release(): Promise<void>;
}

/** Opens a snapshot of `store`; the caller must release it (prefer readSnapshot or its stream). */
export async function openSnapshot(store: Store): Promise<Snapshot> {
  if (store.openSnapshot) return store.openSnapshot();
  assert(store.dialect === 'postgres', 'an SQLite store opens its own snapshots');
  // Only a store over the pool may open one: `begin` inside a transaction would end it.
  assert(!store.db.isTransaction, 'a store over a transaction reads in it: it must open no snapshot');
  return postgresSnapshot(store.db);
}

/**
 * Runs `work` on one snapshot of the books and releases it, whatever `work` does. `reading` is a
 * store whose `db` reads in the snapshot and which refuses writes; a snapshot taken inside it
 * (`readSnapshot(reading, …)`, any service called with it) is the same snapshot.
 */
export async function readSnapshot<T>(store: Store, work: (reading: Store) => Promise<T>): Promise<T> {
  const snapshot = await openSnapshot(store);
  try {
    return await work(snapshotStore(store, snapshot));
  } finally {
    await snapshot.release();
  }
}

/**
 * `work`'s items, all read in one snapshot, opened when the first item is asked for and released
 * when the last is read, when the reader stops early (`break`, `return()`: a stream destroyed) or
 * when `work` throws. Nothing is opened for a stream that is never read.
 */
export async function* readSnapshotStream<T>(
  store: Store,
  work: (reading: Store) => AsyncIterable<T>,
): AsyncGenerator<T> {
  const snapshot = await openSnapshot(store);
  try {
    yield* work(snapshotStore(store, snapshot));
  } finally {
    await snapshot.release();
  }
}

/** A write attempted inside a read snapshot: a bug of the caller. */
function refused(): Promise<never> {
  return Promise.reject(new Error('a read snapshot of the books cannot write'));
}

/** The store a snapshot's work sees: reads in the snapshot, no writes, nested snapshots the same. */
export function snapshotStore(store: Store, snapshot: Snapshot): Store {
  const same: Snapshot = { db: snapshot.db, release: async () => undefined };
  return {
    dialect: store.dialect,
    location: store.location,
    db: snapshot.db,
    write: refused,
    readThenWrite: refused,
    writeBars: refused,
    openSnapshot: async () => same,
    // The snapshot is the opener's to release; closing the view of it closes nothing.
    close: async () => undefined,
  };
}
