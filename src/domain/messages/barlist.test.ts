import { describe, expect, test } from 'vitest';
import {
  type BarListMessage,
  fromBarListJson,
  parseBarListText,
  renderBarListText,
  toBarListJson,
} from './barlist.ts';

const LIST: BarListMessage = {
  type: 'INGOT-BARLIST',
  reference: 'TRADE-1-BL',
  related_reference: 'TRADE-1',
  account: 'NBC-GOLD',
  date: '1961-01-31',
  custodian: { option: 'D', identifier: null, lines: ['STATE BANK OF THE USSR'] },
  owner: { option: 'D', identifier: '/NBC-GOLD', lines: ['BANCO NACIONAL DE CUBA'] },
  metal: {
    delivery: null,
    location: 'MOSCOW',
    allocation: 'ALLOC',
    commodity: 'GOLD',
    denomination: null,
    form: 'BARS',
  },
  count: 2,
  bars: [
    {
      refiner: 'XYZ',
      serial: '123456',
      year: 1958,
      gross_milli_oz: 401_125n,
      fineness: 9958n,
      fine_milli_oz: 399_440n,
    },
    {
      refiner: 'MSK',
      serial: '100001',
      year: 1955,
      gross_milli_oz: 400_000n,
      fineness: 9999n,
      fine_milli_oz: 399_960n,
    },
  ],
  total_fine_milli_oz: 799_400n,
  sender_to_receiver: null,
};

describe('INGOT-BARLIST', () => {
  test('render → parse → render, and JSON', () => {
    const text = renderBarListText(LIST);
    expect(text).toContain(':18A:2\n:26B:XYZ/123456/1958/401,125/995,8/399,44\n');
    expect(text).toContain(':32F:FOZ799,4\n');
    const parsed = parseBarListText(text);
    expect(parsed).toEqual({ ok: true, message: LIST, ignored_fields: [] });
    const json = JSON.parse(JSON.stringify(toBarListJson(LIST)));
    expect(fromBarListJson(json)).toEqual({ ok: true, message: LIST });
  });

  test.each([
    ['a count that is not the bars listed', (t: string) => t.replace(':18A:2', ':18A:3'), '18A'],
    ['a total that is not the bars', (t: string) => t.replace(':32F:FOZ799,4', ':32F:FOZ799,5'), '32F'],
    ['a fine weight not from gross × fineness', (t: string) => t.replace('/399,44', '/399,45'), '26B'],
    ['a bar listed twice', (t: string) => t.replace('MSK/100001', 'XYZ/123456'), '26B'],
    ['a bar with five parts', (t: string) => t.replace('/1958/', '/'), '26B'],
  ])('refuses %s, naming the field', (_name, change, field) => {
    const parsed = parseBarListText(change(renderBarListText(LIST)));
    expect(parsed.ok ? 'ok' : parsed.field).toBe(field);
  });
});
