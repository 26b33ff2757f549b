// Correspondence and documents over HTTP: the register of messages (a client bank sees those
// exchanged with it; opening one needs a clearance and is logged, as is a refusal), the journal
// exported for hledger (streamed, for the depository's readers), and the bar list, statement and
// trade confirmation as PDF, each a numbered copy printed for a cleared user.
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Type } from 'typebox';
import type { DocumentHeader } from '../../../documents/pdf.ts';
import type { Classification } from '../../../domain/correspondence/classification.ts';
import { type CorrespondenceOutcome, refuseCorrespondence } from '../../../domain/correspondence/refusal.ts';
import type { User } from '../../../domain/custody/controls.ts';
import type { Message } from '../../../domain/messages/index.ts';
import {
  barListOutgoing,
  settlementOutgoing,
  statementOutgoing,
} from '../../../service/correspondence/compose-books.ts';
import type { Outgoing } from '../../../service/correspondence/outbox.ts';
import { MESSAGE_STATES, openRegistered, printBookCopy } from '../../../service/correspondence/register.ts';
import { exportJournal } from '../../../service/journal/export.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { partyScope, visibleAccount, visibleTrade } from '../../access.ts';
import { userOf } from '../../auth.ts';
import { checkDate, today } from '../../checks.ts';
import { type Api, actingAs, type ServerContext } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import { errorResponses, Identifier, IsoDate, Minor, Nullable } from '../../schemas.ts';
import { wire } from '../../wire.ts';

const RegisterEntry = Type.Object({
  id: Minor,
  direction: Type.String({ description: 'in or out' }),
  correspondent: Type.String(),
  number: Minor,
  registered_at: Type.String(),
  date: Type.String(),
  classification: Type.String(),
  copies: Minor,
  subject: Type.String(),
  message_type: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  state: Type.String(),
  linked: Nullable(Type.String()),
});
const ENTRY_COLUMNS = [
  'id',
  'direction',
  'correspondent',
  'number',
  'registered_at',
  'date',
  'classification',
  'copies',
  'subject',
  'message_type',
  'reference',
  'state',
  'linked',
] as const;

const Binary = Type.Unsafe<unknown>({ type: 'string', format: 'binary' });
const Hledger = Type.Unsafe<unknown>({ type: 'string', description: 'hledger journal text' });

/** A client user sees the messages exchanged with its own bank; the depository's staff see all. */
function correspondentScope(user: User): string | undefined {
  return partyScope(user);
}

function registerRegister(app: Api, context: ServerContext): void {
  app.get(
    '/correspondence',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['correspondence'],
        summary: 'the register of messages, newest last (a client bank: those exchanged with it)',
        querystring: Type.Object({
          direction: Type.Optional(Type.Enum(['in', 'out'])),
          state: Type.Optional(Type.Enum([...MESSAGE_STATES])),
        }),
        response: { 200: Type.Array(RegisterEntry), ...errorResponses() },
      },
    },
    async (request) => {
      const scope = correspondentScope(userOf(request));
      let query = context.ingot.store.db.selectFrom('messages').select(ENTRY_COLUMNS).orderBy('id');
      if (scope !== undefined) query = query.where('correspondent', '=', scope);
      if (request.query.direction) query = query.where('direction', '=', request.query.direction);
      if (request.query.state) query = query.where('state', '=', request.query.state);
      return wire(await query.execute());
    },
  );
  app.post(
    '/correspondence/:id/open',
    {
      config: { permit: 'read' },
      schema: {
        tags: ['correspondence'],
        summary: 'open a message: its text, for a user cleared for its classification; the read is logged',
        params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) }),
        response: {
          200: Type.Object({ entry: RegisterEntry, text: Nullable(Type.String()) }),
          ...errorResponses(403, 404),
        },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const id = BigInt(request.params.id);
      const scope = correspondentScope(user);
      const row = await context.ingot.store.db
        .selectFrom('messages')
        .select('correspondent')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row || (scope !== undefined && row.correspondent !== scope)) {
        return sendRefusal(
          reply,
          refuseCorrespondence('message_not_found', `no message #${id} is visible to you`, 'id'),
        );
      }
      const opened = await openRegistered(actingAs(context.ingot, user), {
        id,
        user_id: user.id,
        action: 'open',
      });
      if (!opened.ok) return sendRefusal(reply, opened);
      const { text, envelope: _envelope, ...entry } = opened.message;
      return wire({ entry, text });
    },
  );
}

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
    async (_request, reply) => {
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

async function partyName(ingot: Ingot, id: string): Promise<string> {
  const row = await ingot.store.db
    .selectFrom('parties')
    .select('name')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.name ?? id;
}

const TITLES: Record<string, string> = {
  'INGOT-BARLIST': 'Bar list',
  MT608: 'Statement of metal account',
  MT600: 'Trade confirmation',
};

/** Prints one document from the books as a PDF file for a cleared user, and streams it. */
async function printPdf(
  ingot: Ingot,
  user: User,
  made: CorrespondenceOutcome<{ outgoing: Outgoing[] }>,
  type: 'INGOT-BARLIST' | 'MT608' | 'MT600',
  account: string,
): Promise<CorrespondenceOutcome<{ path: string; dir: string; name: string }>> {
  if (!made.ok) return made;
  const outgoing = made.outgoing.find((item) => item.message.type === type);
  if (!outgoing) {
    return refuseCorrespondence('document_not_available', `no ${TITLES[type]} can be made from the books`);
  }
  const classification: Classification = outgoing.classification;
  const copy = await printBookCopy(ingot, {
    document: outgoing.origin ?? outgoing.subject,
    classification,
    user_id: user.id,
  });
  if (!copy.ok) return copy;
  const message: Message = outgoing.message;
  const depository = await ingot.store.db
    .selectFrom('parties')
    .select('id')
    .where('role', '=', 'depository')
    .executeTakeFirst();
  const header: DocumentHeader = {
    title: TITLES[type] ?? type,
    classification,
    copy_number: copy.copy_number,
    from: await partyName(ingot, depository?.id ?? ''),
    to: await partyName(ingot, outgoing.to),
    account,
    date: outgoing.date,
    reference: message.reference,
    related: null,
  };
  const dir = mkdtempSync(join(tmpdir(), 'ingot-pdf-'));
  const path = join(dir, 'document.pdf');
  const pdf = await import('../../../documents/pdf.ts');
  if (message.type === 'INGOT-BARLIST') await pdf.writeBarListPdf(header, message, path);
  else if (message.type === 'MT608') await pdf.writeStatementPdf(header, message, path);
  else if (message.type === 'MT600') await pdf.writeConfirmationPdf(header, message, path);
  const kind = type === 'MT600' ? 'confirmation' : type === 'MT608' ? 'statement' : 'bars';
  const name = `${kind}-${account}.pdf`;
  return { ok: true, path, dir, name };
}

function registerPdfs(app: Api, context: ServerContext): void {
  const pdfRoute = (
    url: string,
    summary: string,
    querystring: ReturnType<typeof Type.Object>,
    make: (
      ingot: Ingot,
      user: User,
      params: Record<string, string>,
    ) => Promise<
      | CorrespondenceOutcome<{ path: string; dir: string; name: string }>
      | { ok: false; code: string; message: string }
    >,
  ) =>
    app.get(
      url,
      {
        config: { permit: 'read' },
        schema: {
          tags: ['reports'],
          summary,
          description:
            'A numbered copy, printed only for a user cleared for its classification (confidential).',
          params: Type.Object({ id: Identifier }),
          querystring,
          response: { 200: Binary, ...errorResponses(403, 404, 422) },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        const params = {
          ...(request.query as Record<string, string>),
          ...(request.params as { id: string }),
        };
        const made = await make(actingAs(context.ingot, user), user, params);
        if (!made.ok) return sendRefusal(reply, made);
        reply.type('application/pdf');
        reply.header('content-disposition', `attachment; filename="${made.name}"`);
        // The file is whole before it is sent: its length lets a download show its progress.
        reply.header('content-length', statSync(made.path).size);
        const stream = createReadStream(made.path);
        stream.on('close', () => rmSync(made.dir, { recursive: true, force: true }));
        return reply.send(stream);
      },
    );
  pdfRoute(
    '/accounts/:id/bars.pdf',
    'the bar list of a custody account at a date, as PDF',
    Type.Object({ date: Type.Optional(IsoDate) }),
    async (ingot, user, params) => {
      const hidden = await visibleAccount(ingot, user, await context.depository(), params.id ?? '', 'id');
      if (hidden) return hidden;
      const date = params.date ? checkDate(params.date, 'date') : today();
      const made = await barListOutgoing(ingot, {
        account_id: params.id ?? '',
        date,
        classification: 'confidential',
      });
      return printPdf(ingot, user, made, 'INGOT-BARLIST', params.id ?? '');
    },
  );
  pdfRoute(
    '/accounts/:id/statement.pdf',
    'the statement of a custody account over a period, as PDF',
    Type.Object({ from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) }),
    async (ingot, user, params) => {
      const hidden = await visibleAccount(ingot, user, await context.depository(), params.id ?? '', 'id');
      if (hidden) return hidden;
      const to = params.to ? checkDate(params.to, 'to') : today();
      const from = params.from ? checkDate(params.from, 'from') : to;
      const made = await statementOutgoing(ingot, {
        account_id: params.id ?? '',
        from,
        to,
        classification: 'confidential',
      });
      return printPdf(ingot, user, made, 'MT608', params.id ?? '');
    },
  );
  pdfRoute(
    '/trades/:id/confirmation.pdf',
    'the confirmation of a settled trade, as PDF',
    Type.Object({}),
    async (ingot, user, params) => {
      const hidden = await visibleTrade(ingot, user, params.id ?? '');
      if (hidden) return hidden;
      const made = await settlementOutgoing(ingot.store.db, params.id ?? '', 'confidential');
      return printPdf(ingot, user, made, 'MT600', params.id ?? '');
    },
  );
}

export function registerCorrespondence(app: Api, context: ServerContext): void {
  registerRegister(app, context);
  registerJournalExport(app, context);
  registerPdfs(app, context);
}
