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

/**
 * A committer over one connection. `begin` is the statement that opens a transaction
 * (SQLite: `begin immediate`, taking the write lock at once).
 */
export function groupCommitter(db: Kysely<Database>, begin: string): GroupCommitter {
  const queue: Pending[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, GROUP_COMMIT_WRITES_MAX);
        await runBatch(db, begin, batch);
      }
    } finally {
      running = false;
    }
  }

  return {
    write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!running) void drain();
      });
    },
  };
}

async function runBatch(db: Kysely<Database>, begin: string, batch: Pending[]): Promise<void> {
  const settled: { pending: Pending; ok: boolean; value: unknown }[] = [];
  try {
    await db.connection().execute(async (connection) => {
      await sql.raw(begin).execute(connection);
      try {
        for (const pending of batch) settled.push(await inSavepoint(connection, pending));
        await sql`commit`.execute(connection);
      } catch (error) {
        await sql`rollback`.execute(connection).catch(() => undefined);
        throw error;
      }
    });
  } catch (error) {
    // The transaction itself failed (a lost disk, a full one): nothing in the batch committed.
    for (const pending of batch) pending.reject(error);
    return;
  }
  for (const { pending, ok, value } of settled) {
    if (ok) pending.resolve(value);
    else pending.reject(value);
  }
}

async function inSavepoint(connection: Tx, pending: Pending): Promise<{ pending: Pending; ok: boolean; value: unknown }> {
  await sql`savepoint one_write`.execute(connection);
  try {
    const value = await pending.work(connection);
    await sql`release savepoint one_write`.execute(connection);
    return { pending, ok: true, value };
  } catch (error) {
    await sql`rollback to savepoint one_write`.execute(connection);
    await sql`release savepoint one_write`.execute(connection);
    return { pending, ok: false, value: error };
  }
}
