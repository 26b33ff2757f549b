// GET /instructions/{id}/proposal: the bars accepting an instruction would reserve (for a quantity,
// the engine's proposal), or the bars it holds once accepted. A bar list, so given only to a user
// cleared for one; a client bank sees only its own instructions.
import { Type } from 'typebox';
import { refuseCustody } from '../../../domain/custody/refusal.ts';
import { proposalFor } from '../../../service/custody/proposal.ts';
import { instructionClient } from '../../../service/custody/queries.ts';
import { partyScope, uncleared } from '../../access.ts';
import { userOf } from '../../auth.ts';
import type { Api, ServerContext } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import { errorResponses, Identifier, Proposal } from '../../schemas.ts';
import { wire } from '../../wire.ts';

/** Registers the proposal route. */
export function registerProposal(app: Api, context: ServerContext): void {
  app.get(
    '/instructions/:id/proposal',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['instructions'],
        summary: 'the bars accepting the instruction would reserve, or the bars it holds',
        description:
          'For a quantity not yet accepted, the bars the depository’s engine proposes, reserving ' +
          'nothing; accept with them as bar_ids to reserve exactly those. Confidential, as a bar list.',
        params: Type.Object({ id: Identifier }),
        response: { 200: Proposal, ...errorResponses(403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const { id } = request.params;
      const client = await instructionClient(context.ingot, id);
      const party = partyScope(user);
      if (client === undefined || (party !== undefined && client !== party))
        return sendRefusal(
          reply,
          refuseCustody('instruction_not_found', `no instruction ${id} is visible to you`, 'instruction'),
        );
      const refused = await uncleared(context.ingot, user, 'barlist');
      if (refused) return sendRefusal(reply, refused);
      const proposal = await proposalFor(context.ingot, id);
      if (!proposal.ok) return sendRefusal(reply, proposal);
      const { ok: _, ...shown } = proposal;
      return wire(shown);
    },
  );
}
