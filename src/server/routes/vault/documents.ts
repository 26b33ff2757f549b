// The documents of settled trades: the confirmation and the debit and credit advices, as JSON or
// as CSV (one line per document, its main figures in columns).
import { Type } from 'typebox';
import { quoteCsvField } from '../../../domain/barlist.ts';
import { listDocuments, type SettlementDocument } from '../../../service/vault/documents.ts';
import { partyScope, uncleared } from '../../access.ts';
import { userOf } from '../../auth.ts';
import type { Api, ServerContext } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import { CsvDownload, errorResponses, Identifier, Minor, Nullable } from '../../schemas.ts';
import { wire } from '../../wire.ts';

const Document = Type.Object({
  id: Minor,
  kind: Type.String(),
  trade_id: Nullable(Type.String()),
  entry_id: Nullable(Minor),
  party_id: Type.String(),
  created_at: Type.String(),
  body: Type.Record(Type.String(), Type.Unknown()),
});

const CSV_COLUMNS = [
  'id',
  'kind',
  'trade_id',
  'party_id',
  'value_date',
  'quantity_fine_milli_oz',
  'bars',
  'currency',
  'amount_minor',
  'price_minor_per_oz',
  'narrative',
] as const;

type Body = Record<string, unknown>;

function field(body: Body, key: string): string {
  const value = body[key];
  return typeof value === 'string' || typeof value === 'bigint' ? String(value) : '';
}

function nested(body: Body, key: string, inner: string): string {
  const value = body[key];
  return typeof value === 'object' && value !== null ? field(value as Body, inner) : '';
}

/** One CSV line of a document: its kind, value date and the figures it states. */
function csvLine(row: SettlementDocument): string {
  const { body } = row;
  const money = body.consideration ?? body.amount;
  const moneyBody = typeof money === 'object' && money !== null ? (money as Body) : {};
  const cells = [
    row.id.toString(),
    row.kind,
    row.trade_id ?? '',
    row.party_id,
    field(body, 'value_date'),
    field(body, 'quantity_fine_milli_oz'),
    field(body, 'bars'),
    field(moneyBody, 'currency'),
    field(moneyBody, 'minor'),
    nested(body, 'price', 'minor_per_oz'),
    field(body, 'narrative'),
  ];
  return `${cells.map(quoteCsvField).join(',')}\n`;
}

export function registerDocuments(app: Api, context: ServerContext): void {
  for (const format of ['json', 'csv'] as const) {
    app.get(
      format === 'json' ? '/documents' : '/documents.csv',
      {
        config: { permit: 'read' },
        schema: {
          tags: ['reports'],
          summary:
            format === 'json'
              ? 'trade confirmations and debit and credit advices addressed to you'
              : 'the same documents as CSV, for download',
          description:
            'Confirmations and advices are confidential in every form: given only to a user cleared for ' +
            'them (else 403 not_cleared).',
          querystring: Type.Object({ trade: Type.Optional(Identifier) }),
          response: {
            200: format === 'json' ? Type.Array(Document) : CsvDownload,
            ...errorResponses(403),
          },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        const refused = await uncleared(context.ingot, user, 'confirmation');
        if (refused) return sendRefusal(reply, refused);
        const party_id = partyScope(user);
        const documents = await listDocuments(context.ingot, { party_id, trade_id: request.query.trade });
        if (format === 'json') return documents.map((document) => wire(document));
        const lines = documents.map(csvLine);
        const text = `${CSV_COLUMNS.join(',')}\n${lines.join('')}`;
        reply.type('text/csv; charset=utf-8');
        reply.header(
          'content-disposition',
          `attachment; filename="documents${request.query.trade ? `-${request.query.trade}` : ''}.csv"`,
        );
        return reply.send(text);
      },
    );
  }
}
