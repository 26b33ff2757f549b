// Operations that open their own transaction, run inside a caller's instead: each of their writes
// in a savepoint of its own, so a refusal rolls back its part alone and the caller's work commits
// with it or not at all (a message received and the trade it records, as one).
import { InvariantError } from '../../domain/outcome.ts';
import type { Store, Tx } from '../../store/store.ts';
import { inSavepoint, readThenWriteIn } from '../../store/writes.ts';
import type { Ingot } from './context.ts';

/** An Ingot whose reads and writes all happen inside `tx`. */
export function ingotWithin(ingot: Ingot, tx: Tx): Ingot {
  const store: Store = {
    dialect: ingot.store.dialect,
    location: ingot.store.location,
    db: tx,
    write: (work) => inSavepoint(tx, work),
    readThenWrite: (step) => inSavepoint(tx, (inner) => readThenWriteIn(inner, ingot.store.dialect, step)),
    writeBars: (inner, bars) => ingot.store.writeBars(inner, bars),
    // A transaction reads one state of the books already, its own writes included.
    openSnapshot: async () => ({ db: tx, release: async () => undefined }),
    close: () => Promise.reject(new InvariantError('a nested store is closed by its owner')),
  };
  return { ...ingot, store };
}
