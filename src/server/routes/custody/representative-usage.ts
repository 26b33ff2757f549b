// GET /representatives/received: what each representative has received so far against its limit
// (a client bank's own; all of them for the depository), so a release is weighed before it is drafted.
import { representativeUsage } from '../../../service/custody/representative-usage.ts';
import { partyScope } from '../../access.ts';
import { userOf } from '../../auth.ts';
import type { Api, ServerContext } from '../../context.ts';
import { errorResponses, Items, RepresentativeUsage } from '../../schemas.ts';
import { wire } from '../../wire.ts';

/** Registers GET /representatives/received. */
export function registerRepresentativeUsage(app: Api, context: ServerContext): void {
  app.get(
    '/representatives/received',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['representatives'],
        summary: 'fine gold each representative has received so far (executed releases), against its limit',
        response: { 200: Items(RepresentativeUsage), ...errorResponses() },
      },
    },
    async (request) => {
      const items = await representativeUsage(context.ingot, partyScope(userOf(request)));
      return { items: items.map((item) => wire(item)) };
    },
  );
}
