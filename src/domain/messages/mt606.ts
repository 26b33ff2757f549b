// MT606, metal debit advice: the custodian tells the owner that gold has left its account.
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

/** MT606: a debit of the owner's metal account; 21 names the order it follows (NONREF if none). */
export interface DebitAdvice extends FieldValues<typeof FIELDS> {
  readonly type: 'MT606';
}
/** The JSON form of an MT606. */
export type DebitAdviceJson = { readonly type: 'MT606' } & FieldJson<typeof FIELDS>;

/** The MT606 format: its fields (26D, the bars, is Ingot's addition); no rules across them. */
export const DEBIT_ADVICE: MessageFormat<'MT606', typeof FIELDS> = {
  type: 'MT606',
  fields: FIELDS,
  check: () => null,
};

/** Renders an MT606 as text. */
export function renderDebitAdviceText(message: DebitAdvice): string {
  return renderText(DEBIT_ADVICE, message);
}

/** Parses an MT606 from text, listing the fields it left out. */
export function parseDebitAdviceText(
  text: string,
): Outcome<{ message: DebitAdvice; ignored_fields: string[] }> {
  return parseText(DEBIT_ADVICE, text);
}

/** The JSON form of an MT606. */
export function toDebitAdviceJson(message: DebitAdvice): DebitAdviceJson {
  return toJson(DEBIT_ADVICE, message);
}

/** Reads an MT606 from its JSON form. */
export function fromDebitAdviceJson(value: unknown): Outcome<{ message: DebitAdvice }> {
  return fromJson(DEBIT_ADVICE, value);
}
