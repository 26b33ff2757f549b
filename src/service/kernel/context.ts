// What every operation needs: the store, who is acting, and the wall clock for the record.
import type { Store } from '../../store/store.ts';

export interface Ingot {
  readonly store: Store;
  /** The user recorded as entering data (fixings, offers). */
  readonly user: string;
  /** Wall-clock time for `recorded_at` stamps; business dates are always given explicitly. */
  readonly now: () => string;
}

/** An Ingot context over a store, acting as `user`, stamped with the real clock. */
export function ingotOver(store: Store, user = 'operator'): Ingot {
  return { store, user, now: () => new Date().toISOString() };
}
