// Reading a message from a file, in its text form (Ingot's, or SWIFT FIN blocks) or its JSON form.
import { readFileSync } from 'node:fs';
import { type Message, messageFromJson, parseMessageText } from '../../../domain/messages/index.ts';
import { CliExit, EXIT } from '../../output.ts';
import { mustCorrespond } from './keys.ts';

/** Reads a message from a file: its JSON form when the file is a JSON object, else its text form. */
export function readMessageFile(file: string): { message: Message; ignored_fields: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliExit(EXIT.bad_input, `invalid_input [file]: ${file} cannot be read`);
  }
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{') && !/^\{\d:/.test(start)) {
    let value: unknown;
    try {
      value = JSON.parse(start);
    } catch {
      throw new CliExit(EXIT.bad_input, `invalid_input [file]: ${file} is not JSON`);
    }
    return { message: mustCorrespond(messageFromJson(value)).message, ignored_fields: [] };
  }
  const parsed = mustCorrespond(parseMessageText(text));
  return { message: parsed.message, ignored_fields: parsed.ignored_fields };
}
