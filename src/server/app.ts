// The HTTP server: every operation of Ingot, one error shape, sign-in and roles, OpenAPI at
// /openapi.json and /docs, metrics at /metrics, and the desk at /.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyHttpOptions, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { SignInLimits } from '../domain/sign-in.ts';
import type { Ingot } from '../service/kernel/context.ts';
import { SignInLedger } from '../service/parties/sign-in-limit.ts';
import { depositoryLookup } from './access.ts';
import { authenticate } from './auth.ts';
import type { Api, ServerContext } from './context.ts';
import { ApiError, formatSchemaError, handleError, sendRefusal } from './errors.ts';
import { SERVER_LIMITS, type ServerLimits } from './limits.ts';
import { createMetrics } from './metrics.ts';
import { registerPressure } from './pressure.ts';
import { registerCorrespondence } from './routes/correspondence/correspondence.ts';
import { registerApprovals } from './routes/custody/approvals.ts';
import { registerFeeSchedules } from './routes/custody/fee-schedules.ts';
import { registerInstructions } from './routes/custody/instructions.ts';
import { registerProposal } from './routes/custody/proposal.ts';
import { registerRepresentativeUsage } from './routes/custody/representative-usage.ts';
import { registerJournal } from './routes/journal/journal.ts';
import { registerOps } from './routes/ops.ts';
import { registerParties } from './routes/parties/parties.ts';
import { registerSession } from './routes/parties/session.ts';
import { registerUsers } from './routes/parties/users.ts';
import { registerPrices } from './routes/trading/fixings.ts';
import { registerOffers } from './routes/trading/offers.ts';
import { registerTrades } from './routes/trading/trades.ts';
import { registerTreasury } from './routes/treasury/treasury.ts';
import { registerBarReports } from './routes/vault/bar-reports.ts';
import { registerBars } from './routes/vault/bars.ts';
import { registerCash } from './routes/vault/cash.ts';
import { registerDocuments } from './routes/vault/documents.ts';
import { registerBarHistory } from './routes/vault/history.ts';
import { ImportProgressBoard } from './routes/vault/import-progress.ts';
import { registerRefiners } from './routes/vault/refiners.ts';
import { registerReports } from './routes/vault/reports.ts';
import { registerReweigh } from './routes/vault/reweigh.ts';
import { registerVaultStock } from './routes/vault/stock.ts';
import { registerDesk } from './static.ts';
import { toWireJson } from './wire.ts';

export interface ServerOptions {
  readonly ingot: Ingot;
  /** Where the logs go; none: no logs. */
  readonly logger?: Logger | undefined;
  /** Check every JSON response against its declared schema (tests): a mismatch is a 500. */
  readonly checkResponses?: boolean;
  /** Add Node's own metrics (CPU, memory, event loop) to /metrics. */
  readonly processMetrics?: boolean;
  /** The built desk; dist/web by default. */
  readonly webRoot?: string;
  /** How failed sign-ins are slowed and refused; SIGN_IN_LIMITS by default. */
  readonly signInLimits?: Partial<SignInLimits>;
  /**
   * Behind a TLS-terminating proxy: trust its X-Forwarded-* headers, so the client's address is
   * the one the proxy saw and cookies are marked Secure when the client used https. Only the one
   * proxy in front is trusted (PROXY_HOPS_TRUSTED): the client's address is the last entry of
   * X-Forwarded-For, the one that proxy appended, never one the client wrote before it.
   */
  readonly trustProxy?: boolean;
  /** A token that reads /metrics without signing in, for Prometheus; else the depository's staff. */
  readonly metricsToken?: string | undefined;
  /** The passphrase of the bank's private keys, to sign letters written over HTTP. */
  readonly keyPassphrase?: string | undefined;
  /** Timeouts, the cap on connections, pressure and download limits; SERVER_LIMITS by default. */
  readonly limits?: Partial<ServerLimits>;
}

function limitsOf(options: ServerOptions): ServerLimits {
  return { ...SERVER_LIMITS, ...options.limits };
}

/** Largest JSON body accepted; uploads (bar lists, counts, fixings) have their own limits. */
const JSON_BODY_BYTES_MAX = 1024 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Node's client errors answered before the connection closes: status, code, message, field. */
const CLIENT_ERRORS: Readonly<Record<string, readonly [string, string, string, string | null]>> = {
  HPE_HEADER_OVERFLOW: [
    '431 Request Header Fields Too Large',
    'payload_too_large',
    'the request headers are too large',
    'headers',
  ],
  // Its headers, or the whole request, did not arrive within the limits' timeouts.
  ERR_HTTP_REQUEST_TIMEOUT: [
    '408 Request Timeout',
    'invalid_input',
    'the request did not arrive in time',
    null,
  ],
};
const NOT_HTTP = ['400 Bad Request', 'invalid_input', 'the request is not valid HTTP', null] as const;

/** Answers a request that is not even valid HTTP, or came too slowly, in the one error shape. */
function clientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message, field] = CLIENT_ERRORS[error.code ?? ''] ?? NOT_HTTP;
  const body = JSON.stringify({ code, message, field });
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

/** Serializes replies with bigints as decimal strings, checking them against the schema if asked. */
function serializerFor(check: boolean) {
  return ({ schema }: { schema: unknown }) => {
    const validator = check ? Compile(schema as TSchema) : undefined;
    return (data: unknown): string => {
      const text = toWireJson(data);
      if (validator && !validator.Check(JSON.parse(text))) {
        const [first] = validator.Errors(JSON.parse(text));
        throw new Error(`response does not match its schema at ${first?.instancePath}: ${first?.message}`);
      }
      return text;
    };
  };
}

/** Proxies in front of the server that are believed: the one that connects to it. */
const PROXY_HOPS_TRUSTED = 1;

/**
 * Trusts the peer that connected (hop 0, the proxy) and nothing it forwards: the client's address is
 * the X-Forwarded-For entry that proxy appended, so a client cannot choose the address the sign-in
 * limits count by writing entries of its own before it. A function, not Fastify's hop count, which
 * this Fastify fails closed (trusting no X-Forwarded-Proto or -Host at all).
 */
function trustsOnlyTheProxyInFront(_address: string, hop: number): boolean {
  return hop < PROXY_HOPS_TRUSTED;
}

function fastifyOptions(options: ServerOptions): FastifyHttpOptions<Server> {
  return {
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    genReqId: requestId,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    return503OnClosing: false,
    bodyLimit: JSON_BODY_BYTES_MAX,
    trustProxy: options.trustProxy === true ? trustsOnlyTheProxyInFront : false,
    connectionTimeout: limitsOf(options).idle_timeout_ms,
    keepAliveTimeout: limitsOf(options).keep_alive_timeout_ms,
    requestTimeout: limitsOf(options).request_timeout_ms,
    http: { connectionsCheckingInterval: limitsOf(options).timeouts_checked_every_ms },
    schemaErrorFormatter: formatSchemaError,
    clientErrorHandler: clientError,
    frameworkErrors: (error, request, reply) => {
      handleError(error, request, reply);
    },
  };
}

function registerDocs(app: Api): void {
  app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ingot',
        version: '0.1.0',
        description:
          'Gold sale and allocated custody between central banks. Amounts and weights are decimal ' +
          'strings of their minor unit (sterling in 1/4800 £, dollars in cents, gold in 0.001 fine oz, ' +
          'fineness in parts per 10,000). Every refusal is {code, message, field}.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'an API or session token' },
          session: { type: 'apiKey', in: 'cookie', name: 'ingot_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: ({ schema, url, route }) => {
      const open = route.config === undefined || !('permit' in route.config);
      return { schema: open ? { ...schema, security: [] } : schema, url };
    },
  });
  app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}

function registerHooks(app: Api, context: ServerContext): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close');
    throw new ApiError('service_unavailable', 'the server is shutting down; retry shortly', null);
  });
  app.addHook('onRequest', authenticate(context.ingot));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    // A bank's books are never kept by a cache on the way.
    if (request.user) reply.header('cache-control', 'no-store');
    // A request finishing during shutdown closes its connection, so the server can stop.
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', context.metrics.onResponse);
}

/** Builds the server over `ingot`; listen on it, or call `inject` in tests. */
export function buildServer(options: ServerOptions): Api {
  const app = Fastify(fastifyOptions(options)).withTypeProvider<TypeBoxTypeProvider>() as Api;
  const context: ServerContext = {
    ingot: options.ingot,
    metrics: createMetrics(options.ingot, options.processMetrics ?? false),
    depository: depositoryLookup(options.ingot),
    imports: new ImportProgressBoard(),
    signIns: new SignInLedger(options.ingot, options.signInLimits),
    metricsToken: options.metricsToken,
    keyPassphrase: options.keyPassphrase,
    limits: limitsOf(options),
  };
  app.server.headersTimeout = limitsOf(options).headers_timeout_ms;
  app.server.maxConnections = limitsOf(options).connections_max;
  app.decorateRequest('user', null);
  app.decorateRequest('token', null);
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.setSerializerCompiler(serializerFor(options.checkResponses ?? false));
  app.setReplySerializer(toWireJson);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    sendRefusal(reply, {
      code: 'route_not_found',
      message: `no route ${request.method} ${request.url.slice(0, 200)}; the API is described at /docs`,
      field: 'url',
    }),
  );
  // Refused under pressure first, before a request waits for the books to sign its user in.
  registerPressure(app, limitsOf(options));
  app.after(() => registerHooks(app, context));
  app.addHook('onClose', async () => context.metrics.close());
  registerDocs(app);
  app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>() as Api;
    for (const register of [
      registerOps,
      registerSession,
      registerParties,
      registerCash,
      registerBars,
      registerRefiners,
      registerBarHistory,
      registerReweigh,
      registerBarReports,
      registerPrices,
      registerOffers,
      registerTrades,
      registerReports,
      registerJournal,
      registerDocuments,
      registerUsers,
      registerApprovals,
      registerInstructions,
      registerProposal,
      registerRepresentativeUsage,
      registerFeeSchedules,
      registerVaultStock,
      registerCorrespondence,
      registerTreasury,
    ]) {
      register(api, context);
    }
    await registerDesk(api, options.webRoot);
  });
  return app;
}
