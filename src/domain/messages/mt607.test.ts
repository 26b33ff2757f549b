import { describe, expect, test } from 'vitest';
import {
  type CreditAdvice,
  fromCreditAdviceJson,
  parseCreditAdviceText,
  renderCreditAdviceText,
  toCreditAdviceJson,
} from './mt607.ts';

/** The depository advises the client of the bars credited at settlement (26D is Ingot's addition). */
const CREDIT_1961: CreditAdvice = {
  type: 'MT607',
  reference: 'CR-1',
  related_reference: 'TRADE-1',
  account: 'NBC-GOLD',
  metal: {
    delivery: null,
    location: 'MOSCOW',
    allocation: 'ALLOC',
    commodity: 'GOLD',
    denomination: null,
    form: 'BARS',
  },
  value_date: '1961-01-31',
  bar_numbers: ['XYZ/123456/1958', 'XYZ/123457/1958', 'ABC/7781/1960'],
  quantity_fine_milli_oz: 1_198_320n,
  sender_to_receiver: 'Delivery versus payment of 31 January 1961.',
};

/** A credit advice from elsewhere, lower-case type line, CRLF line ends. */
const FROM_ELSEWHERE =
  'mt607\r\n:20:CR-55\r\n:21:NONREF\r\n:26C:/ZURICH/ALLOCGOLD\r\n:30:991231\r\n:32F:FOZ400,125\r\n';

describe('MT607, credit advice', () => {
  test('render → parse → render, and JSON', () => {
    const text = renderCreditAdviceText(CREDIT_1961);
    expect(text).toContain(':26D:XYZ/123456/1958\nXYZ/123457/1958\nABC/7781/1960\n:32F:FOZ1198,32\n');
    const parsed = parseCreditAdviceText(text);
    expect(parsed).toEqual({ ok: true, message: CREDIT_1961, ignored_fields: [] });
    expect(parsed.ok && renderCreditAdviceText(parsed.message)).toBe(text);
    const json = JSON.parse(JSON.stringify(toCreditAdviceJson(CREDIT_1961)));
    expect(fromCreditAdviceJson(json)).toEqual({ ok: true, message: CREDIT_1961 });
  });

  test('reads an advice from elsewhere', () => {
    const parsed = parseCreditAdviceText(FROM_ELSEWHERE);
    expect(parsed.ok && parsed.message).toMatchObject({
      reference: 'CR-55',
      related_reference: 'NONREF',
      value_date: '1999-12-31',
      quantity_fine_milli_oz: 400_125n,
      metal: { location: 'ZURICH', allocation: 'ALLOC' },
    });
  });

  test('a debit advice is not a credit advice', () => {
    const parsed = parseCreditAdviceText(FROM_ELSEWHERE.replace('mt607', 'MT606'));
    expect(parsed.ok ? 'ok' : parsed.message).toBe('the message is an MT606, not an MT607');
  });
});
