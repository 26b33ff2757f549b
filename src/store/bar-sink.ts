// Where a bar import's rows go, a chunk at a time, and what collided with a bar known already.
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
  /** Bars to gather before each write. */
  readonly chunk_rows: number;
  /** Takes a chunk of bars; resolves when the next may come (a write may still be under way). */
  write(bars: readonly BarRow[]): Promise<void>;
  /** Completes the writes and returns the bars that collided, in id order, at most `limit`. */
  finish(limit: number): Promise<Collision[]>;
  /** Stops writes under way so the transaction can roll back; safe to call after finish. */
  abandon(): Promise<void>;
}
