// Sealing: a message is signed by its sender (Ed25519), then encrypted to its recipient
// (ephemeral X25519 → HKDF-SHA256 → AES-256-GCM). The relay sees sender, recipient and ciphertext.
import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
  randomUUID,
  sign,
  verify,
} from 'node:crypto';
import { assert, type Refusal, refuse } from '../domain/outcome.ts';
import { type BankKeys, decodeBase64, exportPublicKey, type PinnedKeys, pinnedKeysOf } from './keys.ts';

/** The envelope format this module writes and reads. */
export const ENVELOPE_VERSION = 1;
/** Bank ids in envelopes: at most this many characters, printable, no spaces at either end. */
export const BANK_ID_MAXIMUM_LENGTH = 64;
/** The largest envelope, as JSON, that the relay carries (a bar list of some ten thousand bars). */
export const ENVELOPE_MAXIMUM_BYTES = 1024 * 1024;
/** Room in an envelope for everything but the ciphertext: version, banks, key and nonce. */
const ENVELOPE_FRAME_BYTES = 4 * 1024;
/** The largest ciphertext an envelope may carry: its base64 and the frame fit the envelope. */
export const CIPHERTEXT_MAXIMUM_BYTES = Math.floor((ENVELOPE_MAXIMUM_BYTES - ENVELOPE_FRAME_BYTES) / 4) * 3;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const SIGNATURE_BYTES = 64;
const KEY_INFO = 'ingot/envelope/v1 aes-256-gcm key';

/** What the relay carries: who from, who to, and bytes only the recipient can read. */
export interface Envelope {
  readonly version: typeof ENVELOPE_VERSION;
  readonly sender: string;
  readonly recipient: string;
  /** Base64 SPKI DER of the sender's one-time X25519 key. */
  readonly ephemeral_public_key: string;
  /** Base64 of the 12-byte AES-GCM nonce. */
  readonly nonce: string;
  /** Base64 of the AES-256-GCM ciphertext followed by its 16-byte tag. */
  readonly ciphertext: string;
}

/** The signed header of a message: who, to whom, which in the pair's sequence, and until when. */
export interface Header {
  readonly message_id: string;
  readonly sender: string;
  readonly recipient: string;
  /** 1, 2, 3… per sender → recipient pair, with no gaps. */
  readonly sequence: number;
  /** ISO 8601 instants in UTC, e.g. "1961-01-17T10:00:00Z". */
  readonly sent_at: string;
  readonly expires_at: string;
}

/** Every reason an envelope is not opened, in the order they are checked. */
export const OPEN_REFUSAL_CODES = [
  'malformed',
  'misaddressed',
  'unknown_sender',
  'tampered',
  'replayed',
  'out_of_order',
  'expired',
] as const;
/** A reason an envelope is not opened. */
export type OpenRefusalCode = (typeof OPEN_REFUSAL_CODES)[number];

/** An envelope not opened; `header` is there once the signature has been verified. */
export interface OpenRefusal extends Refusal<OpenRefusalCode> {
  readonly header?: Header;
}

/** Every reason a message is not sealed. */
export const SEAL_REFUSAL_CODES = ['unknown_recipient', 'too_large'] as const;
/** A reason a message is not sealed. */
export type SealRefusalCode = (typeof SEAL_REFUSAL_CODES)[number];

/** What `seal` needs besides the body. */
export interface SealOptions {
  readonly sender: string;
  readonly senderKeys: BankKeys;
  readonly recipient: string;
  readonly recipientPins: PinnedKeys;
  readonly sequence: number;
  readonly sentAt: string;
  readonly expiresAt: string;
  /** A message id to reuse; a fresh UUID when absent. */
  readonly messageId?: string;
}

/** What `open` needs besides the envelope. */
export interface OpenOptions {
  readonly recipient: string;
  readonly recipientKeys: BankKeys;
  readonly senderPins: PinnedKeys;
  /** The current instant, ISO 8601 UTC. */
  readonly now: string;
  /** The last sequence number accepted from `envelope.sender` to `recipient`; 0 before the first. */
  readonly lastSequenceSeen: number;
}

const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

/** Milliseconds since the epoch of an ISO 8601 UTC instant, or null when it is not one. */
export function instantMs(text: string): number | null {
  if (!INSTANT_PATTERN.test(text)) return null;
  const ms = Date.parse(text);
  // Date.parse rolls "02-30" over to March; the round trip catches it.
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== text.slice(0, 19) ? null : ms;
}

/** True for a bank id an envelope may carry. */
export function isBankId(text: unknown): text is string {
  return (
    typeof text === 'string' &&
    text.length > 0 &&
    text.length <= BANK_ID_MAXIMUM_LENGTH &&
    text.trim() === text &&
    !/[\p{C}\p{Zl}\p{Zp}]/u.test(text)
  );
}

/** The additional authenticated data: the envelope's version, sender and recipient. */
function associatedData(version: number, sender: string, recipient: string): Buffer {
  return Buffer.from(JSON.stringify(['ingot-envelope', version, sender, recipient]), 'utf8');
}

/** The AES key from the X25519 secret, salted with both public keys so it binds the recipient. */
function deriveKey(secret: Buffer, ephemeral: KeyObject, recipient: KeyObject): Buffer {
  const salt = Buffer.concat([
    ephemeral.export({ format: 'der', type: 'spki' }),
    recipient.export({ format: 'der', type: 'spki' }),
  ]);
  return Buffer.from(hkdfSync('sha256', secret, salt, KEY_INFO, 32));
}

/**
 * Signs `body` under a header and encrypts both to the recipient's pinned encryption key.
 * A sequence below 1, an unreadable instant or an expiry not after sending is a bug of the caller.
 */
export function seal(
  body: string,
  options: SealOptions,
): { ok: true; envelope: Envelope; header: Header } | Refusal<SealRefusalCode> {
  const { sender, recipient, sequence, sentAt, expiresAt } = options;
  assert(isBankId(sender) && isBankId(recipient) && sender !== recipient, 'seal: bad sender or recipient');
  assert(Number.isSafeInteger(sequence) && sequence >= 1, `seal: sequence ${sequence} is not 1 or more`);
  const sent = instantMs(sentAt);
  const expires = instantMs(expiresAt);
  assert(sent !== null && expires !== null && expires > sent, 'seal: sentAt and expiresAt out of order');
  const pins = pinnedKeysOf(options.recipientPins, recipient);
  if (pins === undefined) {
    return refuse<SealRefusalCode>('unknown_recipient', `no keys are pinned for bank ${recipient}`);
  }
  const header: Header = {
    message_id: options.messageId ?? randomUUID(),
    sender,
    recipient,
    sequence,
    sent_at: sentAt,
    expires_at: expiresAt,
  };
  const payload = Buffer.from(JSON.stringify({ header, body }), 'utf8');
  const signature = sign(null, payload, options.senderKeys.signing.private_key);
  assert(signature.length === SIGNATURE_BYTES, 'seal: an Ed25519 signature is 64 bytes');
  const ephemeral = generateKeyPairSync('x25519');
  const secret = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: pins.encryption });
  const key = deriveKey(secret, ephemeral.publicKey, pins.encryption);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(associatedData(ENVELOPE_VERSION, sender, recipient));
  const encrypted = Buffer.concat([cipher.update(Buffer.concat([signature, payload])), cipher.final()]);
  const ciphertext = Buffer.concat([encrypted, cipher.getAuthTag()]);
  if (ciphertext.length > CIPHERTEXT_MAXIMUM_BYTES) {
    const message = `the message seals to ${ciphertext.length} bytes; an envelope carries ${CIPHERTEXT_MAXIMUM_BYTES}`;
    return refuse<SealRefusalCode>('too_large', message);
  }
  const envelope: Envelope = {
    version: ENVELOPE_VERSION,
    sender,
    recipient,
    ephemeral_public_key: exportPublicKey(ephemeral.publicKey),
    nonce: nonce.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
  return { ok: true, envelope, header };
}

/** Builds a refusal of `open`. */
function refuseOpen(code: OpenRefusalCode, message: string, header?: Header): OpenRefusal {
  const refusal = refuse<OpenRefusalCode>(code, message);
  return header === undefined ? refusal : { ...refusal, header };
}

const ENVELOPE_KEYS = ['version', 'sender', 'recipient', 'ephemeral_public_key', 'nonce', 'ciphertext'];

/**
 * Checks the shape of an envelope received as JSON: the fields and nothing else, the version,
 * bank ids, base64 of the right sizes. The relay uses this; it proves nothing about the sender.
 */
export function readEnvelope(value: unknown): { ok: true; envelope: Envelope } | OpenRefusal {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuseOpen('malformed', 'an envelope is a JSON object');
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).find((key) => !ENVELOPE_KEYS.includes(key));
  if (unknown !== undefined) return refuseOpen('malformed', `an envelope has no field "${unknown}"`);
  if (record.version !== ENVELOPE_VERSION) {
    return refuseOpen('malformed', `envelope version ${String(record.version)} is not ${ENVELOPE_VERSION}`);
  }
  const { sender, recipient, ephemeral_public_key: ephemeral, nonce, ciphertext } = record;
  if (!isBankId(sender)) return refuseOpen('malformed', 'the envelope names no valid sender');
  if (!isBankId(recipient)) return refuseOpen('malformed', 'the envelope names no valid recipient');
  if (typeof ephemeral !== 'string' || decodeBase64(ephemeral) === null) {
    return refuseOpen('malformed', 'the envelope ephemeral_public_key is not base64');
  }
  if (typeof nonce !== 'string' || decodeBase64(nonce)?.length !== NONCE_BYTES) {
    return refuseOpen('malformed', `the envelope nonce is not ${NONCE_BYTES} bytes of base64`);
  }
  const maximumLength = Math.ceil(CIPHERTEXT_MAXIMUM_BYTES / 3) * 4;
  const decoded =
    typeof ciphertext === 'string' && ciphertext.length <= maximumLength ? decodeBase64(ciphertext) : null;
  if (typeof ciphertext !== 'string' || decoded === null || decoded.length < TAG_BYTES + SIGNATURE_BYTES) {
    return refuseOpen('malformed', 'the envelope ciphertext is not base64 of a sealed message');
  }
  const envelope: Envelope = {
    version: ENVELOPE_VERSION,
    sender,
    recipient,
    ephemeral_public_key: ephemeral,
    nonce,
    ciphertext,
  };
  return { ok: true, envelope };
}

/** Decrypts an envelope with the recipient's key; null when the key, AAD or tag do not match. */
function decrypt(envelope: Envelope, keys: BankKeys): Buffer | null {
  const ephemeralBytes = decodeBase64(envelope.ephemeral_public_key);
  const sealed = decodeBase64(envelope.ciphertext);
  const nonce = decodeBase64(envelope.nonce);
  if (ephemeralBytes === null || sealed === null || nonce === null) return null;
  try {
    const ephemeral = createPublicKey({ key: ephemeralBytes, format: 'der', type: 'spki' });
    // Only the canonical encoding: OpenSSL reads some altered DER as the same key.
    if (ephemeral.asymmetricKeyType !== 'x25519') return null;
    if (exportPublicKey(ephemeral) !== envelope.ephemeral_public_key) return null;
    const secret = diffieHellman({ privateKey: keys.encryption.private_key, publicKey: ephemeral });
    const key = deriveKey(secret, ephemeral, keys.encryption.public_key);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(associatedData(envelope.version, envelope.sender, envelope.recipient));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    // A foreign ephemeral key, a wrong tag: the envelope was not sealed to these keys as it stands.
    return null;
  }
}

/** Reads the signed payload's header and body; null when it is not what `seal` writes. */
function readPayload(payload: Buffer): { header: Header; body: string } | null {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { header, body } = value as { header?: Partial<Record<keyof Header, unknown>>; body?: unknown };
  if (typeof body !== 'string' || typeof header !== 'object' || header === null) return null;
  const { message_id, sender, recipient, sequence, sent_at, expires_at } = header;
  if (typeof message_id !== 'string' || !isBankId(sender) || !isBankId(recipient)) return null;
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 1) return null;
  if (typeof sent_at !== 'string' || typeof expires_at !== 'string') return null;
  if (instantMs(sent_at) === null || instantMs(expires_at) === null) return null;
  return { header: { message_id, sender, recipient, sequence, sent_at, expires_at }, body };
}

/**
 * Opens an envelope addressed to `recipient`: decrypts it, verifies the signature against the
 * sender's pinned key, and checks address, sequence and expiry, refusing at the first that fails.
 */
export function open(
  value: unknown,
  options: OpenOptions,
): { ok: true; header: Header; body: string } | OpenRefusal {
  const read = readEnvelope(value);
  if (!read.ok) return read;
  const envelope = read.envelope;
  const now = instantMs(options.now);
  assert(now !== null, `open: now "${options.now}" is not an ISO 8601 UTC instant`);
  const last = options.lastSequenceSeen;
  assert(Number.isSafeInteger(last) && last >= 0, `open: lastSequenceSeen ${last} is not 0 or more`);
  if (envelope.recipient !== options.recipient) {
    return refuseOpen('misaddressed', `the envelope is for ${envelope.recipient}, not ${options.recipient}`);
  }
  const pins = pinnedKeysOf(options.senderPins, envelope.sender);
  if (pins === undefined) return refuseOpen('unknown_sender', `no keys are pinned for ${envelope.sender}`);
  const plaintext = decrypt(envelope, options.recipientKeys);
  if (plaintext === null) return refuseOpen('tampered', 'the envelope does not decrypt: altered in transit');
  const signature = plaintext.subarray(0, SIGNATURE_BYTES);
  const payload = plaintext.subarray(SIGNATURE_BYTES);
  if (!verify(null, payload, pins.signing, signature)) {
    return refuseOpen('tampered', `the signature is not by the key pinned for ${envelope.sender}`);
  }
  const message = readPayload(payload);
  if (message === null) return refuseOpen('malformed', 'the signed message is not a header and a body');
  return checkHeader(envelope, message, now, last);
}

/** The checks after the signature: the header agrees with the envelope, is next, and is current. */
function checkHeader(
  envelope: Envelope,
  message: { header: Header; body: string },
  now: number,
  last: number,
): { ok: true; header: Header; body: string } | OpenRefusal {
  const { header } = message;
  if (header.sender !== envelope.sender || header.recipient !== envelope.recipient) {
    const inner = `${header.sender} → ${header.recipient}`;
    const outer = `${envelope.sender} → ${envelope.recipient}`;
    return refuseOpen('misaddressed', `the message was written ${inner} but comes ${outer}`, header);
  }
  if (header.sequence <= last) {
    return refuseOpen('replayed', `message ${header.sequence} was already received (last ${last})`, header);
  }
  if (header.sequence > last + 1) {
    const missing = `${last + 1}${header.sequence > last + 2 ? `–${header.sequence - 1}` : ''}`;
    return refuseOpen('out_of_order', `message ${header.sequence} came before ${missing}`, header);
  }
  const expires = instantMs(header.expires_at);
  assert(expires !== null, 'open: readPayload checked expires_at');
  if (now >= expires) return refuseOpen('expired', `the message expired at ${header.expires_at}`, header);
  return { ok: true, header, body: message.body };
}
