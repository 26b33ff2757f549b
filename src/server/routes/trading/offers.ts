// Offers of gold, their take-up, a quote of what an acceptance costs, and the acceptance itself.

import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { User } from '../../../domain/custody/controls.ts';
import type { CurrencyCode } from '../../../domain/money.ts';
import { type Asked, askedOf, type Offer as DomainOffer, quoteOf } from '../../../domain/offer.ts';
import { priceOf } from '../../../service/trading/fixings.ts';
import { createOffer, listOffers } from '../../../service/trading/offers.ts';
import { latestFixingIn, offerById, takenOf } from '../../../service/trading/queries.ts';
import { acceptOffer } from '../../../service/trading/trades.ts';
import { notVisible, partyScope, seesOffer } from '../../access.ts';
import { userOf } from '../../auth.ts';
import { checkDate, minor, today } from '../../checks.ts';
import { type Api, actingAs, type ServerContext, serviceKey } from '../../context.ts';
import { ApiError, sendRefusal } from '../../errors.ts';
import {
  Currency,
  errorResponses,
  IdempotencyHeaders,
  Identifier,
  IsoDate,
  Offer,
  OfferAccepted,
  OfferMade,
  PositiveMinor,
  PositiveMoney,
  Quote,
} from '../../schemas.ts';
import { wire } from '../../wire.ts';

const OfferBody = Type.Object(
  {
    seller_party_id: Identifier,
    buyer_party_id: Identifier,
    seller_stock_account_id: Identifier,
    seller_cash_account_id: Identifier,
    buyer_custody_account_id: Identifier,
    buyer_cash_account_id: Identifier,
    maximum_fine_milli_oz: PositiveMinor,
    minimum_fineness: Type.String({
      pattern: '^[0-9]{1,5}$',
      description: 'parts per 10,000 (9900 = 990.0‰)',
    }),
    currency: Currency,
    valid_from: IsoDate,
    valid_until: IsoDate,
  },
  { additionalProperties: false },
);

const Ask = {
  quantity_fine_milli_oz: Type.Optional(PositiveMinor),
  amount: Type.Optional(PositiveMoney),
  rate: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}(\\.[0-9]{1,10})?$', description: 'e.g. "2.80"' })),
};

/** What a request asks of an offer, in the core's terms; bad input (400) naming the field when it cannot. */
function askedIn(
  body: {
    readonly quantity_fine_milli_oz?: string | undefined;
    readonly amount?: { readonly currency: CurrencyCode; readonly minor: string } | undefined;
    readonly rate?: string | undefined;
  },
  currency: CurrencyCode,
  date: string,
): Asked {
  const { quantity_fine_milli_oz: quantity, amount, rate } = body;
  const asking = askedOf(
    {
      quantity: quantity === undefined ? undefined : BigInt(quantity),
      amount: amount && { currency: amount.currency, minor: BigInt(amount.minor) },
      rate,
    },
    currency,
    date,
  );
  if (asking.ok) return asking.asked;
  const field = asking.field === 'quantity' ? 'quantity_fine_milli_oz' : (asking.field ?? null);
  throw new ApiError('invalid_input', asking.message, field);
}

/** An offer the user may see, or the refusal sent. */
async function visibleOffer(
  context: ServerContext,
  user: User,
  id: string,
  reply: FastifyReply,
): Promise<DomainOffer | undefined> {
  const found = await offerById(context.ingot, id);
  if (found.ok && seesOffer(user, found.offer)) return found.offer;
  sendRefusal(reply, notVisible('offer_not_found', 'offer', id, 'offer'));
  return undefined;
}

export function registerOffers(app: Api, context: ServerContext): void {
  app.get(
    '/offers',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['offers'],
        summary: 'offers you may see, with what has been taken of each',
        response: { 200: Type.Array(Offer), ...errorResponses() },
      },
    },
    async (request) => wire(await listOffers(context.ingot, partyScope(userOf(request)))),
  );
  app.get(
    '/offers/:id',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['offers'],
        summary: 'one offer and its take-up',
        params: Type.Object({ id: Identifier }),
        response: { 200: Offer, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const offer = await visibleOffer(context, userOf(request), request.params.id, reply);
      if (!offer) return reply;
      const taken = await takenOf(context.ingot, offer.id);
      const remaining = offer.maximum_fine_milli_oz - taken;
      return wire({ ...offer, taken_fine_milli_oz: taken, remaining_fine_milli_oz: remaining });
    },
  );
  app.post(
    '/offers',
    {
      config: { permit: 'make_offer' },
      schema: {
        tags: ['offers'],
        summary: 'offer a client gold priced at the London fixing of the payment day',
        headers: IdempotencyHeaders,
        body: OfferBody,
        response: { 201: OfferMade, ...errorResponses(403, 404, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const body = request.body;
      const terms = {
        ...body,
        maximum_fine_milli_oz: minor(body.maximum_fine_milli_oz),
        minimum_fineness: minor(body.minimum_fineness),
        valid_from: checkDate(body.valid_from, 'valid_from'),
        valid_until: checkDate(body.valid_until, 'valid_until'),
        pricing: 'london_fixing_of_payment_day' as const,
        custody_fee_per_year_per10k: 0n,
      };
      const made = await createOffer(actingAs(context.ingot, user), terms, serviceKey(request, user));
      if (!made.ok) return sendRefusal(reply, made);
      return reply.code(201).send({ offer_id: made.offer_id, replayed: made.replayed });
    },
  );
  registerQuote(app, context);
  registerAccept(app, context);
}

function registerQuote(app: Api, context: ServerContext): void {
  app.post(
    '/offers/:id/quote',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['offers'],
        summary: 'what an acceptance would buy and cost at the latest fixing (moves nothing)',
        params: Type.Object({ id: Identifier }),
        body: Type.Object({ ...Ask, date: Type.Optional(IsoDate) }, { additionalProperties: false }),
        response: { 200: Quote, ...errorResponses(404, 422) },
      },
    },
    async (request, reply) => {
      const offer = await visibleOffer(context, userOf(request), request.params.id, reply);
      if (!offer) return reply;
      const date = checkDate(request.body.date ?? today(), 'date');
      const asked = askedIn(request.body, offer.currency, date);
      const fixing = await latestFixingIn(context.ingot, offer.currency);
      if (!fixing) {
        return sendRefusal(reply, {
          code: 'no_fixing_for_date',
          message: `no ${offer.currency} fixing is recorded`,
          field: 'date',
        });
      }
      const quoted = quoteOf(asked, priceOf(fixing), fixing.date);
      if (!quoted.ok) {
        const field = quoted.field === 'quantity' ? 'quantity_fine_milli_oz' : 'amount';
        throw new ApiError('invalid_input', quoted.message, field);
      }
      const { ok: _ok, ...quote } = quoted;
      const taken = await takenOf(context.ingot, offer.id);
      return wire({
        fixing_date: fixing.date,
        price_minor_per_oz: fixing.minor_per_oz,
        ...quote,
        remaining_fine_milli_oz: offer.maximum_fine_milli_oz - taken,
      });
    },
  );
}

function registerAccept(app: Api, context: ServerContext): void {
  app.post(
    '/offers/:id/accept',
    {
      config: { permit: 'accept_offer' },
      schema: {
        tags: ['offers'],
        summary: 'accept all or part of an offer for your bank, by fine weight or by a sum',
        description: 'Give quantity_fine_milli_oz, or amount (with rate when not in the offer’s currency).',
        headers: IdempotencyHeaders,
        params: Type.Object({ id: Identifier }),
        body: Type.Object({ ...Ask, date: IsoDate }, { additionalProperties: false }),
        response: { 201: OfferAccepted, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const offer = await visibleOffer(context, user, request.params.id, reply);
      if (!offer) return reply;
      const date = checkDate(request.body.date, 'date');
      const asked = askedIn(request.body, offer.currency, date);
      const done = await acceptOffer(actingAs(context.ingot, user), {
        offer_id: offer.id,
        by_party_id: user.party_id,
        date,
        asked,
        key: serviceKey(request, user),
      });
      if (!done.ok) return sendRefusal(reply, done);
      return reply.code(201).send({ trade_id: done.trade_id, replayed: done.replayed });
    },
  );
}
