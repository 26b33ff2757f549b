// Checks of request values that a schema cannot express: real calendar dates, ranges of dates.
import { isIsoDate } from '../domain/fixing.ts';
import { ApiError } from './errors.ts';

/** A YYYY-MM-DD text that is a real date, or a refusal naming the field. */
export function checkDate(value: string, field: string): string {
  if (!isIsoDate(value))
    throw new ApiError('invalid_input', `${field} "${value}" is not a calendar date`, field);
  return value;
}

/** An optional date, checked when given. */
export function optionalDate(value: string | undefined, field: string): string | undefined {
  return value === undefined ? undefined : checkDate(value, field);
}

/** Today's date in UTC, the default business date. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A schema-checked decimal string as a bigint. */
export function minor(text: string): bigint {
  return BigInt(text);
}
