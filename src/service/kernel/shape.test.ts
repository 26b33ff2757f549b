import { describe, expect, test } from 'vitest';
import { InvariantError } from '../../domain/outcome.ts';
import { readStored, toJson } from './json.ts';
import {
  absentBefore,
  array,
  bigint,
  boolean,
  describeFlaw,
  integer,
  nullable,
  object,
  oneOf,
  type Shape,
  string,
  variants,
} from './shape.ts';

/** The flaw in words, or undefined when the value passes. */
function flawOf<T>(shape: Shape<T>, value: unknown): string | undefined {
  const flaw = shape.flaw(value, '');
  return flaw && describeFlaw(flaw);
}

const ITEM = object({
  name: string,
  weight: bigint,
  count: integer,
  sealed: boolean,
  colour: oneOf(['red', 'green'] as const),
  note: nullable(string),
  tags: array(string),
  place: variants('kind', { vault: { shelf: integer }, elsewhere: { where: string } }),
});

const VALID = {
  name: 'bar',
  weight: 400_000n,
  count: 3,
  sealed: true,
  colour: 'red',
  note: null,
  tags: ['a', 'b'],
  place: { kind: 'vault', shelf: 2 },
};

describe('shapes', () => {
  test('a valid value passes, extra fields and all', () => {
    expect(flawOf(ITEM, VALID)).toBeUndefined();
    expect(ITEM.is({ ...VALID, extra: 1 })).toBe(true);
    expect(ITEM.is({ ...VALID, note: 'kept', place: { kind: 'elsewhere', where: 'Havana' } })).toBe(true);
  });

  test('a missing field is named by its path', () => {
    const { weight: _weight, ...missing } = VALID;
    expect(flawOf(ITEM, missing)).toBe('weight is missing');
    expect(flawOf(ITEM, { ...VALID, place: { kind: 'vault' } })).toBe('place.shelf is missing');
    expect(flawOf(ITEM, { ...VALID, place: { shelf: 1 } })).toBe('place.kind is missing');
  });

  test('a field of the wrong type is named with what it is', () => {
    expect(flawOf(ITEM, { ...VALID, name: 7 })).toBe('name should be a string, not the number 7');
    expect(flawOf(ITEM, { ...VALID, sealed: 'yes' })).toBe(
      'sealed should be true or false, not the string "yes"',
    );
    expect(flawOf(ITEM, { ...VALID, count: 1.5 })).toBe('count should be a whole number, not the number 1.5');
    expect(flawOf(ITEM, { ...VALID, note: undefined })).toBe('note is missing');
    expect(flawOf(ITEM, { ...VALID, tags: 'a' })).toBe('tags should be an array, not the string "a"');
    expect(flawOf(ITEM, { ...VALID, tags: ['a', 2] })).toBe('tags[1] should be a string, not the number 2');
    expect(flawOf(ITEM, 'bar')).toBe('the value should be an object, not the string "bar"');
    expect(flawOf(ITEM, null)).toBe('the value should be an object, not null');
  });

  test('a number where a bigint belongs is refused', () => {
    expect(flawOf(ITEM, { ...VALID, weight: 400_000 })).toBe(
      'weight should be a bigint, not the number 400000',
    );
    expect(flawOf(array(bigint), [1n, '2'])).toBe('[1] should be a bigint, not the string "2"');
  });

  test('a value outside a closed list is refused, naming the list', () => {
    expect(flawOf(ITEM, { ...VALID, colour: 'blue' })).toBe('colour is "blue", not one of red, green');
    expect(flawOf(ITEM, { ...VALID, place: { kind: 'attic', shelf: 1 } })).toBe(
      'place.kind is "attic", not one of vault, elsewhere',
    );
    expect(flawOf(ITEM, { ...VALID, place: { kind: 'toString' } })).toBe(
      'place.kind is "toString", not one of vault, elsewhere',
    );
  });
});

describe('a field added later', () => {
  const kept = object({ kind: string, added: absentBefore(string) });

  test('may be absent from a record written before it, and is checked where it is there', () => {
    expect(kept.is({ kind: 'user_change' })).toBe(true);
    expect(kept.is({ kind: 'user_change', added: 'abc' })).toBe(true);
    expect(kept.flaw({ kind: 'user_change', added: 7 }, '')).toEqual({
      path: 'added',
      problem: 'should be a string, not the number 7',
    });
    // Only the field marked so: every other field is still required.
    expect(kept.flaw({ added: 'abc' }, '')).toEqual({ path: 'kind', problem: 'is missing' });
  });
});

describe('readStored', () => {
  test('returns what was written, bigints restored', () => {
    expect(readStored(toJson(VALID), 'item I-1', ITEM)).toStrictEqual(VALID);
  });

  test('throws an InvariantError naming the record and the flaw', () => {
    const text = toJson({ ...VALID, place: { kind: 'vault', shelf: '2' } });
    expect(() => readStored(text, 'item I-1', ITEM)).toThrow(InvariantError);
    expect(() => readStored(text, 'item I-1', ITEM)).toThrow(
      'item I-1: place.shelf should be a whole number, not the string "2"',
    );
  });

  test('a bigint tag without an integer is refused by its path, not by the parse', () => {
    const text = JSON.stringify({ ...VALID, weight: { $n: '12x' } });
    expect(() => readStored(text, 'item I-1', ITEM)).toThrow(
      'item I-1: weight should be a bigint, not an object',
    );
  });

  test('text that is not JSON is a broken invariant too', () => {
    expect(() => readStored('{"name":', 'item I-1', ITEM)).toThrow(InvariantError);
    expect(() => readStored('{"name":', 'item I-1', ITEM)).toThrow(/^item I-1: the stored text is not JSON/);
  });
});
