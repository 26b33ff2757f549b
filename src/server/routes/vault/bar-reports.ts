// Bar-level reports over HTTP (docs/BAR-REPORTING.md): GET /reports/holdings and /reports/events,
// for the depository's staff, as CSV, JSON Lines or a JSON array, streamed a line at a time as
// the books are read (one snapshot of them), never gathered.
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { BarReportFormat } from '../../../domain/bar-report.ts';
import { type BarReportTally, eventLines, holdingsLines } from '../../../service/vault/bar-report.ts';
import { uncleared } from '../../access.ts';
import { userOf } from '../../auth.ts';
import { checkDate, today } from '../../checks.ts';
import type { Api, ServerContext } from '../../context.ts';
import { ApiError, sendRefusal } from '../../errors.ts';
import { CsvDownload, errorResponses, IsoDate } from '../../schemas.ts';
import { yielding } from '../../yielding.ts';

const Format = Type.Optional(
  Type.Enum(['csv', 'jsonl', 'json'], {
    description:
      'csv (the default, a header line first), jsonl (one JSON object a line) or json (one array of ' +
      'those objects); every value a string',
  }),
);
type Wanted = 'csv' | 'jsonl' | 'json';

const CONTENT_TYPES: Record<Wanted, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** The lines as the body: each ended by a line feed, or for json the objects as one array. */
async function* body(lines: AsyncIterable<string>, wanted: Wanted): AsyncGenerator<string> {
  if (wanted !== 'json') {
    for await (const line of lines) yield `${line}\n`;
    return;
  }
  let first = true;
  yield '[';
  for await (const line of lines) {
    yield first ? `\n${line}` : `,\n${line}`;
    first = false;
  }
  yield '\n]\n';
}

function lineFormat(wanted: Wanted): BarReportFormat {
  return wanted === 'csv' ? 'csv' : 'jsonl';
}

/** Registers the bar-level report routes. */
export function registerBarReports(app: Api, context: ServerContext): void {
  const description =
    'Streamed as it is read, in bounded memory. For the depository’s staff only, cleared for a bar ' +
    'list: each line names a bar (403 not_cleared otherwise). A holdings report ' +
    'whose bars do not add up to the custody accounts’ balances breaks off unfinished (the books are ' +
    'unsound: run /verify); a whole answer ends with its last record.';
  app.get(
    '/reports/holdings',
    {
      config: { permit: 'read_books' },
      schema: {
        tags: ['reports'],
        summary: 'every bar in custody at the end of a date, keyed by the five identifiers (GBI layout)',
        description,
        querystring: Type.Object({ date: Type.Optional(IsoDate), format: Format }),
        response: { 200: CsvDownload, ...errorResponses(400, 403) },
      },
    },
    async (request, reply) => {
      const refused = await uncleared(context.ingot, userOf(request), 'barlist');
      if (refused) return sendRefusal(reply, refused);
      const date = checkDate(request.query.date ?? today(), 'date');
      const wanted = request.query.format ?? 'csv';
      const tally: BarReportTally = { records: 0, fine_milli_oz: 0n };
      const lines = holdingsLines(context.ingot, date, lineFormat(wanted), tally);
      reply.type(CONTENT_TYPES[wanted]);
      reply.header('content-disposition', `attachment; filename="holdings-${date}.${wanted}"`);
      return Readable.from(yielding(body(lines, wanted)));
    },
  );
  app.get(
    '/reports/events',
    {
      config: { permit: 'read_books' },
      schema: {
        tags: ['reports'],
        summary: 'every bar received, sold, released, shipped or returned in a period, in entry order',
        description,
        querystring: Type.Object({ from: IsoDate, to: Type.Optional(IsoDate), format: Format }),
        response: { 200: CsvDownload, ...errorResponses(400, 403) },
      },
    },
    async (request, reply) => {
      const refused = await uncleared(context.ingot, userOf(request), 'barlist');
      if (refused) return sendRefusal(reply, refused);
      const to = checkDate(request.query.to ?? today(), 'to');
      const from = checkDate(request.query.from, 'from');
      if (from > to) throw new ApiError('invalid_input', `from ${from} is after to ${to}`, 'from');
      const wanted = request.query.format ?? 'csv';
      const tally: BarReportTally = { records: 0, fine_milli_oz: 0n };
      const lines = eventLines(context.ingot, { from, to }, lineFormat(wanted), tally);
      reply.type(CONTENT_TYPES[wanted]);
      reply.header('content-disposition', `attachment; filename="events-${from}-${to}.${wanted}"`);
      return Readable.from(yielding(body(lines, wanted)));
    },
  );
}
