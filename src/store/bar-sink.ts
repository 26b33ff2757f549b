// Where a bar import's rows go: the interface both stores' bulk paths share (SQLite one prepared
// insert per bar, PostgreSQL one COPY into a staging table and one INSERT … SELECT).
import type { BarRow } from './schema.ts';

/** A bar the import could not write because its refiner and serial were known already. */
export interface Collision {
  /** The id the import gave the bar. */
  readonly id: bigint;
  readonly refiner: string;
  readonly serial: string;
  /** The bar that holds the same refiner and serial: one in the vault, else the first in the import. */
  readonly other_id: bigint;
  readonly other_received_entry_id: bigint;
}

/** A bar import's writes, in its one transaction: chunks of bars in id order, then the collisions. */
export interface BarSink {
  /** Takes a chunk of bars; resolves when the next may come (a write may still be under way). */
  write(bars: readonly BarRow[]): Promise<void>;
  /**
   * Completes the writes (or, when `write` is false because the import is refused anyway, only
   * looks for collisions) and returns the bars that collided, in id order, at most `limit`.
   */
  finish(limit: number, write: boolean): Promise<Collision[]>;
  /** Stops writes under way so the transaction can roll back; safe to call after finish. */
  abandon(): Promise<void>;
}
