// For whoever runs the server: health, Prometheus metrics, the OpenAPI document.

import { Type } from 'typebox';
import { checkBooksAnswer } from '../../service/journal/queries.ts';
import { inSnapshot } from '../../service/kernel/snapshot.ts';
import { mayReadMetrics } from '../auth.ts';
import type { Api, ServerContext } from '../context.ts';
import { sendRefusal } from '../errors.ts';
import { ErrorBody, errorResponses } from '../schemas.ts';

export function registerOps(app: Api, context: ServerContext): void {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'the server is up and the books answer',
        response: { 200: Type.Object({ status: Type.Literal('ok'), store: Type.String() }), 503: ErrorBody },
      },
    },
    async (_request, reply) => {
      try {
        // Read in a snapshot: on its own connection, so a long write (an import of millions of
        // bars holds the writer's for seconds) does not make the books look down.
        await inSnapshot(context.ingot, checkBooksAnswer);
      } catch (error) {
        reply.log.warn({ err: error }, 'health check: the store does not answer');
        return sendRefusal(reply, { code: 'service_unavailable', message: 'the books do not answer' });
      }
      return { status: 'ok' as const, store: context.ingot.store.dialect };
    },
  );
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics: requests, latencies, settlements, journal size',
        response: { 200: Type.String({ description: 'text/plain; version=0.0.4' }), ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      const may = await mayReadMetrics(context.ingot, request, context.metricsToken);
      if (may !== 'yes') {
        return sendRefusal(reply, {
          code: may,
          message:
            may === 'forbidden'
              ? 'the metrics are for the depository’s staff'
              : 'send the metrics token or a token of the depository’s staff as a Bearer token',
          field: 'authorization',
        });
      }
      const text = await context.metrics.registry.metrics();
      return reply.type(context.metrics.registry.contentType).send(text);
    },
  );
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
