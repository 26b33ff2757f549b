// Correspondence and documents over HTTP: the register of messages (a client bank sees those
// exchanged with it; opening one needs a clearance and is logged, as is a refusal), the journal
// exported for hledger (streamed, for the depository's readers), and the bar list, statement and
// trade confirmation as PDF, each a numbered copy printed for a cleared user. A bank's users
// write letters (MT699) into the outbox, signed and sealed with the bank's keys.
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyReply } from 'fastify';
import { type Static, type TSchema, Type } from 'typebox';
import { refuseCorrespondence } from '../../../domain/correspondence/refusal.ts';
import type { User } from '../../../domain/custody/controls.ts';
import type { Refusal } from '../../../domain/outcome.ts';
import { writeLetter } from '../../../service/correspondence/letters.ts';
import { type BookDocument, printFromBooks } from '../../../service/correspondence/printable.ts';
import { messageCorrespondent, registerEntries } from '../../../service/correspondence/queries.ts';
import { MESSAGE_STATES, openRegistered } from '../../../service/correspondence/register.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { partyScope, visibleAccount, visibleTrade } from '../../access.ts';
import { userOf } from '../../auth.ts';
import { checkDate, today } from '../../checks.ts';
import { type Api, actingAs, type ServerContext } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import {
  errorResponses,
  Identifier,
  IsoDate,
  LetterBody,
  LetterOpened,
  LetterQueued,
  RegisterEntry,
} from '../../schemas.ts';
import { wire } from '../../wire.ts';
import { registerBarListPdf } from './bars-pdf.ts';

const Binary = Type.Unsafe<unknown>({ type: 'string', format: 'binary' });
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
      const { direction, state } = request.query;
      const correspondent = correspondentScope(userOf(request));
      return wire(await registerEntries(context.ingot, { correspondent, direction, state }));
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
        response: { 200: LetterOpened, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const id = BigInt(request.params.id);
      const scope = correspondentScope(user);
      const correspondent = await messageCorrespondent(context.ingot, id);
      if (correspondent === undefined || (scope !== undefined && correspondent !== scope)) {
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

/**
 * The environment variable holding the passphrase of the bank's private keys, as for `ingot send`:
 * without it the server reads and opens letters but cannot sign one.
 */
const KEY_PASSPHRASE_VARIABLE = 'INGOT_KEY_PASSPHRASE';

function registerLetters(app: Api, context: ServerContext): void {
  app.post(
    '/correspondence/letters',
    {
      config: { permit: 'send_letter' },
      schema: {
        tags: ['correspondence'],
        summary: 'write a letter (MT699) to a correspondent: registered, signed and sealed into the outbox',
        description:
          'The depository writes to a client bank, a client bank to the depository, each at its own ' +
          'Ingot, at a classification the writer is cleared for; the bank’s sync delivers it. ' +
          'An Idempotency-Key, if given, writes the letter once however often it is sent.',
        body: LetterBody,
        response: { 202: LetterQueued, ...errorResponses(403, 409, 422) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const key = request.headers['idempotency-key'];
      const written = await writeLetter(
        actingAs(context.ingot, user),
        context.keyPassphrase ?? process.env[KEY_PASSPHRASE_VARIABLE],
        {
          ...request.body,
          date: request.body.date ? checkDate(request.body.date, 'date') : today(),
          by_user_id: user.id,
          by_party_id: user.party_id,
          key: typeof key === 'string' && key !== '' ? key : null,
        },
      );
      if (!written.ok) return sendRefusal(reply, written);
      const { ok: _ok, ...letter } = written;
      return reply.code(202).send(wire(letter));
    },
  );
}

/** What a PDF route asks for: the document from the books and the file name it downloads as. */
type PdfRequest = Refusal | { readonly ok: true; readonly document: BookDocument; readonly name: string };

/**
 * Prints the document for the user into a scratch file and sends it whole: its length lets a
 * download show its progress. The scratch file goes once it is sent, or at once on a refusal.
 */
async function sendPdf(ingot: Ingot, user: User, asked: PdfRequest, reply: FastifyReply) {
  if (!asked.ok) return sendRefusal(reply, asked);
  const dir = mkdtempSync(join(tmpdir(), 'ingot-pdf-'));
  const path = join(dir, 'document.pdf');
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const order = { document: asked.document, classification: 'confidential' as const, user_id: user.id };
  const printed = await printFromBooks(ingot, order, path).catch((error: unknown) => {
    removeDir();
    throw error;
  });
  if (!printed.ok) {
    removeDir();
    return sendRefusal(reply, printed);
  }
  reply.type('application/pdf');
  reply.header('content-disposition', `attachment; filename="${asked.name}"`);
  reply.header('content-length', statSync(path).size);
  const stream = createReadStream(path);
  stream.on('close', removeDir);
  return reply.send(stream);
}

function registerPdfs(app: Api, context: ServerContext): void {
  const pdfRoute = <Query extends TSchema>(
    url: string,
    summary: string,
    querystring: Query,
    ask: (ingot: Ingot, user: User, id: string, query: Static<Query>) => Promise<PdfRequest>,
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
        const ingot = actingAs(context.ingot, user);
        const { id } = request.params as { id: string };
        const asked = await ask(ingot, user, id, request.query as Static<Query>);
        return sendPdf(ingot, user, asked, reply);
      },
    );
  const visible = async (ingot: Ingot, user: User, account: string) =>
    visibleAccount(ingot, user, await context.depository(), account, 'id');
  pdfRoute(
    '/accounts/:id/statement.pdf',
    'the statement of a custody account over a period, as PDF',
    Type.Object({ from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) }),
    async (ingot, user, id, query) => {
      const hidden = await visible(ingot, user, id);
      if (hidden) return hidden;
      const to = query.to ? checkDate(query.to, 'to') : today();
      const from = query.from ? checkDate(query.from, 'from') : to;
      const document = { kind: 'statement', account_id: id, from, to } as const;
      return { ok: true, document, name: `statement-${id}.pdf` };
    },
  );
  pdfRoute(
    '/trades/:id/confirmation.pdf',
    'the confirmation of a settled trade, as PDF',
    Type.Object({}),
    async (ingot, user, id) => {
      const hidden = await visibleTrade(ingot, user, id);
      if (hidden) return hidden;
      return { ok: true, document: { kind: 'confirmation', trade_id: id }, name: `confirmation-${id}.pdf` };
    },
  );
}

export function registerCorrespondence(app: Api, context: ServerContext): void {
  registerRegister(app, context);
  registerLetters(app, context);
  registerPdfs(app, context);
  // The bar list, of any length, is printed as it is read (./bars-pdf.ts).
  registerBarListPdf(app, context, context.limits);
}
