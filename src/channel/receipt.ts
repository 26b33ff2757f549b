// Delivery receipts: the recipient of a message, once it has registered and applied it, signs a
// receipt naming the sender's sequence number and the envelope it came in, and sends it back
// through the relay. The sender counts a message delivered only on a receipt it has verified
// against the recipient's pinned key, never on the relay's word.
import { type KeyObject, sign, verify } from 'node:crypto';
import { type Refusal, refuse } from '../domain/outcome.ts';
import { decodeBase64, type PinnedKeys, pinnedKeysOf } from './keys.ts';
import { instantMs, isBankId } from './seal.ts';

/** The receipt format this module writes and reads. */
export const RECEIPT_VERSION = 1;
const SIGNATURE_BYTES = 64;
const RECEIPT_KEYS = [
  'version',
  'sender',
  'recipient',
  'sequence',
  'envelope_hash',
  'received_at',
  'signature',
];

/**
 * A signed receipt. `sender` signs it (the recipient of the message); `recipient` is who sent the
 * message. It tells the relay nothing it does not know: pair, a sequence number, the envelope's hash.
 */
export interface DeliveryReceipt {
  readonly version: typeof RECEIPT_VERSION;
  readonly sender: string;
  readonly recipient: string;
  readonly sequence: number;
  /** SHA-256 of the envelope's ciphertext, hex. */
  readonly envelope_hash: string;
  readonly received_at: string;
  /** Base64 Ed25519 signature over the fields above. */
  readonly signature: string;
}

/** Why a receipt is not believed. */
export type ReceiptRefusalCode = 'malformed' | 'misaddressed' | 'unknown_sender' | 'forged';

/** A refused receipt, with a sentence. */
export type ReceiptRefusal = Refusal<ReceiptRefusalCode>;

/** The bytes signed: the fields in a fixed order, under a label no envelope uses. */
function signedBytes(fields: Omit<DeliveryReceipt, 'signature' | 'version'>): Buffer {
  const list = [
    'ingot-receipt',
    RECEIPT_VERSION,
    fields.sender,
    fields.recipient,
    fields.sequence,
    fields.envelope_hash,
    fields.received_at,
  ];
  return Buffer.from(JSON.stringify(list), 'utf8');
}

/** Signs a receipt with the signing key of its sender (the message's recipient). */
export function signReceipt(
  fields: Omit<DeliveryReceipt, 'signature' | 'version'>,
  signingKey: KeyObject,
): DeliveryReceipt {
  const signature = sign(null, signedBytes(fields), signingKey).toString('base64');
  return { version: RECEIPT_VERSION, ...fields, signature };
}

/** Checks the shape of a receipt received as JSON; proves nothing about who wrote it. */
export function readReceipt(value: unknown): { ok: true; receipt: DeliveryReceipt } | ReceiptRefusal {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse<ReceiptRefusalCode>('malformed', 'a receipt is a JSON object');
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).find((key) => !RECEIPT_KEYS.includes(key));
  if (unknown !== undefined)
    return refuse<ReceiptRefusalCode>('malformed', `a receipt has no field "${unknown}"`);
  const { version, sender, recipient, sequence, envelope_hash, received_at, signature } = record;
  if (version !== RECEIPT_VERSION)
    return refuse<ReceiptRefusalCode>('malformed', `receipt version is not ${RECEIPT_VERSION}`);
  if (!isBankId(sender) || !isBankId(recipient))
    return refuse<ReceiptRefusalCode>('malformed', 'the receipt names no valid banks');
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 1) {
    return refuse<ReceiptRefusalCode>('malformed', 'the receipt sequence is not a number of 1 or more');
  }
  if (typeof envelope_hash !== 'string' || !/^[0-9a-f]{64}$/.test(envelope_hash)) {
    return refuse<ReceiptRefusalCode>('malformed', 'the receipt envelope_hash is not a SHA-256 in hex');
  }
  if (typeof received_at !== 'string' || instantMs(received_at) === null) {
    return refuse<ReceiptRefusalCode>('malformed', 'the receipt received_at is not an ISO 8601 instant');
  }
  if (typeof signature !== 'string' || decodeBase64(signature)?.length !== SIGNATURE_BYTES) {
    return refuse<ReceiptRefusalCode>('malformed', 'the receipt signature is not base64 of 64 bytes');
  }
  const receipt: DeliveryReceipt = {
    version: RECEIPT_VERSION,
    sender,
    recipient,
    sequence,
    envelope_hash,
    received_at,
    signature,
  };
  return { ok: true, receipt };
}

/** True when the receipt's signature is by `key`. */
export function receiptSignedBy(receipt: DeliveryReceipt, key: KeyObject): boolean {
  const signature = decodeBase64(receipt.signature);
  return signature !== null && verify(null, signedBytes(receipt), key, signature);
}

/** Reads and verifies a receipt addressed to `recipient` against the pinned key of its sender. */
export function verifyReceipt(
  value: unknown,
  options: { recipient: string; pins: PinnedKeys },
): { ok: true; receipt: DeliveryReceipt } | ReceiptRefusal {
  const read = readReceipt(value);
  if (!read.ok) return read;
  const { receipt } = read;
  if (receipt.recipient !== options.recipient) {
    return refuse<ReceiptRefusalCode>(
      'misaddressed',
      `the receipt is for ${receipt.recipient}, not ${options.recipient}`,
    );
  }
  const pins = pinnedKeysOf(options.pins, receipt.sender);
  if (pins === undefined)
    return refuse<ReceiptRefusalCode>('unknown_sender', `no keys are pinned for ${receipt.sender}`);
  if (!receiptSignedBy(receipt, pins.signing)) {
    return refuse<ReceiptRefusalCode>(
      'forged',
      `the receipt is not signed by the key pinned for ${receipt.sender}`,
    );
  }
  return read;
}
