// Long reads of the books in one snapshot, for services that take an Ingot: a statement, a bar
// list, a report or a reconciliation sees one committed state from its first page to its last,
// while settlements go on committing (the store's snapshots: src/store/snapshot.ts).
import { readSnapshot, readSnapshotStream } from '../../store/snapshot.ts';
import type { Ingot } from './context.ts';

/**
 * Runs `work` with an Ingot whose store reads one snapshot of the books (and refuses writes),
 * released when `work` ends. Inside, every service called with `reading` reads that snapshot,
 * and a snapshot asked for again (`inSnapshot(reading, …)`) is the same one.
 */
export function inSnapshot<T>(ingot: Ingot, work: (reading: Ingot) => Promise<T>): Promise<T> {
  return readSnapshot(ingot.store, (store) => work({ ...ingot, store }));
}

/**
 * `work`'s items, all read in one snapshot: opened when the first item is asked for, released
 * after the last, when the reader stops early (`break`, `return()`, a Readable destroyed) or
 * when `work` throws.
 */
export function streamInSnapshot<T>(
  ingot: Ingot,
  work: (reading: Ingot) => AsyncIterable<T>,
): AsyncGenerator<T> {
  return readSnapshotStream(ingot.store, (store) => work({ ...ingot, store }));
}
