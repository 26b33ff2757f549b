// Cursor paging of long lists: each page ends with an opaque cursor naming the last row's sort key
// and id, and the next page starts after it (keyset paging), so page 10,000 costs what page 1 does.
import { InputError } from './input-error.ts';

/** Rows per page unless the caller asks for fewer or more (up to PAGE_ROWS_MAX). */
export const PAGE_ROWS_DEFAULT = 100;
export const PAGE_ROWS_MAX = 1000;

/** Encodes the position after a row: its sort key and id, as text. */
export function encodeCursor(position: readonly string[]): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Decodes a cursor of `length` parts, or refuses it naming the field. */
export function decodeCursor(cursor: string, length: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== length ||
    !parsed.every((part) => typeof part === 'string' && part.length <= 200)
  ) {
    throw new InputError('the cursor is not one this list gave out', 'cursor');
  }
  return parsed as string[];
}

/** Parses a cursor part that must be an integer. */
export function cursorInteger(text: string): bigint {
  if (!/^-?[0-9]{1,30}$/.test(text)) {
    throw new InputError('the cursor is not one this list gave out', 'cursor');
  }
  return BigInt(text);
}

/** Splits `limit + 1` fetched rows into the page and whether another follows. */
export function pageOf<T>(rows: readonly T[], limit: number): { items: T[]; more: boolean } {
  return { items: rows.slice(0, limit), more: rows.length > limit };
}
