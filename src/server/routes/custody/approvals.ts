// Four eyes over HTTP: what waits for a second user's approval, approving it, declining it.

import { Type } from 'typebox';
import { PERMISSIONS, type Permission, type User } from '../../../domain/custody/controls.ts';
import { refuse } from '../../../domain/outcome.ts';
import { approve, decline } from '../../../service/custody/approvals.ts';
import {
  approvalPayload,
  approvalScope,
  approvalShown,
  approvalsShown,
} from '../../../service/custody/queries.ts';
import { approvalClassified, withheldApproval } from '../../../service/custody/withheld.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { partyScope, uncleared } from '../../access.ts';
import { userOf } from '../../auth.ts';
import { type Api, actingAs, type ServerContext, serviceKey } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import {
  AccountDigest,
  Approval,
  Approved,
  errorResponses,
  Minor,
  OptionalIdempotencyHeaders,
} from '../../schemas.ts';
import { wire } from '../../wire.ts';

const ApprovalParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });

/**
 * Refuses an approval of another party as if it did not exist, and one the user's role has no part
 * in (the service checks the approver's role itself, not the decliner's).
 */
async function refusedApproval(context: ServerContext, user: User, id: string) {
  const party = partyScope(user);
  const row = await approvalScope(context.ingot, BigInt(id));
  if (!row || (party !== undefined && row.party_id !== party)) {
    return refuse('invalid_input', `no approval ${id}`, 'approval');
  }
  const permission = (PERMISSIONS as Record<string, Permission | undefined>)[row.action];
  const roles = permission ? [...permission.makers, ...permission.checkers] : [];
  if (!roles.includes(user.role)) {
    return {
      code: 'forbidden',
      message: `a ${user.role} has no part in ${row.action.replaceAll('_', ' ')}`,
      field: 'role',
    };
  }
  return undefined;
}

/**
 * Refuses (403 not_cleared, as for a bar list) a user not cleared for what the approval's account
 * names: a step on an instruction, or a bar's reweighing, names bars by refiner and serial.
 */
async function unclearedFor(ingot: Ingot, user: User, id: string) {
  const payload = await approvalPayload(ingot, BigInt(id));
  const kind = payload === undefined ? null : approvalClassified({ payload });
  return kind === null ? undefined : uncleared(ingot, user, kind);
}

export function registerApprovals(app: Api, context: ServerContext): void {
  app.get(
    '/approvals',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['approvals'],
        summary: 'steps and changes waiting for (or decided by) a second user, of your party',
        querystring: Type.Object({ status: Type.Optional(Type.Enum(['pending', 'approved', 'declined'])) }),
        response: { 200: Type.Array(Approval), ...errorResponses() },
      },
    },
    async (request) => {
      const user = userOf(request);
      const rows = await approvalsShown(context.ingot, {
        party_id: partyScope(user),
        status: request.query.status,
      });
      // Every entry is listed; a reader not cleared for a bar list is not shown the bars named.
      const refused = await uncleared(context.ingot, user, 'barlist');
      return rows.map((row) => wire(refused ? withheldApproval(row, refused.message) : row));
    },
  );
  app.get(
    '/approvals/:id',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['approvals'],
        summary: 'one approval of your party, with the account of what approving it does and its digest',
        description:
          'The account of a step on an instruction, or of a bar\u2019s reweighing, names bars: ' +
          'confidential, as a bar list (403 not_cleared). GET /approvals lists it with those lines withheld.',
        params: ApprovalParams,
        response: { 200: Approval, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const party = partyScope(user);
      const row = await approvalShown(context.ingot, BigInt(request.params.id), party);
      if (!row || (party !== undefined && row.party_id !== party)) {
        return sendRefusal(reply, refuse('invalid_input', `no approval ${request.params.id}`, 'approval'));
      }
      const kind = approvalClassified(row);
      const refused = kind === null ? undefined : await uncleared(context.ingot, user, kind);
      if (refused) return sendRefusal(reply, refused);
      return wire(row);
    },
  );
  app.post(
    '/approvals/:id/approve',
    {
      config: { permit: 'approve' },
      schema: {
        tags: ['approvals'],
        summary: 'approve, as the second user, a pending step or change: it is carried out now',
        description:
          'Send the digest of the account you were shown (GET /approvals/{id}). A digest that is ' +
          'not the approval\u2019s, or an account the books no longer give (a balance, a quote, a ' +
          'rule changed since it was proposed), is refused with approval_changed (409).',
        headers: OptionalIdempotencyHeaders,
        params: ApprovalParams,
        body: Type.Object({ digest: AccountDigest }, { additionalProperties: false }),
        response: { 200: Approved, ...errorResponses(403, 409, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const hidden = await refusedApproval(context, user, request.params.id);
      if (hidden) return sendRefusal(reply, hidden);
      // Approving is approving what one was shown: not what one may not be shown.
      const refused = await unclearedFor(context.ingot, user, request.params.id);
      if (refused) return sendRefusal(reply, refused);
      const key = request.headers['idempotency-key'] ? serviceKey(request, user) : undefined;
      const done = await approve(
        actingAs(context.ingot, user),
        { approval_id: BigInt(request.params.id), by_user_id: user.id, digest: request.body.digest },
        key,
      );
      if (!done.ok) return sendRefusal(reply, done);
      return wire({ approval_id: done.approval_id, outcome: done.outcome });
    },
  );
  app.post(
    '/approvals/:id/decline',
    {
      config: { permit: 'decline' },
      schema: {
        tags: ['approvals'],
        summary: 'decline (or, as its maker, withdraw) a pending step or change; nothing is carried out',
        params: ApprovalParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ approval_id: Minor }), ...errorResponses(403, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      // The service decides who may decline: the maker, or a user who may approve the step; to
      // anyone else of another bank the approval is as if it did not exist.
      const done = await decline(actingAs(context.ingot, user), {
        approval_id: BigInt(request.params.id),
        by_user_id: user.id,
        reason: request.body.reason,
      });
      if (!done.ok) return sendRefusal(reply, done);
      return { approval_id: done.approval_id.toString() };
    },
  );
}
