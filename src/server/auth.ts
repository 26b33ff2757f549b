// Who is calling: a desk session (an HttpOnly cookie) or a token (`Authorization: Bearer …`). Each
// route declares an action; the hook refuses a caller who is not signed in (401) or whose role may
// not perform it (403) before the body is even read.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../domain/custody/controls.ts';
import type { Ingot } from '../service/kernel/context.ts';
import { depositoryPartyId, userOfToken } from '../service/parties/users.ts';
import { type HttpAction, mayPerform } from './access.ts';
import { ApiError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; set on every route that declares a permission. */
    user: User | null;
    /** The token the user signed in with (for signing out). */
    token: string | null;
  }
  interface FastifyContextConfig {
    /** The action a route performs; a route without one is public. */
    permit?: HttpAction;
  }
}

/** The cookie that carries a desk session. */
export const SESSION_COOKIE = 'ingot_session';
const TOKEN_LENGTH_MAX = 256;

/** Reads one cookie from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** The token a request carries: the Bearer token first, then the session cookie. */
export function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  return cookieValue(request.headers.cookie, SESSION_COOKIE);
}

/** The Set-Cookie value for a desk session (or for clearing it, with an empty token). */
export function sessionCookie(token: string, expiresAt: string, secure: boolean): string {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    token === '' ? 'Max-Age=0' : `Expires=${new Date(expiresAt).toUTCString()}`,
  ];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/** Methods that only read: a page of another site may cause them, but they change nothing. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a write authenticated by the session cookie when the browser says it comes from another
 * site: SameSite=Strict already keeps the cookie off cross-site requests in current browsers, and
 * this holds where it does not (older browsers, a sibling subdomain). A Bearer token is never
 * sent by a browser on its own, so requests that carry one need no such check.
 */
export function checkOrigin(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method) || typeof request.headers.authorization === 'string') return;
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  // The host the browser asked for: the Host header, or the proxy's X-Forwarded-Host only when the
  // proxy is trusted (--trust-proxy); anyone may send that header to a server reached directly.
  const host = request.host;
  const foreignOrigin = typeof origin === 'string' && origin !== 'null' && !sameHost(origin, host);
  if (site === 'cross-site' || foreignOrigin || origin === 'null') {
    throw new ApiError('forbidden', 'a write signed in by cookie must come from this desk', 'origin');
  }
}

function sameHost(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The user a request's token or cookie names, if it names a live one. */
export async function userOfRequest(ingot: Ingot, request: FastifyRequest): Promise<User | undefined> {
  const token = tokenOf(request);
  if (!token || token.length > TOKEN_LENGTH_MAX || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  return userOfToken(ingot, token);
}

/**
 * Whether a request may read /metrics: with the configured metrics token as its Bearer token (for
 * Prometheus, compared in constant time), or signed in as the depository's staff. The figures say
 * how busy the depository is and with what, which is no client bank's business.
 */
export async function mayReadMetrics(
  ingot: Ingot,
  request: FastifyRequest,
  metricsToken: string | undefined,
): Promise<'yes' | 'unauthenticated' | 'forbidden'> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (metricsToken && bearer) {
    const digest = (text: string) => createHash('sha256').update(text).digest();
    if (timingSafeEqual(digest(bearer), digest(metricsToken))) return 'yes';
  }
  const user = await userOfRequest(ingot, request);
  if (!user) return 'unauthenticated';
  const depository = await depositoryPartyId(ingot);
  return mayPerform(user.role, 'read_metrics') && user.party_id === depository ? 'yes' : 'forbidden';
}

/** The onRequest hook: finds the user and checks the route's permission. */
export function authenticate(ingot: Ingot) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    request.user = null;
    request.token = null;
    const action = request.routeOptions.config.permit;
    if (action === undefined) return;
    const token = tokenOf(request);
    const user =
      token && token.length <= TOKEN_LENGTH_MAX && /^[A-Za-z0-9_-]+$/.test(token)
        ? await userOfToken(ingot, token)
        : undefined;
    if (!user || !token) {
      throw new ApiError(
        'unauthenticated',
        'sign in first: POST /session, or send a Bearer token',
        'authorization',
      );
    }
    checkOrigin(request);
    if (!mayPerform(user.role, action)) {
      throw new ApiError('forbidden', `a ${user.role} may not ${action.replaceAll('_', ' ')}`, 'role');
    }
    request.user = user;
    request.token = token;
  };
}

/** The signed-in user of a route that declares a permission; its absence is a bug in the route. */
export function userOf(request: FastifyRequest): User {
  if (!request.user) throw new Error(`route ${request.routeOptions.url} has no permission declared`);
  return request.user;
}
