import { describe, expect, test } from 'vitest';
import {
  fromTradeConfirmationJson,
  parseTradeConfirmationText,
  renderTradeConfirmationText,
  type TradeConfirmation,
  toTradeConfirmationJson,
} from './mt600.ts';

/** The 1961 sale as the depository confirms it: 254s 0d an ounce, £7,142,857 2s 9½d received. */
const SALE_1961: TradeConfirmation = {
  type: 'MT600',
  reference: 'TRADE-1',
  related_reference: 'NEW',
  function: { code: 'NEW', common_reference: null },
  party_a: { option: 'D', identifier: '/GOSBANK-GBP', lines: ['STATE BANK OF THE USSR', 'MOSCOW'] },
  party_b: { option: 'D', identifier: '/NBC-GOLD', lines: ['BANCO NACIONAL DE CUBA', 'LA HABANA'] },
  trade_date: '1961-01-17',
  metal: {
    delivery: null,
    location: 'MOSCOW',
    allocation: 'ALLOC',
    commodity: 'GOLD',
    denomination: null,
    form: 'BARS',
  },
  quantity_fine_milli_oz: 562_429_696n,
  price: { currency: 'GBP', minor_per_oz: 60_960n },
  consideration: {
    direction: 'received',
    value_date: '1961-01-31',
    amount: { currency: 'GBP', minor: 34_285_714_270n },
  },
  settlement_institution: null,
  sender_to_receiver: 'Price: London fixing, January 1961 average\n(illustrative).',
};

const SALE_1961_TEXT = `MT600
:20:TRADE-1
:21:NEW
:22:NEW
:82D:/GOSBANK-GBP
STATE BANK OF THE USSR
MOSCOW
:87D:/NBC-GOLD
BANCO NACIONAL DE CUBA
LA HABANA
:30:610117
:26C:/MOSCOW/ALLOCGOLD//BARS
:32F:FOZ562429,696
:33G:GBP12,7
:34R:610131GBP7142857/2/9,5
:72:Price: London fixing, January 1961 average
(illustrative).
`;

/** A confirmation from a London bullion bank, with fields Ingot does not model. */
const FROM_ELSEWHERE = [
  '{1:F01UBSWCHZHAXXX0000000000}{2:I600CHASGB2LXXXXN}{3:{108:MT600 TEST}}{4:',
  ':15A:',
  ':20:T0012345',
  ':21:NEW',
  ':22:NEW/CHAS2L0955UBSWZH',
  ':94A:BILA',
  ':82A:UBSWCHZH80A',
  ':87A:CHASGB2L',
  ':77D:LBMA TERMS',
  ':15B:',
  ':30:240305',
  ':26C:/LONDON/UNALLGOLD',
  ':32F:FOZ1000,',
  ':33G:USD2095,5',
  ':34P:240307USD2095500,',
  ':57A:CHASUS33',
  ':72:/PHON/',
  '-}{5:{CHK:0123456789AB}}',
].join('\r\n');

describe('MT600, trade confirmation', () => {
  test('renders the 1961 sale, and parses it back to the same text', () => {
    const text = renderTradeConfirmationText(SALE_1961);
    expect(text).toBe(SALE_1961_TEXT);
    const parsed = parseTradeConfirmationText(text);
    expect(parsed).toEqual({ ok: true, message: SALE_1961, ignored_fields: [] });
    expect(parsed.ok && renderTradeConfirmationText(parsed.message)).toBe(text);
  });

  test('the JSON form carries every field by name, amounts as strings, and reads back', () => {
    const json = toTradeConfirmationJson(SALE_1961);
    expect(json.consideration).toEqual({
      direction: 'received',
      value_date: '1961-01-31',
      amount: { currency: 'GBP', minor: '34285714270' },
    });
    expect(json.quantity_fine_milli_oz).toBe('562429696');
    expect(fromTradeConfirmationJson(JSON.parse(JSON.stringify(json)))).toEqual({
      ok: true,
      message: SALE_1961,
    });
  });

  test('reads a confirmation from elsewhere, listing the fields it leaves out', () => {
    const parsed = parseTradeConfirmationText(FROM_ELSEWHERE);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.ignored_fields).toEqual(['15A', '94A', '77D', '15B']);
    expect(parsed.message).toMatchObject({
      reference: 'T0012345',
      function: { code: 'NEW', common_reference: 'CHAS2L0955UBSWZH' },
      party_a: { option: 'A', identifier: null, lines: ['UBSWCHZH80A'] },
      trade_date: '2024-03-05',
      quantity_fine_milli_oz: 1_000_000n,
      price: { currency: 'USD', minor_per_oz: 209_550n },
      consideration: {
        direction: 'paid',
        value_date: '2024-03-07',
        amount: { currency: 'USD', minor: 209_550_000n },
      },
      settlement_institution: { option: 'A', lines: ['CHASUS33'] },
      sender_to_receiver: '/PHON/',
    });
  });

  test.each([
    [
      'a malformed quantity',
      [':32F:FOZ1000,', ':32F:FOZ12.5.0'],
      '32F',
      'field 32F: amount "12.5.0" is not a number',
    ],
    ['a quantity in kilos', [':32F:FOZ1000,', ':32F:KLO31,1'], '32F', 'unit "KLO" is not FOZ'],
    [
      'a second reference',
      [':20:T0012345', ':20:T0012345\r\n:20:T0012346'],
      '20',
      'field 20 appears more than once',
    ],
    ['no price', [':33G:USD2095,5\r\n', ''], '33G', 'field 33G is missing'],
    ['no party B', [':87A:CHASGB2L\r\n', ''], '87a', 'field 87a is missing'],
    [
      'a price finer than the cent',
      [':33G:USD2095,5', ':33G:USD2095,505'],
      '33G',
      'not a whole number of the cent',
    ],
    ['an unknown function', [':22:NEW/', ':22:RENEW/'], '22', 'function code "RENEW" is not one of'],
    ['a trade date of 30 February', [':30:240305', ':30:240230'], '30', 'date "240230" is no real date'],
    [
      'a consideration in another currency',
      [':34P:240307USD', ':34P:240307EUR'],
      '34P',
      'the consideration is in EUR',
    ],
    ['silver', ['UNALLGOLD', 'UNALLSILV'], '26C', 'commodity "SILV" is not GOLD'],
  ])('%s is refused naming the field', (_case, [from = '', to = ''], field, reason) => {
    const parsed = parseTradeConfirmationText(FROM_ELSEWHERE.replace(from, to));
    expect(parsed.ok ? 'ok' : parsed.field).toBe(field);
    expect(parsed.ok ? '' : parsed.message).toContain(reason);
  });

  test('another type of message is refused', () => {
    const parsed = parseTradeConfirmationText('MT699\n:20:X\n:79:Y\n');
    expect(parsed.ok ? 'ok' : parsed.message).toBe('the message is an MT699, not an MT600');
  });

  test('from JSON, a field is named by its JSON name', () => {
    const json = { ...toTradeConfirmationJson(SALE_1961), trade_date: '1961-02-30' };
    const read = fromTradeConfirmationJson(json);
    expect(read.ok ? 'ok' : [read.field, read.message]).toEqual([
      'trade_date',
      'field trade_date: date "1961-02-30" is not a date YYYY-MM-DD',
    ]);
  });
});
