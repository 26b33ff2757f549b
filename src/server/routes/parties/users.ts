// Users of the desk and the API, each bank master of its own: a user is registered, given another
// role or disabled by a proposal that a second administrator of its bank approves at
// /approvals/{id}/approve (the approval of a registration answers the one-time enrolment secret);
// the new user enrols with it and sets its own password. Sessions are ended at once.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  endSessionsOf,
  enrol,
  proposeUserChange,
  type UserChangeRequest,
} from '../../../service/parties/user-admin.ts';
import { listUsers } from '../../../service/parties/users.ts';
import { partyScope } from '../../access.ts';
import { userOf } from '../../auth.ts';
import { type Api, actingAs, type ServerContext } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import {
  Enrolled,
  errorResponses,
  Identifier,
  Pending,
  Role,
  SessionsEnded,
  User,
  UserId,
  UserProposed,
} from '../../schemas.ts';
import { guardedCheck } from '../../sign-in-guard.ts';
import { wire } from '../../wire.ts';

const UserParams = Type.Object({ id: UserId });

/** Proposes a change of users as the signed-in user; answers 202 with the approval it waits for. */
async function proposeAs(
  context: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  change: UserChangeRequest,
) {
  const user = userOf(request);
  const proposed = await proposeUserChange(actingAs(context.ingot, user), { change, by_user_id: user.id });
  if (!proposed.ok) return sendRefusal(reply, proposed);
  const { ok: _ok, ...answer } = proposed;
  return reply.code(202).send(wire(answer));
}

export function registerUsers(app: Api, context: ServerContext): void {
  app.get(
    '/users',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['users'],
        summary: 'users: all for the depository, your own bank’s for a client',
        response: { 200: Type.Array(User), ...errorResponses() },
      },
    },
    async (request) => listUsers(context.ingot, partyScope(userOf(request))),
  );
  app.post(
    '/users',
    {
      config: { permit: 'administer_users' },
      schema: {
        tags: ['users'],
        summary: 'propose a user of your bank (the depository: also a new client’s first users)',
        description:
          'The answer holds the first part of the new user\u2019s one-time enrolment secret, shown to ' +
          'its proposer only; a second administrator of the same bank approves at ' +
          '/approvals/{id}/approve and is shown the second part. Each hands its part over out of band, ' +
          'so neither knows the whole; the user joins them ("first.second") at /enrolment and sets ' +
          'its own password.',
        body: Type.Object(
          {
            id: UserId,
            name: Type.String({ minLength: 1, maxLength: 200 }),
            party_id: Identifier,
            role: Role,
          },
          { additionalProperties: false },
        ),
        response: { 202: UserProposed, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (request, reply) =>
      proposeAs(context, request, reply, { kind: 'register_user', user: request.body }),
  );
  registerChanges(app, context);
  registerEnrolment(app, context);
}

function registerChanges(app: Api, context: ServerContext): void {
  app.post(
    '/users/:id/role',
    {
      config: { permit: 'administer_users' },
      schema: {
        tags: ['users'],
        summary: 'propose another role for a user of your bank; its sessions end when approved',
        params: UserParams,
        body: Type.Object({ role: Role }, { additionalProperties: false }),
        response: { 202: Pending, ...errorResponses(403, 404, 422) },
      },
    },
    async (request, reply) =>
      proposeAs(context, request, reply, {
        kind: 'change_user_role',
        user_id: request.params.id,
        role: request.body.role,
      }),
  );
  app.post(
    '/users/:id/disable',
    {
      config: { permit: 'administer_users' },
      schema: {
        tags: ['users'],
        summary: 'propose to disable a user of your bank; its sessions and tokens end when approved',
        params: UserParams,
        response: { 202: Pending, ...errorResponses(403, 404, 422) },
      },
    },
    async (request, reply) =>
      proposeAs(context, request, reply, { kind: 'disable_user', user_id: request.params.id }),
  );
  app.post(
    '/users/:id/end-sessions',
    {
      config: { permit: 'administer_users' },
      schema: {
        tags: ['users'],
        summary: 'end every session and API token of a user of your bank, at once',
        params: UserParams,
        response: { 200: SessionsEnded, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const done = await endSessionsOf(actingAs(context.ingot, user), {
        user_id: request.params.id,
        by_user_id: user.id,
      });
      if (!done.ok) return sendRefusal(reply, done);
      return { ended: done.ended };
    },
  );
}

function registerEnrolment(app: Api, context: ServerContext): void {
  app.post(
    '/enrolment',
    {
      schema: {
        tags: ['session'],
        summary: 'enrol: set your own password with the one-time secret you were handed',
        body: Type.Object(
          {
            user_id: UserId,
            secret: Type.String({
              minLength: 1,
              maxLength: 200,
              description: 'the two parts handed over, joined by a dot: "<first part>.<second part>"',
            }),
            password: Type.String({ minLength: 1, maxLength: 1024, format: 'password' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Enrolled, ...errorResponses(401, 422, 429) },
      },
    },
    async (request, reply) => {
      // A wrong secret counts as a failed sign-in: enrolment is no side door for guessing.
      const done = await guardedCheck(
        context,
        request,
        reply,
        request.body.user_id,
        () => enrol(context.ingot, request.body),
        (outcome) => (outcome.ok ? 'right' : outcome.code === 'enrolment_invalid' ? 'wrong' : 'unchecked'),
      );
      if (!('ok' in done)) return done;
      if (!done.ok) return sendRefusal(reply, done);
      return { user_id: done.user_id };
    },
  );
}
