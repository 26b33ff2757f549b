// Parties, their accounts, and money paid in and out of those accounts.

import { Type } from 'typebox';
import { canSee } from '../../../domain/custody/controls.ts';
import { addParty, listAccounts, openAccount } from '../../../service/parties/parties.ts';
import { accountById, listParties } from '../../../service/parties/queries.ts';
import { moveCash } from '../../../service/vault/cash.ts';
import { partyScope, visibleAccount } from '../../access.ts';
import { userOf } from '../../auth.ts';
import { checkDate, minor } from '../../checks.ts';
import { type Api, actingAs, type ServerContext, serviceKey } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import {
  Account,
  errorResponses,
  IdempotencyHeaders,
  Identifier,
  IsoDate,
  Party,
  PositiveMoney,
  Replayed,
} from '../../schemas.ts';
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
  registerCash(app, context);
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

const CashBody = Type.Object(
  {
    account_id: Identifier,
    amount: PositiveMoney,
    date: IsoDate,
    memo: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

function registerCash(app: Api, context: ServerContext): void {
  for (const [path, direction] of [
    ['/cash/deposits', 'deposit'],
    ['/cash/withdrawals', 'withdrawal'],
  ] as const) {
    app.post(
      path,
      {
        config: { permit: 'move_cash' },
        schema: {
          tags: ['cash'],
          summary:
            direction === 'deposit'
              ? 'credit money received from outside to an account'
              : 'pay money out of an account',
          headers: IdempotencyHeaders,
          body: CashBody,
          response: {
            201: Type.Object({ entry_id: Type.String(), ...Replayed }),
            ...errorResponses(403, 404, 422),
          },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        const { account_id, amount, date, memo } = request.body;
        const moved = await moveCash(actingAs(context.ingot, user), direction, {
          account_id,
          amount: { currency: amount.currency, minor: minor(amount.minor) },
          date: checkDate(date, 'date'),
          key: serviceKey(request, user),
          ...(memo ? { memo } : {}),
        });
        if (!moved.ok) return sendRefusal(reply, moved);
        return reply.code(201).send({ entry_id: moved.entry_id.toString(), replayed: moved.replayed });
      },
    );
  }
}
