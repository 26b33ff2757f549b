// Bar lists: imported as a CSV upload, read a page at a time, exported as a CSV stream.

import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { User } from '../../../domain/custody/controls.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { PAGE_ROWS_DEFAULT } from '../../../service/kernel/paging.ts';
import { streamInSnapshot } from '../../../service/kernel/snapshot.ts';
import { BAR_SORTS, type BarSort, barPage } from '../../../service/vault/bar-pages.ts';
import { barView } from '../../../service/vault/bar-view.ts';
import {
  barCount,
  barCountAtDate,
  barListAtDateCsvLines,
  barListCsvLines,
  describeImport,
} from '../../../service/vault/bars.ts';
import { csvRows, type SourceRow, xlsxRows } from '../../../service/vault/weight-list-sources.ts';
import { importWeightList } from '../../../service/vault/weight-lists.ts';
import { readableAccount, readableTradeBars } from '../../access.ts';
import { userOf } from '../../auth.ts';
import { checkDate, minor, today } from '../../checks.ts';
import { type Api, actingAs, type ServerContext, scopedKey, serviceKey } from '../../context.ts';
import { ApiError, sendRefusal, statusOf } from '../../errors.ts';
import {
  Bar,
  BarsImported,
  CsvDownload,
  errorResponses,
  IdempotencyHeaders,
  Identifier,
  ImportProgress,
  IsoDate,
  Page,
  PageQuery,
} from '../../schemas.ts';
import { acceptCsvStreams, withUploadedFile, withUploadedLines, XLSX_TYPE } from '../../uploads.ts';
import { wire } from '../../wire.ts';
import { yielding } from '../../yielding.ts';

/** What every form of a bar list says of who may read it. */
const CONFIDENTIAL =
  'A bar list is confidential in every form: given only to a user cleared for it (else 403 not_cleared).';

/** Rows per chunk of an exported CSV stream. */
const EXPORT_CHUNK_ROWS = 500;

/**
 * The header that tells a download how many rows of bars follow the CSV's header line, so a client
 * can show how far a long, streamed bar list has come (it has no Content-Length).
 */
export const ROW_COUNT_HEADER = 'x-row-count';

/**
 * A bar list's rows counted and read in one snapshot of the books: the count (for the row-count
 * header, undefined when only reading can tell) and then the CSV lines, so the header announces
 * exactly the rows that follow while settlements commit. The snapshot is let go when the lines
 * end or their stream is destroyed.
 */
async function countedLines(
  ingot: Ingot,
  count: (reading: Ingot) => Promise<number | undefined>,
  lines: (reading: Ingot) => AsyncIterable<string>,
): Promise<{ count: number | undefined; lines: AsyncGenerator<string> }> {
  type Item = { readonly count: number | undefined } | { readonly line: string };
  const items = streamInSnapshot(ingot, async function* (reading): AsyncGenerator<Item> {
    yield { count: await count(reading) };
    for await (const line of lines(reading)) yield { line };
  });
  const first = await items.next();
  const counted = first.done || !('count' in first.value) ? undefined : first.value.count;
  async function* rest(): AsyncGenerator<string> {
    for await (const item of items) if ('line' in item) yield item.line;
  }
  return { count: counted, lines: rest() };
}

/**
 * CSV lines as a stream of text, a chunk of rows at a time, letting other requests in every few
 * milliseconds (a vault's list of millions of bars takes seconds to read).
 */
function csvStream(source: AsyncIterable<string>): Readable {
  async function* lines(): AsyncGenerator<string> {
    let chunk = '';
    let rows = 0;
    for await (const line of yielding(source)) {
      chunk += `${line}\n`;
      rows += 1;
      if (rows % EXPORT_CHUNK_ROWS === 0) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk !== '') yield chunk;
  }
  return Readable.from(lines());
}

const ImportQuery = Type.Object({
  account: Identifier,
  date: Type.Optional(IsoDate),
  min_fineness: Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,5}$',
      description: 'contract minimum, parts per 10,000 (9950 = 995.0‰)',
    }),
  ),
  good_delivery: Type.Optional(Type.Boolean({ default: true })),
  source: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'names the file in the journal' }),
  ),
  refiners: Type.Optional(
    Type.Enum(['refuse', 'flag', 'off'], {
      description: 'a brand the refiners list does not vouch for (default: refuse once a list is imported)',
    }),
  ),
  sheet: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'the sheet of an .xlsx workbook to read' }),
  ),
});

function registerImport(app: Api, context: ServerContext): void {
  app.register(async (scope) => {
    const api = scope.withTypeProvider() as Api;
    acceptCsvStreams(api);
    api.post(
      '/bars/import',
      {
        config: { permit: 'receive_bars' },
        schema: {
          tags: ['bars'],
          summary:
            'receive the bars of a weight list (text/csv, or an .xlsx workbook) into a custody account: ' +
            'all rows or none',
          description:
            'CSV columns serial,refiner,year,gross_oz,fineness,fine_oz[,vault,location,bar_id]. A faulty ' +
            'list is refused whole (400 bar_list_invalid) naming every row at fault in `problems`.',
          headers: IdempotencyHeaders,
          querystring: ImportQuery,
          response: { 201: BarsImported, ...errorResponses(403, 404, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        const query = request.query;
        const date = checkDate(query.date ?? today(), 'date');
        const key = serviceKey(request, user);
        const length = Number.parseInt(request.headers['content-length'] ?? '', 10);
        const watch = context.imports.start(key, Number.isSafeInteger(length) ? length : null);
        let outcome: { status: number; code: string | null; message: string } = {
          status: 500,
          code: 'internal_error',
          message: 'the import stopped on an error',
        };
        try {
          const rowsOf = (rows: AsyncIterable<SourceRow>) =>
            importWeightList(actingAs(context.ingot, user), {
              account_id: query.account,
              rows,
              list: { mapping: null, year: null },
              rules: {
                minimum_fineness: minor(query.min_fineness ?? '9950'),
                good_delivery: query.good_delivery ?? true,
              },
              date,
              key,
              source: query.source ?? 'upload',
              on_progress: watch.wrote,
              ...(query.refiners ? { refiners: query.refiners } : {}),
            });
          // A workbook is an archive, read whole from its start; a CSV list line by line.
          const workbook = (request.headers['content-type'] ?? '').startsWith(XLSX_TYPE);
          const sheets = query.sheet ? [query.sheet] : null;
          const result = workbook
            ? await withUploadedFile(
                request.body,
                (path) => rowsOf(xlsxRows(createReadStream(path), sheets)),
                watch,
              )
            : await withUploadedLines(request.body, (lines) => rowsOf(csvRows(lines)), watch);
          if (!result.ok) {
            outcome = { status: statusOf(result.code), code: result.code, message: result.message };
            return sendRefusal(reply, result);
          }
          const { entry_id, bars, fine_milli_oz, replayed, flagged } = result;
          outcome = { status: 201, code: null, message: describeImport(bars, fine_milli_oz, query.account) };
          return reply.code(201).send({ ...wire({ entry_id, fine_milli_oz }), bars, replayed, flagged });
        } catch (error) {
          if (error instanceof ApiError)
            outcome = { status: statusOf(error.code), code: error.code, message: error.message };
          throw error;
        } finally {
          watch.finish(outcome);
        }
      },
    );
  });
  registerImportProgress(app, context);
}

function registerImportProgress(app: Api, context: ServerContext): void {
  app.get(
    '/bars/import/progress',
    {
      config: { permit: 'receive_bars' },
      schema: {
        tags: ['bars'],
        summary: 'how far an import under an Idempotency-Key has come: bytes received, rows written, outcome',
        description:
          'Readable while the import runs and for ten minutes after, on the server that runs it, by the ' +
          'bank that sent it.',
        querystring: Type.Object({ key: IdempotencyHeaders.properties['idempotency-key'] }),
        response: { 200: ImportProgress, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const progress = context.imports.get(scopedKey(userOf(request), request.query.key));
      if (!progress) {
        return sendRefusal(reply, {
          code: 'import_not_found',
          message: `no import under key ${request.query.key} is known here`,
          field: 'key',
        });
      }
      return progress;
    },
  );
}

const BarQuery = Type.Object({
  ...PageQuery,
  search: Type.Optional(
    Type.String({ minLength: 1, maxLength: 40, description: 'serial number start, or refiner' }),
  ),
  refiner: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  min_fineness: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$', description: 'parts per 10,000' })),
  year: Type.Optional(Type.Integer({ minimum: 1000, maximum: 9999 })),
  state: Type.Optional(Type.Enum(['held', 'reserved'])),
  sort: Type.Optional(Type.Enum(Object.keys(BAR_SORTS) as BarSort[])),
  order: Type.Optional(Type.Enum(['asc', 'desc'])),
  offset: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'rows to skip: a jump, without a cursor' }),
  ),
});

/** An account's bar list, in any form: visible to the user's party, and the user cleared for it. */
async function readableBars(context: ServerContext, user: User, account_id: string) {
  return readableAccount(context.ingot, user, await context.depository(), { account_id, kind: 'barlist' });
}

function registerBarLists(app: Api, context: ServerContext): void {
  app.get(
    '/accounts/:id/bars',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['bars'],
        summary: 'the bars an account holds, a page at a time: search, filter, sort',
        description: CONFIDENTIAL,
        params: Type.Object({ id: Identifier }),
        querystring: BarQuery,
        response: { 200: Page(Bar), ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const refused = await readableBars(context, userOf(request), request.params.id);
      if (refused) return sendRefusal(reply, refused);
      const q = request.query;
      const page = await barPage(context.ingot, {
        account_id: request.params.id,
        search: q.search,
        refiner: q.refiner,
        min_fineness: q.min_fineness === undefined ? undefined : minor(q.min_fineness),
        year: q.year,
        state: q.state,
        sort: q.sort ?? 'custody',
        descending: q.order === 'desc',
        cursor: q.cursor,
        offset: q.offset,
        limit: q.limit ?? PAGE_ROWS_DEFAULT,
      });
      return { ...page, items: page.items.map((row) => wire(barView(row))) };
    },
  );
}

function registerBarDownloads(app: Api, context: ServerContext): void {
  app.get(
    '/accounts/:id/bars.csv',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['bars'],
        summary: 'the whole bar list of an account as CSV, streamed; with a date, the bars held at its end',
        description:
          'Columns serial,refiner,year,gross_oz,fineness,fine_oz,vault,location,bar_id: weights in troy ' +
          'ounces to three decimals and fineness in per mille, the LBMA weight list that /bars/import ' +
          'reads, one form for people and programs alike. Without `date` the bars held now; with it, ' +
          'those held at the end of that value date, as the statement and the printed bar list of the ' +
          `date hold them. The x-row-count header says how many bar rows follow the header line (for a ` +
          `date before the last in the books it is left out: those bars are counted as they are read). ${CONFIDENTIAL}`,
        params: Type.Object({ id: Identifier }),
        querystring: Type.Object({ date: Type.Optional(IsoDate) }),
        response: { 200: CsvDownload, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const refused = await readableBars(context, userOf(request), request.params.id);
      if (refused) return sendRefusal(reply, refused);
      const id = request.params.id;
      const date = request.query.date === undefined ? undefined : checkDate(request.query.date, 'date');
      const { count, lines } = await countedLines(
        context.ingot,
        (reading) =>
          date === undefined
            ? barCount(reading, { owner_account_id: id })
            : barCountAtDate(reading, id, date),
        (reading) =>
          date === undefined
            ? barListCsvLines(reading, { owner_account_id: id })
            : barListAtDateCsvLines(reading, id, date),
      );
      reply.type('text/csv; charset=utf-8');
      reply.header(
        'content-disposition',
        `attachment; filename="${id}-bars${date === undefined ? '' : `-${date}`}.csv"`,
      );
      if (count !== undefined) reply.header(ROW_COUNT_HEADER, String(count));
      return reply.send(csvStream(lines));
    },
  );
  app.get(
    '/trades/:id/bars.csv',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['bars'],
        summary: 'the bar list allocated to a trade, as CSV',
        description: `The x-row-count header says how many bar rows follow the header line. ${CONFIDENTIAL}`,
        params: Type.Object({ id: Identifier }),
        response: { 200: CsvDownload, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const refused = await readableTradeBars(context.ingot, userOf(request), request.params.id);
      if (refused) return sendRefusal(reply, refused);
      const trade_id = request.params.id;
      const { count, lines } = await countedLines(
        context.ingot,
        (reading) => barCount(reading, { trade_id }),
        (reading) => barListCsvLines(reading, { trade_id }),
      );
      reply.type('text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${trade_id}-bars.csv"`);
      reply.header(ROW_COUNT_HEADER, String(count));
      return reply.send(csvStream(lines));
    },
  );
}

export function registerBars(app: Api, context: ServerContext): void {
  registerImport(app, context);
  registerBarLists(app, context);
  registerBarDownloads(app, context);
}
