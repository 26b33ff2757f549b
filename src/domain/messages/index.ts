// Messages between the banks, any type: detect the type of a text, render, and convert to JSON.
//
// Text accepted by `parseMessageText`: a first line naming the type ("MT600", "MT 600", "MT-600",
// "INGOT-OFFER", "INGOT-ACCEPTANCE", "INGOT-BARLIST"; any case) then fields ":TAG:value",
// optionally closed by a line "-"; or SWIFT FIN blocks "{1:…}{2:I600…}{3:…}{4:\n:20:…\n-}{5:…}",
// the type taken from block 2 (input "I" or output "O") and the fields from block 4. CRLF line ends
// and a byte order mark are accepted. Fields the type does not model (15A, 94A, 64…) are left out
// and listed in `ignored_fields`; a field it models written twice, missing, or wrong is refused
// naming the field. `renderMessageText` always writes the first form, with "\n" line ends.
import { type Outcome, refuse } from '../outcome.ts';
import {
  fromAcceptanceJson,
  parseAcceptanceText,
  renderAcceptanceText,
  toAcceptanceJson,
} from './acceptance.ts';
import { fromBarListJson, parseBarListText, renderBarListText, toBarListJson } from './barlist.ts';
import {
  fromTradeConfirmationJson,
  parseTradeConfirmationText,
  renderTradeConfirmationText,
  toTradeConfirmationJson,
} from './mt600.ts';
import {
  fromTransferOrderJson,
  parseTransferOrderText,
  renderTransferOrderText,
  toTransferOrderJson,
} from './mt604.ts';
import {
  fromNoticeToReceiveJson,
  parseNoticeToReceiveText,
  renderNoticeToReceiveText,
  toNoticeToReceiveJson,
} from './mt605.ts';
import {
  fromDebitAdviceJson,
  parseDebitAdviceText,
  renderDebitAdviceText,
  toDebitAdviceJson,
} from './mt606.ts';
import {
  fromCreditAdviceJson,
  parseCreditAdviceText,
  renderCreditAdviceText,
  toCreditAdviceJson,
} from './mt607.ts';
import {
  fromMetalStatementJson,
  parseMetalStatementText,
  renderMetalStatementText,
  toMetalStatementJson,
} from './mt608.ts';
import { fromFreeFormatJson, parseFreeFormatText, renderFreeFormatText, toFreeFormatJson } from './mt699.ts';
import { fromOfferJson, parseOfferText, renderOfferText, toOfferJson } from './offer.ts';
import { readMessageText } from './swift.ts';

/** How one message type is read and written: its text parser and renderer, its JSON writer and reader. */
interface Codecs<M, J> {
  // Methods rather than function members: their parameters compare both ways, so an entry whose
  // message is the MT600 interface fits the shape demanded for key MT600 below, while an entry filed
  // under the wrong key still does not.
  parseText(text: string): Outcome<{ message: M; ignored_fields: string[] }>;
  renderText(message: M): string;
  toJson(message: M): J;
  fromJson(value: unknown): Outcome<{ message: M }>;
}

/**
 * Checks a table of codecs: each entry's functions read and write messages of the entry's own type
 * (an entry filed under the wrong key is refused), while the table keeps each entry's own types.
 */
function codecTable<
  const T extends { readonly [K in keyof T]: Codecs<{ readonly type: K }, { readonly type: K }> },
>(table: T): T {
  return table;
}

// The one table every function below works from, and the one list of the types Ingot reads and
// writes: a new type is one entry here, nothing else (the frame in swift.ts reads any type's name).
const TABLE = codecTable({
  MT600: {
    parseText: parseTradeConfirmationText,
    renderText: renderTradeConfirmationText,
    toJson: toTradeConfirmationJson,
    fromJson: fromTradeConfirmationJson,
  },
  MT604: {
    parseText: parseTransferOrderText,
    renderText: renderTransferOrderText,
    toJson: toTransferOrderJson,
    fromJson: fromTransferOrderJson,
  },
  MT605: {
    parseText: parseNoticeToReceiveText,
    renderText: renderNoticeToReceiveText,
    toJson: toNoticeToReceiveJson,
    fromJson: fromNoticeToReceiveJson,
  },
  MT606: {
    parseText: parseDebitAdviceText,
    renderText: renderDebitAdviceText,
    toJson: toDebitAdviceJson,
    fromJson: fromDebitAdviceJson,
  },
  MT607: {
    parseText: parseCreditAdviceText,
    renderText: renderCreditAdviceText,
    toJson: toCreditAdviceJson,
    fromJson: fromCreditAdviceJson,
  },
  MT608: {
    parseText: parseMetalStatementText,
    renderText: renderMetalStatementText,
    toJson: toMetalStatementJson,
    fromJson: fromMetalStatementJson,
  },
  MT699: {
    parseText: parseFreeFormatText,
    renderText: renderFreeFormatText,
    toJson: toFreeFormatJson,
    fromJson: fromFreeFormatJson,
  },
  'INGOT-OFFER': {
    parseText: parseOfferText,
    renderText: renderOfferText,
    toJson: toOfferJson,
    fromJson: fromOfferJson,
  },
  'INGOT-ACCEPTANCE': {
    parseText: parseAcceptanceText,
    renderText: renderAcceptanceText,
    toJson: toAcceptanceJson,
    fromJson: fromAcceptanceJson,
  },
  'INGOT-BARLIST': {
    parseText: parseBarListText,
    renderText: renderBarListText,
    toJson: toBarListJson,
    fromJson: fromBarListJson,
  },
});

/** A message type Ingot reads and writes: SWIFT Category 6 and Ingot's own three. */
export type MessageType = keyof typeof TABLE;

/** Every message type Ingot reads and writes, in the table's order. */
export const MESSAGE_TYPES = Object.keys(TABLE) as readonly MessageType[];

/** True for a type Ingot reads and writes. */
export function isMessageType(text: string): text is MessageType {
  return Object.hasOwn(TABLE, text);
}

/** Each type's message, as its entry in the table reads and writes it. */
type MessageByType = { readonly [T in MessageType]: Parameters<(typeof TABLE)[T]['renderText']>[0] };
/** Each type's JSON form, as its entry in the table writes it. */
type JsonByType = { readonly [T in MessageType]: ReturnType<(typeof TABLE)[T]['toJson']> };

/** Any message between the banks; `type` tells which. */
export type Message = MessageByType[MessageType];

/** The JSON form of any message. */
export type MessageJson = JsonByType[MessageType];

// The table again, typed as a record over the types, so that indexing it by a type gives that type's
// codecs and indexing it by a message's own `type` accepts that message: the four functions of an
// entry are checked here to agree on one message and one JSON form.
const CODECS: { readonly [T in MessageType]: Codecs<MessageByType[T], JsonByType[T]> } = TABLE;

/** The codecs of a type; given a message's own `type`, they take that message. */
function codecsOf<T extends MessageType>(type: T): Codecs<MessageByType[T], JsonByType[T]> {
  return CODECS[type];
}

/** Parses a message of any type from text, detecting the type (see the top of this file). */
export function parseMessageText(text: string): Outcome<{ message: Message; ignored_fields: string[] }> {
  const framed = readMessageText(text);
  if (!framed.ok) return framed;
  if (!isMessageType(framed.type)) {
    const known = MESSAGE_TYPES.join(', ');
    return refuse('invalid_input', `${framed.type} is not a message Ingot reads (${known})`, 'type');
  }
  return codecsOf(framed.type).parseText(text);
}

/** Renders a message of any type as text. */
export function renderMessageText(message: Message): string {
  return codecsOf(message.type).renderText(message);
}

/** The JSON form of a message of any type: `type` and its fields by name, amounts as strings. */
export function messageToJson(message: Message): MessageJson {
  return codecsOf(message.type).toJson(message);
}

/** Reads a message of any type from its JSON form, by its `type` member. */
export function messageFromJson(value: unknown): Outcome<{ message: Message }> {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !isMessageType(type)) {
    const known = MESSAGE_TYPES.join(', ');
    return refuse('invalid_input', `type ${JSON.stringify(type)} is not one of ${known}`, 'type');
  }
  return codecsOf(type).fromJson(value);
}

/**
 * Checks a message built in code by every rule a received one must pass, so what Ingot sends it
 * would also accept: the same checks as reading its JSON form.
 */
export function checkMessage(message: Message): Outcome<object> {
  const read = messageFromJson(messageToJson(message));
  return read.ok ? { ok: true } : read;
}
