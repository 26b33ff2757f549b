// Statements of accounts (JSON and CSV), the verification of the books, reconciliation of a count,
// and the journal.
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { quoteCsvField } from '../../../domain/barlist.ts';
import { personAmount, unitNamed } from '../../../domain/person-units.ts';
import { reconcile } from '../../../service/vault/reconcile.ts';
import { type Statement as StatementMade, statement } from '../../../service/vault/statement.ts';
import { statementJson } from '../../../service/vault/statement-json.ts';
import { readableAccount, uncleared } from '../../access.ts';
import { userOf } from '../../auth.ts';
import { checkDate, today } from '../../checks.ts';
import type { Api, ServerContext } from '../../context.ts';
import { ApiError, sendRefusal } from '../../errors.ts';
import {
  CsvDownload,
  errorResponses,
  Identifier,
  IsoDate,
  Reconciliation,
  Statement,
} from '../../schemas.ts';
import { acceptCsvStreams, withUploadedLines } from '../../uploads.ts';
import { wire } from '../../wire.ts';
import { yielding } from '../../yielding.ts';

const StatementQuery = Type.Object({
  from: Type.Optional(IsoDate),
  to: Type.Optional(IsoDate),
  bars: Type.Optional(
    Type.Boolean({ default: true, description: 'include the bar list (custody accounts)' }),
  ),
  units: Type.Optional(
    Type.Enum(['minor', 'person'], {
      description:
        'CSV only: minor (the default, for programs) gives amounts as decimal strings of the minor ' +
        'unit with a unit column; person gives fine ounces to three decimals, sterling as £sd before ' +
        '15 February 1971 and in decimal pounds after, the unit named in the header',
    }),
  ),
});

// The statement's schema is the shared one; re-exported for test/api/statement.test.ts, which
// imports it from here.
export { Statement };

/** The statement's dates: `to` defaults to today, `from` to `to`. */
function period(query: { from?: string | undefined; to?: string | undefined }) {
  const to = checkDate(query.to ?? today(), 'to');
  const from = checkDate(query.from ?? to, 'from');
  if (from > to) throw new ApiError('invalid_input', `from ${from} is after to ${to}`, 'from');
  return { from, to };
}

function csvRow(cells: readonly (string | bigint)[]): string {
  return `${cells.map((cell) => quoteCsvField(String(cell))).join(',')}\n`;
}

/**
 * A text of pieces, whole when it is one piece (most statements: sent with its length, and a
 * failure is an ordinary error answer), else streamed as it is made: a vault's bar list is
 * written as it is read, never gathered, and a failure then breaks the answer off unfinished.
 */
async function wholeOrStreamed(pieces: AsyncGenerator<string>): Promise<string | Readable> {
  const first = await pieces.next();
  if (first.done) return '';
  const second = await pieces.next();
  if (second.done) return first.value;
  async function* all(): AsyncGenerator<string> {
    yield first.value;
    yield second.value;
    yield* pieces;
  }
  // A statement of millions of bars takes seconds to write: other requests are let in meanwhile.
  return Readable.from(yielding(all()));
}

/** A statement as CSV for programs: amounts as decimal strings of the minor unit, a unit column. */
function statementCsvForPrograms(st: StatementMade): string {
  let text = csvRow(['value_date', 'entry_id', 'kind', 'memo', 'amount', 'balance', 'unit']);
  text += csvRow([st.from, '', 'opening', 'opening balance', '', st.opening, st.account.unit]);
  for (const l of st.lines)
    text += csvRow([l.value_date, l.entry_id, l.kind, l.memo, l.amount, l.balance, st.account.unit]);
  text += csvRow([st.to, '', 'closing', 'closing balance', '', st.closing, st.account.unit]);
  return text;
}

/**
 * A statement as CSV for people: the amounts in the unit named in the header, each written as its
 * value date wrote it, by the core's formatters (never through floating point).
 */
function statementCsvForPeople(st: StatementMade): string {
  const unit = st.account.unit;
  const named = unitNamed(unit, st.from, st.to);
  const show = (minor: bigint, date: string) => personAmount(unit, minor, date);
  let text = csvRow(['value_date', 'entry_id', 'kind', 'memo', `amount (${named})`, `balance (${named})`]);
  text += csvRow([st.from, '', 'opening', 'opening balance', '', show(st.opening, st.from)]);
  for (const l of st.lines)
    text += csvRow([
      l.value_date,
      l.entry_id,
      l.kind,
      l.memo,
      show(l.amount, l.value_date),
      show(l.balance, l.value_date),
    ]);
  text += csvRow([st.to, '', 'closing', 'closing balance', '', show(st.closing, st.to)]);
  return text;
}

function registerStatements(app: Api, context: ServerContext): void {
  for (const format of ['json', 'csv'] as const) {
    app.get(
      format === 'json' ? '/accounts/:id/statement' : '/accounts/:id/statement.csv',
      {
        config: { permit: 'read' },
        schema: {
          tags: ['reports'],
          summary:
            format === 'json'
              ? 'statement: opening balance, movements by value date, closing balance, bar list (streamed)'
              : 'statement as CSV: one line per movement, opening and closing lines',
          description:
            'The statement of a metal account is confidential in every form: given only to a user cleared ' +
            'for it (else 403 not_cleared). A cash account\u2019s statement is not classified.',
          params: Type.Object({ id: Identifier }),
          querystring: StatementQuery,
          response: {
            200: format === 'json' ? Statement : CsvDownload,
            ...errorResponses(403, 404),
          },
        },
      },
      async (request, reply) => {
        const refused = await readableAccount(context.ingot, userOf(request), await context.depository(), {
          account_id: request.params.id,
          kind: 'statement',
        });
        if (refused) return sendRefusal(reply, refused);
        const { from, to } = period(request.query);
        const made = await statement(context.ingot, { account_id: request.params.id, from, to });
        if (!made.ok) return sendRefusal(reply, made);
        const st = made.statement;
        if (format === 'json') {
          const with_bars = request.query.bars !== false;
          const text = statementJson(context.ingot, st, { indent: 0, with_bars });
          reply.type('application/json; charset=utf-8');
          return reply.send(await wholeOrStreamed(text));
        }
        const text = (request.query.units === 'person' ? statementCsvForPeople : statementCsvForPrograms)(st);
        reply.type('text/csv; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="${st.account.id}-${from}-${to}.csv"`);
        return reply.send(text);
      },
    );
  }
}

function registerReconcile(app: Api, context: ServerContext): void {
  app.register(async (scope) => {
    const api = scope.withTypeProvider() as Api;
    acceptCsvStreams(api);
    api.post(
      '/reconcile',
      {
        config: { permit: 'verify_books' },
        schema: {
          tags: ['reports'],
          summary: 'compare a physical count of the vault (a bar list, text/csv) with the books',
          description:
            'The answer names the bars missing, unexpected and differing: confidential, as a bar ' +
            'list (403 not_cleared, before the count is read).',
          querystring: Type.Object({
            account: Type.Optional(Identifier),
            record: Type.Optional(
              Type.Boolean({
                description: 'record the count in the books (needs date); bar histories show it',
              }),
            ),
            date: Type.Optional(IsoDate),
            name: Type.Optional(
              Type.String({ minLength: 1, maxLength: 200, description: "the count's name" }),
            ),
          }),
          response: { 200: Reconciliation, ...errorResponses(403, 404, 415, 422) },
        },
      },
      async (request, reply) => {
        const { account, record, date, name } = request.query;
        if (record && !date) throw new ApiError('invalid_input', 'record needs date=YYYY-MM-DD', 'date');
        const refused = await uncleared(context.ingot, userOf(request), 'barlist');
        if (refused) return sendRefusal(reply, refused);
        const ingot = { ...context.ingot, user: userOf(request).id };
        const recording = record && date ? { record: { date, source: name ?? `count of ${date}` } } : {};
        const done = await withUploadedLines(request.body, (lines) =>
          reconcile(ingot, { lines, ...(account ? { account_id: account } : {}), ...recording }),
        );
        if (!done.ok) return sendRefusal(reply, done);
        return wire(done.reconciliation);
      },
    );
  });
}

export function registerReports(app: Api, context: ServerContext): void {
  registerStatements(app, context);
  registerReconcile(app, context);
}
