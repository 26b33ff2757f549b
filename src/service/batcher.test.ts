import { describe, expect, test } from 'vitest';
import type { Store } from '../store/store.ts';
import { BATCH_REQUESTS_MAX, batcher } from './batcher.ts';

/** The batcher never touches the store itself: it hands it to the handler. */
const store = {} as Store;

function recording(fail?: (requests: readonly number[]) => boolean) {
  const batches: number[][] = [];
  const queue = batcher<number, number>(store, async (_store, requests) => {
    batches.push([...requests]);
    if (fail?.(requests)) throw new Error('the store went away');
    return requests.map((request) => request * 10);
  });
  return { batches, queue };
}

describe('batcher', () => {
  test('requests made in one turn of the event loop share one batch, in order', async () => {
    const { batches, queue } = recording();
    expect(await Promise.all([1, 2, 3].map((n) => queue.submit(n)))).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  test('requests made after a batch started form the next one', async () => {
    const { batches, queue } = recording();
    const first = queue.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const second = queue.submit(2);
    expect(await Promise.all([first, second])).toEqual([10, 20]);
    expect(batches).toEqual([[1], [2]]);
  });

  test('a batch holds at most BATCH_REQUESTS_MAX requests; the rest follow', async () => {
    const { batches, queue } = recording();
    const count = BATCH_REQUESTS_MAX + 3;
    const results = await Promise.all(Array.from({ length: count }, (_, n) => queue.submit(n)));
    expect(results).toEqual(Array.from({ length: count }, (_, n) => n * 10));
    expect(batches.map((batch) => batch.length)).toEqual([BATCH_REQUESTS_MAX, 3]);
  });

  test('a failed batch fails each of its requests, and the next batch still runs', async () => {
    const { batches, queue } = recording((requests) => requests.includes(2));
    const failed = await Promise.allSettled([queue.submit(1), queue.submit(2)]);
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(await queue.submit(3)).toBe(30);
    expect(batches).toEqual([[1, 2], [3]]);
  });
});
