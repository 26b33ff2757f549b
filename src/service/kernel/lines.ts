// Lines of an uploaded or opened file, read from the moment a service is called, not from its first
// query on. A readline interface emits its lines as soon as the file is read, whether anyone listens
// or not: handed to a service that first waits for the database (a PostgreSQL round trip), it would
// lose the lines read meanwhile, or all of them, and then wait forever for an end already past.

/** The same lines, with iteration started now so nothing emitted from here on is lost. */
export function readingNow<T>(lines: AsyncIterable<T>): AsyncIterable<T> {
  const iterator = lines[Symbol.asyncIterator]();
  return { [Symbol.asyncIterator]: () => iterator };
}
