// INGOT-ACCEPTANCE, Ingot's own message: the client takes up an offer, for a quantity of fine gold
// (32F) or for a sum (32B), with the exchange rate (36, Ingot's form "GBPUSD2,8") when the sum is
// not in the offer's currency. 21 is the offer's reference, 30 the date of acceptance.
import type { Outcome } from '../outcome.ts';
import { amount, date, narrative, quantity, reference } from './codecs.ts';
import {
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
import { exchangeRate } from './terms.ts';

const FIELDS = {
  reference: required('20', reference),
  offer_reference: required('21', reference),
  accepted_on: required('30', date),
  quantity_fine_milli_oz: optional('32F', quantity),
  amount: optional('32B', amount),
  exchange_rate: optional('36', exchangeRate),
  narrative: optional('79', narrative),
};

/** An acceptance of an offer: exactly one of a quantity and an amount. */
export interface AcceptanceMessage extends FieldValues<typeof FIELDS> {
  readonly type: 'INGOT-ACCEPTANCE';
}
/** The JSON form of an acceptance. */
export type AcceptanceMessageJson = { readonly type: 'INGOT-ACCEPTANCE' } & FieldJson<typeof FIELDS>;

/** Exactly one of quantity and amount; a rate only with an amount, and quoting the amount's currency. */
function check(acceptance: AcceptanceMessage): FieldProblem | null {
  const { quantity_fine_milli_oz: asked, amount: sum, exchange_rate: rate } = acceptance;
  if ((asked === null) === (sum === null)) {
    const reason = 'an acceptance asks for a quantity (32F) or an amount (32B): exactly one of them';
    return { field: 'quantity_fine_milli_oz', reason };
  }
  if (rate === null) return null;
  if (sum === null) return { field: 'exchange_rate', reason: 'an exchange rate goes with an amount (32B)' };
  if (rate.base !== sum.currency && rate.quote !== sum.currency) {
    const pair = `${rate.base}${rate.quote}`;
    const reason = `the rate ${pair} does not convert the amount's currency ${sum.currency}`;
    return { field: 'exchange_rate', reason };
  }
  return null;
}

/** The acceptance format: its fields and checks. */
export const ACCEPTANCE: MessageFormat<'INGOT-ACCEPTANCE', typeof FIELDS> = {
  type: 'INGOT-ACCEPTANCE',
  fields: FIELDS,
  check,
};

/** Renders an acceptance as text. */
export function renderAcceptanceText(message: AcceptanceMessage): string {
  return renderText(ACCEPTANCE, message);
}

/** Parses an acceptance from text, listing the fields it left out. */
export function parseAcceptanceText(
  text: string,
): Outcome<{ message: AcceptanceMessage; ignored_fields: string[] }> {
  return parseText(ACCEPTANCE, text);
}

/** The JSON form of an acceptance. */
export function toAcceptanceJson(message: AcceptanceMessage): AcceptanceMessageJson {
  return toJson(ACCEPTANCE, message);
}

/** Reads an acceptance from its JSON form. */
export function fromAcceptanceJson(value: unknown): Outcome<{ message: AcceptanceMessage }> {
  return fromJson(ACCEPTANCE, value);
}
