import { describe, expect, test } from 'vitest';
import {
  type DebitAdvice,
  fromDebitAdviceJson,
  parseDebitAdviceText,
  renderDebitAdviceText,
  toDebitAdviceJson,
} from './mt606.ts';

/** A debit advice from elsewhere, with an account servicing institution Ingot leaves out. */
const FROM_ELSEWHERE = `{1:F01CHASGB2LAXXX0000000000}{2:O6061015240412UBSWCHZHAXXX00000000002404121015N}{4:
:20:DB-778
:21:T0012345
:25:UNALL-0099
:30:240412
:26C:/LONDON/UNALLGOLD
:32F:FOZ1000,
:52A:CHASGB2L
-}`;

const EXPECTED: DebitAdvice = {
  type: 'MT606',
  reference: 'DB-778',
  related_reference: 'T0012345',
  account: 'UNALL-0099',
  metal: {
    delivery: null,
    location: 'LONDON',
    allocation: 'UNALL',
    commodity: 'GOLD',
    denomination: null,
    form: null,
  },
  value_date: '2024-04-12',
  bar_numbers: null,
  quantity_fine_milli_oz: 1_000_000n,
  sender_to_receiver: null,
};

describe('MT606, debit advice', () => {
  test('reads an advice from elsewhere', () => {
    expect(parseDebitAdviceText(FROM_ELSEWHERE)).toEqual({
      ok: true,
      message: EXPECTED,
      ignored_fields: ['52A'],
    });
  });

  test('render → parse → render, and JSON', () => {
    const text = renderDebitAdviceText(EXPECTED);
    expect(text).toBe(
      'MT606\n:20:DB-778\n:21:T0012345\n:25:UNALL-0099\n:26C:/LONDON/UNALLGOLD\n:30:240412\n:32F:FOZ1000,\n',
    );
    const parsed = parseDebitAdviceText(text);
    expect(parsed.ok && renderDebitAdviceText(parsed.message)).toBe(text);
    const json = JSON.parse(JSON.stringify(toDebitAdviceJson(EXPECTED)));
    expect(fromDebitAdviceJson(json)).toEqual({ ok: true, message: EXPECTED });
  });

  test.each([
    ['no related reference', [':21:T0012345\n', ''], '21', 'field 21 is missing'],
    ['a reference ending in a slash', [':20:DB-778', ':20:DB-778/'], '20', 'starts or ends with "/"'],
    ['an account with an underscore', [':25:UNALL-0099', ':25:UNALL_0099'], '25', "outside SWIFT's set"],
  ] as const)('%s is refused naming the field', (_case, [from, to], field, reason) => {
    const parsed = parseDebitAdviceText(FROM_ELSEWHERE.replace(from, to));
    expect(parsed.ok ? 'ok' : parsed.field).toBe(field);
    expect(parsed.ok ? '' : parsed.message).toContain(reason);
  });
});
