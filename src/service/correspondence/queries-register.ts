// The register's SQL: messages in and out, their read log, the clearances that open them and the
// numbered copies printed from the books. Each function runs on the executor it is given, so a
// caller's transaction stays the one it runs in.
import type { ClearanceRow, DocumentCopyRow, MessageReadRow, MessageRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** The tables whose rows are numbered by the largest id so far plus one. */
export type NumberedTable = 'messages' | 'message_reads' | 'view_bars' | 'view_entries';

/** The largest id of a table's rows, or undefined when it has none. */
export async function largestRowId(tx: Tx, table: NumberedTable): Promise<bigint | null | undefined> {
  const last = await tx
    .selectFrom(table)
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return last?.id;
}

/** The largest register number given so far to a correspondent in a direction. */
export async function lastMessageNumber(
  tx: Tx,
  correspondent: string,
  direction: string,
): Promise<bigint | null | undefined> {
  const last = await tx
    .selectFrom('messages')
    .select((eb) => eb.fn.max('number').as('number'))
    .where('correspondent', '=', correspondent)
    .where('direction', '=', direction)
    .executeTakeFirst();
  return last?.number;
}

/** Writes a message's row into the register. */
export async function recordMessage(tx: Tx, row: MessageRow): Promise<void> {
  await tx.insertInto('messages').values(row).execute();
}

/** What the register may be narrowed to. */
export interface RegisterFilter {
  readonly correspondent?: string | undefined;
  readonly direction?: string | undefined;
  readonly state?: string | undefined;
}

/**
 * What a register entry shows anyone who may see it, at the desk, over the API and with the command
 * line's --json alike: no text, no envelope, none of the channel's own bookkeeping (relay and
 * envelope ids, origins), and not what applying it did, which tells what a classified text says.
 */
export const REGISTER_ENTRY_COLUMNS = [
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

/** A register entry as every reader is shown it. */
export type RegisterEntry = Pick<MessageRow, (typeof REGISTER_ENTRY_COLUMNS)[number]>;

/** The register's columns as the application reads them: the entry, and how it travelled. */
const RECORD_COLUMNS = [
  ...REGISTER_ENTRY_COLUMNS,
  'message_id',
  'sequence',
  'reason',
  'envelope_hash',
  'relay_id',
  'origin',
  'applied',
  'sent_at',
  'delivered_at',
] as const;

/** The register's rows in the filter, oldest first, before their columns are chosen. */
function registerRows(db: Tx, filter: RegisterFilter) {
  let query = db.selectFrom('messages').orderBy('id');
  if (filter.correspondent) query = query.where('correspondent', '=', filter.correspondent);
  if (filter.direction) query = query.where('direction', '=', filter.direction);
  if (filter.state) query = query.where('state', '=', filter.state);
  return query;
}

/** The register's entries in the filter as readers are shown them, oldest first. */
export async function registerEntryRows(db: Tx, filter: RegisterFilter): Promise<RegisterEntry[]> {
  return registerRows(db, filter).select(REGISTER_ENTRY_COLUMNS).execute();
}

/** The register's rows in the filter without text or envelope, oldest first. */
export async function registerRecordRows(db: Tx, filter: RegisterFilter) {
  return registerRows(db, filter).select(RECORD_COLUMNS).execute();
}

/** A registered message's whole row. */
export async function messageById(tx: Tx, id: bigint): Promise<MessageRow | undefined> {
  return tx.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Writes an opening, printing or refusal of a message to its read log. */
export async function recordRead(tx: Tx, read: MessageReadRow): Promise<void> {
  await tx.insertInto('message_reads').values(read).execute();
}

/** Sets how many copies of a message have been made. */
export async function setCopies(tx: Tx, id: bigint, copies: bigint): Promise<void> {
  await tx.updateTable('messages').set({ copies }).where('id', '=', id).execute();
}

/** The texts registered but not encrypted: they do not start with the sealed text's prefix. */
export async function textsInClear(tx: Tx, sealedPrefix: string) {
  return tx
    .selectFrom('messages')
    .select(['id', 'text'])
    .where('text', 'is not', null)
    .where('text', 'not like', `${sealedPrefix}%`)
    .execute();
}

/** Replaces a message's stored text. */
export async function setMessageText(tx: Tx, id: bigint, text: string): Promise<void> {
  await tx.updateTable('messages').set({ text }).where('id', '=', id).execute();
}

/** A message's read log, in order. */
export async function readsOfMessage(db: Tx, id: bigint): Promise<MessageReadRow[]> {
  return db.selectFrom('message_reads').selectAll().where('message_id', '=', id).orderBy('id').execute();
}

/** Some clearance, if any was ever granted: the register is founded. */
export async function anyClearance(tx: Tx): Promise<{ user_id: string } | undefined> {
  return tx.selectFrom('clearances').select('user_id').executeTakeFirst();
}

/** Grants a user a clearance, or changes the one it holds. */
export async function recordClearance(tx: Tx, clearance: ClearanceRow): Promise<void> {
  const { user_id, ...values } = clearance;
  await tx
    .insertInto('clearances')
    .values({ user_id, ...values })
    .onConflict((c) => c.column('user_id').doUpdateSet(values))
    .execute();
}

/** The clearance level granted to a user, if any (as stored). */
export async function clearanceLevel(db: Tx, userId: string): Promise<{ level: string } | undefined> {
  return db.selectFrom('clearances').select('level').where('user_id', '=', userId).executeTakeFirst();
}

/** Every clearance, by user. */
export async function allClearances(db: Tx): Promise<ClearanceRow[]> {
  return db.selectFrom('clearances').selectAll().orderBy('user_id').execute();
}

/** The last copy number printed of a document from the books. */
export async function lastCopyNumber(tx: Tx, document: string): Promise<bigint | null | undefined> {
  const last = await tx
    .selectFrom('document_copies')
    .select((eb) => eb.fn.max('copy_number').as('copy'))
    .where('document', '=', document)
    .executeTakeFirst();
  return last?.copy;
}

/** Records a numbered copy of a document printed from the books. */
export async function recordDocumentCopy(tx: Tx, copy: DocumentCopyRow): Promise<void> {
  await tx.insertInto('document_copies').values(copy).execute();
}

/** The message sent before from an origin ("settlement:TRADE-1:MT600"), if any. */
export async function messageOfOrigin(tx: Tx, origin: string): Promise<MessageRow | undefined> {
  return tx.selectFrom('messages').selectAll().where('origin', '=', origin).executeTakeFirst();
}

/** What resending a message needs of it: its direction, correspondent, sequence and state. */
export async function resendable(tx: Tx, id: bigint) {
  return tx
    .selectFrom('messages')
    .select(['id', 'direction', 'correspondent', 'sequence', 'state', 'delivered_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Sets where a message is: outbox, sent, delivered, received, rejected. */
export async function setMessageState(tx: Tx, id: bigint, state: string): Promise<void> {
  await tx.updateTable('messages').set({ state }).where('id', '=', id).execute();
}

/** The incoming message registered from the envelope of this hash, if one was. */
export async function incomingByEnvelope(tx: Tx, envelopeHash: string) {
  return tx
    .selectFrom('messages')
    .select(['id', 'correspondent', 'sequence', 'state'])
    .where('direction', '=', 'in')
    .where('envelope_hash', '=', envelopeHash)
    .executeTakeFirst();
}

/** Notes on a received message what applying it did and what in the books it concerns. */
export async function setApplied(
  tx: Tx,
  id: bigint,
  applied: { readonly applied: string; readonly linked: string | null },
): Promise<void> {
  await tx.updateTable('messages').set(applied).where('id', '=', id).execute();
}

/** The client's reference of the order (MT604) it sent for an instruction, if it sent one. */
export async function orderReferenceOf(tx: Tx, instructionId: string) {
  return tx
    .selectFrom('messages')
    .select('reference')
    .where('direction', '=', 'in')
    .where('message_type', '=', 'MT604')
    .where('linked', '=', instructionId)
    .executeTakeFirst();
}

/** How many statements (MT608) of an account have been sent. */
export async function statementsSent(tx: Tx, accountId: string): Promise<bigint | undefined> {
  const earlier = await tx
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<bigint>().as('count'))
    .where('direction', '=', 'out')
    .where('message_type', '=', 'MT608')
    .where('linked', '=', accountId)
    .executeTakeFirst();
  return earlier?.count;
}

/** The last offer of this reference received from a bank: its id and stored text. */
export async function offerReceived(db: Tx, from: string, offer: string) {
  return db
    .selectFrom('messages')
    .select(['id', 'text'])
    .where('direction', '=', 'in')
    .where('correspondent', '=', from)
    .where('message_type', '=', 'INGOT-OFFER')
    .where('reference', '=', offer)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** The last `limit` credit advices and bar lists received, newest first: ids and stored texts. */
export async function metalAdvicesReceived(db: Tx, limit: number) {
  return db
    .selectFrom('messages')
    .select(['id', 'text'])
    .where('direction', '=', 'in')
    .where('message_type', 'in', ['MT607', 'INGOT-BARLIST'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
