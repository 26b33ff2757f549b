// Prometheus metrics of one server: requests and their latency by route and status, settlements,
// the size of the journal, and how late the event loop runs (the lag every request waits behind).
// Each server has its own registry, so tests can run many at once.

import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { journalSize } from '../service/journal/queries.ts';
import type { Ingot } from '../service/kernel/context.ts';

/** Latency buckets in seconds, from a cached read to a large import. */
const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60];

export interface Metrics {
  readonly registry: Registry;
  /** Counts a settlement request by how it ended: settled, replayed or refused. */
  settlement(outcome: 'settled' | 'replayed' | 'refused'): void;
  /** The onResponse hook recording each request. */
  onResponse(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Stops watching the event loop (the server closes). */
  close(): void;
}

/** How finely the event loop's delay is sampled, in milliseconds. */
const EVENT_LOOP_RESOLUTION_MS = 10;
const NS_PER_S = 1e9;

/**
 * The event loop's delay since the last scrape, as gauges of its p50, p99 and maximum in seconds:
 * what a request arriving meanwhile waited before the server even read it. Always on, since a
 * stalled loop is the first thing to look for when requests are slow.
 */
function eventLoopLag(registry: Registry): { close(): void } {
  const histogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  histogram.enable();
  const gauge = new Gauge({
    name: 'ingot_event_loop_lag_seconds',
    help: 'delay of the event loop since the last scrape, by quantile (0.5, 0.99, 1 = maximum)',
    labelNames: ['quantile'] as const,
    registers: [registry],
    collect() {
      // No sample yet (a scrape right after start): no delay seen.
      const seconds = (ns: number) => (Number.isFinite(ns) && histogram.count > 0 ? ns / NS_PER_S : 0);
      this.set({ quantile: '0.5' }, seconds(histogram.percentile(50)));
      this.set({ quantile: '0.99' }, seconds(histogram.percentile(99)));
      this.set({ quantile: '1' }, seconds(histogram.max));
      histogram.reset();
    },
  });
  gauge.set({ quantile: '1' }, 0);
  return { close: () => histogram.disable() };
}

/** Creates the metrics of a server over `ingot`; `processMetrics` adds Node's own (CPU, memory, GC). */
export function createMetrics(ingot: Ingot, processMetrics: boolean): Metrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: 'ingot_' });
  const lag = eventLoopLag(registry);
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'ingot_http_requests_total',
    help: 'HTTP requests answered, by route and status',
    labelNames,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'ingot_http_request_duration_seconds',
    help: 'time to answer an HTTP request, by route and status',
    labelNames,
    buckets: LATENCY_BUCKETS_S,
    registers: [registry],
  });
  const settlements = new Counter({
    name: 'ingot_settlements_total',
    help: 'settlement requests by outcome (settled, replayed, refused)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'ingot_journal_entries',
    help: 'entries in the journal',
    registers: [registry],
    async collect() {
      this.set(Number(await journalSize(ingot)));
    },
  });
  return {
    registry,
    settlement: (outcome) => settlements.inc({ outcome }),
    close: () => lag.close(),
    async onResponse(request, reply) {
      // The route's pattern, never the raw URL, so the label set stays small.
      const route = request.routeOptions.url ?? 'unmatched';
      const labels = { method: request.method, route, status: String(reply.statusCode) };
      requests.inc(labels);
      latency.observe(labels, reply.elapsedTime / 1000);
    },
  };
}
