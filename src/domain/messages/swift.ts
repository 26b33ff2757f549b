// The text form's frame: which message type, then fields ":TAG:value" whose value may run on over
// further lines. Read from a type line ("MT600") or from SWIFT FIN blocks ({2:I600…}{4:…-}).
import { type Outcome, refuse } from '../outcome.ts';

/** The longest message text read, in characters (a statement of some ten thousand lines). */
export const MESSAGE_TEXT_MAXIMUM_CHARACTERS = 4_000_000;

/** One field as written: its tag with option letter ("32F", "82D") and its lines joined by "\n". */
export interface RawField {
  readonly tag: string;
  readonly value: string;
}

const FIELD_LINE = /^:(\d{2}[A-Z]?):(.*)$/;

/** True when a line would be read as the start of a field. */
export function looksLikeFieldStart(line: string): boolean {
  return FIELD_LINE.test(line);
}

/** Writes a message: its type line, then one field after another, ending with a line break. */
export function writeMessageText(type: string, fields: readonly RawField[]): string {
  return `${[type, ...fields.map((field) => `:${field.tag}:${field.value}`)].join('\n')}\n`;
}

/**
 * Reads the type and the fields of a message text. Accepted: a first line naming the type
 * ("MT600", "MT 600", "INGOT-OFFER"; any case) followed by the fields and optionally a last line
 * "-"; or SWIFT FIN blocks, where the type comes from block 2 ("{2:I600…}" or "{2:O600…}") and the
 * fields from block 4 ("{4:" … a line "-}"); blocks 1, 3 and 5 are ignored. Line ends may be CRLF.
 * The type comes back as named, in upper case ("MT600"): which types Ingot reads is for the table of
 * codecs to say (index.ts), so a new type is one entry there and nothing here.
 */
export function readMessageText(text: string): Outcome<{ type: string; fields: RawField[] }> {
  if (text.length > MESSAGE_TEXT_MAXIMUM_CHARACTERS) {
    return refuse(
      'invalid_input',
      `the message is over ${MESSAGE_TEXT_MAXIMUM_CHARACTERS} characters`,
      'text',
    );
  }
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const framed = normalized.trimStart().startsWith('{') ? readBlocks(normalized) : readTypeLine(normalized);
  if (!framed.ok) return framed;
  const fields = splitFields(framed.body);
  if (!fields.ok) return fields;
  return { ok: true, type: framed.type, fields: fields.fields };
}

/** Reads SWIFT FIN blocks: the type from block 2, the body from block 4. */
function readBlocks(text: string): Outcome<{ type: string; body: string }> {
  const start = text.indexOf('{4:');
  const header = /\{2:[IO](\d{3})/.exec(start === -1 ? text : text.slice(0, start));
  if (!header) {
    return refuse('invalid_input', 'block 2 (the application header, like {2:I600…}) is missing', 'type');
  }
  if (start === -1) return refuse('invalid_input', 'block 4 (the message text, {4:…-}) is missing', 'text');
  const rest = text.slice(start + 3);
  const end = rest.search(/\n-\}/);
  if (end === -1) return refuse('invalid_input', 'block 4 does not end with a line "-}"', 'text');
  return { ok: true, type: `MT${header[1]}`, body: rest.slice(0, end) };
}

/** Reads a first line naming the type; the rest is the body, without a closing "-" line. */
function readTypeLine(text: string): Outcome<{ type: string; body: string }> {
  const lines = text.trimStart().split('\n');
  const first = (lines[0] ?? '').trim();
  const mt = /^MT[\s-]?(\d{3})$/i.exec(first);
  if (!mt && !/^INGOT-[A-Z]+$/i.test(first)) {
    const found = first === '' ? 'the message is empty' : `the first line is "${first.slice(0, 40)}"`;
    return refuse(
      'invalid_input',
      `${found}; a message begins with a line naming its type (MT600…) or with SWIFT blocks {2:I600…}`,
      'type',
    );
  }
  const type = mt ? `MT${mt[1]}` : first.toUpperCase();
  const body = lines.slice(1);
  while (body.length > 0 && (body[body.length - 1] ?? '').trim() === '') body.pop();
  const last = (body[body.length - 1] ?? '').trim();
  if (last === '-' || last === '-}') body.pop();
  return { ok: true, type, body: body.join('\n') };
}

/** Splits a body into fields; trailing spaces and trailing blank lines of a field are dropped. */
function splitFields(body: string): Outcome<{ fields: RawField[] }> {
  const fields: { tag: string; lines: string[] }[] = [];
  for (const [index, raw] of body.split('\n').entries()) {
    const line = raw.trimEnd();
    const start = FIELD_LINE.exec(line);
    const current = fields[fields.length - 1];
    if (start) {
      fields.push({ tag: start[1] ?? '', lines: [start[2] ?? ''] });
    } else if (current) {
      current.lines.push(line);
    } else if (line.trim() !== '') {
      const shown = line.slice(0, 40);
      return refuse('invalid_input', `line ${index + 1} of the text, "${shown}", is not in a field`, 'text');
    }
  }
  if (fields.length === 0) return refuse('invalid_input', 'the message has no fields', 'text');
  const trimmed = fields.map(({ tag, lines }) => {
    while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    return { tag, value: lines.join('\n') };
  });
  return { ok: true, fields: trimmed };
}
