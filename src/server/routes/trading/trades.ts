// Trades: listed a page at a time, shown with their bar list, allocated, settled, cancelled.

import { Type } from 'typebox';
import { TRADE_STATES } from '../../../domain/offer.ts';
import { PAGE_ROWS_DEFAULT } from '../../../service/kernel/paging.ts';
import { tradeWithBars } from '../../../service/trading/queries.ts';
import { settleTrade } from '../../../service/trading/settle.ts';
import { tradePage } from '../../../service/trading/trade-pages.ts';
import { allocateTrade, cancelTrade } from '../../../service/trading/trades.ts';
import { partyScope, readableTradeBars, uncleared } from '../../access.ts';
import { userOf } from '../../auth.ts';
import { checkDate, optionalDate } from '../../checks.ts';
import { type Api, actingAs, type ServerContext, serviceKey } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import {
  Allocation,
  errorResponses,
  IdempotencyHeaders,
  Identifier,
  IsoDate,
  Page,
  PageQuery,
  Settlement,
  Trade,
  TradeShown,
} from '../../schemas.ts';
import { wire } from '../../wire.ts';

const TradeParams = Type.Object({ id: Identifier });

function registerReading(app: Api, context: ServerContext): void {
  app.get(
    '/trades',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['trades'],
        summary: 'trades you may see, newest first, a page at a time',
        querystring: Type.Object({
          ...PageQuery,
          state: Type.Optional(Type.Enum(TRADE_STATES)),
          offer: Type.Optional(Identifier),
        }),
        response: { 200: Page(Trade), ...errorResponses() },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await tradePage(context.ingot, {
        party: partyScope(userOf(request)),
        offer_id: q.offer,
        state: q.state,
        cursor: q.cursor,
        limit: q.limit ?? PAGE_ROWS_DEFAULT,
      });
      return wire(page);
    },
  );
  app.get(
    '/trades/:id',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['trades'],
        summary: 'a trade with its bar list',
        description:
          'Its bar list makes it confidential: given only to a user cleared for it (else 403 not_cleared); ' +
          '`GET /trades` lists the trades themselves.',
        params: TradeParams,
        response: { 200: TradeShown, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const refused = await readableTradeBars(context.ingot, userOf(request), request.params.id);
      if (refused) return sendRefusal(reply, refused);
      const found = await tradeWithBars(context.ingot, request.params.id);
      if (!found.ok) return sendRefusal(reply, found);
      return wire({ trade: found.trade, bars: found.bars });
    },
  );
}

function registerAllocation(app: Api, context: ServerContext): void {
  app.post(
    '/trades/:id/allocate',
    {
      config: { permit: 'allocate_trade' },
      schema: {
        tags: ['trades'],
        summary: 'allocate bars from the seller’s vault and reserve them; returns the bar list',
        description:
          'A trade accepted by amount is sized at the fixing of reference_date (default: the latest).',
        params: TradeParams,
        body: Type.Optional(
          Type.Object({ reference_date: Type.Optional(IsoDate) }, { additionalProperties: false }),
        ),
        response: { 200: Allocation, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      // Allocating answers with the bar list: the allocator must be cleared to read it.
      const refused = await uncleared(context.ingot, user, 'barlist');
      if (refused) return sendRefusal(reply, refused);
      const reference_date = optionalDate(request.body?.reference_date, 'reference_date');
      const done = await allocateTrade(actingAs(context.ingot, user), {
        trade_id: request.params.id,
        ...(reference_date ? { reference_date } : {}),
      });
      if (!done.ok) return sendRefusal(reply, done);
      const { ok: _ok, ...summary } = done;
      const shown = await tradeWithBars(context.ingot, request.params.id);
      if (!shown.ok) return sendRefusal(reply, shown);
      return wire({ ...summary, bar_list: shown.bars });
    },
  );
  for (const mode of ['cancel', 'unallocate'] as const) {
    app.post(
      `/trades/:id/${mode}`,
      {
        config: { permit: 'cancel_trade' },
        schema: {
          tags: ['trades'],
          summary:
            mode === 'cancel'
              ? 'cancel a trade before settlement, releasing its bars'
              : 'release a trade’s bars so it can be allocated again',
          params: TradeParams,
          body: Type.Optional(
            Type.Object(
              { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
              { additionalProperties: false },
            ),
          ),
          response: {
            200: Type.Object({ trade_id: Type.String(), state: Type.String() }),
            ...errorResponses(403, 404, 409),
          },
        },
      },
      async (request, reply) => {
        const done = await cancelTrade(actingAs(context.ingot, userOf(request)), {
          trade_id: request.params.id,
          mode,
          reason: request.body?.reason,
        });
        if (!done.ok) return sendRefusal(reply, done);
        return { trade_id: done.trade_id, state: done.state };
      },
    );
  }
}

function registerSettlement(app: Api, context: ServerContext): void {
  app.post(
    '/trades/:id/settle',
    {
      config: { permit: 'settle_trade' },
      schema: {
        tags: ['trades'],
        summary: 'settle delivery versus payment at the London fixing of the date',
        description: 'A refusal for funds, fixing or cost leaves the trade pending with the reason recorded.',
        headers: IdempotencyHeaders,
        params: TradeParams,
        body: Type.Object({ date: IsoDate }, { additionalProperties: false }),
        response: { 201: Settlement, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const done = await settleTrade(actingAs(context.ingot, user), {
        trade_id: request.params.id,
        date: checkDate(request.body.date, 'date'),
        key: serviceKey(request, user),
      });
      if (!done.ok) {
        context.metrics.settlement('refused');
        return sendRefusal(reply, done);
      }
      context.metrics.settlement(done.replayed ? 'replayed' : 'settled');
      const { ok: _ok, ...result } = done;
      return reply.code(201).send(wire(result));
    },
  );
}

export function registerTrades(app: Api, context: ServerContext): void {
  registerReading(app, context);
  registerAllocation(app, context);
  registerSettlement(app, context);
}
