// What every route needs: the books, the metrics, the depository's id, the typed app.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawServerDefault } from 'fastify';
import type { User } from '../domain/custody/controls.ts';
import type { Ingot } from '../service/kernel/context.ts';
import type { SignInLedger } from '../service/parties/sign-in-limit.ts';
import type { ServerLimits } from './limits.ts';
import type { Metrics } from './metrics.ts';
import type { ImportProgressBoard } from './routes/vault/import-progress.ts';

/** The Fastify app with TypeBox typing its requests and replies. */
export type Api = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface ServerContext {
  /** The books, acting as the server; each request acts as its signed-in user instead. */
  readonly ingot: Ingot;
  readonly metrics: Metrics;
  /** The depository's party id ('' until one is registered). */
  readonly depository: () => Promise<string>;
  /** Bar-list imports under way on this server and how far each has come. */
  readonly imports: ImportProgressBoard;
  /** Failed sign-ins by user id and address: slowed, then refused for a while. */
  readonly signIns: SignInLedger;
  /** The token that reads /metrics without signing in, if one is configured. */
  readonly metricsToken?: string | undefined;
  /** The passphrase of the bank's private keys, if the server was given it (letters are signed). */
  readonly keyPassphrase?: string | undefined;
  /** The limits in force: timeouts, pressure, downloads. */
  readonly limits: ServerLimits;
}

/** The Ingot context of a request: the same books, with the signed-in user recorded as acting. */
export function actingAs(ingot: Ingot, user: User): Ingot {
  return { store: ingot.store, user: user.id, now: ingot.now };
}

/**
 * The service's idempotency key for a request's `Idempotency-Key` header: scoped to the caller's
 * party, so two banks choosing the same key never see each other's results.
 */
export function serviceKey(request: FastifyRequest, user: User): string {
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? (header[0] ?? '') : (header ?? '');
  return scopedKey(user, key);
}

/** A client-chosen key as the service knows it: within the caller's party. */
export function scopedKey(user: User, key: string): string {
  return `http:${user.party_id}:${key}`;
}
