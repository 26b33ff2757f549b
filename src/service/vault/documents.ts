// The documents written at settlement (the trade confirmation, the debit and credit advices), as
// the server and the command line both list them: one read, so both show the same rows.

import { InvariantError } from '../../domain/outcome.ts';
import type { DocumentRow } from '../../store/schema.ts';
import type { Ingot } from '../kernel/context.ts';
import { parseJson } from '../kernel/json.ts';

/** A settlement document with its body read back from JSON, bigints exact. */
export type SettlementDocument = Omit<DocumentRow, 'body'> & { readonly body: Record<string, unknown> };

/** Which documents to list: those addressed to one party, those of one trade, or every one. */
export interface DocumentFilter {
  readonly party_id?: string;
  readonly trade_id?: string;
}

/** The settlement documents in the order they were written, narrowed by `filter`. */
export async function listDocuments(
  ingot: Ingot,
  filter: DocumentFilter = {},
): Promise<SettlementDocument[]> {
  let query = ingot.store.db.selectFrom('documents').selectAll().orderBy('id');
  if (filter.party_id) query = query.where('party_id', '=', filter.party_id);
  if (filter.trade_id) query = query.where('trade_id', '=', filter.trade_id);
  const rows = await query.execute();
  return rows.map((row) => ({ ...row, body: storedBody(row) }));
}

/** A document's body as stored: a JSON object, checked, never cast. */
function storedBody(row: DocumentRow): Record<string, unknown> {
  const body = parseJson(row.body);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvariantError(`document ${row.id}: its body is not a JSON object`);
  }
  return Object.fromEntries(Object.entries(body));
}
