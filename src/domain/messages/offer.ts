// INGOT-OFFER, Ingot's own message: the depository offers gold on stated terms. Its fields borrow
// SWIFT tags where one fits (20, 82a seller, 87a buyer, 26C, 32F, 79); the others are Ingot's:
// 36F minimum fineness "990,0" (‰), 33P pricing "GBP/FIXPAYDAY" (the London fixing of the payment
// day, in sterling), 71F custody fee "0," (% a year), 31C valid from and 31E valid until (YYMMDD).
import type { Outcome } from '../outcome.ts';
import { date, narrative, quantity, reference } from './codecs.ts';
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
import { metal } from './metal.ts';
import { party } from './party.ts';
import { feePercent, fineness, pricing } from './terms.ts';

const FIELDS = {
  reference: required('20', reference),
  seller: required('82', party),
  buyer: required('87', party),
  metal: required('26C', metal),
  maximum_fine_milli_oz: required('32F', quantity),
  minimum_fineness_per10k: required('36F', fineness),
  pricing: required('33P', pricing),
  custody_fee_per_year_per10k: required('71F', feePercent),
  valid_from: required('31C', date),
  valid_until: required('31E', date),
  terms: optional('79', narrative),
};

/** An offer of up to a quantity of gold of a minimum fineness, priced by a rule, open for a period. */
export interface OfferMessage extends FieldValues<typeof FIELDS> {
  readonly type: 'INGOT-OFFER';
}
/** The JSON form of an offer. */
export type OfferMessageJson = { readonly type: 'INGOT-OFFER' } & FieldJson<typeof FIELDS>;

/** The offer closes no earlier than it opens. */
function check(offer: OfferMessage): FieldProblem | null {
  if (offer.valid_until < offer.valid_from) {
    return {
      field: 'valid_until',
      reason: `validity ends ${offer.valid_until} before it starts (${offer.valid_from})`,
    };
  }
  return null;
}

/** The offer format: its fields and checks. */
export const OFFER: MessageFormat<'INGOT-OFFER', typeof FIELDS> = {
  type: 'INGOT-OFFER',
  fields: FIELDS,
  check,
};

/** Renders an offer as text. */
export function renderOfferText(message: OfferMessage): string {
  return renderText(OFFER, message);
}

/** Parses an offer from text, listing the fields it left out. */
export function parseOfferText(text: string): Outcome<{ message: OfferMessage; ignored_fields: string[] }> {
  return parseText(OFFER, text);
}

/** The JSON form of an offer. */
export function toOfferJson(message: OfferMessage): OfferMessageJson {
  return toJson(OFFER, message);
}

/** Reads an offer from its JSON form. */
export function fromOfferJson(value: unknown): Outcome<{ message: OfferMessage }> {
  return fromJson(OFFER, value);
}
