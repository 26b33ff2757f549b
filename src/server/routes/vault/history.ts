// A bar's chain of custody over HTTP: GET /bars/{refiner}/{serial}/history.
import { Type } from 'typebox';
import { barHistory, barHistoryView } from '../../../service/vault/history.ts';
import { userOf } from '../../auth.ts';
import type { Api, ServerContext } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import { BarHistory, errorResponses } from '../../schemas.ts';
import { wire } from '../../wire.ts';

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
