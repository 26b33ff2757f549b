// The interface the rest of Ingot needs from storage. Each dialect folder implements it.
import type { Kysely } from 'kysely';
import type { BarRow, Database } from './schema.ts';
import type { Snapshot } from './snapshot.ts';
import type { ReadThenWrite } from './writes.ts';

export type Dialect = 'sqlite' | 'postgres';

/** A transaction's view of the store: every query inside it commits or rolls back together. */
export type Tx = Kysely<Database>;

export interface Store {
  /** Which database holds the books. */
  readonly dialect: Dialect;
  /** Where the books are, for messages: a file path or a URL without its password. */
  readonly location: string;
  /** Reads outside any write transaction. */
  readonly db: Kysely<Database>;
  /** Runs `work` in one serializable write transaction: all of it commits, or none of it. */
  write<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * One write transaction of reads, then the writes decided from them: the hot path of a batch.
   * SQLite runs it among its other writes; PostgreSQL in two round trips, begin and commit included.
   */
  readThenWrite<T>(step: ReadThenWrite<T>): Promise<T>;
  /**
   * Writes bars in `tx`, a write transaction of this store, the fastest way the database has,
   * skipping any whose refiner and serial are known already (in the vault or earlier in `bars`):
   * returns how many were written, so the caller can tell which were not.
   */
  writeBars(tx: Tx, bars: readonly BarRow[]): Promise<number>;
  /**
   * Opens a read-only snapshot of the books as last committed, held until released; writers go on
   * meanwhile. Use `readSnapshot` / `readSnapshotStream` (src/store/snapshot.ts), which release it.
   * A store without its own (PostgreSQL's) gets one on a connection of its pool.
   */
  readonly openSnapshot?: () => Promise<Snapshot>;
  /** Closes the connection; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** Rows per multi-row INSERT, below SQLite's 32,766 bound variables for the widest table. */
export const INSERT_CHUNK_ROWS = 2000;
