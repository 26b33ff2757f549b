// Parsing and checking of option values shared by the commands.
import { isIsoDate } from '../domain/fixing.ts';
import { type CurrencyCode, isCurrencyCode } from '../domain/money.ts';
import { newIdempotencyKey } from '../service/kernel/idempotency.ts';
import { CliExit, EXIT } from './output.ts';

/** Today's date in UTC, the default business date. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A YYYY-MM-DD date option, checked to be a real calendar date. */
export function dateOption(value: string | undefined, option: string): string {
  const date = value ?? today();
  if (!isIsoDate(date))
    throw new CliExit(EXIT.bad_input, `invalid_input [${option}]: "${date}" is not a date (YYYY-MM-DD)`);
  return date;
}

/** A currency option. */
export function currencyOption(value: string, option: string): CurrencyCode {
  const upper = value.toUpperCase();
  if (!isCurrencyCode(upper))
    throw new CliExit(EXIT.bad_input, `invalid_input [${option}]: unknown currency "${value}"`);
  return upper;
}

/** The idempotency key given with --key, or a fresh one announced on stderr so a retry can reuse it. */
export function keyOption(value: string | undefined, note: (line: string) => void): string {
  if (value !== undefined) {
    if (!/^[\x21-\x7e]{1,128}$/.test(value)) {
      throw new CliExit(EXIT.bad_input, 'invalid_input [--key]: 1–128 printable characters without spaces');
    }
    return value;
  }
  const key = newIdempotencyKey();
  note(`idempotency key ${key} (pass --key ${key} to retry this request safely)`);
  return key;
}
