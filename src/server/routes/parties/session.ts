// Signing in and out of the desk, and the API tokens a user keeps for programs.

import { createHash } from 'node:crypto';
import { Type } from 'typebox';
import { apiTokensOf, revokeApiToken } from '../../../service/parties/queries.ts';
import { signIn, signOut } from '../../../service/parties/users.ts';
import { sessionCookie, userOf } from '../../auth.ts';
import type { Api, ServerContext } from '../../context.ts';
import { ApiError, sendRefusal } from '../../errors.ts';
import { errorResponses, Session, SignedIn, TokenCreated, TokenView, UserId } from '../../schemas.ts';
import { guardedCheck } from '../../sign-in-guard.ts';

const PASSWORD_LENGTH_MAX = 1024;
const Password = Type.String({ minLength: 1, maxLength: PASSWORD_LENGTH_MAX, format: 'password' });
/** Characters of a token's SHA-256 that name it in lists (never the token itself). */
const TOKEN_ID_HEX = 16;

/** The public id of a token: the start of its hash. */
function tokenId(tokenHash: string): string {
  return tokenHash.slice(0, TOKEN_ID_HEX);
}

export function registerSession(app: Api, context: ServerContext): void {
  app.post(
    '/session',
    {
      schema: {
        tags: ['session'],
        summary: 'sign in: a session token, also set as an HttpOnly cookie for the desk',
        body: Type.Object({ user_id: UserId, password: Password }, { additionalProperties: false }),
        description:
          'Failed sign-ins are slowed after a few, and refused with 429 and Retry-After after more, per ' +
          'user id and per address, alike for user ids that exist and those that do not.',
        response: { 200: SignedIn, ...errorResponses(429) },
      },
    },
    async (request, reply) => {
      const { user_id, password } = request.body;
      const signed = await guardedCheck(context, request, reply, user_id, () =>
        signIn(context.ingot, { user_id, password, kind: 'session' }),
      );
      if (!('ok' in signed)) return signed;
      if (!signed.ok) throw new ApiError('unauthenticated', signed.message, 'password');
      reply.header(
        'set-cookie',
        sessionCookie(signed.token, signed.expires_at, request.protocol === 'https'),
      );
      return { token: signed.token, user: signed.user, expires_at: signed.expires_at };
    },
  );
  app.get(
    '/session',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['session'],
        summary: 'who is signed in, and the depository',
        response: { 200: Session, ...errorResponses() },
      },
    },
    async (request) => ({ user: userOf(request), depository_party_id: await context.depository() }),
  );
  app.delete(
    '/session',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['session'],
        summary: 'sign out: ends this session or revokes this token',
        response: { 204: Type.Null(), ...errorResponses() },
      },
    },
    async (request, reply) => {
      if (request.token) await signOut(context.ingot, request.token);
      reply.header('set-cookie', sessionCookie('', '', request.protocol === 'https'));
      return reply.code(204).send(null);
    },
  );
  registerTokens(app, context);
  registerTokenList(app, context);
}

function registerTokens(app: Api, context: ServerContext): void {
  app.post(
    '/tokens',
    {
      config: { permit: 'own_tokens' },
      schema: {
        tags: ['session'],
        summary: 'create an API token for yourself (the password again, as for any new credential)',
        body: Type.Object(
          { password: Password, label: Type.String({ minLength: 1, maxLength: 80 }) },
          { additionalProperties: false },
        ),
        response: { 201: TokenCreated, ...errorResponses(429) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const { password, label } = request.body;
      // The password asked again counts against the same limits as a sign-in.
      const signed = await guardedCheck(context, request, reply, user.id, () =>
        signIn(context.ingot, { user_id: user.id, password, kind: 'api_token', label }),
      );
      if (!('ok' in signed)) return signed;
      if (!signed.ok) {
        return sendRefusal(reply, { code: 'unauthenticated', message: signed.message, field: 'password' });
      }
      const id = tokenId(createHash('sha256').update(signed.token).digest('hex'));
      return reply.code(201).send({ id, token: signed.token, label, expires_at: signed.expires_at });
    },
  );
}

function registerTokenList(app: Api, context: ServerContext): void {
  app.get(
    '/tokens',
    {
      config: { permit: 'own_tokens' },
      schema: {
        tags: ['session'],
        summary: 'your API tokens (never the tokens themselves)',
        response: { 200: Type.Array(TokenView), ...errorResponses() },
      },
    },
    async (request) => {
      const rows = await apiTokensOf(context.ingot, userOf(request).id);
      return rows.map(({ token_hash, ...row }) => ({ id: tokenId(token_hash), ...row }));
    },
  );
  app.delete(
    '/tokens/:id',
    {
      config: { permit: 'own_tokens' },
      schema: {
        tags: ['session'],
        summary: 'revoke one of your API tokens',
        params: Type.Object({ id: Type.String({ pattern: `^[0-9a-f]{${TOKEN_ID_HEX}}$` }) }),
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const revoked = await revokeApiToken(context.ingot, user.id, request.params.id);
      if (!revoked) {
        return sendRefusal(reply, {
          code: 'token_not_found',
          message: `no live token ${request.params.id} of yours`,
          field: 'id',
        });
      }
      return reply.code(204).send(null);
    },
  );
}
