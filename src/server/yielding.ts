// Long work on the one event loop shares it: a stream of rows (an export read a page at a time,
// an import read a line at a time) hands the loop back every few milliseconds, so a health check
// or a small read arriving meanwhile is answered within a slice, not after the whole job.
import { setImmediate as turn } from 'node:timers/promises';

/**
 * The longest a bulk job runs before it lets other requests in, in milliseconds. Well under the
 * 50 ms a health check or a small read is meant to take even while a bulk job runs.
 */
export const YIELD_SLICE_MS = 5;

/** The items of `source`, as they come, with a turn of the event loop every `slice_ms` of work. */
export async function* yielding<T>(
  source: AsyncIterable<T> | Iterable<T>,
  slice_ms = YIELD_SLICE_MS,
): AsyncGenerator<T> {
  let since = performance.now();
  for await (const item of source) {
    yield item;
    if (performance.now() - since >= slice_ms) {
      await turn();
      since = performance.now();
    }
  }
}
