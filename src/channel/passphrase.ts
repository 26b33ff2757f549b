// Secrets encrypted under a passphrase: scrypt draws a key from the passphrase and a random salt,
// AES-256-GCM encrypts the secret under it. The file keeps what is needed to open it again (salt,
// scrypt's cost, nonce, tag) and names its format and bank in the authenticated data. A bank's
// private keys and its books key are kept so, under the same passphrase.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { assert } from '../domain/outcome.ts';
import { decodeBase64, type PrivateKeysText } from './keys.ts';

/** The format named in an encrypted private key file. */
export const LOCKED_KEYS_FORMAT = 'ingot-private-keys-encrypted-1';
/** Fewest characters of a passphrase protecting a new key file. */
export const PASSPHRASE_LENGTH_MINIMUM = 12;
/** scrypt's cost for new files: N = 2^15, r = 8, p = 1 (32 MiB, about 0.1 s). */
export const SCRYPT_COST = { N: 2 ** 15, r: 8, p: 1 } as const;
/** The most memory a file's stated cost may make scrypt use (it needs 128 × N × r bytes). */
const SCRYPT_MEMORY_MAXIMUM_BYTES = 256 * 1024 * 1024;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** scrypt's parameters as a file states them. */
export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** What a file encrypted under a passphrase holds besides its bank. */
export interface LockedSecret<Format extends string = string> {
  readonly format: Format;
  readonly kdf: { readonly name: 'scrypt'; readonly salt: string } & ScryptCost;
  readonly cipher: { readonly name: 'aes-256-gcm'; readonly nonce: string; readonly tag: string };
  readonly ciphertext: string;
}

/** What an encrypted private key file holds besides its bank. */
export type LockedKeys = LockedSecret<typeof LOCKED_KEYS_FORMAT>;

/** Why a secret could not be unlocked: the passphrase (`wrong_passphrase`), or the file's form. */
export type UnlockSecretOutcome =
  | { readonly ok: true; readonly plain: Buffer }
  | { readonly ok: false; readonly reason: string };

/** Why keys could not be unlocked: the passphrase, or the file's form. */
export type UnlockOutcome =
  | { readonly ok: true; readonly keys: PrivateKeysText }
  | { readonly ok: false; readonly reason: string };

/** The key scrypt draws from a passphrase (NFC-normalized, so it is the same however typed). */
function deriveKey(passphrase: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const maxmem = 2 * 128 * cost.N * cost.r;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, { ...cost, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** The data authenticated with a secret: its format and bank, so neither can be changed. */
function associatedData(format: string, bank: string): Buffer {
  return Buffer.from(`${format}\n${bank}`, 'utf8');
}

/** Encrypts a bank's secret under a passphrase, with a fresh salt and nonce. */
export async function lockSecret<Format extends string>(
  format: Format,
  bank: string,
  plain: Buffer,
  passphrase: string,
): Promise<LockedSecret<Format>> {
  assert(passphrase !== '', 'a secret is never locked under an empty passphrase');
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const key = await deriveKey(passphrase, salt, SCRYPT_COST);
  const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(associatedData(format, bank));
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    format,
    kdf: { name: 'scrypt', salt: salt.toString('base64'), ...SCRYPT_COST },
    cipher: {
      name: 'aes-256-gcm',
      nonce: nonce.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    },
    ciphertext: ciphertext.toString('base64'),
  };
}

/** Encrypts a bank's private keys under a passphrase, with a fresh salt and nonce. */
export function lockKeys(bank: string, keys: PrivateKeysText, passphrase: string): Promise<LockedKeys> {
  const plain = Buffer.from(JSON.stringify({ signing: keys.signing, encryption: keys.encryption }));
  return lockSecret(LOCKED_KEYS_FORMAT, bank, plain, passphrase);
}

/** True when a key file's record is encrypted (any file naming a format or holding a ciphertext). */
export function isLockedKeys(record: Readonly<Record<string, unknown>>): boolean {
  return 'format' in record || 'ciphertext' in record;
}

/** A positive whole number from a file, or null. */
function wholeNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** scrypt's cost as a file states it, if it is one scrypt takes and within what may be spent. */
function statedCost(kdf: Readonly<Record<string, unknown>>): ScryptCost | null {
  const [N, r, p] = [wholeNumber(kdf.N), wholeNumber(kdf.r), wholeNumber(kdf.p)];
  if (N === null || r === null || p === null || N < 2 || (N & (N - 1)) !== 0) return null;
  if (p > 16 || 128 * N * r > SCRYPT_MEMORY_MAXIMUM_BYTES) return null;
  return { N, r, p };
}

/** A record's field as an object, or an empty one. */
function objectAt(
  record: Readonly<Record<string, unknown>>,
  name: string,
): Readonly<Record<string, unknown>> {
  const value = record[name];
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** The base64 bytes at a field, or null. */
function bytesAt(record: Readonly<Record<string, unknown>>, name: string): Buffer | null {
  const value = record[name];
  return typeof value === 'string' ? decodeBase64(value) : null;
}

/** Decrypts a bank's secret of `format`; a passphrase that does not open it is `wrong_passphrase`. */
export async function unlockSecret(
  format: string,
  bank: string,
  record: Readonly<Record<string, unknown>>,
  passphrase: string,
): Promise<UnlockSecretOutcome> {
  if (record.format !== format) return { ok: false, reason: `format ${String(record.format)}` };
  const kdf = objectAt(record, 'kdf');
  const cipher = objectAt(record, 'cipher');
  const cost = statedCost(kdf);
  if (kdf.name !== 'scrypt' || cost === null) return { ok: false, reason: 'an unusable scrypt cost' };
  if (cipher.name !== 'aes-256-gcm') return { ok: false, reason: `cipher ${String(cipher.name)}` };
  const [salt, nonce, tag] = [bytesAt(kdf, 'salt'), bytesAt(cipher, 'nonce'), bytesAt(cipher, 'tag')];
  const ciphertext = bytesAt(record, 'ciphertext');
  if (salt === null || nonce?.length !== NONCE_BYTES || tag?.length !== TAG_BYTES || ciphertext === null) {
    return { ok: false, reason: 'salt, nonce, tag or ciphertext missing' };
  }
  const key = await deriveKey(passphrase, salt, cost);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce).setAAD(associatedData(format, bank));
  decipher.setAuthTag(tag);
  try {
    return { ok: true, plain: Buffer.concat([decipher.update(ciphertext), decipher.final()]) };
  } catch {
    // GCM's tag does not verify: the passphrase is wrong (or the file was altered).
    return { ok: false, reason: 'wrong_passphrase' };
  }
}

/** Decrypts a bank's private keys; a passphrase that does not open them is `wrong_passphrase`. */
export async function unlockKeys(
  bank: string,
  record: Readonly<Record<string, unknown>>,
  passphrase: string,
): Promise<UnlockOutcome> {
  const unlocked = await unlockSecret(LOCKED_KEYS_FORMAT, bank, record, passphrase);
  if (!unlocked.ok) return unlocked;
  const keys = JSON.parse(unlocked.plain.toString('utf8')) as { signing?: unknown; encryption?: unknown };
  return {
    ok: true,
    keys: { signing: String(keys.signing ?? ''), encryption: String(keys.encryption ?? '') },
  };
}
