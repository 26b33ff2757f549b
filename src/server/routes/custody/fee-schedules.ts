// GET /fee-schedules: the fee schedule in force for each client bank (a client bank its own), so
// the desk shows the terms before an operator proposes new ones (POST /fee-schedules, approved by
// a supervisor).
import { Type } from 'typebox';
import { feeSchedulesInForce } from '../../../service/custody/fee-schedules.ts';
import { partyScope } from '../../access.ts';
import { userOf } from '../../auth.ts';
import type { Api, ServerContext } from '../../context.ts';
import { errorResponses, Minor, Nullable } from '../../schemas.ts';
import { wire } from '../../wire.ts';

const CustodyFee = Type.Union([
  Type.Object({ kind: Type.Literal('none') }),
  Type.Object({ kind: Type.Literal('rate_of_value'), per_year_per10k: Minor }),
  Type.Object({ kind: Type.Literal('per_bar'), per_bar_per_year_minor: Minor }),
]);

const InForce = Type.Object({
  party_id: Type.String(),
  party_name: Type.String(),
  source: Type.Enum(['agreed', 'default']),
  schedule: Type.Object({
    agreement_id: Type.String(),
    currency: Type.String(),
    custody: CustodyFee,
    handling_per_release_minor: Minor,
    handling_per_transfer_minor: Minor,
    handling_per_shipment_minor: Minor,
    shipment_costs_payer: Type.Enum(['client', 'depository']),
  }),
  made_by: Nullable(Type.String()),
  checked_by: Nullable(Type.String()),
  updated_at: Nullable(Type.String()),
});

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
        response: { 200: Type.Object({ items: Type.Array(InForce) }), ...errorResponses() },
      },
    },
    async (request) => {
      const items = await feeSchedulesInForce(context.ingot, partyScope(userOf(request)));
      return { items: items.map((item) => wire(item)) };
    },
  );
}
