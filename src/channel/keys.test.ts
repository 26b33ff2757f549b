import { sign, verify } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  bankFingerprint,
  decodeBase64,
  exportPrivateKeys,
  exportPublicKey,
  exportPublicKeys,
  generateBankKeys,
  importBankKeys,
  importPublicKeys,
  keyFingerprint,
  pinKeys,
  pinnedKeysOf,
  publicKeysOf,
} from './keys.ts';

const BANK = generateBankKeys();
const OTHER = generateBankKeys();
const TEXT = exportPublicKeys(publicKeysOf(BANK));

describe('public keys as text', () => {
  test('export then import gives the same keys', () => {
    const imported = importPublicKeys(TEXT);
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    expect(exportPublicKey(imported.keys.signing)).toBe(TEXT.signing);
    expect(exportPublicKey(imported.keys.encryption)).toBe(TEXT.encryption);
  });

  test.each([
    [
      'a signing key given as the encryption key',
      { ...TEXT, encryption: TEXT.signing },
      'encryption',
      'x25519',
    ],
    [
      'an encryption key given as the signing key',
      { ...TEXT, signing: TEXT.encryption },
      'signing',
      'ed25519',
    ],
    ['text that is not base64', { ...TEXT, signing: 'not base64!' }, 'signing', 'not base64'],
    ['base64 with a line break', { ...TEXT, signing: `${TEXT.signing}\n` }, 'signing', 'not base64'],
    ['base64 that is no key', { ...TEXT, encryption: 'AAAA' }, 'encryption', 'not a DER-encoded SPKI'],
    [
      'a private key given as public',
      { ...TEXT, signing: exportPrivateKeys(BANK).signing },
      'signing',
      'SPKI',
    ],
  ])('%s is refused naming the key', (_case, text, field, reason) => {
    const imported = importPublicKeys(text);
    expect(imported.ok).toBe(false);
    if (imported.ok) return;
    expect(imported.code).toBe('invalid_input');
    expect(imported.field).toBe(field);
    expect(imported.message).toContain(reason);
  });
});

describe('private keys as text', () => {
  test('export then import signs as the original and derives the public halves', () => {
    const imported = importBankKeys(exportPrivateKeys(BANK));
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    const data = Buffer.from('1961');
    expect(
      verify(null, data, BANK.signing.public_key, sign(null, data, imported.keys.signing.private_key)),
    ).toBe(true);
    expect(exportPublicKeys(publicKeysOf(imported.keys))).toEqual(TEXT);
  });

  test('a swapped pair is refused', () => {
    const text = exportPrivateKeys(BANK);
    const imported = importBankKeys({ signing: text.encryption, encryption: text.signing });
    expect(imported.ok ? 'ok' : imported.field).toBe('signing');
  });
});

describe('fingerprints', () => {
  test('sixteen groups of four hex digits, stable, different per key', () => {
    const print = keyFingerprint(BANK.signing.public_key);
    expect(print).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
    expect(keyFingerprint(BANK.signing.public_key)).toBe(print);
    expect(keyFingerprint(OTHER.signing.public_key)).not.toBe(print);
  });

  test('a bank fingerprint covers both keys', () => {
    const mine = publicKeysOf(BANK);
    const print = bankFingerprint(mine);
    expect(print).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
    expect(bankFingerprint({ ...mine, encryption: OTHER.encryption.public_key })).not.toBe(print);
    expect(bankFingerprint({ ...mine, signing: OTHER.signing.public_key })).not.toBe(print);
  });
});

describe('pinned keys', () => {
  test('pins correspondents by bank id and refuses a bad one naming the bank', () => {
    const pinned = pinKeys({ NBC: TEXT, GOSBANK: exportPublicKeys(publicKeysOf(OTHER)) });
    expect(pinned.ok).toBe(true);
    if (!pinned.ok) return;
    expect(pinnedKeysOf(pinned.pins, 'NBC')?.signing.equals(BANK.signing.public_key)).toBe(true);
    expect(pinnedKeysOf(pinned.pins, 'constructor')).toBeUndefined();
    expect(pinnedKeysOf(pinned.pins, 'NOBODY')).toBeUndefined();
    const bad = pinKeys({ NBC: { ...TEXT, encryption: TEXT.signing } });
    expect(bad.ok ? 'ok' : [bad.field, bad.message.startsWith('bank NBC:')]).toEqual([
      'NBC.encryption',
      true,
    ]);
  });
});

describe('decodeBase64', () => {
  test.each([
    ['AAAA', 3],
    ['AA==', 1],
    ['', null],
    ['AAA', null],
    ['AA=A', null],
    ['AB==', null], // non-canonical: the padding bits are not zero
    ['A A=', null],
  ])('%j → %s bytes', (text, length) => {
    expect(decodeBase64(text)?.length ?? null).toBe(length);
  });
});
