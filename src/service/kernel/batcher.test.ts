import { describe, expect, test } from 'vitest';
import type { Store } from '../../store/store.ts';
import { BATCH_REQUESTS_MAX, batcher } from './batcher.ts';

/** The batcher never touches the store itself: it hands it to the handler. */
const store = {} as Store;

/**
 * A handler that, like a store busy with other writes, starts its transaction only once `busy`
 * resolves, then takes its batch; it records each batch and may fail some.
 */
function recording(busy: () => Promise<void>, fail?: (requests: readonly number[]) => boolean) {
  const batches: number[][] = [];
  const queue = batcher<number, number>(store, async (_store, take) => {
    await busy();
    const requests = take();
    batches.push([...requests]);
    if (fail?.(requests)) throw new Error('the store went away');
    return requests.map((request) => request * 10);
  });
  return { batches, queue };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('batcher', () => {
  test('requests made while the store is busy share one batch, in order', async () => {
    const { batches, queue } = recording(turn);
    expect(await Promise.all([1, 2, 3].map((n) => queue.submit(n)))).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  test('a batch takes what arrived before its transaction started; later requests form the next', async () => {
    let open: () => void = () => undefined;
    const { batches, queue } = recording(() => new Promise<void>((resolve) => (open = resolve)));
    const first = [queue.submit(1), queue.submit(2)];
    await turn();
    queue.submit(3).catch(() => undefined);
    open();
    await Promise.all(first);
    expect(batches[0]).toEqual([1, 2, 3]);
    const later = queue.submit(4);
    await turn();
    open();
    expect(await later).toBe(40);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  test('a batch holds at most BATCH_REQUESTS_MAX requests; the rest follow', async () => {
    const { batches, queue } = recording(turn);
    const count = BATCH_REQUESTS_MAX + 3;
    const results = await Promise.all(Array.from({ length: count }, (_, n) => queue.submit(n)));
    expect(results).toEqual(Array.from({ length: count }, (_, n) => n * 10));
    expect(batches.map((batch) => batch.length)).toEqual([BATCH_REQUESTS_MAX, 3]);
  });

  test('a failed batch fails each of its requests, and the next batch still runs', async () => {
    const { batches, queue } = recording(turn, (requests) => requests.includes(2));
    const failed = await Promise.allSettled([queue.submit(1), queue.submit(2)]);
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(await queue.submit(3)).toBe(30);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  test('a transaction that fails before taking its batch fails the requests waiting for it', async () => {
    const queue = batcher<number, number>(store, async () => {
      await turn();
      throw new Error('the database is unreachable');
    });
    const failed = await Promise.allSettled([queue.submit(1), queue.submit(2)]);
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });
});
