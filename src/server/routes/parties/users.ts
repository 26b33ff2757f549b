// Users of the desk and the API: listed within the caller's party, registered by the depository.
import { Type } from 'typebox';
import { addUser, listUsers } from '../../../service/parties/users.ts';
import { partyScope } from '../../access.ts';
import { userOf } from '../../auth.ts';
import { type Api, actingAs, type ServerContext } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import { errorResponses, Identifier, Role, User, UserId } from '../../schemas.ts';

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
      config: { permit: 'register_user' },
      schema: {
        tags: ['users'],
        summary: 'register a user with one role fitting its party; the password is stored as a scrypt hash',
        body: Type.Object(
          {
            id: UserId,
            name: Type.String({ minLength: 1, maxLength: 200 }),
            party_id: Identifier,
            role: Role,
            password: Type.String({ minLength: 1, maxLength: 1024, format: 'password' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: User, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const added = await addUser(actingAs(context.ingot, user), { ...request.body, created_by: user.id });
      if (!added.ok) return sendRefusal(reply, added);
      return reply.code(201).send(added.user);
    },
  );
}
