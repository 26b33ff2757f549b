// Requests of one kind that arrive together are handled as one batch in one write: loaded with a
// query per table, decided one after another in memory, written with a statement per table.
// A batch is taken when its transaction starts, not on a timer: SQLite's group commit runs its
// transactions back to back in microtasks while writes keep coming, so a batch waiting for a turn
// of the event loop would wait for the store to fall idle.
import type { Store } from '../../store/store.ts';

/** At most this many requests share one batch, bounding the latency of the last one in it. */
export const BATCH_REQUESTS_MAX = 512;

/**
 * Handles a batch in one transaction on `store`: calls `take` once, when the transaction starts,
 * for the requests of the batch, and resolves with one result per request, in order.
 */
export type BatchHandler<Request, Result> = (
  store: Store,
  take: () => readonly Request[],
) => Promise<Result[]>;

export interface Batcher<Request, Result> {
  /** Queues `request`; resolves with its result once the batch holding it is durable. */
  submit(request: Request): Promise<Result>;
}

interface Waiting<Request, Result> {
  readonly request: Request;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A batcher over `store`. The first request that finds no batch forming starts one; the batch
 * takes every request waiting when its transaction starts (all that arrived while the store was
 * busy with the writes before it), so the busier the store, the larger the batch.
 */
export function batcher<Request, Result>(
  store: Store,
  handle: BatchHandler<Request, Result>,
): Batcher<Request, Result> {
  const waiting: Waiting<Request, Result>[] = [];
  let forming = false;

  function start(): void {
    forming = true;
    let batch: Waiting<Request, Result>[] | undefined;
    const take = (): Waiting<Request, Result>[] => {
      if (batch) return batch;
      batch = waiting.splice(0, BATCH_REQUESTS_MAX);
      forming = false;
      if (waiting.length > 0) start();
      return batch;
    };
    handle(store, () => take().map((item) => item.request)).then(
      (results) => {
        for (const [index, item] of take().entries()) item.resolve(results[index] as Result);
      },
      (error: unknown) => {
        // The transaction failed (a lost database, a full disk): nothing in the batch committed.
        // Had it failed before taking its batch, the requests it would have taken fail with it.
        for (const item of take()) item.reject(error);
      },
    );
  }

  return {
    submit(request: Request): Promise<Result> {
      return new Promise<Result>((resolve, reject) => {
        waiting.push({ request, resolve, reject });
        if (!forming) start();
      });
    },
  };
}

const batchers = new WeakMap<Store, Map<string, Batcher<never, unknown>>>();

/** The batcher of `name` on `store`, made on first use: one queue per store, shared by its users. */
export function batcherOf<Request, Result>(
  store: Store,
  name: string,
  handle: BatchHandler<Request, Result>,
): Batcher<Request, Result> {
  let named = batchers.get(store);
  if (!named) {
    named = new Map();
    batchers.set(store, named);
  }
  let found = named.get(name) as Batcher<Request, Result> | undefined;
  if (!found) {
    found = batcher(store, handle);
    named.set(name, found as unknown as Batcher<never, unknown>);
  }
  return found;
}
