import { describe, expect, test } from 'vitest';
import {
  fromTransferOrderJson,
  parseTransferOrderText,
  renderTransferOrderText,
  type TransferOrder,
  toTransferOrderJson,
} from './mt604.ts';

/** The client orders two of its bars released to its representative. */
const RELEASE: TransferOrder = {
  type: 'MT604',
  reference: 'REL-1',
  related_reference: 'TRADE-1',
  further_identification: 'DELIVERY',
  metal: {
    delivery: null,
    location: 'MOSCOW',
    allocation: 'ALLOC',
    commodity: 'GOLD',
    denomination: null,
    form: null,
  },
  account: 'NBC-GOLD',
  value_date: '1961-03-01',
  bar_numbers: ['XYZ/123456/1958', 'XYZ/123457/1958'],
  quantity_fine_milli_oz: 798_880n,
  instructing_party: { option: 'D', identifier: null, lines: ['BANCO NACIONAL DE CUBA'] },
  receiver: { option: 'D', identifier: '/REPRESENTATIVE', lines: ['CAPT. J. PEREZ, AUTHORIZED'] },
  beneficiary: { option: 'D', identifier: null, lines: ['BANCO NACIONAL DE CUBA', 'LA HABANA'] },
  sender_to_receiver: null,
};

/** An order from elsewhere, in SWIFT's field order (26C first), with an intermediary Ingot leaves out. */
const FROM_ELSEWHERE = `{1:F01BNCUCUHHAXXX0000000000}{2:I604GOSBSUMMXXXXN}{4:
:26C:/MOSCOW/ALLOCGOLD
:25:NBC-GOLD
:30:610301
:20:REL-1
:21:TRADE-1
:23:DELIVERY
:26D:XYZ/123456/1958
XYZ/123457/1958
:32F:FOZ798,88
:82D:BANCO NACIONAL DE CUBA
:86D:EMBASSY OF CUBA, MOSCOW
:87D:/REPRESENTATIVE
CAPT. J. PEREZ, AUTHORIZED
:88D:BANCO NACIONAL DE CUBA
LA HABANA
-}`;

describe('MT604, transfer/delivery order', () => {
  test('reads an order from elsewhere', () => {
    expect(parseTransferOrderText(FROM_ELSEWHERE)).toEqual({
      ok: true,
      message: RELEASE,
      ignored_fields: ['86D'],
    });
  });

  test('render → parse → render is the same text, in Ingot field order', () => {
    const text = renderTransferOrderText(RELEASE);
    expect(text.split('\n').slice(0, 6)).toEqual([
      'MT604',
      ':20:REL-1',
      ':21:TRADE-1',
      ':23:DELIVERY',
      ':26C:/MOSCOW/ALLOCGOLD',
      ':25:NBC-GOLD',
    ]);
    const parsed = parseTransferOrderText(text);
    expect(parsed.ok && renderTransferOrderText(parsed.message)).toBe(text);
  });

  test('JSON round trip', () => {
    const json = JSON.parse(JSON.stringify(toTransferOrderJson(RELEASE)));
    expect(json.bar_numbers).toEqual(['XYZ/123456/1958', 'XYZ/123457/1958']);
    expect(fromTransferOrderJson(json)).toEqual({ ok: true, message: RELEASE });
  });

  test.each([
    ['no beneficiary', [':88D:BANCO NACIONAL DE CUBA\nLA HABANA\n', ''], '88a', 'field 88a is missing'],
    ['two transfers in one message', [':20:REL-1', ':20:REL-1\n:20:REL-2'], '20', 'appears more than once'],
    ['a blank bar line', ['XYZ/123457/1958', '\nXYZ/123457/1958'], '26D', 'bar number line 2 is empty'],
    ['a further identification too long', [':23:DELIVERY', ':23:DELIVERY-TO-BEARER'], '23', 'at most 16'],
  ] as const)('%s is refused naming the field', (_case, [from, to], field, reason) => {
    const parsed = parseTransferOrderText(FROM_ELSEWHERE.replace(from, to));
    expect(parsed.ok ? 'ok' : parsed.field).toBe(field);
    expect(parsed.ok ? '' : parsed.message).toContain(reason);
  });
});
