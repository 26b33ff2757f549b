// A bar's chain of custody over HTTP: GET /bars/{refiner}/{serial}/history.
import { Type } from 'typebox';
import { BAR_EVENT_KINDS } from '../../../domain/bar-history.ts';
import { barHistory, barHistoryView } from '../../../service/vault/history.ts';
import { userOf } from '../../auth.ts';
import type { Api, ServerContext } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import { Bar, errorResponses, Minor, Nullable } from '../../schemas.ts';
import { wire } from '../../wire.ts';

/** Weights an event states: counted (where they differed from the books), or found on reweighing. */
const Weights = Type.Object({ gross_milli_oz: Minor, fineness: Minor, fine_milli_oz: Minor });

const BarEvent = Type.Object({
  date: Type.String(),
  kind: Type.Enum([...BAR_EVENT_KINDS]),
  entry_id: Nullable(Minor),
  source_account_id: Nullable(Type.String()),
  target_account_id: Nullable(Type.String()),
  reference: Nullable(Type.String({ description: 'the trade, the instruction, or the weight list' })),
  documents: Type.Array(Type.Object({ id: Minor, kind: Type.String() })),
  handed_to: Nullable(
    Type.Object({ representative_id: Type.String(), name: Type.String(), identity_document: Type.String() }),
  ),
  destination: Nullable(Type.String()),
  weights: Type.Optional(Nullable(Weights)),
  weights_before: Type.Optional(Nullable(Weights)),
  recorded_at: Type.String(),
  description: Type.String(),
});

const BarHistory = Type.Object({
  bar: Type.Pick(Bar, [
    'id',
    'refiner',
    'serial',
    'year',
    'gross_milli_oz',
    'fineness',
    'fine_milli_oz',
    'bar_id',
  ]),
  events: Type.Array(BarEvent),
});

/** Registers the bar history route. */
export function registerBarHistory(app: Api, context: ServerContext): void {
  app.get(
    '/bars/:refiner/:serial/history',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['bars'],
        summary: 'a bar’s chain of custody: every event of its life with its date, entry and documents',
        description:
          'The depository sees the whole life; a client bank the part while its accounts owned the bar, ' +
          'and another bank’s bar is answered as not found (404 bar_not_found). Confidential, as a bar ' +
          'list is: given only to a user cleared for it (else 403 not_cleared).',
        params: Type.Object({
          refiner: Type.String({ minLength: 1, maxLength: 32 }),
          serial: Type.String({ minLength: 1, maxLength: 40 }),
        }),
        response: { 200: BarHistory, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const { refiner, serial } = request.params;
      const user = userOf(request);
      const history = await barHistory(context.ingot, { refiner, serial, reader_user_id: user.id });
      if (!history.ok) return sendRefusal(reply, history);
      return wire(barHistoryView(history));
    },
  );
}
