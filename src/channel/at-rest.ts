// Message texts at rest: the register keeps each text encrypted (AES-256-GCM) under the books key,
// a random 32-byte data key in its own file of mode 0600 beside the bank's private key file. A text
// is bound to its register row, so a text moved to another row does not open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { assert } from '../domain/outcome.ts';
import { decodeBase64 } from './keys.ts';

/** Bytes of the books key. */
export const BOOKS_KEY_BYTES = 32;
/** What a text encrypted at rest begins with; a text without it was written in clear before. */
export const SEALED_TEXT_PREFIX = 'ingot-sealed-1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The books key's file: `<BANK>.books.key`, beside the bank's private key file. */
export function booksKeyPath(privateKeyPath: string, bank: string): string {
  return join(dirname(privateKeyPath), `${bank}.books.key`);
}

/** A new books key file's text: 32 random bytes, base64. */
export function newBooksKeyText(): string {
  return `${randomBytes(BOOKS_KEY_BYTES).toString('base64')}\n`;
}

/** Books keys read, by file: each is read once per process (a key never changes). */
const BOOKS_KEYS = new Map<string, Buffer>();

/** Reads the books key from its file; a missing, shared or malformed file is an error. */
export function readBooksKey(path: string): Buffer {
  const known = BOOKS_KEYS.get(path);
  if (known !== undefined) return known;
  if (!existsSync(path)) throw new Error(`the books key ${path} is missing: the register cannot be read`);
  assert((statSync(path).mode & 0o077) === 0, `${path} may be read by others; chmod 600 it`);
  const key = decodeBase64(readFileSync(path, 'utf8').trim());
  assert(key?.length === BOOKS_KEY_BYTES, `${path} does not hold a ${BOOKS_KEY_BYTES}-byte key`);
  BOOKS_KEYS.set(path, key);
  return key;
}

/** Encrypts a text for the row named by `context` (e.g. "messages.text #12"). */
export function sealText(key: Buffer, text: string, context: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  const sealed = Buffer.concat([nonce, cipher.getAuthTag(), ciphertext]).toString('base64');
  return `${SEALED_TEXT_PREFIX}${sealed}`;
}

/** True when a stored text is encrypted. */
export function isSealedText(stored: string): boolean {
  return stored.startsWith(SEALED_TEXT_PREFIX);
}

/** Decrypts a text sealed for `context`; one that does not open is a broken invariant. */
export function openText(key: Buffer, stored: string, context: string): string {
  if (!isSealedText(stored)) return stored;
  const bytes = decodeBase64(stored.slice(SEALED_TEXT_PREFIX.length));
  assert(bytes !== null && bytes.length >= NONCE_BYTES + TAG_BYTES, `${context} is not a sealed text`);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(bytes.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
  try {
    const plain = [decipher.update(bytes.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()];
    return Buffer.concat(plain).toString('utf8');
  } catch {
    throw new Error(`${context} does not open under the books key (altered, or another key)`);
  }
}
