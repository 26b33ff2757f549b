import { describe, expect, test } from 'vitest';
import { composeLetter } from './compose.ts';
import { payloadOf, readPayload, writePayload } from './payload.ts';

const LETTER = composeLetter({
  reference: 'SHIP-12',
  related_reference: 'REL-1',
  text: 'The ship leaves Odessa.',
});

describe('the payload of an envelope', () => {
  test('carries the classification, subject and message there and back', () => {
    const body = writePayload(payloadOf(LETTER, 'secret', 'Shipment'));
    const read = readPayload(body);
    expect(read).toMatchObject({ ok: true, payload: { classification: 'secret', subject: 'Shipment' } });
    expect(read.ok && read.message).toEqual(LETTER);
  });

  test.each([
    ['not JSON', 'MT699', 'body'],
    ['another version', JSON.stringify({ ingot: 2 }), 'ingot'],
    ['no classification', JSON.stringify({ ingot: 1, classification: 'restricted' }), 'classification'],
    [
      'a type that is not the text',
      writePayload({ ...payloadOf(LETTER, 'secret', 'S'), type: 'MT600' }),
      'type',
    ],
    [
      'a message that does not parse',
      writePayload({ ...payloadOf(LETTER, 'secret', 'S'), text: 'MT699\n:20:X\n' }),
      '79',
    ],
  ])('refuses %s, naming the field', (_name, body, field) => {
    expect(readPayload(body)).toMatchObject({ ok: false, code: 'message_invalid', field });
  });
});
