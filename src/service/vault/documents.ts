// The documents written at settlement (the trade confirmation, the debit and credit advices), as
// the server and the command line both list them: one read, so both show the same rows.

import { InvariantError } from '../../domain/outcome.ts';
import type { DocumentRow } from '../../store/schema.ts';
import type { Ingot } from '../kernel/context.ts';
import { parseJson } from '../kernel/json.ts';
import { settlementDocuments } from './queries.ts';

/** A settlement document with its body read back from JSON, bigints exact. */
export type SettlementDocument = Omit<DocumentRow, 'body'> & { readonly body: Record<string, unknown> };

/** Which documents to list: those addressed to one party, those of one trade, or every one. */
export interface DocumentFilter {
  readonly party_id?: string;
  readonly trade_id?: string;
}

/** Documents read at a time by `documentsWhere`. */
export const DOCUMENT_PAGE_ROWS = 1000;

/** The settlement documents in the order they were written, narrowed by `filter`. */
export async function listDocuments(
  ingot: Ingot,
  filter: DocumentFilter = {},
): Promise<SettlementDocument[]> {
  const rows = await settlementDocuments(ingot.store.db, filter);
  return rows.map((row) => ({ ...row, body: storedBody(row) }));
}

/**
 * The same documents a page at a time, for a download of any length: the store is read in short
 * queries (others' reads and writes run between them) and no list is held whole.
 */
export async function* documentsWhere(
  ingot: Ingot,
  filter: DocumentFilter = {},
): AsyncGenerator<SettlementDocument> {
  let after = 0n;
  for (;;) {
    const page = await settlementDocuments(ingot.store.db, filter, { after, limit: DOCUMENT_PAGE_ROWS });
    for (const row of page) yield { ...row, body: storedBody(row) };
    const last = page.at(-1);
    if (!last || page.length < DOCUMENT_PAGE_ROWS) return;
    after = last.id;
  }
}

/** A document's body as stored: a JSON object, checked, never cast. */
function storedBody(row: DocumentRow): Record<string, unknown> {
  const body = parseJson(row.body);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvariantError(`document ${row.id}: its body is not a JSON object`);
  }
  return Object.fromEntries(Object.entries(body));
}
