// The Good Delivery List of refiners: replaced by a CSV upload, read whole (docs/WEIGHT-LISTS.md).

import { Type } from 'typebox';
import { REFINER_LIST_COLUMNS, REFINER_LIST_ROWS_MAX } from '../../../domain/refiners.ts';
import { importRefiners, listRefiners } from '../../../service/vault/refiners.ts';
import { userOf } from '../../auth.ts';
import { checkDate, today } from '../../checks.ts';
import { type Api, actingAs, type ServerContext } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import { errorResponses, IsoDate, Refiner, RefinersImported } from '../../schemas.ts';
import { acceptCsvStreams, withUploadedLines } from '../../uploads.ts';

/** The lines of an upload, header first; one more than a list may hold is enough to refuse it. */
async function firstLines(lines: AsyncIterable<string>): Promise<string[]> {
  const read: string[] = [];
  for await (const line of lines) {
    read.push(line);
    if (read.length > REFINER_LIST_ROWS_MAX + 1) break;
  }
  return read;
}

export function registerRefiners(app: Api, context: ServerContext): void {
  app.register(async (scope) => {
    const api = scope.withTypeProvider() as Api;
    acceptCsvStreams(api);
    api.post(
      '/refiners/import',
      {
        config: { permit: 'keep_reference_data' },
        schema: {
          tags: ['refiners'],
          summary: 'replace the Good Delivery List of refiners (text/csv): all rows or none',
          description:
            `CSV columns ${REFINER_LIST_COLUMNS.join(',')}. A refiner the list leaves out is kept as ` +
            'former, removed on `date`. A faulty list is refused whole (400 invalid_input) naming every ' +
            'row at fault in `problems`. Immediate, like other reference data the depository keeps ' +
            '(parties, accounts): see docs/WEIGHT-LISTS.md.',
          querystring: Type.Object({ date: Type.Optional(IsoDate) }),
          response: { 200: RefinersImported, ...errorResponses(403, 413, 415) },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        const date = checkDate(request.query.date ?? today(), 'date');
        const lines = await withUploadedLines(request.body, firstLines);
        const result = await importRefiners(actingAs(context.ingot, user), { lines, date });
        if (!result.ok) return sendRefusal(reply, result);
        const { current, former, removed, unchanged } = result;
        return reply.code(200).send({ current, former, removed, unchanged });
      },
    );
  });
  app.get(
    '/refiners',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['refiners'],
        summary: 'the present Good Delivery List of refiners, current and former, by brand code',
        response: { 200: Type.Array(Refiner), ...errorResponses(403) },
      },
    },
    async () => listRefiners(context.ingot),
  );
}
