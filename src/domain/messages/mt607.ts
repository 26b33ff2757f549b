// MT607, metal credit advice: the custodian tells the owner that gold has come into its account.
import type { Outcome } from '../outcome.ts';
import { account, barNumbers, date, narrative, quantity, reference } from './codecs.ts';
import {
  type FieldJson,
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

const FIELDS = {
  reference: required('20', reference),
  related_reference: required('21', reference),
  account: optional('25', account),
  metal: required('26C', metal),
  value_date: required('30', date),
  bar_numbers: optional('26D', barNumbers),
  quantity_fine_milli_oz: required('32F', quantity),
  sender_to_receiver: optional('72', narrative),
};

/** MT607: a credit to the owner's metal account; 21 names the order it follows (NONREF if none). */
export interface CreditAdvice extends FieldValues<typeof FIELDS> {
  readonly type: 'MT607';
}
/** The JSON form of an MT607. */
export type CreditAdviceJson = { readonly type: 'MT607' } & FieldJson<typeof FIELDS>;

/** The MT607 format: its fields (26D, the bars, is Ingot's addition); no rules across them. */
export const CREDIT_ADVICE: MessageFormat<'MT607', typeof FIELDS> = {
  type: 'MT607',
  fields: FIELDS,
  check: () => null,
};

/** Renders an MT607 as text. */
export function renderCreditAdviceText(message: CreditAdvice): string {
  return renderText(CREDIT_ADVICE, message);
}

/** Parses an MT607 from text, listing the fields it left out. */
export function parseCreditAdviceText(
  text: string,
): Outcome<{ message: CreditAdvice; ignored_fields: string[] }> {
  return parseText(CREDIT_ADVICE, text);
}

/** The JSON form of an MT607. */
export function toCreditAdviceJson(message: CreditAdvice): CreditAdviceJson {
  return toJson(CREDIT_ADVICE, message);
}

/** Reads an MT607 from its JSON form. */
export function fromCreditAdviceJson(value: unknown): Outcome<{ message: CreditAdvice }> {
  return fromJson(CREDIT_ADVICE, value);
}
