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
import type { ClearanceRow, MessageReadRow, MessageRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { checkClearance, clearanceOf } from './clearance.ts';
import { booksKey } from './keyring.ts';
import {
  allClearances,
  anyClearance,
  largestRowId,
  lastCopyNumber,
  lastMessageNumber,
  messageById,
  type NumberedTable,
  readsOfMessage,
  recordClearance,
  recordDocumentCopy,
  recordMessage,
  recordRead,
  registerRecordRows,
  setCopies,
  setMessageText,
  textsInClear,
} from './queries-register.ts';

/** In (received) or out (sent). */
export type Direction = 'in' | 'out';
/** Where a message is: queued, with the relay, acknowledged by its recipient; received; rejected. */
export const MESSAGE_STATES = ['outbox', 'sent', 'delivered', 'received', 'rejected'] as const;
/** The state of a registered message. */
export type MessageState = (typeof MESSAGE_STATES)[number];

/** What the bank's own register keeps of a message besides its text and envelope. */
export type RegisterRecord = Omit<MessageRow, 'text' | 'envelope'>;

/** A new row's id: the largest so far plus one (writes are serialized per store). */
export async function nextRowId(tx: Tx, table: NumberedTable): Promise<bigint> {
  return ((await largestRowId(tx, table)) ?? 0n) + 1n;
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
  const number = ((await lastMessageNumber(tx, row.correspondent, row.direction)) ?? 0n) + 1n;
  const id = await nextRowId(tx, 'messages');
  const text = row.text === null ? null : sealText(await booksKey(tx, true), row.text, textContext(id));
  await recordMessage(tx, { ...row, text, id, number });
  return { id, number };
}

/** What the register may be narrowed to: one correspondent, one direction, one state. */
export interface RegisterQuery {
  readonly correspondent?: string | undefined;
  readonly direction?: Direction | undefined;
  readonly state?: MessageState | undefined;
}

/**
 * The register with how each message travelled and what applying it did, newest last; filtered by
 * correspondent, direction or state. For the application and its tests: readers are shown
 * `registerEntries` (queries.ts).
 */
export async function listRegister(ingot: Ingot, filter: RegisterQuery = {}): Promise<RegisterRecord[]> {
  return registerRecordRows(ingot.store.db, filter);
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
    const row = await messageById(tx, request.id);
    if (!row)
      return refuseCorrespondence('message_not_found', `no message #${request.id} is registered`, 'id');
    const classification = parseClassification(row.classification);
    assert(classification !== null, `message #${row.id} has classification ${row.classification}`);
    const clearance = await clearanceOf(tx, request.user_id);
    const allowed = mayOpen(clearance, classification);
    const copy = allowed && request.action === 'print' ? row.copies + 1n : null;
    await recordRead(tx, {
      id: await nextRowId(tx, 'message_reads'),
      message_id: row.id,
      user_id: request.user_id,
      at: ingot.now(),
      action: request.action,
      copy_number: copy,
      outcome: allowed ? 'allowed' : 'refused',
    });
    if (!allowed) {
      const held = clearance === null ? 'no clearance' : `clearance ${clearance}`;
      const who = `${request.user_id} (${held})`;
      const message = `${who} may not open message #${row.id}, classified ${classification}`;
      // Returned, not thrown: the refusal stays in the read log.
      return refuseCorrespondence('not_cleared', message, 'user');
    }
    if (copy !== null) await setCopies(tx, row.id, copy);
    const message = { ...row, text: await messageText(tx, row), copies: copy ?? row.copies };
    return { ok: true, message, copy_number: copy };
  });
}

/** Encrypts the texts registered in clear before texts were encrypted; how many it sealed. */
export async function sealTextsInClear(ingot: Ingot): Promise<number> {
  return ingot.store.write(async (tx) => {
    const rows = await textsInClear(tx, SEALED_TEXT_PREFIX);
    if (rows.length === 0) return 0;
    const key = await booksKey(tx, true);
    for (const row of rows) {
      const text = sealText(key, row.text ?? '', textContext(row.id));
      await setMessageText(tx, row.id, text);
    }
    return rows.length;
  });
}

/** Who has opened, printed or been refused a message, in order. */
export async function readLog(ingot: Ingot, id: bigint): Promise<MessageReadRow[]> {
  return readsOfMessage(ingot.store.db, id);
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
    const founded = await anyClearance(tx);
    if (founded) {
      const own = await clearanceOf(tx, request.by);
      if (!mayOpen(own, request.level)) {
        const held = own === null ? 'no clearance' : `only ${own}`;
        const message = `${request.by} holds ${held} and may not clear others for ${request.level}`;
        return refuseCorrespondence('clearance_exceeds_granter', message, 'level');
      }
    }
    await recordClearance(tx, {
      user_id: request.user_id,
      level: request.level,
      granted_by: request.by,
      granted_at: ingot.now(),
    });
    return { ok: true, user_id: request.user_id, level: request.level };
  });
}

/** Every clearance. */
export async function listClearances(ingot: Ingot): Promise<ClearanceRow[]> {
  return allClearances(ingot.store.db);
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
    const copy_number = ((await lastCopyNumber(tx, request.document)) ?? 0n) + 1n;
    await recordDocumentCopy(tx, {
      document: request.document,
      copy_number,
      classification: request.classification,
      printed_by: request.user_id,
      printed_at: ingot.now(),
    });
    return { ok: true, copy_number };
  });
}
