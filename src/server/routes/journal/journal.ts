// The journal over HTTP: every invariant of the books verified, the journal a page at a time, and
// the whole journal as hledger text. The journal names every metal account's movements and bars:
// read only by those cleared for it (src/service/correspondence/clearance.ts).
import { PassThrough } from 'node:stream';
import { Type } from 'typebox';
import { exportJournal } from '../../../service/journal/export.ts';
import { journalPage } from '../../../service/journal/pages.ts';
import { verifyStore } from '../../../service/journal/verify.ts';
import { PAGE_ROWS_DEFAULT } from '../../../service/kernel/paging.ts';
import { uncleared } from '../../access.ts';
import { userOf } from '../../auth.ts';
import type { Api, ServerContext } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import { errorResponses, JournalEntry, Page, PageQuery, Verification } from '../../schemas.ts';
import { wire } from '../../wire.ts';

const Hledger = Type.Unsafe<unknown>({ type: 'string', description: 'hledger journal text' });

/** Verifying the books and reading the journal, a page at a time. */
function registerBooks(app: Api, context: ServerContext): void {
  app.get(
    '/verify',
    {
      config: { permit: 'verify_books' },
      schema: {
        tags: ['reports'],
        summary: 'check every invariant of the books; an empty list of breaches means they are sound',
        response: {
          200: Verification,
          ...errorResponses(403),
        },
      },
    },
    async () => verifyStore(context.ingot),
  );
  app.get(
    '/journal',
    {
      config: { permit: 'read_books' },
      schema: {
        tags: ['reports'],
        summary: 'the journal, newest entry first, each with its postings',
        description:
          'Every account\u2019s movements, with memos that name bars: confidential, as every metal ' +
          'account\u2019s statement and a bar list are (403 not_cleared).',
        querystring: Type.Object(PageQuery),
        response: { 200: Page(JournalEntry), ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      const refused = await uncleared(context.ingot, userOf(request), 'journal');
      if (refused) return sendRefusal(reply, refused);
      return wire(
        await journalPage(context.ingot, {
          cursor: request.query.cursor,
          limit: request.query.limit ?? PAGE_ROWS_DEFAULT,
        }),
      );
    },
  );
}

/** The whole journal for hledger and ledger-cli, streamed. */
function registerJournalExport(app: Api, context: ServerContext): void {
  app.get(
    '/journal.hledger',
    {
      config: { permit: 'export_journal' },
      schema: {
        tags: ['reports'],
        summary: 'the whole journal as hledger/ledger-cli text, streamed (the depository\u2019s readers)',
        response: { 200: Hledger, ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      const refused = await uncleared(context.ingot, userOf(request), 'journal');
      if (refused) return sendRefusal(reply, refused);
      const stream = new PassThrough();
      reply.type('text/plain; charset=utf-8');
      reply.header('content-disposition', 'attachment; filename="ingot.journal"');
      const write = async (text: string) => {
        if (!stream.write(text)) await new Promise((resolve) => stream.once('drain', resolve));
      };
      exportJournal(context.ingot, write).then(
        () => stream.end(),
        (error: unknown) => stream.destroy(error instanceof Error ? error : new Error(String(error))),
      );
      return reply.send(stream);
    },
  );
}

export function registerJournal(app: Api, context: ServerContext): void {
  registerBooks(app, context);
  registerJournalExport(app, context);
}
