import { describe, expect, test } from 'vitest';
import type { Parsed } from '../decimal.ts';
import { amount, barNumbers, consideration, narrative, price, quantity, reference } from './codecs.ts';
import type { Codec, Json } from './fields.ts';
import { metal } from './metal.ts';
import { messageFunction } from './mt600.ts';
import { party } from './party.ts';
import { balance, statementNumber } from './statement-fields.ts';
import { statementLine } from './statement-line.ts';
import { exchangeRate, feePercent, fineness, pricing } from './terms.ts';

/** What a codec reads from text, written back as JSON so a table can show it, or "!reason". */
function readText<T, J extends Json>(codec: Codec<T, J>, text: string, option = ''): J | string {
  const read: Parsed<T> = codec.readText(text, option);
  return read.ok ? codec.writeJson(read.value) : `!${read.reason}`;
}

/** What a codec reads from JSON, or "!reason". */
function readJson<T, J extends Json>(codec: Codec<T, J>, value: unknown): J | string {
  const read = codec.readJson(value);
  return read.ok ? codec.writeJson(read.value) : `!${read.reason}`;
}

describe('references and text', () => {
  test.each([
    ['TRADE-1', 'TRADE-1'],
    ['NONREF', 'NONREF'],
    ['A/B', 'A/B'],
    ['/TRADE', '!reference "/TRADE" starts or ends with "/" or holds "//"'],
    ['A//B', '!reference "A//B" starts or ends with "/" or holds "//"'],
    ['TRADE-12345678901', '!reference "TRADE-12345678901" is 17 characters; at most 16'],
    ['TRADE_1', '!reference "TRADE_1" has a character outside SWIFT\'s set (A-Z a-z 0-9 /-?:().,\'+ )'],
    ['', '!reference is empty'],
  ])('reference %j → %s', (text, expected) => {
    expect(readText(reference, text)).toBe(expected);
  });

  test.each([
    ['Shipment by sea.\n\nThe costs fall to the buyer.', 'Shipment by sea.\n\nThe costs fall to the buyer.'],
    ['Con saludos, Banco Nacional de Cuba — La Habana', 'Con saludos, Banco Nacional de Cuba — La Habana'],
    ['Line\n:20:INJECTED', '!narrative, line 2, ":20:INJECTED" would read as a field tag'],
    ['Line\n-', '!narrative, line 2, "-" would read as the end of the message'],
    ['Tab\there', '!narrative, line 1, has a character that is not printable'],
  ])('narrative %j → %s', (text, expected) => {
    expect(readText(narrative, text)).toBe(expected);
  });

  test('narrative from JSON is trimmed as the text form would trim it', () => {
    expect(readJson(narrative, 'Dear colleagues,  \r\nyours.\n\n')).toBe('Dear colleagues,\nyours.');
    expect(readJson(narrative, ' \n ')).toBe('!narrative is empty');
    expect(readJson(narrative, 79)).toBe('!narrative must be a string');
  });

  test('bar numbers, one a line', () => {
    expect(readText(barNumbers, 'XYZ/123456/2023\nABC/99/1960')).toEqual(['XYZ/123456/2023', 'ABC/99/1960']);
    expect(readText(barNumbers, 'XYZ/1\n\nABC/2')).toBe('!bar number line 2 is empty');
    expect(readText(barNumbers, 'X'.repeat(66))).toBe(
      `!bar number line 1 "${'X'.repeat(66)}" is 66 characters; at most 65`,
    );
  });
});

describe('quantities, prices and money', () => {
  test.each([
    ['FOZ562429,696', '562429696'],
    ['FOZ100,500000', '100500'],
    ['FOZ12.5.0', '!amount "12.5.0" is not a number'],
    [
      'FOZ100,1234',
      '!amount "100,1234" is finer than 0.001 oz; Ingot keeps gold to the thousandth of an ounce',
    ],
    ['KLO12,5', '!unit "KLO" is not FOZ; Ingot keeps gold in fine troy ounces'],
    ['GOZ400,', '!unit "GOZ" is not FOZ; Ingot keeps gold in fine troy ounces'],
    ['FOZ0,', '!amount must be above zero'],
    ['400,125', '!"400,125" is not a unit and an amount, like FOZ400,125'],
  ])('32F %j → %s', (text, expected) => {
    expect(readText(quantity, text)).toBe(expected);
  });

  test.each([
    ['GBP12,7', { currency: 'GBP', minor_per_oz: '60960' }],
    ['GBP12/14/0', { currency: 'GBP', minor_per_oz: '60960' }],
    ['USD35,56', { currency: 'USD', minor_per_oz: '3556' }],
    ['USD35,0875', '!price "35,0875" is not a whole number of the cent'],
    ['CHF40,', '!price currency "CHF" is not one Ingot keeps (GBP, USD, EUR)'],
    ['USD35,SEE72', '!price code SEE72 (a price per another unit than 32F) is not supported'],
    ['35,56', '!price "35,56" is not a currency and an amount, like GBP12,7'],
  ])('33G %j → %j', (text, expected) => {
    expect(readText(price, text)).toEqual(expected);
  });

  test.each([
    [
      'R',
      '610131GBP7142857/2/9,5',
      { direction: 'received', value_date: '1961-01-31', amount: { currency: 'GBP', minor: '34285714270' } },
    ],
    [
      'P',
      '240301USD1000000,',
      { direction: 'paid', value_date: '2024-03-01', amount: { currency: 'USD', minor: '100000000' } },
    ],
    ['R', '610132GBP1,', '!value date "610132" is no real date'],
    ['R', '610131GBP0,', '!consideration must be above zero'],
  ])('34%s %j → %j', (option, text, expected) => {
    expect(readText(consideration, text, option)).toEqual(expected);
  });

  test('32B from JSON refuses JSON numbers and zero', () => {
    expect(readJson(amount, { currency: 'USD', minor: 2000 })).toBe(
      '!amount minor must be a string of digits, like "1000"',
    );
    expect(readJson(amount, { currency: 'USD', minor: '0' })).toBe('!amount must be above zero');
    expect(readJson(amount, { currency: 'USD', minor: '1', note: 'x' })).toBe('!amount has no member "note"');
  });
});

describe('parties', () => {
  test.each([
    ['A', 'GOSBSUMM', { option: 'A', identifier: null, lines: ['GOSBSUMM'] }],
    ['A', '/D/12345\nBNCUCUHHXXX', { option: 'A', identifier: '/D/12345', lines: ['BNCUCUHHXXX'] }],
    ['B', '/NBC-GOLD', { option: 'B', identifier: '/NBC-GOLD', lines: [] }],
    [
      'D',
      'BANCO NACIONAL DE CUBA\nLA HABANA',
      { option: 'D', identifier: null, lines: ['BANCO NACIONAL DE CUBA', 'LA HABANA'] },
    ],
    ['A', 'GOSBANK', '!party (option A) "GOSBANK" is not a BIC of 8 or 11 characters'],
    ['B', '', '!party is empty'],
    ['D', 'A\nB\nC\nD\nE', '!party (option D) has 5 lines of name and address; 1 to 4'],
    ['D', 'X'.repeat(36), `!party name and address line 1 "${'X'.repeat(36)}" is 36 characters; at most 35`],
    ['D', 'NBC\n/HAVANA', '!only the first line of a party, its identifier, may start with "/"'],
  ])('%s %j → %j', (option, text, expected) => {
    expect(readText(party, text, option)).toEqual(expected);
  });
});

describe('26C, the metal', () => {
  test.each([
    [
      '/LONDON/UNALLGOLD',
      {
        delivery: null,
        location: 'LONDON',
        allocation: 'UNALL',
        commodity: 'GOLD',
        denomination: null,
        form: null,
      },
    ],
    [
      'AVA/MOSCOW/ALLOCGOLD9999//BARS',
      {
        delivery: 'AVA',
        location: 'MOSCOW',
        allocation: 'ALLOC',
        commodity: 'GOLD',
        denomination: '9999',
        form: 'BARS',
      },
    ],
    ['/LONDON/ALLOCSILV', '!commodity "SILV" is not GOLD; Ingot keeps gold only'],
    ['/LONDON/ALLOTGOLD', '!metal account type "ALLOT" is not one of ALLOC, UNALL'],
    ['LONDON ALLOCGOLD', '!metal "LONDON ALLOCGOLD" is not like /MOSCOW/ALLOCGOLD'],
    ['//ALLOCGOLD', '!location is empty'],
    ['/A VERY LONG PLACE NAME/ALLOCGOLD', '!location "A VERY LONG PLACE NAME" is 22 characters; at most 15'],
    ['/LONDON/ALLOCGOLD12345', '!denomination "12345" is 5 characters; at most 4'],
  ])('%j → %j', (text, expected) => {
    expect(readText(metal, text)).toEqual(expected);
  });
});

describe('22, the function of an MT600', () => {
  test.each([
    ['NEW', { code: 'NEW', common_reference: null }],
    ['AMEND/GOSB1270NBCU', { code: 'AMEND', common_reference: 'GOSB1270NBCU' }],
    ['RENEW', '!function code "RENEW" is not one of NEW, AMEND, CANCEL, CORRECT, COMPLETE, EXOPTION, NOTICE'],
    ['NEW/A/B', '!common reference "A/B" may not hold "/"'],
  ])('%j → %j', (text, expected) => {
    expect(readText(messageFunction, text)).toEqual(expected);
  });
});

describe('statement fields', () => {
  test.each([
    ['2/1', { statement_number: 2, page_number: 1 }],
    ['17', { statement_number: 17, page_number: null }],
    ['0', '!statement number 0 is not a whole number from 1 to 99999'],
    ['2-1', '!statement number "2-1" is not like 5 or 5/1'],
  ])('28 %j → %j', (text, expected) => {
    expect(readText(statementNumber, text)).toEqual(expected);
  });

  test.each([
    [
      'F',
      'C610117FOZ100000,',
      { intermediate: false, mark: 'C', date: '1961-01-17', fine_milli_oz: '100000000' },
    ],
    ['M', 'D240131FOZ0,5', { intermediate: true, mark: 'D', date: '2024-01-31', fine_milli_oz: '500' }],
    ['F', 'X610117FOZ1,', '!debit/credit mark "X" is not one of C, D'],
    ['F', 'C611317FOZ1,', '!date "611317" is no real date'],
    ['F', 'C610117KLO1,', '!unit "KLO" is not FOZ; Ingot keeps gold in fine troy ounces'],
    ['F', 'C610117FOZ1.5', '!amount "1.5" has a decimal point; SWIFT writes "1,5"'],
  ])('60%s %j → %j', (option, text, expected) => {
    expect(readText(balance, text, option)).toEqual(expected);
  });

  const line = (fields: Record<string, string | null>) => ({
    value_date: '1991-01-17',
    entry_date: null,
    mark: 'D',
    funds_code: null,
    fine_milli_oz: '10000000',
    transaction_type: 'S604',
    owner_reference: 'F56445677',
    servicer_reference: null,
    details: null,
    ...fields,
  });
  test.each([
    ['910117D10000,S604F56445677', line({})],
    [
      '9101170118RD10000,NTRFNONREF//SR-9\nRETURNED BAR',
      line({
        entry_date: '0118',
        mark: 'RD',
        transaction_type: 'NTRF',
        owner_reference: 'NONREF',
        servicer_reference: 'SR-9',
        details: 'RETURNED BAR',
      }),
    ],
    [
      '910117CX2000,S607CRESZZ3105DEUTFF',
      line({
        mark: 'C',
        funds_code: 'X',
        fine_milli_oz: '2000000',
        transaction_type: 'S607',
        owner_reference: 'CRESZZ3105DEUTFF',
      }),
    ],
    ['910117E10000,S604REF', '!debit/credit mark "E1" is not C, D, RC or RD'],
    ['9101171332D10000,S604REF', '!entry date "1332" is not a date MMDD'],
    ['910117D10000S604REF', '!amount "10000" has no decimal comma; SWIFT writes "10000,"'],
    ['910117D10000,X604REF', '!transaction type "X604" is not like S604, NTRF or FCHG'],
    ['910117D10000,S604', '!reference for the account owner is empty'],
    ['910117D10000,S604REF\nONE\nTWO', '!a statement line has two lines at most: the entry and its details'],
  ])('61 %j', (text, expected) => {
    expect(readText(statementLine, text)).toEqual(expected);
  });
});

describe("Ingot's own fields", () => {
  const codecs = {
    fineness: (text: string) => readText(fineness, text),
    feePercent: (text: string) => readText(feePercent, text),
    pricing: (text: string) => readText(pricing, text),
    exchangeRate: (text: string) => readText(exchangeRate, text),
  };
  test.each<[keyof typeof codecs, string, unknown]>([
    ['fineness', '990,0', '9900'],
    ['fineness', '995,', '9950'],
    ['fineness', '1000,1', '!fineness must be above 0 and at most 1000,0‰'],
    ['fineness', '995,05', '!fineness (‰) "995,05" has 2 decimals; at most 1 are allowed'],
    ['feePercent', '0,', '0'],
    ['feePercent', '0,25', '25'],
    ['pricing', 'GBP/FIXPAYDAY', { currency: 'GBP', rule: 'london_fixing_of_payment_day' }],
    ['pricing', 'GBP/AVERAGE', '!pricing rule "AVERAGE" is not one of FIXPAYDAY'],
    ['exchangeRate', 'GBPUSD2,8', { base: 'GBP', quote: 'USD', quote_per_base_e10: '28000000000' }],
    ['exchangeRate', 'GBPGBP1,', '!exchange rate GBPGBP names one currency twice'],
    ['exchangeRate', 'GBPUSD0,', '!exchange rate must be above zero'],
  ])('%s %j → %j', (codec, text, expected) => {
    expect(codecs[codec](text)).toEqual(expected);
  });
});
