import { describe, expect, test } from 'vitest';
import {
  checkStatementFollows,
  computedClosing,
  fromMetalStatementJson,
  type MetalStatement,
  parseMetalStatementText,
  renderMetalStatementText,
  toMetalStatementJson,
} from './mt608.ts';

/** A semi-monthly statement of an unallocated account from a London bullion bank. */
const FROM_ELSEWHERE = `{1:F01MOCAGB2LAXXX0000000000}{2:O6081200910201DEUTDEFFAXXX00000000009102011200N}{4:
:20:ST910201
:25:0001-UNALL
:28:3/1
:26C:/LONDON/UNALLGOLD
:60F:C910115FOZ150000,
:61:910117D12500,S604F77441200
:61:9101250125D2500,500S604F77441201//SR-22
:61:910124C3000,S607CRESZZ4105DEUTFF
TRANSFER FROM ZURICH
:61:910128RC400,S607CRESZZ4099
:62F:C910131FOZ137599,5
:64:C910131FOZ137599,5
-}`;

describe('MT608, statement of a metal account', () => {
  test('reads a statement from elsewhere and checks that its lines add up', () => {
    const parsed = parseMetalStatementText(FROM_ELSEWHERE);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const statement = parsed.message;
    expect(parsed.ignored_fields).toEqual(['64']);
    expect(statement.statement_number).toEqual({ statement_number: 3, page_number: 1 });
    expect(statement.opening).toEqual({
      intermediate: false,
      mark: 'C',
      date: '1991-01-15',
      fine_milli_oz: 150_000_000n,
    });
    expect(statement.closing.fine_milli_oz).toBe(137_599_500n);
    expect(statement.lines.map((line) => [line.mark, line.fine_milli_oz, line.transaction_type])).toEqual([
      ['D', 12_500_000n, 'S604'],
      ['D', 2_500_500n, 'S604'],
      ['C', 3_000_000n, 'S607'],
      ['RC', 400_000n, 'S607'],
    ]);
    expect(statement.lines[1]).toMatchObject({ entry_date: '0125', servicer_reference: 'SR-22' });
    expect(statement.lines[2]?.details).toBe('TRANSFER FROM ZURICH');
    expect(computedClosing(statement)).toBe(137_599_500n);
  });

  test('render → parse → render, and JSON', () => {
    const parsed = parseMetalStatementText(FROM_ELSEWHERE);
    if (!parsed.ok) throw new Error(parsed.message);
    const text = renderMetalStatementText(parsed.message);
    expect(text.startsWith('MT608\n:20:ST910201\n:25:0001-UNALL\n:28:3/1\n')).toBe(true);
    const again = parseMetalStatementText(text);
    expect(again.ok && renderMetalStatementText(again.message)).toBe(text);
    const json = JSON.parse(JSON.stringify(toMetalStatementJson(parsed.message)));
    expect(json.opening).toEqual({
      intermediate: false,
      mark: 'C',
      date: '1991-01-15',
      fine_milli_oz: '150000000',
    });
    expect(fromMetalStatementJson(json)).toEqual({ ok: true, message: parsed.message });
  });

  test.each([
    [
      'a closing balance the lines do not lead to',
      [':62F:C910131FOZ137599,5', ':62F:C910131FOZ137600,'],
      '62F',
      'the closing balance C 137600, FOZ is 0,5 FOZ more than the 4 statement lines lead to ' +
        'from the opening balance C 150000, FOZ (C 137599,5 FOZ)',
    ],
    [
      'a line left out',
      [':61:910124C3000,S607CRESZZ4105DEUTFF\nTRANSFER FROM ZURICH\n', ''],
      '62F',
      'is 3000, FOZ more than the 3 statement lines lead to',
    ],
    ['a debit where a credit was', [':61:910124C3000', ':61:910124D3000'], '62F', '6000, FOZ more'],
    ['an intermediate closing balance', [':62F:C910131', ':62M:C910131'], '62M', ''],
    ['a closing balance dated first', [':62F:C910131', ':62F:C910114'], '62F', 'dated 1991-01-14, before'],
    [
      'a bad D/C mark in a balance',
      [':60F:C910115', ':60F:X910115'],
      '60F',
      'debit/credit mark "X" is not one of C, D',
    ],
    ['a bad D/C mark in a line', [':61:910117D12500', ':61:910117X12500'], '61', 'is not C, D, RC or RD'],
    [
      'a line dated 30 February',
      [':61:910117D12500', ':61:910230D12500'],
      '61',
      'value date "910230" is no real date',
    ],
    ['grams', [':60F:C910115FOZ', ':60F:C910115GRM'], '60F', 'unit "GRM" is not FOZ'],
    ['no closing balance', [':62F:C910131FOZ137599,5\n', ''], '62a', 'field 62a is missing'],
    [
      'two opening balances',
      [':60F:C910115FOZ150000,', ':60F:C910115FOZ150000,\n:60M:C910115FOZ1,'],
      '60M',
      'more than once',
    ],
  ] as const)('%s is refused naming the field', (_case, [from, to], field, reason) => {
    const parsed = parseMetalStatementText(FROM_ELSEWHERE.replace(from, to));
    if (field === '62M') {
      expect(parsed.ok && parsed.message.closing.intermediate).toBe(true);
      return;
    }
    expect(parsed.ok ? 'ok' : parsed.field).toBe(field);
    expect(parsed.ok ? '' : parsed.message).toContain(reason);
  });

  test('a statement with no lines must close where it opened; a debit balance may go below zero', () => {
    const text =
      'MT608\n:20:ST1\n:25:A-1\n:28:1\n:26C:/MOSCOW/ALLOCGOLD\n:60F:D610101FOZ5,\n:62F:D610131FOZ5,\n';
    expect(parseMetalStatementText(text).ok).toBe(true);
    const drift = parseMetalStatementText(text.replace(':62F:D', ':62F:C'));
    expect(drift.ok ? 'ok' : drift.message).toContain('is 10, FOZ more than the 0 statement lines lead to');
  });

  test('the next statement opens with the last closing balance', () => {
    const first = parseMetalStatementText(FROM_ELSEWHERE);
    if (!first.ok) throw new Error(first.message);
    const next: MetalStatement = {
      ...first.message,
      reference: 'ST910216',
      opening: { ...first.message.closing },
      lines: [],
      closing: { ...first.message.closing, date: '1991-02-15' },
    };
    expect(checkStatementFollows(first.message, next)).toEqual({ ok: true });
    const gap = { ...next, opening: { ...next.opening, fine_milli_oz: 137_000_000n } };
    const refused = checkStatementFollows(first.message, gap);
    expect(refused.ok ? 'ok' : [refused.field, refused.message]).toEqual([
      '60F',
      'field 60F: the opening balance C 137000, FOZ on 1991-01-31 ' +
        'is not the last closing C 137599,5 FOZ on 1991-01-31',
    ]);
    const other = checkStatementFollows(first.message, { ...next, account: 'OTHER' });
    expect(other.ok ? 'ok' : other.field).toBe('25');
  });
});
