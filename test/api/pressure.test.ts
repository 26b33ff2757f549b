// A server under bulk work, as a client meets it: past a stated limit it answers 503 with
// Retry-After at once instead of hanging, /metrics shows how late the event loop runs, a bar list
// printed as PDF streams while other requests are answered, and a download past its limit is
// refused with a message that names the limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, type Served, servedWorld } from './support.ts';

interface Sampled {
  readonly heapUsed: number;
  readonly eventLoopDelay: number;
}

/** Waits until the server's own sample of its load says `done` (a condition, not a time). */
async function sampled(served: Served, done: (sample: Sampled) => boolean): Promise<void> {
  const app = served.app as unknown as { memoryUsage(): Sampled };
  while (!done(app.memoryUsage())) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('under pressure', () => {
  let served: Served;
  beforeAll(async () => {
    // A heap limit of one byte: every sample finds the server past it (and only past it).
    served = await servedWorld(5, {
      limits: {
        heap_used_bytes_max: 1,
        pressure_sample_interval_ms: 100,
        retry_after_s: 7,
      },
      metricsToken: 'metrics-token-for-prometheus-0123',
    });
    await sampled(served, (sample) => sample.heapUsed > 0);
  });
  afterAll(() => served.close());

  it('answers 503 with Retry-After, naming the limit, to health and to every request', async () => {
    for (const path of ['/healthz', '/accounts/NBC-GOLD/bars']) {
      const answer = await served.client(null).get(path);
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('7');
      const error = errorOf(answer);
      expect(error.code).toBe('service_unavailable');
      expect(error.message).toMatch(/MiB of heap is in use \(limit 1 bytes\); retry after 7 s/);
    }
  });

  it('still answers /metrics, which shows the event loop lag', async () => {
    const answer = await served.client('metrics-token-for-prometheus-0123').get('/metrics');
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/ingot_http_requests_total\{[^}]*status="503"\} [1-9]/);
    expect(answer.text).toMatch(/^ingot_event_loop_lag_seconds\{quantile="0.99"\} [0-9.e-]+$/m);
  });
});

describe('within its limits', () => {
  let served: Served;
  beforeAll(async () => {
    served = await servedWorld(5, { limits: { pressure_sample_interval_ms: 100 } });
    // Setting the world up stalls the loop on purpose (scrypt): wait for a calm sample.
    await sampled(served, (sample) => sample.heapUsed > 0 && sample.eventLoopDelay < 200);
  });
  afterAll(() => served.close());

  it('answers health as before', async () => {
    const answer = await served.client(null).get('/healthz');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok', store: 'sqlite' });
  });

  it('shows the event loop lag in /metrics with its maximum', async () => {
    const metrics = (await (await served.signIn('auditor')).get('/metrics')).text;
    expect(metrics).toContain('# TYPE ingot_event_loop_lag_seconds gauge');
    for (const quantile of ['0.5', '0.99', '1']) {
      expect(metrics).toMatch(new RegExp(`^ingot_event_loop_lag_seconds\\{quantile="${quantile}"\\} `, 'm'));
    }
  });
});
