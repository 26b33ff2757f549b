// Documents a person prints (the bar list, the statement of a metal account, the trade
// confirmation): composed from the books or taken from a registered message, headed by both banks,
// the account, the date and the references, each copy numbered for a cleared user. The server and
// the command line both print through here, so a document reads the same whichever way it is asked.
import type { DocumentHeader } from '../../documents/pdf.ts';
import { type Classification, parseClassification } from '../../domain/correspondence/classification.ts';
import { type CorrespondenceOutcome, refuseCorrespondence } from '../../domain/correspondence/refusal.ts';
import type { BarListMessage } from '../../domain/messages/barlist.ts';
import { type Message, parseMessageText } from '../../domain/messages/index.ts';
import type { TradeConfirmation } from '../../domain/messages/mt600.ts';
import type { MetalStatement } from '../../domain/messages/mt608.ts';
import type { Party } from '../../domain/messages/party.ts';
import type { Ingot } from '../kernel/context.ts';
import { partyName } from '../parties/queries.ts';
import { depositoryPartyId } from '../parties/users.ts';
import { mayRead } from './clearance.ts';
import { barListOutgoing, settlementOutgoing, statementOutgoing } from './compose-books.ts';
import type { Outgoing } from './outbox.ts';
import { ownBankId } from './queries.ts';
import { openRegistered, printBookCopy } from './register.ts';

/** The documents that can be printed. */
export const PRINTABLE_KINDS = ['barlist', 'statement', 'confirmation'] as const;
/** A document that can be printed. */
export type PrintableKind = (typeof PRINTABLE_KINDS)[number];

/** Each document's title on paper. */
export const PRINTABLE_TITLES: Readonly<Record<PrintableKind, string>> = {
  barlist: 'Bar list',
  statement: 'Statement of metal account',
  confirmation: 'Trade confirmation',
};

const MESSAGE_TYPES = { barlist: 'INGOT-BARLIST', statement: 'MT608', confirmation: 'MT600' } as const;

/** A message that prints as a document. */
export type PrintableMessage = BarListMessage | MetalStatement | TradeConfirmation;

/** What to compose from the books: a bar list at a date, a statement over a period, a confirmation. */
export type BookDocument =
  | { readonly kind: 'barlist'; readonly account_id: string; readonly date: string }
  | { readonly kind: 'statement'; readonly account_id: string; readonly from: string; readonly to: string }
  | { readonly kind: 'confirmation'; readonly trade_id: string };

/** A document printed: what it shows, its header with the copy number, the key copies count under. */
export interface Printed {
  readonly kind: PrintableKind;
  readonly message: PrintableMessage;
  readonly header: DocumentHeader;
  readonly document: string;
}

/** The message if it is the kind of document asked for, else null. */
function printableMessage(kind: PrintableKind, message: Message): PrintableMessage | null {
  switch (message.type) {
    case 'INGOT-BARLIST':
    case 'MT608':
    case 'MT600':
      return message.type === MESSAGE_TYPES[kind] ? message : null;
    default:
      return null;
  }
}

/** A party's name as the header shows it, or its id when it has none. */
async function nameOf(ingot: Ingot, id: string | undefined): Promise<string> {
  if (id === undefined) return '';
  return (await partyName(ingot, id)) ?? id;
}

/** The message's own lines for a bank, which the recipient reads, else the bank's name. */
function partyText(party: Party | null, fallback: string): string {
  return party === null || party.lines.length === 0 ? fallback : party.lines.join(' ');
}

/** The header: banks as the message states them, its account, date and references. */
function headerOf(
  kind: PrintableKind,
  message: PrintableMessage,
  banks: { readonly from: string; readonly to: string },
  classification: Classification,
  copy_number: bigint,
): DocumentHeader {
  const base = { title: PRINTABLE_TITLES[kind], classification, copy_number, reference: message.reference };
  switch (message.type) {
    case 'INGOT-BARLIST':
      return {
        ...base,
        from: partyText(message.custodian, banks.from),
        to: partyText(message.owner, banks.to),
        account: message.account,
        date: message.date,
        related: message.related_reference,
      };
    case 'MT608':
      return { ...base, ...banks, account: message.account, date: message.closing.date, related: null };
    case 'MT600':
      return {
        ...base,
        from: partyText(message.party_a, banks.from),
        to: partyText(message.party_b, banks.to),
        account: message.party_b.identifier?.replace('/', '') ?? '',
        date: message.trade_date,
        related: null,
      };
  }
}

/** Writes the document as PDF to a file and waits until it is on disk. */
async function writePdf(printed: Printed, path: string): Promise<void> {
  // pdfkit and its fonts take a second to load: only a request that prints pays for them.
  const pdf = await import('../../documents/pdf.ts');
  const { header, message } = printed;
  if (message.type === 'INGOT-BARLIST') await pdf.writeBarListPdf(header, message, path);
  else if (message.type === 'MT608') await pdf.writeStatementPdf(header, message, path);
  else await pdf.writeConfirmationPdf(header, message, path);
}

/** The books' messages from which the document is taken. */
function outgoingOf(
  ingot: Ingot,
  document: BookDocument,
  classification: Classification,
): Promise<CorrespondenceOutcome<{ outgoing: Outgoing[] }>> {
  switch (document.kind) {
    case 'confirmation':
      return settlementOutgoing(ingot, document.trade_id, classification);
    case 'barlist': {
      const { account_id, date } = document;
      return barListOutgoing(ingot, { account_id, date, classification });
    }
    case 'statement': {
      const { account_id, from, to } = document;
      return statementOutgoing(ingot, { account_id, from, to, classification });
    }
  }
}

/** What printing from the books asks: the document, its classification, the user it is printed for. */
export interface BookPrintOrder {
  readonly document: BookDocument;
  readonly classification: Classification;
  readonly user_id: string;
}

/**
 * Composes a document from the books, numbers a copy for a user cleared for its classification,
 * and writes it as PDF to `pdf` unless that is null (a bar list may be written as CSV instead).
 */
export async function printFromBooks(
  ingot: Ingot,
  order: BookPrintOrder,
  pdf: string | null,
): Promise<CorrespondenceOutcome<{ printed: Printed }>> {
  const { document, classification, user_id } = order;
  // Cleared first: a user who may not print the document learns nothing of what it would hold.
  const cleared = await mayRead(ingot, { user_id, kind: document.kind, action: 'print', classification });
  if (!cleared.ok) return cleared;
  const made = await outgoingOf(ingot, document, classification);
  if (!made.ok) return made;
  const found = made.outgoing.find((item) => item.message.type === MESSAGE_TYPES[document.kind]);
  const message = found === undefined ? null : printableMessage(document.kind, found.message);
  if (found === undefined || message === null) {
    const refusal = `no ${PRINTABLE_TITLES[document.kind].toLowerCase()} can be made from the books`;
    return refuseCorrespondence('document_not_available', refusal, 'kind');
  }
  const key = found.origin ?? found.subject;
  const copy = await printBookCopy(ingot, { document: key, classification, user_id });
  if (!copy.ok) return copy;
  const banks = {
    from: await nameOf(ingot, await depositoryPartyId(ingot)),
    to: await nameOf(ingot, found.to),
  };
  const header = headerOf(document.kind, message, banks, classification, copy.copy_number);
  const printed: Printed = { kind: document.kind, message, header, document: key };
  if (pdf !== null) await writePdf(printed, pdf);
  return { ok: true, printed };
}

/** What printing a registered message asks: which document it should be, which message, for whom. */
export interface RegisterPrintOrder {
  readonly kind: PrintableKind;
  readonly message_id: bigint;
  readonly user_id: string;
}

/**
 * Prints a registered message as a document for a user cleared for it: the register numbers the
 * copy and logs the print (a refusal too); writes the PDF to `pdf` unless that is null.
 */
export async function printFromRegister(
  ingot: Ingot,
  order: RegisterPrintOrder,
  pdf: string | null,
): Promise<CorrespondenceOutcome<{ printed: Printed }>> {
  const { kind, message_id: id, user_id } = order;
  const opened = await openRegistered(ingot, { id, user_id, action: 'print' });
  if (!opened.ok) return opened;
  const row = opened.message;
  const parsed = row.text === null ? null : parseMessageText(row.text);
  const message = parsed?.ok ? printableMessage(kind, parsed.message) : null;
  if (message === null) {
    const refusal = `message #${id} is not a ${kind} (${row.message_type ?? 'unopened'})`;
    return refuseCorrespondence('invalid_input', refusal, 'message');
  }
  const own = await nameOf(ingot, await ownBankId(ingot));
  const other = await nameOf(ingot, row.correspondent);
  const banks = row.direction === 'in' ? { from: other, to: own } : { from: own, to: other };
  const classification = parseClassification(row.classification) ?? 'confidential';
  const copy = opened.copy_number ?? row.copies;
  const header = headerOf(kind, message, banks, classification, copy);
  const printed: Printed = { kind, message, header, document: `message:${id}` };
  if (pdf !== null) await writePdf(printed, pdf);
  return { ok: true, printed };
}
