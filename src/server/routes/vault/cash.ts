// Money paid in and out of accounts at the depository.

import { Type } from 'typebox';
import { moveCash } from '../../../service/vault/cash.ts';
import { userOf } from '../../auth.ts';
import { checkDate, minor } from '../../checks.ts';
import { type Api, actingAs, type ServerContext, serviceKey } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import {
  CashBooked,
  errorResponses,
  IdempotencyHeaders,
  Identifier,
  IsoDate,
  PositiveMoney,
} from '../../schemas.ts';

const CashBody = Type.Object(
  {
    account_id: Identifier,
    amount: PositiveMoney,
    date: IsoDate,
    memo: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

/** `POST /cash/deposits` and `/cash/withdrawals`: money credited from outside or paid out. */
export function registerCash(app: Api, context: ServerContext): void {
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
          response: { 201: CashBooked, ...errorResponses(403, 404, 422) },
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
