// GET /fee-schedules: the fee schedule in force for each client bank (a client bank its own), so
// the desk shows the terms before an operator proposes new ones (POST /fee-schedules, approved by
// a supervisor).
import { feeSchedulesInForce } from '../../../service/custody/fee-schedules.ts';
import { partyScope } from '../../access.ts';
import { userOf } from '../../auth.ts';
import type { Api, ServerContext } from '../../context.ts';
import { errorResponses, FeeScheduleInForce, Items } from '../../schemas.ts';
import { wire } from '../../wire.ts';

/** Registers GET /fee-schedules. */
export function registerFeeSchedules(app: Api, context: ServerContext): void {
  app.get(
    '/fee-schedules',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['representatives'],
        summary: 'the fee schedule in force for each client bank (your own for a client bank)',
        description:
          'source is "agreed" for a schedule set under four eyes, "default" for the 1961 terms that ' +
          'apply until one is: no custody or handling fee, shipment costs borne by the client.',
        response: { 200: Items(FeeScheduleInForce), ...errorResponses() },
      },
    },
    async (request) => {
      const items = await feeSchedulesInForce(context.ingot, partyScope(userOf(request)));
      return { items: items.map((item) => wire(item)) };
    },
  );
}
