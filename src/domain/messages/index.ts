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
  type AcceptanceMessage,
  type AcceptanceMessageJson,
  fromAcceptanceJson,
  parseAcceptanceText,
  renderAcceptanceText,
  toAcceptanceJson,
} from './acceptance.ts';
import {
  type BarListMessage,
  type BarListMessageJson,
  fromBarListJson,
  parseBarListText,
  renderBarListText,
  toBarListJson,
} from './barlist.ts';
import {
  fromTradeConfirmationJson,
  parseTradeConfirmationText,
  renderTradeConfirmationText,
  type TradeConfirmation,
  type TradeConfirmationJson,
  toTradeConfirmationJson,
} from './mt600.ts';
import {
  fromTransferOrderJson,
  parseTransferOrderText,
  renderTransferOrderText,
  type TransferOrder,
  type TransferOrderJson,
  toTransferOrderJson,
} from './mt604.ts';
import {
  fromNoticeToReceiveJson,
  type NoticeToReceive,
  type NoticeToReceiveJson,
  parseNoticeToReceiveText,
  renderNoticeToReceiveText,
  toNoticeToReceiveJson,
} from './mt605.ts';
import {
  type DebitAdvice,
  type DebitAdviceJson,
  fromDebitAdviceJson,
  parseDebitAdviceText,
  renderDebitAdviceText,
  toDebitAdviceJson,
} from './mt606.ts';
import {
  type CreditAdvice,
  type CreditAdviceJson,
  fromCreditAdviceJson,
  parseCreditAdviceText,
  renderCreditAdviceText,
  toCreditAdviceJson,
} from './mt607.ts';
import {
  fromMetalStatementJson,
  type MetalStatement,
  type MetalStatementJson,
  parseMetalStatementText,
  renderMetalStatementText,
  toMetalStatementJson,
} from './mt608.ts';
import {
  type FreeFormat,
  type FreeFormatJson,
  fromFreeFormatJson,
  parseFreeFormatText,
  renderFreeFormatText,
  toFreeFormatJson,
} from './mt699.ts';
import {
  fromOfferJson,
  type OfferMessage,
  type OfferMessageJson,
  parseOfferText,
  renderOfferText,
  toOfferJson,
} from './offer.ts';
import { isMessageType, MESSAGE_TYPES, type MessageType, readMessageText } from './swift.ts';

export { MESSAGE_TYPES, type MessageType };

/** Any message between the banks; `type` tells which. */
export type Message =
  | TradeConfirmation
  | TransferOrder
  | NoticeToReceive
  | DebitAdvice
  | CreditAdvice
  | MetalStatement
  | FreeFormat
  | OfferMessage
  | AcceptanceMessage
  | BarListMessage;

/** The JSON form of any message. */
export type MessageJson =
  | TradeConfirmationJson
  | TransferOrderJson
  | NoticeToReceiveJson
  | DebitAdviceJson
  | CreditAdviceJson
  | MetalStatementJson
  | FreeFormatJson
  | OfferMessageJson
  | AcceptanceMessageJson
  | BarListMessageJson;

type Parser = (text: string) => Outcome<{ message: Message; ignored_fields: string[] }>;
type JsonReader = (value: unknown) => Outcome<{ message: Message }>;

const PARSERS: Readonly<Record<MessageType, Parser>> = {
  MT600: parseTradeConfirmationText,
  MT604: parseTransferOrderText,
  MT605: parseNoticeToReceiveText,
  MT606: parseDebitAdviceText,
  MT607: parseCreditAdviceText,
  MT608: parseMetalStatementText,
  MT699: parseFreeFormatText,
  'INGOT-OFFER': parseOfferText,
  'INGOT-ACCEPTANCE': parseAcceptanceText,
  'INGOT-BARLIST': parseBarListText,
};

const JSON_READERS: Readonly<Record<MessageType, JsonReader>> = {
  MT600: fromTradeConfirmationJson,
  MT604: fromTransferOrderJson,
  MT605: fromNoticeToReceiveJson,
  MT606: fromDebitAdviceJson,
  MT607: fromCreditAdviceJson,
  MT608: fromMetalStatementJson,
  MT699: fromFreeFormatJson,
  'INGOT-OFFER': fromOfferJson,
  'INGOT-ACCEPTANCE': fromAcceptanceJson,
  'INGOT-BARLIST': fromBarListJson,
};

/** Parses a message of any type from text, detecting the type (see the top of this file). */
export function parseMessageText(text: string): Outcome<{ message: Message; ignored_fields: string[] }> {
  const framed = readMessageText(text);
  return framed.ok ? PARSERS[framed.type](text) : framed;
}

/** Renders a message of any type as text. */
export function renderMessageText(message: Message): string {
  switch (message.type) {
    case 'MT600':
      return renderTradeConfirmationText(message);
    case 'MT604':
      return renderTransferOrderText(message);
    case 'MT605':
      return renderNoticeToReceiveText(message);
    case 'MT606':
      return renderDebitAdviceText(message);
    case 'MT607':
      return renderCreditAdviceText(message);
    case 'MT608':
      return renderMetalStatementText(message);
    case 'MT699':
      return renderFreeFormatText(message);
    case 'INGOT-OFFER':
      return renderOfferText(message);
    case 'INGOT-ACCEPTANCE':
      return renderAcceptanceText(message);
    case 'INGOT-BARLIST':
      return renderBarListText(message);
  }
}

/** The JSON form of a message of any type: `type` and its fields by name, amounts as strings. */
export function messageToJson(message: Message): MessageJson {
  switch (message.type) {
    case 'MT600':
      return toTradeConfirmationJson(message);
    case 'MT604':
      return toTransferOrderJson(message);
    case 'MT605':
      return toNoticeToReceiveJson(message);
    case 'MT606':
      return toDebitAdviceJson(message);
    case 'MT607':
      return toCreditAdviceJson(message);
    case 'MT608':
      return toMetalStatementJson(message);
    case 'MT699':
      return toFreeFormatJson(message);
    case 'INGOT-OFFER':
      return toOfferJson(message);
    case 'INGOT-ACCEPTANCE':
      return toAcceptanceJson(message);
    case 'INGOT-BARLIST':
      return toBarListJson(message);
  }
}

/** Reads a message of any type from its JSON form, by its `type` member. */
export function messageFromJson(value: unknown): Outcome<{ message: Message }> {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !isMessageType(type)) {
    const known = MESSAGE_TYPES.join(', ');
    return refuse('invalid_input', `type ${JSON.stringify(type)} is not one of ${known}`, 'type');
  }
  return JSON_READERS[type](value);
}

/**
 * Checks a message built in code by every rule a received one must pass, so what Ingot sends it
 * would also accept: the same checks as reading its JSON form.
 */
export function checkMessage(message: Message): Outcome<object> {
  const read = messageFromJson(messageToJson(message));
  return read.ok ? { ok: true } : read;
}
