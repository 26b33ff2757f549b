// Message texts at rest: the register keeps each text encrypted (AES-256-GCM) under the books key,
// a random 32-byte data key in its own file (mode 0600) beside the bank's private key file. The
// books key is itself encrypted under the passphrase of the private keys (scrypt + AES-256-GCM),
// so whoever copies the folder of the database and its keys reads no letter; a command or the
// server given the passphrase unlocks it once per process. A text is bound to its register row, so
// a text moved to another row does not open.
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type CorrespondenceOutcome, refuseCorrespondence } from '../domain/correspondence/refusal.ts';
import { assert } from '../domain/outcome.ts';
import {
  checkNewPassphrase,
  checkPrivateFile,
  PRIVATE_FILE_MODE,
  readJsonFile,
  writeNew,
} from './keyfile.ts';
import { decodeBase64 } from './keys.ts';
import { lockSecret, unlockSecret } from './passphrase.ts';

/** Bytes of the books key. */
export const BOOKS_KEY_BYTES = 32;
/** The format named in an encrypted books key file. */
export const BOOKS_KEY_FORMAT = 'ingot-books-key-encrypted-1';
/** What a text encrypted at rest begins with; a text without it was written in clear before. */
export const SEALED_TEXT_PREFIX = 'ingot-sealed-1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The books key's file: `<BANK>.books.key`, beside the bank's private key file. */
export function booksKeyPath(privateKeyPath: string, bank: string): string {
  return join(dirname(privateKeyPath), `${bank}.books.key`);
}

/** A books key unlocked in this process: its bank, and a digest of the passphrase that opened it. */
interface Unlocked {
  readonly bank: string;
  readonly key: Buffer;
  readonly passphrase_digest: Buffer;
}

/** Books keys unlocked in this process, by file (a key never changes). */
const UNLOCKED = new Map<string, Unlocked>();

/** A passphrase's digest, to know it again without running scrypt once more. */
function digestOf(passphrase: string): Buffer {
  return createHash('sha256').update(passphrase.normalize('NFC'), 'utf8').digest();
}

function remember(path: string, bank: string, key: Buffer, passphrase: string): Buffer {
  assert(key.length === BOOKS_KEY_BYTES, `the books key of ${path} has ${key.length} bytes`);
  UNLOCKED.set(path, { bank, key, passphrase_digest: digestOf(passphrase) });
  return key;
}

/** The books key in `path` if this process has unlocked it, else null. */
export function unlockedBooksKey(path: string): Buffer | null {
  return UNLOCKED.get(path)?.key ?? null;
}

/** A books key file's text: the bank and the key, encrypted under the passphrase. */
async function booksKeyFileText(bank: string, key: Buffer, passphrase: string): Promise<string> {
  const locked = await lockSecret(BOOKS_KEY_FORMAT, bank, key, passphrase);
  return `${JSON.stringify({ bank, ...locked }, null, 2)}\n`;
}

/** What a books key file holds: the key in clear (an earlier Ingot's), or the key encrypted. */
type BooksKeyFile =
  | { readonly kind: 'clear'; readonly key: Buffer }
  | { readonly kind: 'encrypted'; readonly record: Readonly<Record<string, unknown>> };

/** Reads a books key file: it must exist, be private, and hold a key in either form. */
function readBooksKeyFile(path: string): CorrespondenceOutcome<{ file: BooksKeyFile }> {
  const checked = checkPrivateFile(path);
  if (!checked.ok) return checked;
  const text = readFileSync(path, 'utf8').trim();
  if (text.startsWith('{')) {
    const read = readJsonFile(path);
    return read.ok ? { ok: true, file: { kind: 'encrypted', record: read.record } } : read;
  }
  const key = decodeBase64(text);
  if (key?.length !== BOOKS_KEY_BYTES) {
    const message = `${path} does not hold a ${BOOKS_KEY_BYTES}-byte books key`;
    return refuseCorrespondence('key_file_unreadable', message, 'file');
  }
  return { ok: true, file: { kind: 'clear', key } };
}

/** Writes a new books key of `bank` to `path`, encrypted under the passphrase (0600); unlocked. */
export async function createBooksKeyFile(
  path: string,
  bank: string,
  passphrase: string,
): Promise<CorrespondenceOutcome<{ key: Buffer }>> {
  const strong = checkNewPassphrase(passphrase);
  if (!strong.ok) return strong;
  const key = randomBytes(BOOKS_KEY_BYTES);
  const written = writeNew(path, await booksKeyFileText(bank, key, passphrase), PRIVATE_FILE_MODE);
  return written.ok ? { ok: true, key: remember(path, bank, key, passphrase) } : written;
}

/**
 * Unlocks the books key of `bank` in `path` with the passphrase of the private keys, refusing a
 * file others may read, one in clear (`ingot keys protect` encrypts it), and a wrong passphrase.
 */
export async function unlockBooksKey(
  path: string,
  bank: string,
  passphrase: string,
): Promise<CorrespondenceOutcome<{ key: Buffer }>> {
  const known = UNLOCKED.get(path);
  const same = known?.bank === bank && timingSafeEqual(known.passphrase_digest, digestOf(passphrase));
  if (known !== undefined && same) {
    // Known already, but a file others may now read is refused all the same.
    const checked = checkPrivateFile(path);
    return checked.ok ? { ok: true, key: known.key } : checked;
  }
  const read = readBooksKeyFile(path);
  if (!read.ok) return read;
  if (read.file.kind === 'clear') {
    const message = `${path} holds the books key in clear; encrypt it under the key passphrase with \`ingot keys protect\``;
    return refuseCorrespondence('key_file_not_encrypted', message, 'file');
  }
  const { record } = read.file;
  if (record.bank !== bank) {
    const message = `${path} holds the books key of ${String(record.bank)}, not ${bank}`;
    return refuseCorrespondence('key_file_unreadable', message, 'file');
  }
  if (passphrase === '') {
    const message = `${path} is encrypted: give its passphrase (INGOT_KEY_PASSPHRASE or --passphrase-file)`;
    return refuseCorrespondence('key_passphrase_missing', message, 'passphrase');
  }
  const unlocked = await unlockSecret(BOOKS_KEY_FORMAT, bank, record, passphrase);
  if (!unlocked.ok) {
    const wrong = unlocked.reason === 'wrong_passphrase';
    const message = wrong
      ? `the passphrase does not open the books key ${path}`
      : `${path} is not a books key Ingot can read: ${unlocked.reason}`;
    return refuseCorrespondence(
      wrong ? 'key_passphrase_wrong' : 'key_file_unreadable',
      message,
      'passphrase',
    );
  }
  if (unlocked.plain.length !== BOOKS_KEY_BYTES) {
    const message = `${path} does not hold a ${BOOKS_KEY_BYTES}-byte books key`;
    return refuseCorrespondence('key_file_unreadable', message, 'file');
  }
  return { ok: true, key: remember(path, bank, unlocked.plain, passphrase) };
}

/**
 * Unlocks the books key beside a private key file with the passphrase that opened that file; one
 * missing (keys generated before texts were encrypted) is made now, encrypted under it.
 */
export async function openBooksKey(
  privateKeyPath: string,
  bank: string,
  passphrase: string,
): Promise<CorrespondenceOutcome<{ key: Buffer }>> {
  const path = booksKeyPath(privateKeyPath, bank);
  if (existsSync(path)) return unlockBooksKey(path, bank, passphrase);
  const created = await createBooksKeyFile(path, bank, passphrase);
  // Another process may have written it meanwhile: then that one is unlocked.
  return created.ok || !existsSync(path) ? created : unlockBooksKey(path, bank, passphrase);
}

/**
 * Encrypts a books key file written in clear under `passphrase`, in place: the new file is written
 * beside it (0600) and renamed over it, so the key is never lost half-way. A file encrypted already
 * is unlocked with the passphrase, which must open it.
 */
export async function protectBooksKeyFile(
  path: string,
  bank: string,
  passphrase: string,
): Promise<CorrespondenceOutcome<{ encrypted_before: boolean }>> {
  const read = readBooksKeyFile(path);
  if (!read.ok) return read;
  if (read.file.kind === 'encrypted') {
    const unlocked = await unlockBooksKey(path, bank, passphrase);
    return unlocked.ok ? { ok: true, encrypted_before: true } : unlocked;
  }
  const strong = checkNewPassphrase(passphrase);
  if (!strong.ok) return strong;
  const { key } = read.file;
  const staged = `${path}.protecting`;
  const written = writeNew(staged, await booksKeyFileText(bank, key, passphrase), PRIVATE_FILE_MODE);
  if (!written.ok) return written;
  renameSync(staged, path);
  remember(path, bank, key, passphrase);
  return { ok: true, encrypted_before: false };
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
