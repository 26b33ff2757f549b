// Requests of one kind that arrive together are handled as one batch in one write: loaded with a
// query per table, decided one after another in memory, written with a statement per table. The
// batch is one write among the store's others, so it also shares their durable commit.
import type { Store, Tx } from '../store/store.ts';

/** At most this many requests share one batch, bounding the latency of the last one in it. */
export const BATCH_REQUESTS_MAX = 512;

/** Handles a batch of requests in one transaction, returning one result per request, in order. */
export type BatchHandler<Request, Result> = (tx: Tx, requests: readonly Request[]) => Promise<Result[]>;

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
 * A batcher over `store`. While one batch waits for the store or runs, the requests that arrive
 * queue for the next; a batch takes every request waiting when its transaction reaches it.
 */
export function batcher<Request, Result>(
  store: Store,
  handle: BatchHandler<Request, Result>,
): Batcher<Request, Result> {
  const waiting: Waiting<Request, Result>[] = [];
  let scheduled = false;

  function schedule(): void {
    scheduled = true;
    // Taken when the transaction first runs it, and kept: a batch the store runs again after a
    // conflict (PostgreSQL 40001) handles the same requests again.
    let batch: Waiting<Request, Result>[] | undefined;
    const take = (): Waiting<Request, Result>[] => {
      const taken = waiting.splice(0, BATCH_REQUESTS_MAX);
      scheduled = false;
      if (waiting.length > 0) schedule();
      return taken;
    };
    store
      .write(async (tx) => {
        batch ??= take();
        return handle(
          tx,
          batch.map((item) => item.request),
        );
      })
      .then(
        (results) => {
          for (const [index, item] of (batch ?? []).entries()) item.resolve(results[index] as Result);
        },
        (error: unknown) => {
          // The transaction failed (a lost database, a full disk): nothing in the batch committed.
          // If it failed before the batch was taken, the requests it would have taken fail with it.
          for (const item of batch ?? take()) item.reject(error);
        },
      );
  }

  return {
    submit(request: Request): Promise<Result> {
      return new Promise<Result>((resolve, reject) => {
        waiting.push({ request, resolve, reject });
        if (!scheduled) schedule();
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
