// Custody at the client's disposal over HTTP: instructions (drafted and signed by the client,
// accepted, executed, quoted, dispatched by the depository), their remarks, the representatives
// who may collect gold, and the signing rules and fee schedules proposed under four eyes. The
// acting user is always the signed-in user; a client bank sees only its own instructions.

import { type Static, Type } from 'typebox';
import type { User } from '../../../domain/custody/controls.ts';
import type {
  EventKind,
  InstructionDetails,
  InstructionEvent,
  Selection,
} from '../../../domain/custody/instruction.ts';
import { refuseCustody } from '../../../domain/custody/refusal.ts';
import type { Representative } from '../../../domain/custody/representatives.ts';
import {
  proposeFeeSchedule,
  proposeRepresentative,
  proposeRevocation,
  proposeSigningRule,
} from '../../../service/custody/approvals.ts';
import { addRemark, draft, step } from '../../../service/custody/instructions.ts';
import {
  instructionClient,
  listInstructions,
  listRepresentatives,
  remarksOn,
  representativeParty,
  showInstruction,
} from '../../../service/custody/queries.ts';
import { INSTRUCTION_CLASSIFIED } from '../../../service/custody/withheld.ts';
import { partyName } from '../../../service/parties/queries.ts';
import type { HttpAction } from '../../access.ts';
import { partyScope, uncleared } from '../../access.ts';
import { userOf } from '../../auth.ts';
import { checkDate, today } from '../../checks.ts';
import { type Api, actingAs, type ServerContext, serviceKey } from '../../context.ts';
import { ApiError, sendRefusal } from '../../errors.ts';
import {
  AccountDigest,
  AuthorizedRepresentative,
  errorResponses,
  Identifier,
  InstructionDrafted,
  InstructionShown,
  InstructionSummary,
  IsoDate,
  Minor,
  Money,
  Nullable,
  OptionalIdempotencyHeaders,
  Pending,
  PositiveMinor,
  Remark,
  StepDone,
} from '../../schemas.ts';
import { wire } from '../../wire.ts';

const InstructionParams = Type.Object({ id: Identifier });
const Reason = Type.String({ minLength: 1, maxLength: 500 });
const Text = (max = 200) => Type.String({ minLength: 1, maxLength: max });

const DraftBody = Type.Object(
  {
    kind: Type.Enum(['release', 'transfer', 'shipment']),
    account: Identifier,
    bars: Type.Optional(Type.Array(PositiveMinor, { minItems: 1, maxItems: 10_000 })),
    quantity_fine_milli_oz: Type.Optional(PositiveMinor),
    representative_id: Type.Optional(Identifier),
    release_on: Type.Optional(IsoDate),
    to: Type.Optional(Identifier),
    beneficiary: Type.Optional(Identifier),
    beneficiary_name: Type.Optional(Text()),
    destination: Type.Optional(Text()),
    carrier: Type.Optional(Text()),
    insurance: Type.Optional(Money),
    date: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);
type DraftBody = Static<typeof DraftBody>;

const StepBody = Type.Object(
  {
    date: Type.Optional(IsoDate),
    reason: Type.Optional(Reason),
    bar_ids: Type.Optional(Type.Array(PositiveMinor, { minItems: 1, maxItems: 10_000 })),
    representative_id: Type.Optional(Identifier),
    identity_document_checked: Type.Optional(Type.Boolean()),
    transport: Type.Optional(Money),
    insurance: Type.Optional(Money),
    valid_until: Type.Optional(IsoDate),
    digest: Type.Optional(AccountDigest),
  },
  { additionalProperties: false },
);
type StepBody = Static<typeof StepBody>;

function need<T>(value: T | undefined, field: string, what: string): T {
  if (value === undefined) throw new ApiError('invalid_input', `${what} needs ${field}`, field);
  return value;
}

function selectionOf(body: DraftBody): Selection {
  if ((body.bars === undefined) === (body.quantity_fine_milli_oz === undefined)) {
    throw new ApiError('invalid_input', 'give exactly one of bars and quantity_fine_milli_oz', 'bars');
  }
  return body.bars !== undefined
    ? { kind: 'bars', bar_ids: body.bars.map((id) => BigInt(id)) }
    : { kind: 'quantity', fine_milli_oz: BigInt(body.quantity_fine_milli_oz ?? '0') };
}

function detailsOf(body: DraftBody, date: string): InstructionDetails {
  const what = `a ${body.kind}`;
  if (body.kind === 'release') {
    return {
      kind: 'release',
      representative_id: need(body.representative_id, 'representative_id', what),
      release_on: body.release_on ? checkDate(body.release_on, 'release_on') : date,
    };
  }
  if (body.kind === 'transfer') {
    const account_id = need(body.to, 'to', what);
    if (body.beneficiary === undefined)
      return { kind: 'transfer', target: { kind: 'existing_account', account_id } };
    return {
      kind: 'transfer',
      target: {
        kind: 'disposal_account',
        account_id,
        beneficiary_party_id: body.beneficiary,
        beneficiary_name: need(body.beneficiary_name, 'beneficiary_name', what),
      },
    };
  }
  const insurance = need(body.insurance, 'insurance', what);
  return {
    kind: 'shipment',
    destination: need(body.destination, 'destination', what),
    carrier: need(body.carrier, 'carrier', what),
    insurance_value: { currency: insurance.currency, minor: BigInt(insurance.minor) },
  };
}

/** The steps a signatory takes for the client: each binds it, so each names the account it saw. */
const SIGNED_EVENTS: readonly EventKind[] = ['sign', 'accept_quote'];

/** The steps, as paths: the event each is, the action it is, and what its body must give. */
const STEPS: readonly { path: string; kind: EventKind; action: HttpAction; summary: string }[] = [
  { path: 'sign', kind: 'sign', action: 'sign_instruction', summary: 'sign as a client signatory' },
  {
    path: 'cancel',
    kind: 'cancel',
    action: 'cancel_instruction',
    summary: 'cancel before execution (reason)',
  },
  {
    path: 'accept',
    kind: 'accept',
    action: 'accept_instruction',
    summary: 'accept a signed instruction (depository); bars are reserved, or bar_ids proposed',
  },
  { path: 'reject', kind: 'reject', action: 'reject_instruction', summary: 'reject (depository; reason)' },
  {
    path: 'execute',
    kind: 'execute',
    action: 'execute_instruction',
    summary: 'execute a release (with the hand-over record) or transfer; waits for a supervisor',
  },
  { path: 'fail', kind: 'fail', action: 'fail_instruction', summary: 'record that it failed (reason)' },
  {
    path: 'quote',
    kind: 'quote',
    action: 'quote_shipment',
    summary: 'quote transport and insurance of a shipment; waits for a supervisor',
  },
  {
    path: 'accept-quote',
    kind: 'accept_quote',
    action: 'accept_quote',
    summary: 'accept the quote (client)',
  },
  {
    path: 'decline-quote',
    kind: 'decline_quote',
    action: 'decline_quote',
    summary: 'decline the quote (client; reason)',
  },
  {
    path: 'dispatch',
    kind: 'dispatch',
    action: 'dispatch_shipment',
    summary: 'hand the bars to the carrier; waits for a supervisor',
  },
  {
    path: 'deliver',
    kind: 'confirm_delivery',
    action: 'confirm_delivery',
    summary: 'confirm delivery at the destination; waits for a supervisor',
  },
  {
    path: 'return',
    kind: 'report_return',
    action: 'report_return',
    summary: 'the shipment failed and the bars come back (reason); waits for a supervisor',
  },
];

function money(value: { currency: 'GBP' | 'USD' | 'EUR'; minor: string }) {
  return { currency: value.currency, minor: BigInt(value.minor) };
}

function eventOf(kind: EventKind, body: StepBody): InstructionEvent {
  const reason = () => need(body.reason, 'reason', `a ${kind}`);
  switch (kind) {
    case 'cancel':
    case 'reject':
    case 'fail':
    case 'decline_quote':
    case 'report_return':
      return { kind, reason: reason() };
    case 'quote':
      return {
        kind,
        transport: money(need(body.transport, 'transport', 'a quote')),
        insurance: money(need(body.insurance, 'insurance', 'a quote')),
        valid_until: checkDate(need(body.valid_until, 'valid_until', 'a quote'), 'valid_until'),
      };
    default:
      return { kind };
  }
}

/** Refuses, as not found, an instruction the user's party may not see. */
async function visibleInstruction(context: ServerContext, user: User, id: string) {
  const client = await instructionClient(context.ingot, id);
  const party = partyScope(user);
  if (client !== undefined && (party === undefined || client === party)) return undefined;
  return refuseCustody('instruction_not_found', `no instruction ${id} is visible to you`, 'instruction');
}

function registerInstructionReading(app: Api, context: ServerContext): void {
  app.get(
    '/instructions',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['instructions'],
        summary: 'instructions of your party (all of them for the depository), oldest first',
        querystring: Type.Object({ state: Type.Optional(Type.String({ maxLength: 40 })) }),
        response: { 200: Type.Array(InstructionSummary), ...errorResponses() },
      },
    },
    async (request) => {
      const party = partyScope(userOf(request));
      return listInstructions(context.ingot, { party, state: request.query.state });
    },
  );
  app.get(
    '/instructions/:id',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['instructions'],
        summary: 'an instruction: its terms, steps, bars and remarks',
        description: 'Its account names its bars: confidential, as a bar list (403 not_cleared).',
        params: InstructionParams,
        response: { 200: InstructionShown, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const user = userOf(request);
      const hidden = await visibleInstruction(context, user, id);
      if (hidden) return sendRefusal(reply, hidden);
      const refused = await uncleared(context.ingot, user, INSTRUCTION_CLASSIFIED);
      if (refused) return sendRefusal(reply, refused);
      const found = await showInstruction(context.ingot, id);
      if (!found.ok) return sendRefusal(reply, found);
      const { ok: _ok, ...shown } = found;
      return wire(shown);
    },
  );
}

function registerInstructionWriting(app: Api, context: ServerContext): void {
  app.post(
    '/instructions',
    {
      config: { permit: 'draft_instruction' },
      schema: {
        tags: ['instructions'],
        summary: 'draft a release (to a representative), transfer or shipment; the signatories then sign',
        description:
          'Give the bars (Ingot bar ids) or a quantity (the depository proposes bars on acceptance). ' +
          'A release names representative_id and release_on; a transfer names to (and, for a ' +
          'disposal account, beneficiary and beneficiary_name); a shipment names destination, ' +
          'carrier and insurance. Drafting moves nothing: the signatures and the depository follow.',
        body: DraftBody,
        response: { 201: InstructionDrafted, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const body = request.body;
      const date = body.date ? checkDate(body.date, 'date') : today();
      const done = await draft(actingAs(context.ingot, user), {
        by_user_id: user.id,
        source_account_id: body.account,
        selection: selectionOf(body),
        details: detailsOf(body, date),
        date,
      });
      if (!done.ok) return sendRefusal(reply, done);
      return reply.code(201).send({ instruction_id: done.instruction_id });
    },
  );
  for (const { path, kind, action, summary } of STEPS) {
    app.post(
      `/instructions/:id/${path}`,
      {
        config: { permit: action },
        schema: {
          tags: ['instructions'],
          summary,
          description:
            'A step moves value only once: with an Idempotency-Key a retry returns the first result; ' +
            'without one it is refused by the instruction\u2019s state (409). A step under four eyes ' +
            'answers pending_approval, the approval a second user approves at /approvals/{id}/approve. ' +
            'Signing and accepting a quote need the digest of the instruction\u2019s account as ' +
            'GET /instructions/{id} showed it; if the account has changed since, approval_changed (409).',
          headers: OptionalIdempotencyHeaders,
          params: InstructionParams,
          body: StepBody,
          response: { 200: StepDone, ...errorResponses(403, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        const { id } = request.params;
        const hidden = await visibleInstruction(context, user, id);
        if (hidden) return sendRefusal(reply, hidden);
        // A signatory binds the client to the account it was shown: one it may not be shown, it
        // may not sign.
        const refused = SIGNED_EVENTS.includes(kind)
          ? await uncleared(context.ingot, user, INSTRUCTION_CLASSIFIED)
          : undefined;
        if (refused) return sendRefusal(reply, refused);
        const body = request.body ?? {};
        const digest = SIGNED_EVENTS.includes(kind)
          ? need(body.digest, 'digest', `a ${kind.replace('_', ' ')}`)
          : body.digest;
        const handover =
          body.representative_id !== undefined
            ? {
                representative_id: body.representative_id,
                identity_document_checked: body.identity_document_checked === true,
              }
            : undefined;
        const key = request.headers['idempotency-key'] ? serviceKey(request, user) : undefined;
        const done = await step(
          actingAs(context.ingot, user),
          {
            instruction_id: id,
            event: eventOf(kind, body),
            date: body.date ? checkDate(body.date, 'date') : today(),
            by_user_id: user.id,
            ...(handover ? { handover } : {}),
            ...(body.bar_ids ? { bar_ids: body.bar_ids.map((bar) => BigInt(bar)) } : {}),
            ...(digest !== undefined ? { digest } : {}),
          },
          key,
        );
        if (!done.ok) return sendRefusal(reply, done);
        return wire({
          instruction_id: id,
          state: done.state,
          entry_id: done.entry_id,
          pending_approval: done.pending_approval,
        });
      },
    );
  }
}

function registerRemarks(app: Api, context: ServerContext): void {
  app.get(
    '/instructions/:id/remarks',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['instructions'],
        summary: 'the remarks thread of an instruction, in order',
        params: InstructionParams,
        response: { 200: Type.Array(Remark), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const hidden = await visibleInstruction(context, userOf(request), request.params.id);
      if (hidden) return sendRefusal(reply, hidden);
      return wire(await remarksOn(context.ingot, request.params.id));
    },
  );
  app.post(
    '/instructions/:id/remarks',
    {
      config: { permit: 'add_remark' },
      schema: {
        tags: ['instructions'],
        summary: 'add a dated remark to the thread (either bank; nothing is ever edited)',
        params: InstructionParams,
        body: Type.Object(
          { text: Type.String({ minLength: 1, maxLength: 2000 }), date: Type.Optional(IsoDate) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ number: Minor }), ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const hidden = await visibleInstruction(context, user, request.params.id);
      if (hidden) return sendRefusal(reply, hidden);
      const done = await addRemark(actingAs(context.ingot, user), {
        instruction_id: request.params.id,
        by_user_id: user.id,
        written_on: request.body.date ? checkDate(request.body.date, 'date') : today(),
        text: request.body.text,
      });
      if (!done.ok) return sendRefusal(reply, done);
      return reply.code(201).send(wire({ number: done.number }));
    },
  );
}

const RepresentativeBody = Type.Object(
  {
    id: Identifier,
    name: Text(),
    identity_document: Text(),
    authority_valid_from: IsoDate,
    authority_valid_until: IsoDate,
    account_ids: Type.Array(Identifier, { minItems: 1, maxItems: 50 }),
    limit_fine_milli_oz: Nullable(PositiveMinor),
  },
  { additionalProperties: false },
);

function registerRepresentatives(app: Api, context: ServerContext): void {
  app.get(
    '/representatives',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['representatives'],
        summary: 'authorized representatives of your party (all for the depository)',
        response: { 200: Type.Array(AuthorizedRepresentative), ...errorResponses() },
      },
    },
    async (request) => {
      const party = partyScope(userOf(request));
      return (await listRepresentatives(context.ingot, party)).map((row) => wire(row));
    },
  );
  app.post(
    '/representatives',
    {
      config: { permit: 'register_representative' },
      schema: {
        tags: ['representatives'],
        summary: 'propose an authorized representative of your bank; a second signatory approves',
        body: RepresentativeBody,
        response: { 202: Pending, ...errorResponses(403, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const body = request.body;
      const representative: Representative = {
        id: body.id,
        client_party_id: user.party_id,
        name: body.name,
        identity_document: body.identity_document,
        authority_valid_from: checkDate(body.authority_valid_from, 'authority_valid_from'),
        authority_valid_until: checkDate(body.authority_valid_until, 'authority_valid_until'),
        revoked_on: null,
        account_ids: body.account_ids,
        limit_fine_milli_oz: body.limit_fine_milli_oz === null ? null : BigInt(body.limit_fine_milli_oz),
      };
      const done = await proposeRepresentative(actingAs(context.ingot, user), user.id, representative);
      if (!done.ok) return sendRefusal(reply, done);
      return reply.code(202).send(wire({ pending_approval: done.pending_approval }));
    },
  );
  app.post(
    '/representatives/:id/revoke',
    {
      config: { permit: 'revoke_representative' },
      schema: {
        tags: ['representatives'],
        summary: 'propose to revoke a representative from a date; a second signatory approves',
        params: InstructionParams,
        body: Type.Object({ revoked_on: IsoDate }, { additionalProperties: false }),
        response: { 202: Pending, ...errorResponses(403, 404, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const party = await representativeParty(context.ingot, request.params.id);
      if (party !== user.party_id) {
        return sendRefusal(
          reply,
          refuseCustody(
            'representative_not_found',
            `no representative ${request.params.id}`,
            'representative',
          ),
        );
      }
      const revoked_on = checkDate(request.body.revoked_on, 'revoked_on');
      const done = await proposeRevocation(
        actingAs(context.ingot, user),
        user.id,
        request.params.id,
        revoked_on,
      );
      if (!done.ok) return sendRefusal(reply, done);
      return reply.code(202).send(wire({ pending_approval: done.pending_approval }));
    },
  );
}

const CustodyFeeBody = Type.Union([
  Type.Object({ kind: Type.Literal('none') }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('rate_of_value'), per_year_per10k: Minor },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('per_bar'), per_bar_per_year_minor: Minor },
    { additionalProperties: false },
  ),
]);

function registerRules(app: Api, context: ServerContext): void {
  app.post(
    '/signing-rules',
    {
      config: { permit: 'set_signing_rule' },
      schema: {
        tags: ['representatives'],
        summary: 'propose how many of which signatories must sign for an account; a supervisor approves',
        body: Type.Object(
          {
            account_id: Identifier,
            required_signatures: Type.Integer({ minimum: 1, maximum: 20 }),
            signatory_user_ids: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
              minItems: 1,
              maxItems: 20,
            }),
          },
          { additionalProperties: false },
        ),
        response: { 202: Pending, ...errorResponses(403, 404, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const done = await proposeSigningRule(actingAs(context.ingot, user), user.id, request.body);
      if (!done.ok) return sendRefusal(reply, done);
      return reply.code(202).send(wire({ pending_approval: done.pending_approval }));
    },
  );
  app.post(
    '/fee-schedules',
    {
      config: { permit: 'set_fee_schedule' },
      schema: {
        tags: ['representatives'],
        summary: 'propose a client\u2019s fee schedule; a supervisor approves',
        body: Type.Object(
          {
            party_id: Identifier,
            agreement_id: Text(),
            currency: Type.Enum(['GBP', 'USD', 'EUR']),
            custody: CustodyFeeBody,
            handling_per_release_minor: Minor,
            handling_per_transfer_minor: Minor,
            handling_per_shipment_minor: Minor,
            shipment_costs_payer: Type.Enum(['client', 'depository']),
          },
          { additionalProperties: false },
        ),
        response: { 202: Pending, ...errorResponses(403, 404, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const { party_id, custody, ...body } = request.body;
      if ((await partyName(context.ingot, party_id)) === undefined)
        return sendRefusal(reply, refuseCustody('party_not_found', `no party ${party_id}`, 'party_id'));
      const done = await proposeFeeSchedule(actingAs(context.ingot, user), user.id, party_id, {
        agreement_id: body.agreement_id,
        currency: body.currency,
        custody:
          custody.kind === 'none'
            ? custody
            : custody.kind === 'rate_of_value'
              ? { kind: 'rate_of_value', per_year_per10k: BigInt(custody.per_year_per10k) }
              : { kind: 'per_bar', per_bar_per_year_minor: BigInt(custody.per_bar_per_year_minor) },
        handling_per_release_minor: BigInt(body.handling_per_release_minor),
        handling_per_transfer_minor: BigInt(body.handling_per_transfer_minor),
        handling_per_shipment_minor: BigInt(body.handling_per_shipment_minor),
        shipment_costs_payer: body.shipment_costs_payer,
      });
      if (!done.ok) return sendRefusal(reply, done);
      return reply.code(202).send(wire({ pending_approval: done.pending_approval }));
    },
  );
}

export function registerInstructions(app: Api, context: ServerContext): void {
  registerInstructionReading(app, context);
  registerInstructionWriting(app, context);
  registerRemarks(app, context);
  registerRepresentatives(app, context);
  registerRules(app, context);
}
