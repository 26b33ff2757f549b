// Who is calling: a desk session (an HttpOnly cookie) or a token (`Authorization: Bearer …`). Each
// route declares an action; the hook refuses a caller who is not signed in (401) or whose role may
// not perform it (403) before the body is even read.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../domain/custody/controls.ts';
import type { Ingot } from '../service/kernel/context.ts';
import { userOfToken } from '../service/parties/users.ts';
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
