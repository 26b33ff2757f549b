// Requests of one kind that arrive together are handled as one batch in one write: loaded with a
// query per table, decided one after another in memory, written with a statement per table.
import type { Store } from '../store/store.ts';

/** At most this many requests share one batch, bounding the latency of the last one in it. */
export const BATCH_REQUESTS_MAX = 512;

/** Handles a batch of requests in one transaction on `store`: one result per request, in order. */
export type BatchHandler<Request, Result> = (store: Store, requests: readonly Request[]) => Promise<Result[]>;

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
 * A batcher over `store`. A batch takes every request that arrives before the event loop turns
 * (all that the same burst of network reads or of answered clients brings), then starts; those
 * arriving while it runs form the next, which the store may run beside it or after it.
 */
export function batcher<Request, Result>(
  store: Store,
  handle: BatchHandler<Request, Result>,
): Batcher<Request, Result> {
  const waiting: Waiting<Request, Result>[] = [];
  let scheduled = false;

  function run(): void {
    const batch = waiting.splice(0, BATCH_REQUESTS_MAX);
    scheduled = waiting.length > 0;
    if (scheduled) setImmediate(run);
    handle(
      store,
      batch.map((item) => item.request),
    ).then(
      (results) => {
        for (const [index, item] of batch.entries()) item.resolve(results[index] as Result);
      },
      (error: unknown) => {
        // The transaction failed (a lost database, a full disk): nothing in the batch committed.
        for (const item of batch) item.reject(error);
      },
    );
  }

  return {
    submit(request: Request): Promise<Result> {
      return new Promise<Result>((resolve, reject) => {
        waiting.push({ request, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(run);
        }
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
