// The London fixing: listed, and proposed under four eyes, one entered by hand or a list imported
// from the LBMA feed or a CSV; a supervisor approves at /approvals.
import { Type } from 'typebox';
import { isLondonWeekend, parseFixingCsv, parseLbmaJson } from '../../../domain/fixing.ts';
import { proposeFixings } from '../../../service/custody/approvals.ts';
import { proposeFixingImport } from '../../../service/trading/fixing-import.ts';
import { listFixings } from '../../../service/trading/fixings.ts';
import { userOf } from '../../auth.ts';
import { checkDate, minor, optionalDate } from '../../checks.ts';
import { type Api, actingAs, type ServerContext } from '../../context.ts';
import { ApiError, sendRefusal } from '../../errors.ts';
import {
  Currency,
  errorResponses,
  Fixing,
  FixingsProposed,
  IsoDate,
  Pending,
  PositiveMinor,
} from '../../schemas.ts';
import { wire } from '../../wire.ts';

/** The largest fixing file accepted: the whole LBMA history since 1968 is about 2 MB. */
const FIXING_FILE_BYTES_MAX = 32 * 1024 * 1024;

export function registerPrices(app: Api, context: ServerContext): void {
  app.get(
    '/prices',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['prices'],
        summary: 'recorded fixings, oldest first',
        querystring: Type.Object({
          currency: Type.Optional(Currency),
          from: Type.Optional(IsoDate),
          to: Type.Optional(IsoDate),
        }),
        response: { 200: Type.Array(Fixing), ...errorResponses() },
      },
    },
    async (request) => {
      const { currency, from, to } = request.query;
      const rows = await listFixings(context.ingot, {
        ...(currency ? { currency } : {}),
        ...(from ? { from: optionalDate(from, 'from') } : {}),
        ...(to ? { to: optionalDate(to, 'to') } : {}),
      });
      return wire(rows);
    },
  );
  app.post(
    '/prices',
    {
      config: { permit: 'record_fixing' },
      schema: {
        tags: ['prices'],
        summary: 'propose a fixing entered by hand; a supervisor approves it (four eyes) at /approvals',
        description:
          'The price of a fine ounce in minor units (GBP: 1/4800 £). An imported list is proposed the same way.',
        body: Type.Object(
          {
            date: IsoDate,
            currency: Currency,
            minor_per_oz: PositiveMinor,
            source: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 202: Pending, ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const { date, currency, minor_per_oz, source } = request.body;
      if (isLondonWeekend(checkDate(date, 'date'))) {
        throw new ApiError('invalid_input', `${date} is a weekend; London does not fix then`, 'date');
      }
      const fixing = { date, currency, minor_per_oz: minor(minor_per_oz), source };
      const proposed = await proposeFixings(actingAs(context.ingot, user), user.id, [fixing]);
      if (!proposed.ok) return sendRefusal(reply, proposed);
      return reply.code(202).send({ pending_approval: proposed.pending_approval.toString() });
    },
  );
  registerImport(app, context);
}

function registerImport(app: Api, context: ServerContext): void {
  app.register(async (scope) => {
    const api = scope.withTypeProvider() as Api;
    api.removeContentTypeParser('application/json');
    api.addContentTypeParser(
      ['application/json', 'text/csv', 'text/plain'],
      { parseAs: 'string', bodyLimit: FIXING_FILE_BYTES_MAX },
      (_request, body, done) => done(null, body),
    );
    api.post(
      '/prices/import',
      {
        config: { permit: 'record_fixing' },
        schema: {
          tags: ['prices'],
          summary:
            'propose fixings from the LBMA JSON feed or a CSV (date,currency,price[,source]); a supervisor approves',
          description:
            'The fixings not yet recorded become one proposal (202): its account at /approvals/{id} lists ' +
            'every one, and nothing is recorded until a supervisor other than you approves it. A list ' +
            'with a fault, or a fixing recorded at another price, is refused at once, naming it; a list ' +
            'recorded already is answered 200 with no approval.',
          querystring: Type.Object({
            format: Type.Optional(Type.Enum(['lbma', 'csv'])),
            currency: Type.Optional(Currency),
            source: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          }),
          response: { 200: FixingsProposed, 202: FixingsProposed, ...errorResponses(403, 409, 413, 415) },
        },
      },
      async (request, reply) => {
        const text = typeof request.body === 'string' ? request.body : '';
        const type = request.headers['content-type'] ?? '';
        const format = request.query.format ?? (type.startsWith('application/json') ? 'lbma' : 'csv');
        const source = request.query.source ?? 'LBMA';
        const parsed =
          format === 'lbma'
            ? parseLbmaJson(text, request.query.currency ?? 'GBP', source)
            : parseFixingCsv(text, source);
        if (!parsed.ok) {
          return sendRefusal(reply, {
            code: 'fixing_list_invalid',
            message: `${parsed.problems.length} problem(s) in the fixings, nothing imported`,
            field: 'body',
            problems: parsed.problems
              .slice(0, 200)
              .map((p) => ({ row: p.index ?? 0, column: null, reason: p.reason })),
          });
        }
        const user = userOf(request);
        const done = await proposeFixingImport(actingAs(context.ingot, user), user.id, parsed.fixings);
        if (!done.ok) return sendRefusal(reply, done);
        const { pending_approval, proposed, unchanged } = done;
        return reply.code(pending_approval === null ? 200 : 202).send({
          pending_approval: pending_approval === null ? null : pending_approval.toString(),
          proposed,
          unchanged,
          skipped: parsed.skipped,
        });
      },
    );
  });
}
