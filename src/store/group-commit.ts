// Group commit: writes that arrive while a transaction is committing share the next one. Each
// write runs inside its own savepoint, so one that fails rolls back alone and the others commit;
// the batch then pays for a single durable commit (one fsync) instead of one each.
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.ts';
import type { Tx } from './store.ts';

/** At most this many writes share one commit, bounding the latency of the last in a batch. */
export const GROUP_COMMIT_WRITES_MAX = 256;

interface Pending {
  readonly work: (tx: Tx) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitter {
  /** Runs `work` atomically; resolves once the transaction holding it is durable. */
  write<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

export interface GroupCommitOptions {
  /** Errors after which the whole batch runs again from the start (PostgreSQL: 40001, 40P01). */
  readonly retryable?: (error: unknown) => boolean;
  readonly attempts?: number;
}

/** Opens a transaction on `connection` and takes the store's write lock. */
export type Begin = (connection: Tx) => Promise<void>;

/**
 * A committer over one connection. `begin` opens each transaction and takes the store's write
 * lock (SQLite: `begin immediate`; PostgreSQL: `begin` and an advisory lock).
 */
export function groupCommitter(
  db: Kysely<Database>,
  begin: Begin,
  options: GroupCommitOptions = {},
): GroupCommitter {
  const queue: Pending[] = [];
  let running = false;

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, GROUP_COMMIT_WRITES_MAX);
        await runBatch(db, begin, batch, options);
      }
    } finally {
      running = false;
    }
  }

  return {
    write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (running) return;
        // An idle committer waits for the event loop to turn before it begins, so writes that
        // arrive in the same burst (requests read off the network together) share the
        // transaction; once running, it goes on while writes keep coming, taking them as it goes.
        running = true;
        setImmediate(() => void drain());
      });
    },
  };
}

async function runBatch(
  db: Kysely<Database>,
  begin: Begin,
  batch: Pending[],
  options: GroupCommitOptions,
): Promise<void> {
  const attempts = options.attempts ?? 1;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const settled = await tryBatch(db, begin, batch, options);
      for (const { pending, ok, value } of settled) {
        if (ok) pending.resolve(value);
        else pending.reject(value);
      }
      return;
    } catch (error) {
      if (attempt < attempts && options.retryable?.(error)) {
        // Another process's transaction conflicted with this batch: run all of it again.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5 * attempt)));
        continue;
      }
      // The transaction itself failed (a lost disk, a full one): nothing in the batch committed.
      for (const pending of batch) pending.reject(error);
      return;
    }
  }
}

async function tryBatch(db: Kysely<Database>, begin: Begin, batch: Pending[], options: GroupCommitOptions) {
  const settled: Settled[] = [];
  await db.connection().execute(async (connection) => {
    await begin(connection);
    try {
      const lone = batch.length === 1;
      for (const pending of batch) {
        settled.push(await (lone ? alone : inSavepoint)(connection, pending, options));
      }
      if (lone && !settled[0]?.ok) {
        // A lone write that failed leaves nothing to keep (SQLite may have rolled back already).
        await sql`rollback`.execute(connection).catch(() => undefined);
        return;
      }
      await sql`commit`.execute(connection);
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
  return settled;
}

interface Settled {
  readonly pending: Pending;
  readonly ok: boolean;
  readonly value: unknown;
}

/** A write alone in its transaction needs no savepoint: if it fails, the transaction goes with it. */
async function alone(connection: Tx, pending: Pending, options: GroupCommitOptions): Promise<Settled> {
  try {
    return { pending, ok: true, value: await pending.work(connection) };
  } catch (error) {
    if (options.retryable?.(error)) throw error;
    return { pending, ok: false, value: error };
  }
}

async function inSavepoint(connection: Tx, pending: Pending, options: GroupCommitOptions): Promise<Settled> {
  await sql`savepoint one_write`.execute(connection);
  try {
    const value = await pending.work(connection);
    await sql`release savepoint one_write`.execute(connection);
    return { pending, ok: true, value };
  } catch (error) {
    // A conflict with another process dooms the whole transaction: the batch runs again.
    if (options.retryable?.(error)) throw error;
    try {
      await sql`rollback to savepoint one_write`.execute(connection);
      await sql`release savepoint one_write`.execute(connection);
    } catch {
      // The transaction went with the savepoint (SQLite rolls all of it back when the disk is full;
      // a lost connection takes it too): the batch fails, naming what failed, not the savepoint.
      throw error;
    }
    return { pending, ok: false, value: error };
  }
}
