// Checks of text values shared by the text and JSON forms, and small readers of JSON members.
import type { Parsed } from '../decimal.ts';
import { looksLikeFieldStart } from './swift.ts';

/** SWIFT's "x" character set: letters, digits, space and / - ? : ( ) . , ' + */
const SWIFT_X = /^[A-Za-z0-9/\-?:().,'+ ]*$/;
const NOT_PRINTABLE = /[\p{C}\p{Zl}\p{Zp}]/u;

/** Checks a one-line value of SWIFT's "x" set, 1 to `maximum` characters ("16x", "35x"). */
export function checkSwiftText(text: string, maximum: number, what: string): Parsed<string> {
  if (text === '') return { ok: false, reason: `${what} is empty` };
  if (text.length > maximum) {
    return { ok: false, reason: `${what} "${text}" is ${text.length} characters; at most ${maximum}` };
  }
  if (!SWIFT_X.test(text)) {
    return {
      ok: false,
      reason: `${what} "${text}" has a character outside SWIFT's set (A-Z a-z 0-9 /-?:().,'+ )`,
    };
  }
  if (text.trim() !== text) return { ok: false, reason: `${what} "${text}" has spaces at an end` };
  return { ok: true, value: text };
}

/** Checks a reference ("16x"): it must not start or end with "/" nor hold "//" (SWIFT rule T26). */
export function checkReference(text: string, what: string): Parsed<string> {
  const checked = checkSwiftText(text, 16, what);
  if (!checked.ok) return checked;
  if (text.startsWith('/') || text.endsWith('/') || text.includes('//')) {
    return { ok: false, reason: `${what} "${text}" starts or ends with "/" or holds "//"` };
  }
  return checked;
}

/**
 * Checks a line of free text (names, narrative): printable characters in any script, no spaces at
 * its end, and nothing that would read as the start of a field (":20:") or the end of the text
 * ("-" alone, "-}").
 */
export function checkFreeLine(line: string, maximum: number | null, what: string): Parsed<string> {
  if (NOT_PRINTABLE.test(line)) return { ok: false, reason: `${what} has a character that is not printable` };
  if (line.trimEnd() !== line) return { ok: false, reason: `${what} "${line}" ends with spaces` };
  if (looksLikeFieldStart(line)) return { ok: false, reason: `${what} "${line}" would read as a field tag` };
  if (line === '-' || line.startsWith('-}')) {
    return { ok: false, reason: `${what} "${line}" would read as the end of the message` };
  }
  const length = [...line].length;
  if (maximum !== null && length > maximum) {
    return { ok: false, reason: `${what} "${line}" is ${length} characters; at most ${maximum}` };
  }
  return { ok: true, value: line };
}

/**
 * Checks free text of several lines. Line ends are trimmed and blank lines at the end dropped (as
 * the text form does), so the value reads back the same from text; it must hold some text.
 */
export function checkFreeText(text: string, maximumLine: number | null, what: string): Parsed<string> {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return { ok: false, reason: `${what} is empty` };
  for (const [index, line] of lines.entries()) {
    const checked = checkFreeLine(line, maximumLine, `${what}, line ${index + 1},`);
    if (!checked.ok) return checked;
  }
  return { ok: true, value: lines.join('\n') };
}

/** Reads a JSON string. */
export function jsonString(value: unknown, what: string): Parsed<string> {
  return typeof value === 'string' ? { ok: true, value } : { ok: false, reason: `${what} must be a string` };
}

/** Reads a JSON string of digits as a bigint (amounts travel as strings, never JSON numbers). */
export function jsonDigits(value: unknown, what: string): Parsed<bigint> {
  return typeof value === 'string' && /^\d+$/.test(value)
    ? { ok: true, value: BigInt(value) }
    : { ok: false, reason: `${what} must be a string of digits, like "1000"` };
}

/** Reads a JSON string or null. */
export function jsonOptionalString(value: unknown, what: string): Parsed<string | null> {
  if (value === null || value === undefined) return { ok: true, value: null };
  return jsonString(value, what);
}

/** Reads a JSON object with the given members and no others; missing members read as undefined. */
export function jsonObject(
  value: unknown,
  members: readonly string[],
  what: string,
): Parsed<Readonly<Record<string, unknown>>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `${what} must be an object with ${members.join(', ')}` };
  }
  const record = value as Readonly<Record<string, unknown>>;
  const stray = Object.keys(record).find((key) => !members.includes(key));
  if (stray !== undefined) return { ok: false, reason: `${what} has no member "${stray}"` };
  return { ok: true, value: record };
}

/** Reads one of a closed list of codes. */
export function oneOf<C extends string>(value: unknown, codes: readonly C[], what: string): Parsed<C> {
  return typeof value === 'string' && (codes as readonly string[]).includes(value)
    ? { ok: true, value: value as C }
    : { ok: false, reason: `${what} ${JSON.stringify(value)} is not one of ${codes.join(', ')}` };
}
