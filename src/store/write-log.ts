// What one command has written so far, counted commit by commit, so that a fault of the storage
// can say what the books hold after it: a write that fails is rolled back whole.
import type { StorageFault } from './faults.ts';
import type { Store, Tx } from './store.ts';
import type { ReadThenWrite } from './writes.ts';

/** The writes of one command so far. */
export interface WriteLog {
  /** Writes committed. */
  committed: number;
  /** A write whose work was done and whose commit was under way. */
  committing: boolean;
}

/** The store with its writes counted in `log`. */
export function loggingWrites(store: Store): { store: Store; log: WriteLog } {
  const log: WriteLog = { committed: 0, committing: false };
  const write = async <T>(work: (tx: Tx) => Promise<T>): Promise<T> => {
    const result = await store.write(async (tx) => {
      const value = await work(tx);
      log.committing = true;
      return value;
    });
    log.committing = false;
    log.committed += 1;
    return result;
  };
  const readThenWrite = async <T>(step: ReadThenWrite<T>): Promise<T> => {
    const result = await store.readThenWrite({
      ...step,
      decide: (rows, db) => {
        const decided = step.decide(rows, db);
        log.committing = true;
        return decided;
      },
    });
    log.committing = false;
    log.committed += 1;
    return result;
  };
  return { store: { ...store, write, readThenWrite }, log };
}

/** What the books hold after the fault, in words. */
export function written(fault: StorageFault, log: WriteLog): string {
  if (log.committing && fault.connection_lost) {
    return (
      'the connection broke while a write was committing, so whether it was made is not known: ' +
      'retry with the same --key, which makes it at most once'
    );
  }
  if (log.committed === 0) return 'nothing was written';
  const writes = log.committed === 1 ? '1 write' : `${log.committed} writes`;
  return `${writes} of this command had been made, nothing after`;
}
