import { describe, expect, test } from 'vitest';
import {
  fromNoticeToReceiveJson,
  type NoticeToReceive,
  parseNoticeToReceiveText,
  renderNoticeToReceiveText,
  toNoticeToReceiveJson,
} from './mt605.ts';

/** A notice from elsewhere: gold transferred in from a London account. */
const FROM_ELSEWHERE = `MT605
:20:IN-0042
:23:TRANSFER
:26C:/LONDON/UNALLGOLD
:30:240412
:32F:FOZ3200,500
:87A:CHASGB2L
:72:/BNF/OUR UNALLOCATED ACCOUNT
-
`;

const EXPECTED: NoticeToReceive = {
  type: 'MT605',
  reference: 'IN-0042',
  related_reference: null,
  further_identification: 'TRANSFER',
  metal: {
    delivery: null,
    location: 'LONDON',
    allocation: 'UNALL',
    commodity: 'GOLD',
    denomination: null,
    form: null,
  },
  account: null,
  value_date: '2024-04-12',
  bar_numbers: null,
  quantity_fine_milli_oz: 3_200_500n,
  instructing_party: null,
  deliverer: { option: 'A', identifier: null, lines: ['CHASGB2L'] },
  beneficiary: null,
  sender_to_receiver: '/BNF/OUR UNALLOCATED ACCOUNT',
};

describe('MT605, notice to receive', () => {
  test('reads a notice from elsewhere', () => {
    expect(parseNoticeToReceiveText(FROM_ELSEWHERE)).toEqual({
      ok: true,
      message: EXPECTED,
      ignored_fields: [],
    });
  });

  test('render → parse → render, and JSON', () => {
    const text = renderNoticeToReceiveText(EXPECTED);
    // Ingot writes amounts without trailing zeros: the same quantity, the same text otherwise.
    expect(`${text}-\n`).toBe(FROM_ELSEWHERE.replace('3200,500', '3200,5'));
    const parsed = parseNoticeToReceiveText(text);
    expect(parsed.ok && renderNoticeToReceiveText(parsed.message)).toBe(text);
    const json = JSON.parse(JSON.stringify(toNoticeToReceiveJson(EXPECTED)));
    expect(fromNoticeToReceiveJson(json)).toEqual({ ok: true, message: EXPECTED });
  });

  test.each([
    [
      'a quantity with seven decimals',
      ['FOZ3200,500', 'FOZ3200,5000001'],
      '32F',
      'has 7 decimals; at most 6',
    ],
    ['a value date of 31 April', [':30:240412', ':30:240431'], '30', 'date "240431" is no real date'],
    ['no metal', [':26C:/LONDON/UNALLGOLD\n', ''], '26C', 'field 26C is missing'],
  ] as const)('%s is refused naming the field', (_case, [from, to], field, reason) => {
    const parsed = parseNoticeToReceiveText(FROM_ELSEWHERE.replace(from, to));
    expect(parsed.ok ? 'ok' : parsed.field).toBe(field);
    expect(parsed.ok ? '' : parsed.message).toContain(reason);
  });
});
