import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  checkMessage,
  MESSAGE_TYPES,
  type Message,
  messageFromJson,
  messageToJson,
  parseMessageText,
  renderMessageText,
} from './index.ts';
import { messageArbitrary } from './test-arbitraries.ts';

/** The message parsed, or a failure showing why, for readable property failures. */
function parsed(text: string): Message | string {
  const result = parseMessageText(text);
  return result.ok ? result.message : `${result.code} [${result.field}]: ${result.message}`;
}

describe('round trips over generated messages of every type', () => {
  test('render → parse gives the message back, and rendering it again gives the same text', () => {
    fc.assert(
      fc.property(messageArbitrary, (message) => {
        const text = renderMessageText(message);
        const back = parsed(text);
        expect(back).toEqual(message);
        if (typeof back !== 'string') expect(renderMessageText(back)).toBe(text);
      }),
      { numRuns: 600 },
    );
  });

  test('JSON → text → JSON, through JSON.stringify, gives the message back', () => {
    fc.assert(
      fc.property(messageArbitrary, (message) => {
        const json = JSON.parse(JSON.stringify(messageToJson(message)));
        const read = messageFromJson(json);
        expect(read.ok ? read.message : read.message).toEqual(message);
        expect(checkMessage(message)).toEqual({ ok: true });
      }),
      { numRuns: 300 },
    );
  });

  test('every type is generated', () => {
    const seen = new Set(fc.sample(messageArbitrary, { numRuns: 400, seed: 1961 }).map((m) => m.type));
    expect([...seen].sort()).toEqual([...MESSAGE_TYPES].sort());
  });
});

describe('type detection', () => {
  const fields = ':20:LETTER-7\n:79:Shipment details follow.\n';
  test.each([
    ['a type line', `MT699\n${fields}`, 'MT699'],
    ['a type line with a space, lower case', `mt 699\n${fields}`, 'MT699'],
    ['a type line with a dash and a closing "-"', `MT-699\n${fields}-\n`, 'MT699'],
    ['blank lines before the type line', `\n\n  MT699\n${fields}`, 'MT699'],
    ['CRLF line ends and a byte order mark', `\uFEFFMT699\r\n${fields.replaceAll('\n', '\r\n')}`, 'MT699'],
    ['SWIFT blocks, input', `{1:F01GOSBSUMMAXXX0000000000}{2:I699BNCUCUHHXXXXN}{4:\n${fields}-}`, 'MT699'],
    [
      'SWIFT blocks, output',
      `{1:F01X}{2:O6991200610117BNCUCUHHAXXX00000000006101171200N}{4:\n${fields}-}{5:{CHK:1}}`,
      'MT699',
    ],
    ['an Ingot offer', 'INGOT-OFFER\n:20:X\n', 'invalid_input [82a]'],
  ])('%s', (_case, text, expected) => {
    const result = parseMessageText(text);
    expect(result.ok ? result.message.type : `${result.code} [${result.field}]`).toBe(expected);
  });

  test.each([
    ['an empty text', '', 'type', 'the message is empty'],
    ['fields with no type line', fields, 'type', 'begins with a line naming its type'],
    ['a type Ingot does not read', `MT103\n${fields}`, 'type', 'MT103 is not a message Ingot reads'],
    [
      'SWIFT blocks of another type',
      `{2:I103BANKDEFFXXXXN}{4:\n${fields}-}`,
      'type',
      'MT103 is not a message',
    ],
    ['SWIFT blocks without block 2', `{1:F01X}{4:\n${fields}-}`, 'type', 'block 2'],
    ['SWIFT blocks without block 4', '{1:F01X}{2:I699BANKDEFFXXXXN}', 'text', 'block 4'],
    ['block 4 not closed', `{2:I699BANKDEFFXXXXN}{4:\n${fields}`, 'text', 'does not end with a line "-}"'],
    ['text before the first field', `MT699\nDear colleagues\n${fields}`, 'text', 'is not in a field'],
    ['a type line and nothing else', 'MT699\n', 'text', 'no fields'],
  ])('%s is refused', (_case, text, field, reason) => {
    const result = parseMessageText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.field).toBe(field);
    expect(result.message).toContain(reason);
  });
});

describe('messageFromJson', () => {
  const ADVICE_JSON = {
    type: 'MT607',
    reference: 'CR-1',
    related_reference: 'TRADE-1',
    metal: {
      delivery: null,
      location: 'MOSCOW',
      allocation: 'ALLOC',
      commodity: 'GOLD',
      denomination: null,
      form: null,
    },
    value_date: '1961-01-31',
    quantity_fine_milli_oz: '400125',
  };
  test('reads a message with optional fields left out', () => {
    const read = messageFromJson(ADVICE_JSON);
    expect(read.ok && read.message).toMatchObject({
      type: 'MT607',
      account: null,
      quantity_fine_milli_oz: 400_125n,
    });
  });

  test.each([
    ['not an object', 'MT699', 'type'],
    ['no type', { reference: 'X' }, 'type'],
    ['an unknown type', { type: 'MT103' }, 'type'],
    ['a member of no field', { type: 'MT699', reference: 'X', narrative: 'Y', note: 'Z' }, 'note'],
    ['a missing field', { type: 'MT699', reference: 'X' }, 'narrative'],
    [
      'an amount as a JSON number',
      { ...ADVICE_JSON, quantity_fine_milli_oz: 400125 },
      'quantity_fine_milli_oz',
    ],
    ['a date written YYMMDD', { ...ADVICE_JSON, value_date: '610131' }, 'value_date'],
    [
      'a metal with a member too many',
      { ...ADVICE_JSON, metal: { ...ADVICE_JSON.metal, purity: 9999 } },
      'metal',
    ],
  ])('%s is refused', (_case, value, field) => {
    const result = messageFromJson(value);
    expect(result.ok ? 'ok' : result.field).toBe(field);
  });
});
