// The documents of settled trades: the confirmation and the debit and credit advices, as JSON or
// as CSV (one line per document, its main figures in columns).
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { quoteCsvField } from '../../../domain/barlist.ts';
import { personAmount } from '../../../domain/person-units.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import {
  type DocumentFilter,
  documentsWhere,
  listDocuments,
  type SettlementDocument,
} from '../../../service/vault/documents.ts';
import { partyScope, uncleared } from '../../access.ts';
import { userOf } from '../../auth.ts';
import type { Api, ServerContext } from '../../context.ts';
import { sendRefusal } from '../../errors.ts';
import { CsvDownload, errorResponses, Identifier, Minor, Nullable } from '../../schemas.ts';
import { wire } from '../../wire.ts';
import { yielding } from '../../yielding.ts';

const Document = Type.Object({
  id: Minor,
  kind: Type.String(),
  trade_id: Nullable(Type.String()),
  entry_id: Nullable(Minor),
  party_id: Type.String(),
  created_at: Type.String(),
  body: Type.Record(Type.String(), Type.Unknown()),
});

/** For programs: figures in minor units, the unit in its own column. */
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

/** For people: fine ounces to three decimals, money as its value date wrote it (£sd before 1971). */
const CSV_COLUMNS_FOR_PEOPLE = [
  'id',
  'kind',
  'trade_id',
  'party_id',
  'value_date',
  'quantity (fine oz)',
  'bars',
  'currency',
  'amount (in the currency, as written on the value date)',
  'price per fine oz (in the currency)',
  'narrative',
] as const;

/** A figure for people, or empty where the document states none. */
function forPeople(unit: string, minor: string, date: string): string {
  if (minor === '' || unit === '' || date === '') return '';
  return personAmount(unit, BigInt(minor), date);
}

/** One CSV line of a document: its kind, value date and the figures it states. */
function csvLine(row: SettlementDocument, units: 'minor' | 'person'): string {
  const { body } = row;
  const money = body.consideration ?? body.amount;
  const moneyBody = typeof money === 'object' && money !== null ? (money as Body) : {};
  const date = field(body, 'value_date');
  const currency = field(moneyBody, 'currency');
  const quantity = field(body, 'quantity_fine_milli_oz');
  const amount = field(moneyBody, 'minor');
  const price = nested(body, 'price', 'minor_per_oz');
  const person = units === 'person';
  const cells = [
    row.id.toString(),
    row.kind,
    row.trade_id ?? '',
    row.party_id,
    date,
    person ? forPeople('XAU', quantity, date) : quantity,
    field(body, 'bars'),
    currency,
    person ? forPeople(currency, amount, date) : amount,
    person ? forPeople(nested(body, 'price', 'currency') || currency, price, date) : price,
    field(body, 'narrative'),
  ];
  return `${cells.map(quoteCsvField).join(',')}\n`;
}

/** Lines of a document download sent at a time. */
const CSV_CHUNK_LINES = 500;

/** The CSV of documents, header first, in chunks of lines, letting other requests in as it goes. */
async function* csvText(
  ingot: Ingot,
  header: string,
  units: 'minor' | 'person',
  filter: DocumentFilter,
): AsyncGenerator<string> {
  let chunk = header;
  let lines = 0;
  for await (const document of yielding(documentsWhere(ingot, filter))) {
    chunk += csvLine(document, units);
    lines += 1;
    if (lines % CSV_CHUNK_LINES === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
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
          querystring: Type.Object({
            trade: Type.Optional(Identifier),
            units: Type.Optional(
              Type.Enum(['minor', 'person'], {
                description:
                  'CSV only: minor (the default, for programs) gives milli-ounces and minor units; ' +
                  'person gives fine ounces to three decimals and money as written on its value date ' +
                  '(£sd before 15 February 1971), the unit named in the header',
              }),
            ),
          }),
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
        const filter = { party_id: partyScope(user), trade_id: request.query.trade };
        if (format === 'json') {
          const documents = await listDocuments(context.ingot, filter);
          return documents.map((document) => wire(document));
        }
        const units = request.query.units ?? 'minor';
        const header = units === 'person' ? CSV_COLUMNS_FOR_PEOPLE : CSV_COLUMNS;
        const text = csvText(context.ingot, `${header.map(quoteCsvField).join(',')}\n`, units, filter);
        reply.type('text/csv; charset=utf-8');
        reply.header(
          'content-disposition',
          `attachment; filename="documents${request.query.trade ? `-${request.query.trade}` : ''}.csv"`,
        );
        return reply.send(Readable.from(text));
      },
    );
  }
}
