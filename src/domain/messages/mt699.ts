// MT699, free format: a letter between the banks, for what no other message says (shipment details,
// remarks, the case-by-case coordination of the arrangement).
import type { Outcome } from '../outcome.ts';
import { narrative, reference } from './codecs.ts';
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

const FIELDS = {
  reference: required('20', reference),
  related_reference: optional('21', reference),
  narrative: required('79', narrative),
};

/** MT699: a reference, the reference it answers, and the letter itself. */
export interface FreeFormat extends FieldValues<typeof FIELDS> {
  readonly type: 'MT699';
}
/** The JSON form of an MT699. */
export type FreeFormatJson = { readonly type: 'MT699' } & FieldJson<typeof FIELDS>;

/** The MT699 format: its fields; no rules across them. */
export const FREE_FORMAT: MessageFormat<'MT699', typeof FIELDS> = {
  type: 'MT699',
  fields: FIELDS,
  check: () => null,
};

/** Renders an MT699 as text. */
export function renderFreeFormatText(message: FreeFormat): string {
  return renderText(FREE_FORMAT, message);
}

/** Parses an MT699 from text, listing the fields it left out. */
export function parseFreeFormatText(
  text: string,
): Outcome<{ message: FreeFormat; ignored_fields: string[] }> {
  return parseText(FREE_FORMAT, text);
}

/** The JSON form of an MT699. */
export function toFreeFormatJson(message: FreeFormat): FreeFormatJson {
  return toJson(FREE_FORMAT, message);
}

/** Reads an MT699 from its JSON form. */
export function fromFreeFormatJson(value: unknown): Outcome<{ message: FreeFormat }> {
  return fromJson(FREE_FORMAT, value);
}
