// PostgreSQL's read snapshots: a pooled connection in a REPEATABLE READ, READ ONLY transaction.
// Every query in it sees the books as the first one did; writers never wait for it (MVCC), and it
// holds back the cleanup of rows changed since (vacuum) only while it lasts.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.ts';
import type { Snapshot } from '../snapshot.ts';

/**
 * The transaction of a snapshot. PostgreSQL takes a REPEATABLE READ transaction's snapshot at its
 * first query, not at `begin`: the `select 1` takes it now, so the snapshot is the books at opening.
 */
const BEGIN = 'begin isolation level repeatable read, read only; select 1';

/** Opens a snapshot on a connection of `db`'s pool, held until released. */
export function postgresSnapshot(db: Kysely<Database>): Promise<Snapshot> {
  return new Promise<Snapshot>((resolve, reject) => {
    let end: () => void = () => undefined;
    const ended = new Promise<void>((done) => {
      end = done;
    });
    let released: Promise<void> | undefined;
    const held = db.connection().execute(async (connection) => {
      try {
        await sql.raw(BEGIN).execute(connection);
      } catch (error) {
        await sql`rollback`.execute(connection).catch(() => undefined);
        throw error;
      }
      resolve({
        db: connection,
        release: () => {
          if (!released) {
            end();
            released = held;
          }
          return released;
        },
      });
      await ended;
      // A read-only transaction has nothing to commit: ending it either way frees the connection.
      await sql`rollback`.execute(connection);
    });
    // Before the snapshot is handed out, a failure is the opener's; after, its release's.
    held.catch(reject);
  });
}
