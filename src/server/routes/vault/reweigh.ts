// Reweighing a bar over HTTP: POST /bars/{refiner}/{serial}/reweigh proposes the weights found; a
// supervisor approves it as any other four-eyes step (GET /approvals/{id}, POST …/approve).
import { Type } from 'typebox';
import { parseFineness, parseOunces } from '../../../domain/weight.ts';
import { proposeReweigh } from '../../../service/vault/reweigh.ts';
import { userOf } from '../../auth.ts';
import { type Api, actingAs, type ServerContext } from '../../context.ts';
import { ApiError, sendRefusal } from '../../errors.ts';
import { errorResponses, IsoDate, Pending } from '../../schemas.ts';
import { wire } from '../../wire.ts';

/** Registers the reweighing route. */
export function registerReweigh(app: Api, context: ServerContext): void {
  app.post(
    '/bars/:refiner/:serial/reweigh',
    {
      config: { permit: 'reweigh_bar' },
      schema: {
        tags: ['bars'],
        summary: 'propose a bar’s new gross weight (and fineness) found on reweighing; a supervisor approves',
        description:
          'Once approved the bar’s weights change, its fine weight is gross × fineness truncated, and a ' +
          'change of fine weight is journalled (entry bar_reweighed) between the owner’s custody account ' +
          'and the outside world; the bar’s history shows the reweighing. Only a bar in custody and not ' +
          'allocated or held for an instruction may be reweighed.',
        params: Type.Object({
          refiner: Type.String({ minLength: 1, maxLength: 32 }),
          serial: Type.String({ minLength: 1, maxLength: 40 }),
        }),
        body: Type.Object(
          {
            gross_oz: Type.String({
              maxLength: 32,
              description: 'troy ounces, three decimals, a multiple of 0.025; at most 18 digits of 0.001 oz',
              examples: ['400.075'],
            }),
            fineness: Type.Optional(
              Type.String({
                maxLength: 32,
                description: '‰ with one decimal; default the bar’s',
                examples: ['999.9'],
              }),
            ),
            date: IsoDate,
            reason: Type.String({ minLength: 1, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: { 202: Pending, ...errorResponses(403, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const body = request.body;
      const gross = parseOunces(body.gross_oz, 'gross weight');
      if (!gross.ok) throw new ApiError('invalid_input', gross.reason, 'gross_oz');
      const fineness = body.fineness === undefined ? undefined : parseFineness(body.fineness);
      if (fineness && !fineness.ok) throw new ApiError('invalid_input', fineness.reason, 'fineness');
      const done = await proposeReweigh(actingAs(context.ingot, user), {
        by_user_id: user.id,
        refiner: request.params.refiner,
        serial: request.params.serial,
        gross_milli_oz: gross.value,
        ...(fineness?.ok ? { fineness: fineness.value } : {}),
        date: body.date,
        reason: body.reason,
      });
      if (!done.ok) return sendRefusal(reply, done);
      return reply.code(202).send(wire({ pending_approval: done.pending_approval }));
    },
  );
}
