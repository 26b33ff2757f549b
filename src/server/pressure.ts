// Refusing work the server cannot take: while the event loop is stalled or memory runs high, a new
// request is answered at once with 503 and Retry-After (by @fastify/under-pressure), in the one
// error shape and naming the limit, instead of queueing behind the stall or running the process
// out of heap. /metrics is still answered, so whoever watches the server sees why.
import underPressure from '@fastify/under-pressure';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Api } from './context.ts';
import { ApiError } from './errors.ts';
import type { ServerLimits } from './limits.ts';

/** Routes answered even under pressure: the metrics that show it. */
const ANSWERED_UNDER_PRESSURE = new Set(['/metrics']);

const MIB = 1024 * 1024;

type PressureType = 'eventLoopDelay' | 'heapUsedBytes' | 'rssBytes' | 'healthCheck' | string;

/** A sentence naming the limit that is passed and by how much. */
function pressureMessage(type: PressureType, value: number | undefined, limits: ServerLimits): string {
  const mib = (bytes: number) => (bytes < MIB ? `${bytes} bytes` : `${Math.round(bytes / MIB)} MiB`);
  const seen = value ?? 0;
  const what =
    type === 'eventLoopDelay'
      ? `the event loop is delayed ${Math.round(seen)} ms (limit ${limits.event_loop_delay_ms_max} ms)`
      : type === 'heapUsedBytes'
        ? `${mib(seen)} of heap is in use (limit ${mib(limits.heap_used_bytes_max)})`
        : type === 'rssBytes'
          ? `${mib(seen)} of memory is in use (limit ${mib(limits.rss_bytes_max)})`
          : 'the server is not healthy';
  return `the server is under pressure: ${what}; retry after ${limits.retry_after_s} s`;
}

/** Registers the refusal under pressure with the limits in force. */
export function registerPressure(app: Api, limits: ServerLimits): void {
  app.register(underPressure, {
    maxEventLoopDelay: limits.event_loop_delay_ms_max,
    maxHeapUsedBytes: limits.heap_used_bytes_max,
    maxRssBytes: limits.rss_bytes_max,
    sampleInterval: limits.pressure_sample_interval_ms,
    retryAfter: limits.retry_after_s,
    // A refusal thrown here goes to the one error handler, which keeps the Retry-After header.
    pressureHandler: async (
      request: FastifyRequest,
      reply: FastifyReply,
      type: PressureType,
      value: number | undefined,
    ) => {
      if (ANSWERED_UNDER_PRESSURE.has(request.routeOptions.url ?? '')) return;
      reply.header('retry-after', String(limits.retry_after_s));
      throw new ApiError('service_unavailable', pressureMessage(type, value, limits), null);
    },
  });
}
