// MT600, precious metal trade confirmation: the terms of a sale of gold as both banks agreed them.
import type { Outcome } from '../outcome.ts';
import { consideration, date, NO_OPTION, narrative, price, quantity, reference } from './codecs.ts';
import {
  type Codec,
  type FieldJson,
  type FieldProblem,
  type FieldValues,
  fromJson,
  type MessageFormat,
  optional,
  parseText,
  renderText,
  required,
  toJson,
} from './fields.ts';
import { metal } from './metal.ts';
import { party } from './party.ts';
import { checkSwiftText, jsonObject, jsonOptionalString, oneOf } from './text.ts';

/** 22: what the confirmation does. */
export const FUNCTION_CODES = [
  'NEW',
  'AMEND',
  'CANCEL',
  'CORRECT',
  'COMPLETE',
  'EXOPTION',
  'NOTICE',
] as const;
/** A function of an MT600. */
export type FunctionCode = (typeof FUNCTION_CODES)[number];

/** 22: the function of the message and the contract's common reference, if given. */
export interface MessageFunction {
  readonly code: FunctionCode;
  readonly common_reference: string | null;
}

/** The JSON form of field 22: the same members. */
export type MessageFunctionJson = { readonly [K in keyof MessageFunction]: MessageFunction[K] };

/** Checks a common reference: up to 16 characters of SWIFT's set, no "/" (SWIFT builds it from BICs). */
function checkFunction(code: unknown, common: string | null) {
  const checked = oneOf(code, FUNCTION_CODES, 'function code');
  if (!checked.ok) return checked;
  if (common !== null) {
    const text = checkSwiftText(common, 16, 'common reference');
    if (!text.ok) return text;
    if (common.includes('/'))
      return { ok: false as const, reason: `common reference "${common}" may not hold "/"` };
  }
  return { ok: true as const, value: { code: checked.value, common_reference: common } };
}

/** 22: "NEW" or "NEW/GOSB1270NBCU". */
export const messageFunction: Codec<MessageFunction, MessageFunctionJson> = {
  options: NO_OPTION,
  readText: (text) => {
    const slash = text.indexOf('/');
    return slash === -1
      ? checkFunction(text, null)
      : checkFunction(text.slice(0, slash), text.slice(slash + 1));
  },
  writeText: (f) => ({
    option: '',
    text: f.common_reference === null ? f.code : `${f.code}/${f.common_reference}`,
  }),
  readJson: (value) => {
    const record = jsonObject(value, ['code', 'common_reference'], 'function');
    if (!record.ok) return record;
    const common = jsonOptionalString(record.value.common_reference, 'common reference');
    return common.ok ? checkFunction(record.value.code, common.value) : common;
  },
  writeJson: (f) => ({ ...f }),
};

const FIELDS = {
  reference: required('20', reference),
  related_reference: optional('21', reference),
  function: required('22', messageFunction),
  party_a: required('82', party),
  party_b: required('87', party),
  trade_date: required('30', date),
  metal: required('26C', metal),
  quantity_fine_milli_oz: required('32F', quantity),
  price: required('33G', price),
  consideration: required('34', consideration),
  settlement_institution: optional('57', party),
  sender_to_receiver: optional('72', narrative),
};

/** MT600: a trade confirmation. The consideration is paid (34P) or received (34R) by the sender. */
export interface TradeConfirmation extends FieldValues<typeof FIELDS> {
  readonly type: 'MT600';
}
/** The JSON form of an MT600. */
export type TradeConfirmationJson = { readonly type: 'MT600' } & FieldJson<typeof FIELDS>;

/** The consideration is in the currency of the price. */
function check(message: TradeConfirmation): FieldProblem | null {
  const paid = message.consideration.amount.currency;
  if (paid !== message.price.currency) {
    const reason = `the consideration is in ${paid} but the price in ${message.price.currency}`;
    return {
      field: 'consideration',
      reason,
      tag: message.consideration.direction === 'paid' ? '34P' : '34R',
    };
  }
  return null;
}

/** The MT600 format: its fields and checks. */
export const TRADE_CONFIRMATION: MessageFormat<'MT600', typeof FIELDS> = {
  type: 'MT600',
  fields: FIELDS,
  check,
};

/** Renders an MT600 as text. */
export function renderTradeConfirmationText(message: TradeConfirmation): string {
  return renderText(TRADE_CONFIRMATION, message);
}

/** Parses an MT600 from text, listing the fields it left out. */
export function parseTradeConfirmationText(
  text: string,
): Outcome<{ message: TradeConfirmation; ignored_fields: string[] }> {
  return parseText(TRADE_CONFIRMATION, text);
}

/** The JSON form of an MT600. */
export function toTradeConfirmationJson(message: TradeConfirmation): TradeConfirmationJson {
  return toJson(TRADE_CONFIRMATION, message);
}

/** Reads an MT600 from its JSON form. */
export function fromTradeConfirmationJson(value: unknown): Outcome<{ message: TradeConfirmation }> {
  return fromJson(TRADE_CONFIRMATION, value);
}
