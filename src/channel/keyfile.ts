// A bank's key files: the private one (mode 0600, never overwritten, its keys encrypted under a
// passphrase) kept by its own instance, and the public one given to correspondents out of band, to
// be pinned after comparing fingerprints.
import { closeSync, existsSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { type CorrespondenceOutcome, refuseCorrespondence } from '../domain/correspondence/refusal.ts';
import {
  type BankKeys,
  bankFingerprint,
  exportPrivateKeys,
  exportPublicKeys,
  importBankKeys,
  importPublicKeys,
  type PrivateKeysText,
  type PublicKeys,
  type PublicKeysText,
  publicKeysOf,
} from './keys.ts';
import { isLockedKeys, lockKeys, PASSPHRASE_LENGTH_MINIMUM, unlockKeys } from './passphrase.ts';
import { isBankId } from './seal.ts';

/** Permission bits of a private key file: read and write by its owner only. */
export const PRIVATE_FILE_MODE = 0o600;

/** The public file: the bank, its public keys as text, and their fingerprint. */
export interface PublicKeyFile extends PublicKeysText {
  readonly bank: string;
  readonly fingerprint: string;
}

/** The public file's content for a bank's keys. */
export function publicFileOf(bank: string, keys: BankKeys): PublicKeyFile {
  const pub = publicKeysOf(keys);
  return { bank, ...exportPublicKeys(pub), fingerprint: bankFingerprint(pub) };
}

/** Writes a new file with `mode`, refusing to replace one that exists. */
export function writeNew(path: string, text: string, mode: number): CorrespondenceOutcome<object> {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'wx', mode);
  } catch (error) {
    const exists = (error as { code?: string }).code === 'EEXIST';
    const message = exists ? `${path} exists; a key file is never overwritten` : `cannot write ${path}`;
    return refuseCorrespondence(exists ? 'key_file_exists' : 'key_file_unreadable', message, 'file');
  }
  try {
    writeSync(descriptor, text);
  } finally {
    closeSync(descriptor);
  }
  return { ok: true };
}

/** Refuses a passphrase too short to protect a new key file. */
export function checkNewPassphrase(passphrase: string): CorrespondenceOutcome<object> {
  if (passphrase === '') {
    return refuseCorrespondence('key_passphrase_missing', 'no passphrase was given', 'passphrase');
  }
  if (passphrase.length < PASSPHRASE_LENGTH_MINIMUM) {
    const message = `a key passphrase has at least ${PASSPHRASE_LENGTH_MINIMUM} characters`;
    return refuseCorrespondence('invalid_input', message, 'passphrase');
  }
  return { ok: true };
}

/** The private file's text: the bank and its keys, encrypted under the passphrase. */
async function privateFileText(bank: string, keys: PrivateKeysText, passphrase: string): Promise<string> {
  const locked = await lockKeys(bank, keys, passphrase);
  return `${JSON.stringify({ bank, ...locked }, null, 2)}\n`;
}

/**
 * Writes a bank's private keys, encrypted under `passphrase` (mode 0600), and its public file;
 * neither may exist already.
 */
export async function writeKeyFiles(
  bank: string,
  keys: BankKeys,
  paths: { readonly private_path: string; readonly public_path: string },
  passphrase: string,
): Promise<CorrespondenceOutcome<{ public_file: PublicKeyFile }>> {
  const strong = checkNewPassphrase(passphrase);
  if (!strong.ok) return strong;
  for (const path of [paths.private_path, paths.public_path]) {
    if (existsSync(path)) {
      return refuseCorrespondence(
        'key_file_exists',
        `${path} exists; a key file is never overwritten`,
        'file',
      );
    }
  }
  const privateText = await privateFileText(bank, exportPrivateKeys(keys), passphrase);
  const written = writeNew(paths.private_path, privateText, PRIVATE_FILE_MODE);
  if (!written.ok) return written;
  const public_file = publicFileOf(bank, keys);
  const shared = writeNew(paths.public_path, `${JSON.stringify(public_file, null, 2)}\n`, 0o644);
  return shared.ok ? { ok: true, public_file } : shared;
}

/** Reads a JSON file into a record, or a refusal naming the file. */
export function readJsonFile(path: string): CorrespondenceOutcome<{ record: Record<string, unknown> }> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return refuseCorrespondence('key_file_unreadable', `${path} cannot be read as JSON`, 'file');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuseCorrespondence('key_file_unreadable', `${path} is not a JSON object`, 'file');
  }
  return { ok: true, record: value as Record<string, unknown> };
}

/**
 * Refuses a private file (keys, books key) that is missing or that others may read, as ssh does:
 * it is not tightened quietly, for whoever read it may hold a copy and the keys are to be changed.
 */
export function checkPrivateFile(path: string): CorrespondenceOutcome<object> {
  if (!existsSync(path)) return refuseCorrespondence('key_file_unreadable', `${path} does not exist`, 'file');
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    const octal = mode.toString(8).padStart(4, '0');
    const message = `${path} may be read by others (mode ${octal}); chmod 600 it (the keys may be compromised)`;
    return refuseCorrespondence('key_file_not_private', message, 'file');
  }
  return { ok: true };
}

/** Reads a private file's record: it must exist, be private, and be of `bank` when one is named. */
function readPrivateRecord(
  path: string,
  bank: string | null,
): CorrespondenceOutcome<{ record: Record<string, unknown> }> {
  const checked = checkPrivateFile(path);
  if (!checked.ok) return checked;
  const read = readJsonFile(path);
  if (!read.ok) return read;
  if (bank !== null && read.record.bank !== bank) {
    const message = `${path} holds the keys of ${String(read.record.bank)}`;
    return refuseCorrespondence('key_file_unreadable', message, 'file');
  }
  return read;
}

/** Imports private keys from their text form, as a refusal naming the file when they are bad. */
function importPrivate(path: string, text: PrivateKeysText): CorrespondenceOutcome<{ keys: BankKeys }> {
  const imported = importBankKeys(text);
  if (imported.ok) return imported;
  return refuseCorrespondence('key_file_unreadable', `${path}: ${imported.message}`, 'file');
}

/**
 * Reads a bank's private keys, refusing a file others may read, a passphrase that does not open
 * it, and a file of keys in clear (written before keys were encrypted: `ingot keys protect`).
 */
export async function readPrivateKeyFile(
  path: string,
  bank: string,
  passphrase: string,
): Promise<CorrespondenceOutcome<{ keys: BankKeys }>> {
  const read = readPrivateRecord(path, bank);
  if (!read.ok) return read;
  if (!isLockedKeys(read.record)) {
    const message =
      `${path} holds its keys in clear; encrypt it under a passphrase with ` +
      `\`ingot keys protect --file ${path}\``;
    return refuseCorrespondence('key_file_not_encrypted', message, 'file');
  }
  if (passphrase === '') {
    const message = `${path} is encrypted: give its passphrase (INGOT_KEY_PASSPHRASE or --passphrase-file)`;
    return refuseCorrespondence('key_passphrase_missing', message, 'passphrase');
  }
  const unlocked = await unlockKeys(bank, read.record, passphrase);
  if (!unlocked.ok) {
    const wrong = unlocked.reason === 'wrong_passphrase';
    const message = wrong
      ? `the passphrase does not open ${path}`
      : `${path} is not a key file Ingot can read: ${unlocked.reason}`;
    return refuseCorrespondence(
      wrong ? 'key_passphrase_wrong' : 'key_file_unreadable',
      message,
      'passphrase',
    );
  }
  return importPrivate(path, unlocked.keys);
}

/**
 * Encrypts a private file written in clear under `passphrase`, in place: the new file is written
 * beside it (mode 0600) and renamed over it, so the keys are never lost half-way. A file encrypted
 * already is left as it is.
 */
export async function protectPrivateKeyFile(
  path: string,
  passphrase: string,
): Promise<CorrespondenceOutcome<{ bank: string; encrypted_before: boolean }>> {
  const read = readPrivateRecord(path, null);
  if (!read.ok) return read;
  const { record } = read;
  const bank = typeof record.bank === 'string' ? record.bank : '';
  if (isLockedKeys(record)) return { ok: true, bank, encrypted_before: true };
  const strong = checkNewPassphrase(passphrase);
  if (!strong.ok) return strong;
  const text = { signing: String(record.signing ?? ''), encryption: String(record.encryption ?? '') };
  const imported = importPrivate(path, text);
  if (!imported.ok) return imported;
  const staged = `${path}.protecting`;
  const written = writeNew(staged, await privateFileText(bank, text, passphrase), PRIVATE_FILE_MODE);
  if (!written.ok) return written;
  renameSync(staged, path);
  return { ok: true, bank, encrypted_before: false };
}

/** Reads a correspondent's public file (its bank, keys and stated fingerprint). */
export function readPublicKeyFile(path: string): CorrespondenceOutcome<{ file: PublicKeyFile }> {
  if (!existsSync(path)) return refuseCorrespondence('key_file_unreadable', `${path} does not exist`, 'file');
  const read = readJsonFile(path);
  if (!read.ok) return read;
  const { bank, signing, encryption, fingerprint } = read.record;
  if (typeof signing !== 'string' || typeof encryption !== 'string') {
    return refuseCorrespondence(
      'key_file_unreadable',
      `${path} holds no signing and encryption keys`,
      'file',
    );
  }
  const file = {
    bank: typeof bank === 'string' ? bank : '',
    signing,
    encryption,
    fingerprint: typeof fingerprint === 'string' ? fingerprint : '',
  };
  return { ok: true, file };
}

/**
 * A bank's public keys from the file it handed over, checked against the bank it is pinned for
 * and against the fingerprints stated (in the file, and read out of band): for a correspondent
 * and for the relay alike.
 */
export function checkedPublicKeys(request: {
  readonly bank_id: string;
  readonly file: PublicKeyFile;
  readonly fingerprint?: string | undefined;
}): CorrespondenceOutcome<{ keys: PublicKeys; fingerprint: string }> {
  if (!isBankId(request.bank_id)) {
    return refuseCorrespondence('invalid_input', `"${request.bank_id}" is not a bank id`, 'bank');
  }
  if (request.file.bank !== '' && request.file.bank !== request.bank_id) {
    const message = `the file holds the keys of ${request.file.bank}, not ${request.bank_id}`;
    return refuseCorrespondence('invalid_input', message, 'bank');
  }
  const imported = importPublicKeys(request.file);
  if (!imported.ok) return refuseCorrespondence('invalid_input', imported.message, 'file');
  const fingerprint = bankFingerprint(imported.keys);
  const normalize = (text: string) => text.replace(/\s+/g, '').toUpperCase();
  for (const stated of [request.file.fingerprint, request.fingerprint ?? '']) {
    if (stated !== '' && normalize(stated) !== normalize(fingerprint)) {
      const message = `the keys' fingerprint is ${fingerprint}, not ${stated}`;
      return refuseCorrespondence('fingerprint_mismatch', message, 'fingerprint');
    }
  }
  return { ok: true, keys: imported.keys, fingerprint };
}
