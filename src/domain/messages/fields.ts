// Field tables: one declaration per message type drives both its text form and its JSON form, so
// the two always carry the same fields, checked by the same rules.
import type { Parsed } from '../decimal.ts';
import { type Outcome, type Refusal, refuse } from '../outcome.ts';
import { type RawField, readMessageText, writeMessageText } from './swift.ts';

/** A JSON value as Ingot writes it: bigints travel as decimal strings. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** How one kind of field value is read and written, as text and as JSON. */
export interface Codec<T, J extends Json> {
  /** The option letters the tag takes ("82" takes A, B, D); [''] for a tag without one. */
  readonly options: readonly string[];
  /** Reads the text after ":TAG:" (lines joined by "\n"), given the option letter used. */
  readText(text: string, option: string): Parsed<T>;
  /** Writes a value and the option letter it needs. */
  writeText(value: T): { readonly option: string; readonly text: string };
  /** Reads the JSON form, checking exactly what `readText` checks. */
  readJson(value: unknown): Parsed<T>;
  writeJson(value: T): J;
}

/** Whether a field must be there, may be left out, or may repeat. */
export type Presence = 'required' | 'optional' | 'repeated';

/** A field of a message type: its tag without the option letter, whether it must be there, its codec. */
export interface FieldSpec<T, J extends Json, P extends Presence> {
  readonly tag: string;
  readonly presence: P;
  readonly codec: Codec<T, J>;
}

/** A message type's fields by name, in the order they are written. */
export type FieldTable = { readonly [name: string]: FieldSpec<unknown, Json, Presence> };

type ValueOf<S> =
  S extends FieldSpec<infer T, Json, infer P>
    ? P extends 'required'
      ? T
      : P extends 'optional'
        ? T | null
        : readonly T[]
    : never;
type JsonOf<S> =
  S extends FieldSpec<unknown, infer J, infer P>
    ? P extends 'required'
      ? J
      : P extends 'optional'
        ? J | null
        : readonly J[]
    : never;

/** The values of a field table: required ones present, optional ones or null, repeated ones a list. */
export type FieldValues<F extends FieldTable> = { readonly [K in keyof F]: ValueOf<F[K]> };
/** The JSON form of a field table's values. */
export type FieldJson<F extends FieldTable> = { readonly [K in keyof F]: JsonOf<F[K]> };

/** A field that must be there. */
export function required<T, J extends Json>(tag: string, codec: Codec<T, J>): FieldSpec<T, J, 'required'> {
  return { tag, presence: 'required', codec };
}

/** A field that may be left out. */
export function optional<T, J extends Json>(tag: string, codec: Codec<T, J>): FieldSpec<T, J, 'optional'> {
  return { tag, presence: 'optional', codec };
}

/** A field that may appear any number of times. */
export function repeated<T, J extends Json>(tag: string, codec: Codec<T, J>): FieldSpec<T, J, 'repeated'> {
  return { tag, presence: 'repeated', codec };
}

/** How a field is named in errors: "20", "32F", or "82a" when it takes several option letters. */
export function tagLabel(spec: FieldSpec<unknown, Json, Presence>): string {
  const options = spec.codec.options;
  return options.length === 1 ? `${spec.tag}${options[0]}` : `${spec.tag}a`;
}

/** The name and spec of the field a written tag belongs to. */
function specOf(table: FieldTable, tag: string): [string, FieldSpec<unknown, Json, Presence>] | undefined {
  return Object.entries(table).find(
    ([, spec]) => tag.startsWith(spec.tag) && spec.codec.options.includes(tag.slice(spec.tag.length)),
  );
}

/**
 * Reads written fields into values. Fields of other tags are left out and listed (SWIFT sequence
 * markers like 15A, fields Ingot does not model); a field written twice or missing is refused.
 */
export function readFields<F extends FieldTable>(
  table: F,
  fields: readonly RawField[],
): Outcome<{ values: FieldValues<F>; ignored_fields: string[] }> {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) values[name] = spec.presence === 'repeated' ? [] : null;
  const ignored: string[] = [];
  for (const field of fields) {
    const found = specOf(table, field.tag);
    if (found === undefined) {
      ignored.push(field.tag);
      continue;
    }
    const [name, spec] = found;
    const read = spec.codec.readText(field.value, field.tag.slice(spec.tag.length));
    if (!read.ok) return refuse('invalid_input', `field ${field.tag}: ${read.reason}`, field.tag);
    const list = values[name];
    if (Array.isArray(list)) {
      list.push(read.value);
    } else if (list !== null) {
      return refuse('invalid_input', `field ${field.tag} appears more than once`, field.tag);
    } else {
      values[name] = read.value;
    }
  }
  for (const [name, spec] of Object.entries(table)) {
    if (spec.presence === 'required' && values[name] === null) {
      return refuse('invalid_input', `field ${tagLabel(spec)} is missing`, tagLabel(spec));
    }
  }
  return { ok: true, values: values as FieldValues<F>, ignored_fields: ignored };
}

/** Writes values as fields in the table's order; null values are left out. */
export function writeFields<F extends FieldTable>(table: F, values: FieldValues<F>): RawField[] {
  const fields: RawField[] = [];
  for (const [name, spec] of Object.entries(table)) {
    const value: unknown = values[name];
    const items = spec.presence === 'repeated' ? (value as readonly unknown[]) : [value];
    for (const item of items) {
      if (item === null) continue;
      const { option, text } = spec.codec.writeText(item);
      fields.push({ tag: `${spec.tag}${option}`, value: text });
    }
  }
  return fields;
}

/** Writes values as JSON members by field name. */
export function fieldsToJson<F extends FieldTable>(table: F, values: FieldValues<F>): FieldJson<F> {
  const json: Record<string, Json> = {};
  for (const [name, spec] of Object.entries(table)) {
    const value: unknown = values[name];
    if (spec.presence === 'repeated') {
      json[name] = (value as readonly unknown[]).map((item) => spec.codec.writeJson(item));
    } else {
      json[name] = value === null ? null : spec.codec.writeJson(value);
    }
  }
  return json as FieldJson<F>;
}

/** Reads JSON members by field name; a missing optional member is null, a missing list empty. */
export function fieldsFromJson<F extends FieldTable>(
  table: F,
  record: Readonly<Record<string, unknown>>,
): Outcome<{ values: FieldValues<F> }> {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    const member = Object.hasOwn(record, name) ? record[name] : undefined;
    if (member === undefined || member === null) {
      if (spec.presence === 'required') return refuse('invalid_input', `field ${name} is missing`, name);
      values[name] = spec.presence === 'repeated' ? [] : null;
      continue;
    }
    const items = spec.presence === 'repeated' ? member : [member];
    if (!Array.isArray(items)) return refuse('invalid_input', `field ${name}: a list is expected`, name);
    const read: unknown[] = [];
    for (const [index, item] of items.entries()) {
      const one = spec.codec.readJson(item);
      const at = spec.presence === 'repeated' ? `${name}[${index}]` : name;
      if (!one.ok) return refuse('invalid_input', `field ${at}: ${one.reason}`, at);
      read.push(one.value);
    }
    values[name] = spec.presence === 'repeated' ? read : read[0];
  }
  return { ok: true, values: values as FieldValues<F> };
}

/** A rule across fields that a message breaks: the field to name, why, and the tag as written. */
export interface FieldProblem {
  readonly field: string;
  readonly reason: string;
  /** The tag to name in the text form when the field's label would be vague ("62F", not "62a"). */
  readonly tag?: string;
}

/** What a message module declares: its type, fields, and the first rule across fields it breaks. */
export interface MessageFormat<T extends string, F extends FieldTable> {
  readonly type: T;
  readonly fields: F;
  readonly check: (message: { readonly type: T } & FieldValues<F>) => FieldProblem | null;
}

/** A problem as a refusal naming the field as the text form writes it, or as JSON names it. */
function refuseProblem(table: FieldTable, problem: FieldProblem, form: 'text' | 'json'): Refusal {
  const spec = table[problem.field];
  const label = form === 'json' || spec === undefined ? problem.field : (problem.tag ?? tagLabel(spec));
  return refuse('invalid_input', `field ${label}: ${problem.reason}`, label);
}

/** Renders a message of a format as text. */
export function renderText<T extends string, F extends FieldTable>(
  format: MessageFormat<T, F>,
  message: FieldValues<F>,
): string {
  return writeMessageText(format.type, writeFields(format.fields, message));
}

/** Parses text as a message of a format: its frame, its fields, then the checks across fields. */
export function parseText<T extends string, F extends FieldTable>(
  format: MessageFormat<T, F>,
  text: string,
): Outcome<{ message: { readonly type: T } & FieldValues<F>; ignored_fields: string[] }> {
  const read = readMessageText(text);
  if (!read.ok) return read;
  if (read.type !== format.type) {
    return refuse('invalid_input', `the message is an ${read.type}, not an ${format.type}`, 'type');
  }
  const fields = readFields(format.fields, read.fields);
  if (!fields.ok) return fields;
  const message = { type: format.type, ...fields.values };
  const problem = format.check(message);
  if (problem !== null) return refuseProblem(format.fields, problem, 'text');
  return { ok: true, message, ignored_fields: fields.ignored_fields };
}

/** The JSON form of a message: its type and its fields by name. */
export function toJson<T extends string, F extends FieldTable>(
  format: MessageFormat<T, F>,
  message: FieldValues<F>,
): { readonly type: T } & FieldJson<F> {
  return { type: format.type, ...fieldsToJson(format.fields, message) };
}

/** Reads the JSON form of a message, refusing members that are not its fields. */
export function fromJson<T extends string, F extends FieldTable>(
  format: MessageFormat<T, F>,
  value: unknown,
): Outcome<{ message: { readonly type: T } & FieldValues<F> }> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse('invalid_input', 'a message in JSON is an object', 'type');
  }
  const record = value as Readonly<Record<string, unknown>>;
  if (record.type !== format.type) {
    return refuse('invalid_input', `type ${JSON.stringify(record.type)} is not ${format.type}`, 'type');
  }
  const stray = Object.keys(record).find((key) => key !== 'type' && !Object.hasOwn(format.fields, key));
  if (stray !== undefined) {
    return refuse('invalid_input', `field ${stray}: ${format.type} has no such field`, stray);
  }
  const fields = fieldsFromJson(format.fields, record);
  if (!fields.ok) return fields;
  const message = { type: format.type, ...fields.values };
  const problem = format.check(message);
  return problem === null ? { ok: true, message } : refuseProblem(format.fields, problem, 'json');
}
