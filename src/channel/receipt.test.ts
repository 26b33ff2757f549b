import { describe, expect, test } from 'vitest';
import { generateBankKeys, type PinnedKeys, publicKeysOf } from './keys.ts';
import { type DeliveryReceipt, signReceipt, verifyReceipt } from './receipt.ts';

const NBC = generateBankKeys();
const OTHER = generateBankKeys();
const PINS: PinnedKeys = { NBC: publicKeysOf(NBC) };
const FIELDS = {
  sender: 'NBC',
  recipient: 'GOSBANK',
  sequence: 3,
  envelope_hash: 'a'.repeat(64),
  received_at: '1961-02-01T10:00:00Z',
};
const RECEIPT = signReceipt(FIELDS, NBC.signing.private_key);

const verdict = (value: unknown) => {
  const verified = verifyReceipt(value, { recipient: 'GOSBANK', pins: PINS });
  return verified.ok ? 'ok' : verified.code;
};

describe('delivery receipts', () => {
  test("a receipt signed by the recipient's pinned key verifies", () => {
    expect(verdict(RECEIPT)).toBe('ok');
    expect(verdict(JSON.parse(JSON.stringify(RECEIPT)))).toBe('ok');
  });

  test.each<[string, unknown, string]>([
    ['signed by another key', signReceipt(FIELDS, OTHER.signing.private_key), 'forged'],
    ['another sequence', { ...RECEIPT, sequence: 4 }, 'forged'],
    ['another envelope', { ...RECEIPT, envelope_hash: 'b'.repeat(64) }, 'forged'],
    ['another time', { ...RECEIPT, received_at: '1961-02-01T10:00:01Z' }, 'forged'],
    ['for another bank', { ...RECEIPT, recipient: 'THIRD' }, 'misaddressed'],
    [
      'from a bank not pinned',
      signReceipt({ ...FIELDS, sender: 'THIRD' }, OTHER.signing.private_key),
      'unknown_sender',
    ],
    ['a field more', { ...RECEIPT, state: 'delivered' }, 'malformed'],
    ['sequence 0', { ...RECEIPT, sequence: 0 }, 'malformed'],
    ['a hash that is none', { ...RECEIPT, envelope_hash: 'xyz' }, 'malformed'],
    ['no signature', { ...RECEIPT, signature: '' }, 'malformed'],
    ['another version', { ...RECEIPT, version: 2 }, 'malformed'],
    ['not an object', 'receipt', 'malformed'],
  ])('%s: %s', (_what, value, code) => {
    expect(verdict(value)).toBe(code);
  });

  test('a receipt tells no more than the pair, a number, a hash, a time and a signature', () => {
    expect(Object.keys(RECEIPT).sort()).toEqual(
      ['envelope_hash', 'received_at', 'recipient', 'sender', 'sequence', 'signature', 'version'].sort(),
    );
    const typed: DeliveryReceipt = RECEIPT;
    expect(typed.version).toBe(1);
  });
});
