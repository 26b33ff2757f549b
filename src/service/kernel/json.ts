// JSON that keeps bigints exact: a bigint is written as {"$n": "123"} and read back as 123n.
// What the books hold is read back through a shape (shape.ts), never cast: a record that is not
// what was written is corrupt books, a broken invariant, and stops the operation naming it.
import { InvariantError } from '../../domain/outcome.ts';
import { describeFlaw, type Shape } from './shape.ts';

/** Serializes a value, writing bigints as tagged decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? { $n: item.toString() } : item,
  );
}

const INTEGER = /^-?[0-9]+$/;

/**
 * Restores a bigint from its tag. A tag whose digits are not an integer is left as an object, so
 * that a shape refuses it by its path instead of the parse failing with no word of where.
 */
function reviveBigint(_key: string, item: unknown): unknown {
  if (typeof item === 'object' && item !== null && '$n' in item && Object.keys(item).length === 1) {
    const digits = item.$n;
    if (typeof digits === 'string' && INTEGER.test(digits)) return BigInt(digits);
  }
  return item;
}

/** Parses text written by `toJson`, restoring bigints; what it holds is left for the caller to look at. */
export function parseJson(text: string): unknown {
  return JSON.parse(text, reviveBigint);
}

/**
 * Parses text written by `toJson`, restoring bigints, and casts it to T unchecked. Only for values
 * whose type the reader cannot know (a response kept for replay, an outcome shown as it is); what
 * the domain reads goes through `readStored`.
 */
export function fromJson<T>(text: string): T {
  return parseJson(text) as T;
}

/**
 * Reads a stored JSON body as the shape's type, or throws an InvariantError naming the record and
 * the flaw ("instruction INS-3: details.kind is missing"): the books hold only what was written,
 * so a body that fails its shape is corruption, never a user's error.
 */
export function readStored<T>(text: string, what: string, shape: Shape<T>): T {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvariantError(`${what}: the stored text is not JSON (${reason})`);
  }
  if (shape.is(value)) return value;
  const flaw = shape.flaw(value, '') ?? { path: '', problem: 'does not have its shape' };
  throw new InvariantError(`${what}: ${describeFlaw(flaw)}`);
}

/** A value made JSON-safe for printing: bigints become decimal strings. */
export function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item)),
  );
}
