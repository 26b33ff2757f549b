// The load generator of the HTTP benchmark, run as its own process so it does not share the
// server's event loop: `concurrency` keep-alive connections issue requests back to back until
// `count` are done or `time_ms_max` has passed, then one JSON line of results goes to stdout.
// In `path` and `body`, "{i}" stands for the request's number (from `first`), so each request
// can name its own trade and idempotency key. A probe (`until_stdin`) runs until its parent writes
// a line to its stdin, pausing `pause_ms` between requests; a bulk job sends a file (`body_file`)
// or reads a long download, counting its bytes without keeping them.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

export interface LoadPlan {
  readonly base: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly first: number;
  readonly count: number;
  readonly concurrency: number;
  readonly time_ms_max: number;
  /** The body is this file, streamed (an upload of tens of megabytes). */
  readonly body_file?: string;
  /** Run until a line arrives on stdin (count and time_ms_max still bound it). */
  readonly until_stdin?: boolean;
  /** Each connection waits this long between its requests. */
  readonly pause_ms?: number;
}

export interface LoadResult {
  readonly done: number;
  readonly statuses: Record<string, number>;
  readonly elapsed_ms: number;
  /** Every request's latency in milliseconds, in the order they finished. */
  readonly latencies_ms: number[];
  /** Bytes of the response bodies, read and dropped. */
  readonly bytes: number;
}

/** Reads a body to its end, counting its bytes and keeping none. */
async function drain(body: ReadableStream<Uint8Array> | null): Promise<number> {
  if (body === null) return 0;
  let bytes = 0;
  for await (const chunk of body) bytes += chunk.byteLength;
  return bytes;
}

/** The body a request sends: the plan's text, or its file streamed. */
function bodyOf(plan: LoadPlan, fill: (text: string) => string): RequestInit {
  if (plan.body_file !== undefined) {
    const stream = Readable.toWeb(createReadStream(plan.body_file)) as ReadableStream<Uint8Array>;
    return { body: stream, duplex: 'half' } as RequestInit;
  }
  return plan.body === undefined ? {} : { body: fill(plan.body) };
}

/** Resolves once the parent writes a line (or closes stdin). */
function stopSignal(): { stopped: () => boolean } {
  let stopped = false;
  process.stdin.once('data', () => {
    stopped = true;
  });
  process.stdin.once('end', () => {
    stopped = true;
  });
  return { stopped: () => stopped };
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  let next = 0;
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let bytes = 0;
  const start = performance.now();
  const deadline = start + plan.time_ms_max;
  const signal = plan.until_stdin ? stopSignal() : { stopped: () => false };
  const worker = async () => {
    while (next < plan.count && performance.now() < deadline && !signal.stopped()) {
      const index = plan.first + next;
      next += 1;
      const fill = (text: string) => text.replaceAll('{i}', String(index));
      const sent = performance.now();
      let status = 'error';
      try {
        const headers = { ...plan.headers };
        const key = headers['idempotency-key'];
        if (key) headers['idempotency-key'] = fill(key);
        const response = await fetch(`${plan.base}${fill(plan.path)}`, {
          method: plan.method,
          headers,
          ...bodyOf(plan, fill),
        });
        bytes += await drain(response.body);
        status = String(response.status);
      } catch {
        status = 'error';
      }
      latencies.push(performance.now() - sent);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (plan.pause_ms) await new Promise((resolve) => setTimeout(resolve, plan.pause_ms));
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  const elapsed_ms = performance.now() - start;
  return { done: latencies.length, statuses, elapsed_ms, latencies_ms: latencies, bytes };
}

const argument = process.argv[2];
if (argument) {
  const plan = JSON.parse(argument) as LoadPlan;
  const result = await run(plan);
  // A probe's stdin is still open: end once the result is written, without waiting for it.
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}
