// The load generator of the HTTP benchmark, run as its own process so it does not share the
// server's event loop: `concurrency` keep-alive connections issue requests back to back until
// `count` are done or `time_ms_max` has passed, then one JSON line of results goes to stdout.
// In `path` and `body`, "{i}" stands for the request's number (from `first`), so each request
// can name its own trade and idempotency key.

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
}

export interface LoadResult {
  readonly done: number;
  readonly statuses: Record<string, number>;
  readonly elapsed_ms: number;
  /** Every request's latency in milliseconds, in the order they finished. */
  readonly latencies_ms: number[];
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  let next = 0;
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + plan.time_ms_max;
  const worker = async () => {
    while (next < plan.count && performance.now() < deadline) {
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
          ...(plan.body === undefined ? {} : { body: fill(plan.body) }),
        });
        await response.arrayBuffer();
        status = String(response.status);
      } catch {
        status = 'error';
      }
      latencies.push(performance.now() - sent);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  return { done: latencies.length, statuses, elapsed_ms: performance.now() - start, latencies_ms: latencies };
}

const argument = process.argv[2];
if (argument) {
  const plan = JSON.parse(argument) as LoadPlan;
  const result = await run(plan);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
