// A bank's key files: the private one (mode 0600, never overwritten) kept by its own instance, and
// the public one given to correspondents out of band, to be pinned after comparing fingerprints.
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { type CorrespondenceOutcome, refuseCorrespondence } from '../domain/correspondence/refusal.ts';
import {
  type BankKeys,
  bankFingerprint,
  exportPrivateKeys,
  exportPublicKeys,
  importBankKeys,
  type PublicKeysText,
  publicKeysOf,
} from './keys.ts';

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
function writeNew(path: string, text: string, mode: number): CorrespondenceOutcome<object> {
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

/** Writes a bank's private keys (mode 0600) and its public file; neither may exist already. */
export function writeKeyFiles(
  bank: string,
  keys: BankKeys,
  privatePath: string,
  publicPath: string,
): CorrespondenceOutcome<{ public_file: PublicKeyFile }> {
  for (const path of [privatePath, publicPath]) {
    if (existsSync(path)) {
      return refuseCorrespondence(
        'key_file_exists',
        `${path} exists; a key file is never overwritten`,
        'file',
      );
    }
  }
  const privateText = `${JSON.stringify({ bank, ...exportPrivateKeys(keys) }, null, 2)}\n`;
  const written = writeNew(privatePath, privateText, PRIVATE_FILE_MODE);
  if (!written.ok) return written;
  const public_file = publicFileOf(bank, keys);
  const shared = writeNew(publicPath, `${JSON.stringify(public_file, null, 2)}\n`, 0o644);
  return shared.ok ? { ok: true, public_file } : shared;
}

/** Reads a JSON file into a record, or a refusal naming the file. */
function readJsonFile(path: string): CorrespondenceOutcome<{ record: Record<string, unknown> }> {
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

/** Reads a bank's private keys, refusing a file others may read. */
export function readPrivateKeyFile(path: string, bank: string): CorrespondenceOutcome<{ keys: BankKeys }> {
  if (!existsSync(path)) return refuseCorrespondence('key_file_unreadable', `${path} does not exist`, 'file');
  if ((statSync(path).mode & 0o077) !== 0) {
    const message = `${path} may be read by others; chmod 600 it (the keys may be compromised)`;
    return refuseCorrespondence('key_file_not_private', message, 'file');
  }
  const read = readJsonFile(path);
  if (!read.ok) return read;
  if (read.record.bank !== bank) {
    return refuseCorrespondence(
      'key_file_unreadable',
      `${path} holds the keys of ${String(read.record.bank)}`,
      'file',
    );
  }
  const { signing, encryption } = read.record;
  const imported = importBankKeys({ signing: String(signing ?? ''), encryption: String(encryption ?? '') });
  return imported.ok ? imported : refuseCorrespondence('key_file_unreadable', imported.message, 'file');
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
