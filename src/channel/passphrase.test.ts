import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { isSealedText, openText, SEALED_TEXT_PREFIX, sealText } from './at-rest.ts';
import { exportPrivateKeys, generateBankKeys } from './keys.ts';
import {
  isLockedKeys,
  LOCKED_KEYS_FORMAT,
  lockKeys,
  lockSecret,
  SCRYPT_COST,
  unlockKeys,
  unlockSecret,
} from './passphrase.ts';

const KEYS = exportPrivateKeys(generateBankKeys());
const PASSPHRASE = 'correct horse battery staple';

describe('private keys locked under a passphrase', async () => {
  const locked = await lockKeys('NBC', KEYS, PASSPHRASE);
  const record = { bank: 'NBC', ...locked } as Record<string, unknown>;

  test('the passphrase opens them; the file states scrypt N=2^15 r=8 p=1', async () => {
    expect(locked.kdf).toMatchObject(SCRYPT_COST);
    expect(isLockedKeys(record)).toBe(true);
    expect(isLockedKeys({ bank: 'NBC', ...KEYS })).toBe(false);
    expect(await unlockKeys('NBC', record, PASSPHRASE)).toEqual({ ok: true, keys: KEYS });
  });

  test('another passphrase, another bank or an altered ciphertext do not', async () => {
    const wrong = { ok: false, reason: 'wrong_passphrase' };
    expect(await unlockKeys('NBC', record, `${PASSPHRASE}!`)).toEqual(wrong);
    expect(await unlockKeys('GOSBANK', record, PASSPHRASE)).toEqual(wrong);
    const bytes = Buffer.from(locked.ciphertext, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    const altered = { ...record, ciphertext: bytes.toString('base64') };
    expect(await unlockKeys('NBC', altered, PASSPHRASE)).toEqual(wrong);
  });

  test('a cost beyond what may be spent is refused before scrypt runs', async () => {
    const costly = { ...record, kdf: { ...locked.kdf, N: 2 ** 24 } };
    expect(await unlockKeys('NBC', costly, PASSPHRASE)).toEqual({
      ok: false,
      reason: 'an unusable scrypt cost',
    });
    const odd = { ...record, kdf: { ...locked.kdf, N: 1000 } };
    expect(await unlockKeys('NBC', odd, PASSPHRASE)).toMatchObject({ ok: false });
  });
});

describe('texts at rest', () => {
  const key = randomBytes(32);

  test('sealed for a row, a text opens for that row only, under that key only', () => {
    const sealed = sealText(key, 'Gold at night.', 'messages.text #1');
    expect(sealed.startsWith(SEALED_TEXT_PREFIX)).toBe(true);
    expect(sealed).not.toContain('Gold');
    expect(openText(key, sealed, 'messages.text #1')).toBe('Gold at night.');
    expect(() => openText(key, sealed, 'messages.text #2')).toThrow(/does not open/);
    expect(() => openText(randomBytes(32), sealed, 'messages.text #1')).toThrow(/does not open/);
  });

  test('a text written in clear before is read as it is', () => {
    expect(isSealedText('MT699 …')).toBe(false);
    expect(openText(key, 'MT699 …', 'messages.text #1')).toBe('MT699 …');
  });
});

describe('any secret locked under a passphrase names its format and bank', async () => {
  const secret = randomBytes(32);
  const locked = await lockSecret('ingot-books-key-encrypted-1', 'NBC', secret, PASSPHRASE);
  const record = { bank: 'NBC', ...locked } as Record<string, unknown>;

  test('it opens as what it is, and not relabelled as another format', async () => {
    const opened = await unlockSecret('ingot-books-key-encrypted-1', 'NBC', record, PASSPHRASE);
    expect(opened).toEqual({ ok: true, plain: secret });
    const relabelled = { ...record, format: LOCKED_KEYS_FORMAT };
    expect(await unlockKeys('NBC', relabelled, PASSPHRASE)).toEqual({
      ok: false,
      reason: 'wrong_passphrase',
    });
    expect(JSON.stringify(record)).not.toContain(secret.toString('base64'));
  });
});
