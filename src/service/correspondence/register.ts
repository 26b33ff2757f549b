// The register of correspondence: every message in and out, numbered per correspondent and
// direction, with its classification, copies and subject; opened only by users cleared for it,
// and every opening, printing and refusal written to its read log. Texts are kept encrypted under
// the books key and decrypted only to be opened for a cleared user or read by the application.
import { isSealedText, openText, SEALED_TEXT_PREFIX, sealText } from '../../channel/at-rest.ts';
import {
  type Classification,
  mayOpen,
  parseClassification,
} from '../../domain/correspondence/classification.ts';
import { type CorrespondenceOutcome, refuseCorrespondence } from '../../domain/correspondence/refusal.ts';
import { assert } from '../../domain/outcome.ts';
import type { MessageReadRow, MessageRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { checkClearance, clearanceOf } from './clearance.ts';
import { booksKey } from './keyring.ts';

/** In (received) or out (sent). */
export type Direction = 'in' | 'out';
/** Where a message is: queued, with the relay, acknowledged by its recipient; received; rejected. */
export const MESSAGE_STATES = ['outbox', 'sent', 'delivered', 'received', 'rejected'] as const;
/** The state of a registered message. */
export type MessageState = (typeof MESSAGE_STATES)[number];

/** What the register shows of a message without opening it (no text, no envelope). */
export type RegisterEntry = Omit<MessageRow, 'text' | 'envelope'>;

/** A new row's id: the largest so far plus one (writes are serialized per store). */
export async function nextRowId(
  tx: Tx,
  table: 'messages' | 'message_reads' | 'view_bars' | 'view_entries',
): Promise<bigint> {
  const last = await tx
    .selectFrom(table)
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return (last?.id ?? 0n) + 1n;
}

/** What a message's text is bound to when encrypted: its register row. */
function textContext(id: bigint): string {
  return `messages.text #${id}`;
}

/**
 * A registered message's text in clear, for the application that must parse it (a view, a
 * document): never for a user, who opens a message through `openRegistered`.
 */
export async function messageText(tx: Tx, row: { id: bigint; text: string | null }): Promise<string | null> {
  if (row.text === null || !isSealedText(row.text)) return row.text;
  return openText(await booksKey(tx, false), row.text, textContext(row.id));
}

/** Registers a message under the next number for its correspondent and direction. */
export async function registerMessage(
  tx: Tx,
  row: Omit<MessageRow, 'id' | 'number'>,
): Promise<{ id: bigint; number: bigint }> {
  const last = await tx
    .selectFrom('messages')
    .select((eb) => eb.fn.max('number').as('number'))
    .where('correspondent', '=', row.correspondent)
    .where('direction', '=', row.direction)
    .executeTakeFirst();
  const number = (last?.number ?? 0n) + 1n;
  const id = await nextRowId(tx, 'messages');
  const text = row.text === null ? null : sealText(await booksKey(tx, true), row.text, textContext(id));
  await tx
    .insertInto('messages')
    .values({ ...row, text, id, number })
    .execute();
  return { id, number };
}

/** What a register entry shows anyone who may see it: the API's entry is exactly these. */
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

/** The register's columns as the bank's own tools list them: the entry, and how it travelled. */
const ENTRY_COLUMNS = [
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

/** The register, newest last; filtered by correspondent, direction or state. */
export async function listRegister(
  ingot: Ingot,
  filter: { correspondent?: string; direction?: Direction; state?: MessageState } = {},
): Promise<RegisterEntry[]> {
  let query = ingot.store.db.selectFrom('messages').select(ENTRY_COLUMNS).orderBy('id');
  if (filter.correspondent) query = query.where('correspondent', '=', filter.correspondent);
  if (filter.direction) query = query.where('direction', '=', filter.direction);
  if (filter.state) query = query.where('state', '=', filter.state);
  return query.execute();
}

/** What opening a message asks: which, by whom, to read it or to print a numbered copy. */
export interface OpenRequest {
  readonly id: bigint;
  readonly user_id: string;
  readonly action: 'open' | 'print';
}

/** Opens a registered message for a cleared user, logging it; a refusal is logged too. */
export async function openRegistered(
  ingot: Ingot,
  request: OpenRequest,
): Promise<CorrespondenceOutcome<{ message: MessageRow; copy_number: bigint | null }>> {
  return ingot.store.write(async (tx) => {
    const row = await tx.selectFrom('messages').selectAll().where('id', '=', request.id).executeTakeFirst();
    if (!row)
      return refuseCorrespondence('message_not_found', `no message #${request.id} is registered`, 'id');
    const classification = parseClassification(row.classification);
    assert(classification !== null, `message #${row.id} has classification ${row.classification}`);
    const clearance = await clearanceOf(tx, request.user_id);
    const allowed = mayOpen(clearance, classification);
    const copy = allowed && request.action === 'print' ? row.copies + 1n : null;
    await tx
      .insertInto('message_reads')
      .values({
        id: await nextRowId(tx, 'message_reads'),
        message_id: row.id,
        user_id: request.user_id,
        at: ingot.now(),
        action: request.action,
        copy_number: copy,
        outcome: allowed ? 'allowed' : 'refused',
      })
      .execute();
    if (!allowed) {
      const held = clearance === null ? 'no clearance' : `clearance ${clearance}`;
      const who = `${request.user_id} (${held})`;
      const message = `${who} may not open message #${row.id}, classified ${classification}`;
      // Returned, not thrown: the refusal stays in the read log.
      return refuseCorrespondence('not_cleared', message, 'user');
    }
    if (copy !== null)
      await tx.updateTable('messages').set({ copies: copy }).where('id', '=', row.id).execute();
    const message = { ...row, text: await messageText(tx, row), copies: copy ?? row.copies };
    return { ok: true, message, copy_number: copy };
  });
}

/** Encrypts the texts registered in clear before texts were encrypted; how many it sealed. */
export async function sealTextsInClear(ingot: Ingot): Promise<number> {
  return ingot.store.write(async (tx) => {
    const rows = await tx
      .selectFrom('messages')
      .select(['id', 'text'])
      .where('text', 'is not', null)
      .where('text', 'not like', `${SEALED_TEXT_PREFIX}%`)
      .execute();
    if (rows.length === 0) return 0;
    const key = await booksKey(tx, true);
    for (const row of rows) {
      const text = sealText(key, row.text ?? '', textContext(row.id));
      await tx.updateTable('messages').set({ text }).where('id', '=', row.id).execute();
    }
    return rows.length;
  });
}

/** Who has opened, printed or been refused a message, in order. */
export async function readLog(ingot: Ingot, id: bigint): Promise<MessageReadRow[]> {
  return ingot.store.db
    .selectFrom('message_reads')
    .selectAll()
    .where('message_id', '=', id)
    .orderBy('id')
    .execute();
}

/**
 * Clears a user up to a classification. The granting user must hold at least that clearance,
 * except for the first clearance of an instance, which founds the register.
 */
export async function grantClearance(
  ingot: Ingot,
  request: { user_id: string; level: Classification; by: string },
): Promise<CorrespondenceOutcome<{ user_id: string; level: Classification }>> {
  return ingot.store.write(async (tx) => {
    const founded = await tx.selectFrom('clearances').select('user_id').executeTakeFirst();
    if (founded) {
      const own = await clearanceOf(tx, request.by);
      if (!mayOpen(own, request.level)) {
        const held = own === null ? 'no clearance' : `only ${own}`;
        const message = `${request.by} holds ${held} and may not clear others for ${request.level}`;
        return refuseCorrespondence('clearance_exceeds_granter', message, 'level');
      }
    }
    const values = { level: request.level, granted_by: request.by, granted_at: ingot.now() };
    await tx
      .insertInto('clearances')
      .values({ user_id: request.user_id, ...values })
      .onConflict((c) => c.column('user_id').doUpdateSet(values))
      .execute();
    return { ok: true, user_id: request.user_id, level: request.level };
  });
}

/** Every clearance. */
export async function listClearances(ingot: Ingot) {
  return ingot.store.db.selectFrom('clearances').selectAll().orderBy('user_id').execute();
}

/**
 * Numbers a copy of a document printed from the books (a bar list, a statement, a confirmation)
 * for a user cleared for its classification.
 */
export async function printBookCopy(
  ingot: Ingot,
  request: { document: string; classification: Classification; user_id: string },
): Promise<CorrespondenceOutcome<{ copy_number: bigint }>> {
  return ingot.store.write(async (tx) => {
    const clearance = await clearanceOf(tx, request.user_id);
    const cleared = checkClearance(request.user_id, clearance, request.classification, 'print');
    if (!cleared.ok) return cleared;
    const last = await tx
      .selectFrom('document_copies')
      .select((eb) => eb.fn.max('copy_number').as('copy'))
      .where('document', '=', request.document)
      .executeTakeFirst();
    const copy_number = (last?.copy ?? 0n) + 1n;
    await tx
      .insertInto('document_copies')
      .values({
        document: request.document,
        copy_number,
        classification: request.classification,
        printed_by: request.user_id,
        printed_at: ingot.now(),
      })
      .execute();
    return { ok: true, copy_number };
  });
}
