// MT604, transfer/delivery order: the owner instructs its custodian to transfer or deliver gold.
import type { Outcome } from '../outcome.ts';
import { account, barNumbers, date, identification, narrative, quantity, reference } from './codecs.ts';
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
import { party } from './party.ts';

const FIELDS = {
  reference: required('20', reference),
  related_reference: optional('21', reference),
  further_identification: required('23', identification),
  metal: required('26C', metal),
  account: optional('25', account),
  value_date: required('30', date),
  bar_numbers: optional('26D', barNumbers),
  quantity_fine_milli_oz: required('32F', quantity),
  instructing_party: optional('82', party),
  receiver: optional('87', party),
  beneficiary: required('88', party),
  sender_to_receiver: optional('72', narrative),
};

/** MT604: one transfer or delivery (23: TRANSFER, DELIVERY…), naming the bars in 26D if allocated. */
export interface TransferOrder extends FieldValues<typeof FIELDS> {
  readonly type: 'MT604';
}
/** The JSON form of an MT604. */
export type TransferOrderJson = { readonly type: 'MT604' } & FieldJson<typeof FIELDS>;

/** The MT604 format: its fields; no rules across them. */
export const TRANSFER_ORDER: MessageFormat<'MT604', typeof FIELDS> = {
  type: 'MT604',
  fields: FIELDS,
  check: () => null,
};

/** Renders an MT604 as text. */
export function renderTransferOrderText(message: TransferOrder): string {
  return renderText(TRANSFER_ORDER, message);
}

/** Parses an MT604 from text, listing the fields it left out. */
export function parseTransferOrderText(
  text: string,
): Outcome<{ message: TransferOrder; ignored_fields: string[] }> {
  return parseText(TRANSFER_ORDER, text);
}

/** The JSON form of an MT604. */
export function toTransferOrderJson(message: TransferOrder): TransferOrderJson {
  return toJson(TRANSFER_ORDER, message);
}

/** Reads an MT604 from its JSON form. */
export function fromTransferOrderJson(value: unknown): Outcome<{ message: TransferOrder }> {
  return fromJson(TRANSFER_ORDER, value);
}
