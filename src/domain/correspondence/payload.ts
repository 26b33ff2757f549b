// What an envelope carries once opened: the register's particulars (classification, subject) and
// the message itself as text, typed. Signed and sealed as one JSON body by ../../channel/seal.ts.
import {
  isMessageType,
  type Message,
  type MessageType,
  parseMessageText,
  renderMessageText,
} from '../messages/index.ts';
import { type Classification, parseClassification } from './classification.ts';
import { type CorrespondenceOutcome, refuseCorrespondence } from './refusal.ts';

/** The payload format this module writes and reads. */
export const PAYLOAD_VERSION = 1;
/** The longest subject line. */
export const SUBJECT_CHARACTERS_MAXIMUM = 200;

/** A message with the particulars the register needs. */
export interface Payload {
  readonly classification: Classification;
  readonly subject: string;
  readonly type: MessageType;
  /** The message's text form (SWIFT-style). */
  readonly text: string;
}

/** Checks a subject line: one printable line, not empty, not too long. */
export function checkSubject(subject: string): CorrespondenceOutcome<{ subject: string }> {
  const trimmed = subject.trim();
  if (trimmed === '' || /[\p{C}\p{Zl}\p{Zp}]/u.test(trimmed)) {
    return refuseCorrespondence('invalid_input', 'a subject is one line of printable text', 'subject');
  }
  if ([...trimmed].length > SUBJECT_CHARACTERS_MAXIMUM) {
    const message = `a subject has at most ${SUBJECT_CHARACTERS_MAXIMUM} characters`;
    return refuseCorrespondence('invalid_input', message, 'subject');
  }
  return { ok: true, subject: trimmed };
}

/** The payload of a message, its text rendered from the message. */
export function payloadOf(message: Message, classification: Classification, subject: string): Payload {
  return { classification, subject, type: message.type, text: renderMessageText(message) };
}

/** Writes a payload as the JSON body to be sealed. */
export function writePayload(payload: Payload): string {
  return JSON.stringify({ ingot: PAYLOAD_VERSION, ...payload });
}

/** Reads a sealed body back into a payload and its message, refusing what does not parse. */
export function readPayload(body: string): CorrespondenceOutcome<{ payload: Payload; message: Message }> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return refuseCorrespondence('message_invalid', 'the body is not JSON', 'body');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuseCorrespondence('message_invalid', 'the body is not a JSON object', 'body');
  }
  const record = value as Record<string, unknown>;
  if (record.ingot !== PAYLOAD_VERSION) {
    return refuseCorrespondence(
      'message_invalid',
      `payload version ${String(record.ingot)} is unknown`,
      'ingot',
    );
  }
  const classification =
    typeof record.classification === 'string' ? parseClassification(record.classification) : null;
  if (classification === null) {
    return refuseCorrespondence(
      'message_invalid',
      'the payload has no valid classification',
      'classification',
    );
  }
  const subject = checkSubject(typeof record.subject === 'string' ? record.subject : '');
  if (!subject.ok) return { ...subject, code: 'message_invalid' };
  const { type, text } = record;
  if (typeof type !== 'string' || !isMessageType(type) || typeof text !== 'string') {
    return refuseCorrespondence('message_invalid', 'the payload has no message type and text', 'type');
  }
  const parsed = parseMessageText(text);
  if (!parsed.ok) return refuseCorrespondence('message_invalid', parsed.message, parsed.field);
  if (parsed.message.type !== type) {
    const message = `the payload says ${type} but the text is an ${parsed.message.type}`;
    return refuseCorrespondence('message_invalid', message, 'type');
  }
  return {
    ok: true,
    payload: { classification, subject: subject.subject, type, text },
    message: parsed.message,
  };
}
