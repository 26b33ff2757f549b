import { describe, expect, test } from 'vitest';
import {
  type FreeFormat,
  fromFreeFormatJson,
  parseFreeFormatText,
  renderFreeFormatText,
  toFreeFormatJson,
} from './mt699.ts';

/** A letter of the 1961 correspondence, in Spanish, with a blank line between paragraphs. */
const LETTER: FreeFormat = {
  type: 'MT699',
  reference: 'LETTER-3',
  related_reference: 'OFFER-1',
  narrative:
    'Estimados compañeros:\n\nEl Banco Nacional de Cuba comprará oro por unos\n' +
    'USD 20 millones (aproximadamente 20 toneladas).\nCon saludos revolucionarios,\nE. Guevara',
};

/** A free-format message from elsewhere, in SWIFT blocks, with a 72 field Ingot leaves out. */
const FROM_ELSEWHERE = `{1:F01GOSBSUMMAXXX0000000000}{2:I699BNCUCUHHXXXXN}{4:
:20:SHIP-12
:21:REL-1
:79:THE SHIPMENT WILL LEAVE ODESSA ON 3 MARCH 1961.
INSURANCE: LLOYD'S, FOR ACCOUNT OF THE CLIENT.
:72:/REC/URGENT
-}`;

describe('MT699, free format', () => {
  test('render → parse → render; the letter keeps its script and its blank line', () => {
    const text = renderFreeFormatText(LETTER);
    expect(text).toContain(':79:Estimados compañeros:\n\nEl Banco Nacional');
    const parsed = parseFreeFormatText(text);
    expect(parsed).toEqual({ ok: true, message: LETTER, ignored_fields: [] });
    expect(parsed.ok && renderFreeFormatText(parsed.message)).toBe(text);
  });

  test('JSON round trip', () => {
    const json = JSON.parse(JSON.stringify(toFreeFormatJson(LETTER)));
    expect(json).toEqual({
      type: 'MT699',
      reference: 'LETTER-3',
      related_reference: 'OFFER-1',
      narrative: LETTER.narrative,
    });
    expect(fromFreeFormatJson(json)).toEqual({ ok: true, message: LETTER });
  });

  test('reads a letter from elsewhere', () => {
    expect(parseFreeFormatText(FROM_ELSEWHERE)).toEqual({
      ok: true,
      message: {
        type: 'MT699',
        reference: 'SHIP-12',
        related_reference: 'REL-1',
        narrative:
          "THE SHIPMENT WILL LEAVE ODESSA ON 3 MARCH 1961.\nINSURANCE: LLOYD'S, FOR ACCOUNT OF THE CLIENT.",
      },
      ignored_fields: ['72'],
    });
  });

  test.each([
    ['no narrative', [/:79:[^\n]*\n[^\n]*\n/, ''], '79', 'field 79 is missing'],
    ['an empty narrative', [/:79:[^\n]*\n[^\n]*\n/, ':79:\n'], '79', 'narrative is empty'],
  ] as const)('%s is refused naming the field', (_case, [from, to], field, reason) => {
    const parsed = parseFreeFormatText(FROM_ELSEWHERE.replace(from, to));
    expect(parsed.ok ? 'ok' : parsed.field).toBe(field);
    expect(parsed.ok ? '' : parsed.message).toContain(reason);
  });

  test('a narrative that would forge a field is refused from JSON', () => {
    const read = fromFreeFormatJson({ type: 'MT699', reference: 'X', narrative: 'Agreed.\n:32F:FOZ1000,' });
    expect(read.ok ? 'ok' : read.message).toBe(
      'field narrative: narrative, line 2, ":32F:FOZ1000," would read as a field tag',
    );
  });
});
