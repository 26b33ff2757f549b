// MT605, notice to receive: the owner tells its custodian that gold is coming for its account.
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
  deliverer: optional('87', party),
  beneficiary: optional('88', party),
  sender_to_receiver: optional('72', narrative),
};

/** MT605: gold to be received (23: TRANSFER, DELIVERY…), from the deliverer in 87a, the bars in 26D. */
export interface NoticeToReceive extends FieldValues<typeof FIELDS> {
  readonly type: 'MT605';
}
/** The JSON form of an MT605. */
export type NoticeToReceiveJson = { readonly type: 'MT605' } & FieldJson<typeof FIELDS>;

/** The MT605 format: its fields; no rules across them. */
export const NOTICE_TO_RECEIVE: MessageFormat<'MT605', typeof FIELDS> = {
  type: 'MT605',
  fields: FIELDS,
  check: () => null,
};

/** Renders an MT605 as text. */
export function renderNoticeToReceiveText(message: NoticeToReceive): string {
  return renderText(NOTICE_TO_RECEIVE, message);
}

/** Parses an MT605 from text, listing the fields it left out. */
export function parseNoticeToReceiveText(
  text: string,
): Outcome<{ message: NoticeToReceive; ignored_fields: string[] }> {
  return parseText(NOTICE_TO_RECEIVE, text);
}

/** The JSON form of an MT605. */
export function toNoticeToReceiveJson(message: NoticeToReceive): NoticeToReceiveJson {
  return toJson(NOTICE_TO_RECEIVE, message);
}

/** Reads an MT605 from its JSON form. */
export function fromNoticeToReceiveJson(value: unknown): Outcome<{ message: NoticeToReceive }> {
  return fromJson(NOTICE_TO_RECEIVE, value);
}
