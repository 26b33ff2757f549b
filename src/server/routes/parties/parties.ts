// Parties and their accounts (money paid in and out of them: ../vault/cash.ts).

import { Type } from 'typebox';
import { canSee } from '../../../domain/custody/controls.ts';
import { addParty, listAccounts, openAccount } from '../../../service/parties/parties.ts';
import { accountById, listParties } from '../../../service/parties/queries.ts';
import { partyScope, visibleAccount } from '../../access.ts';
import { userOf } from '../../auth.ts';
import { type Api, actingAs, type ServerContext } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import { Account, errorResponses, Identifier, Party } from '../../schemas.ts';
import { wire } from '../../wire.ts';

export function registerParties(app: Api, context: ServerContext): void {
  app.get(
    '/parties',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['parties'],
        summary: 'parties: all for the depository, your own and the depository for a client',
        response: { 200: Type.Array(Party), ...errorResponses() },
      },
    },
    async (request) => {
      const scope = partyScope(userOf(request));
      const depository = await context.depository();
      return listParties(context.ingot, scope ? [scope, depository] : undefined);
    },
  );
  app.post(
    '/parties',
    {
      config: { permit: 'keep_reference_data' },
      schema: {
        tags: ['parties'],
        summary: 'register a party: the depository or a client bank',
        body: Type.Object(
          {
            id: Identifier,
            name: Type.String({ minLength: 1, maxLength: 200 }),
            role: Type.Enum(['depository', 'client']),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String() }), ...errorResponses(403, 409) },
      },
    },
    async (request, reply) => {
      const added = await addParty(actingAs(context.ingot, userOf(request)), request.body);
      if (!added.ok) return sendRefusal(reply, added);
      return reply.code(201).send({ id: added.id });
    },
  );
  registerAccounts(app, context);
}

function registerAccounts(app: Api, context: ServerContext): void {
  app.get(
    '/accounts',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['parties'],
        summary: 'accounts and balances you may see, optionally of one party',
        querystring: Type.Object({ party: Type.Optional(Type.String({ maxLength: 40 })) }),
        response: { 200: Type.Array(Account), ...errorResponses() },
      },
    },
    async (request) => {
      const user = userOf(request);
      const depository = await context.depository();
      const accounts = await listAccounts(context.ingot, request.query.party);
      return wire(accounts.filter((account) => canSee(user, account, depository)));
    },
  );
  app.get(
    '/accounts/:id',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['parties'],
        summary: 'one account and its balance',
        params: Type.Object({ id: Identifier }),
        response: { 200: Account, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const depository = await context.depository();
      // Named by its path parameter, as every /accounts/{id} route names it.
      const hidden = await visibleAccount(context.ingot, user, depository, request.params.id, 'id');
      if (hidden) return sendRefusal(reply, hidden);
      const found = await accountById(context.ingot, request.params.id, 'id');
      if (!found.ok) return sendRefusal(reply, found);
      return wire(found.account);
    },
  );
  app.post(
    '/accounts',
    {
      config: { permit: 'keep_reference_data' },
      schema: {
        tags: ['parties'],
        summary: 'open a cash account (in a currency) or a gold custody account (XAU)',
        body: Type.Object(
          {
            id: Identifier,
            party_id: Identifier,
            kind: Type.Enum(['cash', 'custody']),
            unit: Type.Enum(['GBP', 'USD', 'EUR', 'XAU']),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String() }), ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const opened = await openAccount(actingAs(context.ingot, userOf(request)), request.body);
      if (!opened.ok) return sendRefusal(reply, opened);
      return reply.code(201).send({ id: opened.id });
    },
  );
}
