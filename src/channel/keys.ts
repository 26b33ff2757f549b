// A bank's key pairs, their text form for exchange out of band, and the keys pinned per bank.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { type Outcome, refuse } from '../domain/outcome.ts';

/** A key pair: Ed25519 for signing, X25519 for receiving encrypted messages. */
export interface KeyPair {
  readonly public_key: KeyObject;
  readonly private_key: KeyObject;
}

/** A bank's own keys, never leaving its instance. */
export interface BankKeys {
  readonly signing: KeyPair;
  readonly encryption: KeyPair;
}

/** A bank's public keys, as pinned by its correspondents. */
export interface PublicKeys {
  readonly signing: KeyObject;
  readonly encryption: KeyObject;
}

/** Public keys as text: base64 of the SPKI DER encoding of each. */
export interface PublicKeysText {
  readonly signing: string;
  readonly encryption: string;
}

/** Private keys as text: base64 of the PKCS#8 DER encoding of each (secret: store accordingly). */
export interface PrivateKeysText {
  readonly signing: string;
  readonly encryption: string;
}

/** The public keys of each correspondent, by bank id, exchanged once out of band. */
export type PinnedKeys = Readonly<Record<string, PublicKeys>>;

/** Which algorithm each role's key must use. */
const KEY_TYPES = { signing: 'ed25519', encryption: 'x25519' } as const;
type KeyRole = keyof typeof KEY_TYPES;

/** Generates a bank's signing and encryption key pairs. */
export function generateBankKeys(): BankKeys {
  const signing = generateKeyPairSync('ed25519');
  const encryption = generateKeyPairSync('x25519');
  return {
    signing: { public_key: signing.publicKey, private_key: signing.privateKey },
    encryption: { public_key: encryption.publicKey, private_key: encryption.privateKey },
  };
}

/** The public half of a bank's keys. */
export function publicKeysOf(keys: BankKeys): PublicKeys {
  return { signing: keys.signing.public_key, encryption: keys.encryption.public_key };
}

/** Writes a public key as base64 of its SPKI DER encoding. */
export function exportPublicKey(key: KeyObject): string {
  return key.export({ format: 'der', type: 'spki' }).toString('base64');
}

/** Writes a bank's public keys as text for exchange out of band. */
export function exportPublicKeys(keys: PublicKeys): PublicKeysText {
  return { signing: exportPublicKey(keys.signing), encryption: exportPublicKey(keys.encryption) };
}

/** Writes a bank's private keys as text (base64 PKCS#8 DER), for its own safekeeping only. */
export function exportPrivateKeys(keys: BankKeys): PrivateKeysText {
  const write = (pair: KeyPair) =>
    pair.private_key.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  return { signing: write(keys.signing), encryption: write(keys.encryption) };
}

/** Decodes strict base64 (padded, no whitespace), or null. */
export function decodeBase64(text: string): Buffer | null {
  if (text === '' || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

/** Reads one key from base64 DER, checking it is of the algorithm its role needs. */
function importKey(text: unknown, role: KeyRole, kind: 'public' | 'private'): Outcome<{ key: KeyObject }> {
  const what = `${role} ${kind} key`;
  const bytes = typeof text === 'string' ? decodeBase64(text) : null;
  if (bytes === null) return refuse('invalid_input', `the ${what} is not base64 text`, role);
  let key: KeyObject;
  try {
    key =
      kind === 'public'
        ? createPublicKey({ key: bytes, format: 'der', type: 'spki' })
        : createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
  } catch {
    const encoding = kind === 'public' ? 'SPKI' : 'PKCS#8';
    return refuse('invalid_input', `the ${what} is not a DER-encoded ${encoding} key`, role);
  }
  if (key.asymmetricKeyType !== KEY_TYPES[role]) {
    const found = key.asymmetricKeyType ?? 'unknown';
    return refuse('invalid_input', `the ${what} is ${found}; it must be ${KEY_TYPES[role]}`, role);
  }
  return { ok: true, key };
}

/** Reads a correspondent's public keys from their text form. */
export function importPublicKeys(text: PublicKeysText): Outcome<{ keys: PublicKeys }> {
  const signing = importKey(text.signing, 'signing', 'public');
  if (!signing.ok) return signing;
  const encryption = importKey(text.encryption, 'encryption', 'public');
  if (!encryption.ok) return encryption;
  return { ok: true, keys: { signing: signing.key, encryption: encryption.key } };
}

/** Reads a bank's own keys from their private text form; the public halves are derived. */
export function importBankKeys(text: PrivateKeysText): Outcome<{ keys: BankKeys }> {
  const signing = importKey(text.signing, 'signing', 'private');
  if (!signing.ok) return signing;
  const encryption = importKey(text.encryption, 'encryption', 'private');
  if (!encryption.ok) return encryption;
  const pair = (key: KeyObject): KeyPair => ({ public_key: createPublicKey(key), private_key: key });
  return { ok: true, keys: { signing: pair(signing.key), encryption: pair(encryption.key) } };
}

/** SHA-256 of some bytes as upper-case hex in groups of four, for reading aloud. */
function groupedDigest(bytes: Buffer): string {
  const hex = createHash('sha256').update(bytes).digest('hex').toUpperCase();
  return hex.replace(/(.{4})(?!$)/g, '$1 ');
}

/** The fingerprint of one public key: SHA-256 of its SPKI DER, e.g. "3F2A 9C01 …" (16 groups). */
export function keyFingerprint(key: KeyObject): string {
  return groupedDigest(key.export({ format: 'der', type: 'spki' }));
}

/**
 * The fingerprint of a bank's two public keys together: SHA-256 of the signing key's SPKI DER
 * followed by the encryption key's (DER is self-delimiting), to compare out of band in one go.
 */
export function bankFingerprint(keys: PublicKeys): string {
  const der = (key: KeyObject) => key.export({ format: 'der', type: 'spki' });
  return groupedDigest(Buffer.concat([der(keys.signing), der(keys.encryption)]));
}

/** Builds the pinned keys of correspondents from their text forms, naming the bank at fault. */
export function pinKeys(texts: Readonly<Record<string, PublicKeysText>>): Outcome<{ pins: PinnedKeys }> {
  const pins: Record<string, PublicKeys> = {};
  for (const [bank, text] of Object.entries(texts)) {
    const imported = importPublicKeys(text);
    if (!imported.ok) {
      return refuse('invalid_input', `bank ${bank}: ${imported.message}`, `${bank}.${imported.field}`);
    }
    pins[bank] = imported.keys;
  }
  return { ok: true, pins };
}

/** The keys pinned for a bank, or undefined (an own property only: "constructor" is no bank). */
export function pinnedKeysOf(pins: PinnedKeys, bank: string): PublicKeys | undefined {
  return Object.hasOwn(pins, bank) ? pins[bank] : undefined;
}
