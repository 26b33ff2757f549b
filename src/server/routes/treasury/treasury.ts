// A client bank's treasury over HTTP: its position on a date, and the records behind it kept by its
// signatories. Only the bank's own users see it; the depository and other banks get 404.
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { isDepositoryRole, type User } from '../../../domain/custody/controls.ts';
import { type CurrencyCode, type FxRate, parseFxRate } from '../../../domain/money.ts';
import { rateField, type TransferSource, type TransferTarget } from '../../../domain/treasury.ts';
import {
  addCorrespondent,
  closeTransferOf,
  recordBalance,
  recordEarmark,
  recordTransfer,
  releaseEarmarkOf,
  treasuryView,
} from '../../../service/treasury/treasury.ts';
import { userOf } from '../../auth.ts';
import { checkDate, minor, today } from '../../checks.ts';
import { type Api, actingAs, type ServerContext, serviceKey } from '../../context.ts';
import { ApiError, sendRefusal } from '../../errors.ts';
import {
  Created,
  Currency,
  errorResponses,
  IdempotencyHeaders,
  Identifier,
  IsoDate,
  Money,
  OptionalIdempotencyHeaders,
  PositiveMoney,
  Recorded,
  Replayed,
} from '../../schemas.ts';
import { TreasuryView, treasuryWire } from './treasury-view.ts';

const Party = Type.Object({ id: Identifier });
const Rate = Type.String({
  pattern: '^[0-9]{1,6}(\\.[0-9]{1,10})?$',
  description: 'units of the currency per £1, e.g. "2.80"',
});
const Note = Type.String({ minLength: 1, maxLength: 200 });

/** The treasury of `party` if the user is one of its own; the depository and others get none. */
function ownTreasury(user: User, party: string): void {
  if (user.party_id === party && !isDepositoryRole(user.role)) return;
  throw new ApiError('treasury_not_found', `no treasury of ${party} is visible to you`, 'id');
}

/** The rates the query states, each read as units of the currency per £. */
function ratesOf(query: Partial<Record<string, string>>): Partial<Record<CurrencyCode, FxRate>> {
  const rates: Partial<Record<CurrencyCode, FxRate>> = {};
  for (const currency of ['USD', 'EUR'] as const) {
    const text = query[rateField(currency)];
    if (text === undefined) continue;
    const rate = parseFxRate(text, 'GBP', currency);
    if (!rate.ok) throw new ApiError('invalid_input', rate.reason, rateField(currency));
    rates[currency] = rate.value;
  }
  return rates;
}

function registerView(app: Api, context: ServerContext): void {
  app.get(
    '/treasury/:id',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['treasury'],
        summary: 'a client bank’s treasury on a date: where its money is, what is spoken for, what is left',
        description:
          'Per currency: at correspondents + at the depository + under way − set aside for open trades − ' +
          'earmarked = left for gold; and in sterling at the rates stated (usd_per_gbp, eur_per_gbp), ' +
          'each converted rounding down to the coin of the date.',
        params: Party,
        querystring: Type.Object({
          date: Type.Optional(IsoDate),
          usd_per_gbp: Type.Optional(Rate),
          eur_per_gbp: Type.Optional(Rate),
        }),
        response: { 200: TreasuryView, ...errorResponses(404) },
      },
    },
    async (request) => {
      ownTreasury(userOf(request), request.params.id);
      const on = checkDate(request.query.date ?? today(), 'date');
      const rates = ratesOf(request.query);
      const view = await treasuryView(context.ingot, request.params.id, on, rates);
      return treasuryWire(view, on, request.query);
    },
  );
}

function registerCorrespondents(app: Api, context: ServerContext): void {
  app.post(
    '/treasury/:id/correspondents',
    {
      config: { permit: 'keep_treasury' },
      schema: {
        tags: ['treasury'],
        summary: 'register an account the bank holds at a correspondent bank',
        params: Party,
        body: Type.Object(
          {
            id: Identifier,
            bank: Type.String({ minLength: 1, maxLength: 120 }),
            currency: Currency,
            account_reference: Type.Optional(Type.String({ maxLength: 120 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Created, ...errorResponses(403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      ownTreasury(user, request.params.id);
      const { id, bank, currency, account_reference } = request.body;
      const added = await addCorrespondent(actingAs(context.ingot, user), request.params.id, {
        id,
        bank,
        currency,
        account_reference: account_reference ?? '',
      });
      if (!added.ok) return sendRefusal(reply, added);
      return reply.code(201).send({ id: added.id });
    },
  );
  app.post(
    '/treasury/:id/balances',
    {
      config: { permit: 'keep_treasury' },
      schema: {
        tags: ['treasury'],
        summary: 'record a balance a correspondent stated, as of a date (a later record corrects a date)',
        headers: IdempotencyHeaders,
        params: Party,
        body: Type.Object(
          { correspondent_id: Identifier, as_of: IsoDate, amount: Money },
          { additionalProperties: false },
        ),
        response: { 201: Recorded, ...errorResponses(403, 404, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      ownTreasury(user, request.params.id);
      const { correspondent_id, as_of, amount } = request.body;
      const recorded = await recordBalance(
        actingAs(context.ingot, user),
        request.params.id,
        {
          correspondent_id,
          as_of: checkDate(as_of, 'as_of'),
          amount: { currency: amount.currency, minor: minor(amount.minor) },
        },
        serviceKey(request, user),
      );
      return created(reply, recorded);
    },
  );
}

/** A record's id and whether a retry replayed it, or the refusal. */
function created(
  reply: FastifyReply,
  outcome: { ok: true; id: string; replayed: boolean } | { ok: false; code: string; message: string },
  status = 201,
) {
  if (!outcome.ok) return sendRefusal(reply, outcome);
  return reply.code(status).send({ id: outcome.id, replayed: outcome.replayed });
}

const TransferBody = Type.Object(
  {
    amount: PositiveMoney,
    from_correspondent: Type.Optional(Identifier),
    from_outside: Type.Optional(
      Type.String({ minLength: 1, maxLength: 120, description: 'a payer outside' }),
    ),
    to_correspondent: Type.Optional(Identifier),
    to_account: Type.Optional(Identifier),
    sent_on: IsoDate,
    expected_on: IsoDate,
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);

/** Exactly one of two fields; refuses naming the first when neither or both are given. */
function oneOf<T>(first: [string, T | undefined], second: [string, T | undefined]): [string, T] {
  const given = [first, second].filter((pair): pair is [string, T] => pair[1] !== undefined);
  if (given.length !== 1 || !given[0]) {
    throw new ApiError('invalid_input', `give exactly one of ${first[0]} and ${second[0]}`, first[0]);
  }
  return given[0];
}

function transferEnds(body: {
  from_correspondent?: string | undefined;
  from_outside?: string | undefined;
  to_correspondent?: string | undefined;
  to_account?: string | undefined;
}): { source: TransferSource; target: TransferTarget } {
  const [fromField, from] = oneOf(
    ['from_correspondent', body.from_correspondent],
    ['from_outside', body.from_outside],
  );
  const [toField, to] = oneOf(['to_correspondent', body.to_correspondent], ['to_account', body.to_account]);
  return {
    source:
      fromField === 'from_outside'
        ? { kind: 'outside', name: from }
        : { kind: 'correspondent', correspondent_id: from },
    target:
      toField === 'to_account'
        ? { kind: 'depository', account_id: to }
        : { kind: 'correspondent', correspondent_id: to },
  };
}

/** The domain names a transfer's ends `from` and `to`; the request names which field it was. */
function transferField(field: string | undefined, body: Record<string, unknown>): string | undefined {
  if (field === 'from') return body.from_correspondent !== undefined ? 'from_correspondent' : 'from_outside';
  if (field === 'to') return body.to_correspondent !== undefined ? 'to_correspondent' : 'to_account';
  return field;
}

function registerTransfers(app: Api, context: ServerContext): void {
  app.post(
    '/treasury/:id/transfers',
    {
      config: { permit: 'keep_treasury' },
      schema: {
        tags: ['treasury'],
        summary: 'record money under way to one of the bank’s places',
        description:
          'From one of its correspondents (from_correspondent) or a payer outside (from_outside), to another ' +
          'correspondent (to_correspondent) or its cash account at the depository (to_account).',
        headers: IdempotencyHeaders,
        params: Party,
        body: TransferBody,
        response: { 201: Recorded, ...errorResponses(403, 404, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      ownTreasury(user, request.params.id);
      const body = request.body;
      const recorded = await recordTransfer(
        actingAs(context.ingot, user),
        request.params.id,
        {
          amount: { currency: body.amount.currency, minor: minor(body.amount.minor) },
          ...transferEnds(body),
          sent_on: checkDate(body.sent_on, 'sent_on'),
          expected_on: checkDate(body.expected_on, 'expected_on'),
          note: body.note ?? null,
        },
        serviceKey(request, user),
      );
      if (!recorded.ok)
        return sendRefusal(reply, { ...recorded, field: transferField(recorded.field, body) });
      return created(reply, recorded);
    },
  );
  for (const event of ['arrive', 'cancel'] as const) {
    app.post(
      `/treasury/:id/transfers/:transfer/${event}`,
      {
        config: { permit: 'keep_treasury' },
        schema: {
          tags: ['treasury'],
          summary: event === 'arrive' ? 'a transfer arrived on a date' : 'a transfer was cancelled on a date',
          headers: OptionalIdempotencyHeaders,
          params: Type.Object({ id: Identifier, transfer: Identifier }),
          body: Type.Object({ date: IsoDate, note: Type.Optional(Note) }, { additionalProperties: false }),
          response: {
            200: Type.Object({ id: Type.String(), state: Type.String(), ...Replayed }),
            ...errorResponses(403, 404, 409, 422),
          },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        ownTreasury(user, request.params.id);
        const closed = await closeTransferOf(
          actingAs(context.ingot, user),
          request.params.id,
          {
            id: request.params.transfer,
            event,
            on: checkDate(request.body.date, 'date'),
            note: request.body.note ?? null,
          },
          request.headers['idempotency-key'] === undefined ? undefined : serviceKey(request, user),
        );
        if (!closed.ok) return sendRefusal(reply, closed);
        return { id: closed.id, state: closed.state, replayed: closed.replayed };
      },
    );
  }
}

function registerEarmarks(app: Api, context: ServerContext): void {
  app.post(
    '/treasury/:id/earmarks',
    {
      config: { permit: 'keep_treasury' },
      schema: {
        tags: ['treasury'],
        summary: 'earmark a sum for another need, from a date until another',
        headers: IdempotencyHeaders,
        params: Party,
        body: Type.Object(
          {
            amount: PositiveMoney,
            purpose: Type.String({ minLength: 1, maxLength: 200 }),
            from: IsoDate,
            until: IsoDate,
          },
          { additionalProperties: false },
        ),
        response: { 201: Recorded, ...errorResponses(403, 404, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      ownTreasury(user, request.params.id);
      const { amount, purpose, from, until } = request.body;
      const recorded = await recordEarmark(
        actingAs(context.ingot, user),
        request.params.id,
        {
          amount: { currency: amount.currency, minor: minor(amount.minor) },
          purpose,
          from: checkDate(from, 'from'),
          until: checkDate(until, 'until'),
        },
        serviceKey(request, user),
      );
      return created(reply, recorded);
    },
  );
  app.post(
    '/treasury/:id/earmarks/:earmark/release',
    {
      config: { permit: 'keep_treasury' },
      schema: {
        tags: ['treasury'],
        summary: 'release an earmarked sum from a date on',
        headers: OptionalIdempotencyHeaders,
        params: Type.Object({ id: Identifier, earmark: Identifier }),
        body: Type.Object({ date: IsoDate }, { additionalProperties: false }),
        response: { 200: Recorded, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      ownTreasury(user, request.params.id);
      const released = await releaseEarmarkOf(
        actingAs(context.ingot, user),
        request.params.id,
        { id: request.params.earmark, on: checkDate(request.body.date, 'date') },
        request.headers['idempotency-key'] === undefined ? undefined : serviceKey(request, user),
      );
      return created(reply, released, 200);
    },
  );
}

export function registerTreasury(app: Api, context: ServerContext): void {
  registerView(app, context);
  registerCorrespondents(app, context);
  registerTransfers(app, context);
  registerEarmarks(app, context);
}
