// Signed requests to the relay: each bank signs every request with its Ed25519 signing key over
// method, path, the SHA-256 of the body, a timestamp and a nonce; the relay checks the signature
// against the key pinned for the bank, the timestamp against its clock, and the nonce against
// those it has seen in the window, so a request can be neither forged nor replayed.
import { createHash, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { decodeBase64 } from './keys.ts';
import { instantMs, isBankId } from './seal.ts';

/** How far a request's timestamp may be from the relay's clock, either way. */
export const REQUEST_SKEW_MAXIMUM_MS = 5 * 60_000;
/** Random bytes in a nonce (written as hex). */
export const REQUEST_NONCE_BYTES = 16;
const SIGNATURE_BYTES = 64;

/** The headers of a signed request. */
export const AUTH_HEADERS = {
  bank: 'x-ingot-bank',
  timestamp: 'x-ingot-timestamp',
  nonce: 'x-ingot-nonce',
  signature: 'x-ingot-signature',
} as const;

/** What a request claims before its signature is checked. */
export interface RequestClaim {
  readonly bank: string;
  readonly timestamp: string;
  readonly timestamp_ms: number;
  readonly nonce: string;
  readonly signature: Buffer;
}

/** SHA-256 of a body, hex; an empty body is the digest of no bytes. */
export function bodyDigest(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The bytes signed: `method\npath\nsha256(body)\ntimestamp\nnonce`. */
export function signedText(method: string, path: string, digest: string, timestamp: string, nonce: string) {
  return Buffer.from(`${method}\n${path}\n${digest}\n${timestamp}\n${nonce}`, 'utf8');
}

/** The headers that sign a request as `bank`; `path` includes the query string. */
export function signRequest(
  identity: { bank: string; signing_key: KeyObject },
  request: { method: string; path: string; body: Uint8Array; now_ms: number },
): Record<string, string> {
  const timestamp = new Date(request.now_ms).toISOString();
  const nonce = randomBytes(REQUEST_NONCE_BYTES).toString('hex');
  const text = signedText(request.method, request.path, bodyDigest(request.body), timestamp, nonce);
  return {
    [AUTH_HEADERS.bank]: identity.bank,
    [AUTH_HEADERS.timestamp]: timestamp,
    [AUTH_HEADERS.nonce]: nonce,
    [AUTH_HEADERS.signature]: sign(null, text, identity.signing_key).toString('base64'),
  };
}

type HeaderValue = string | string[] | undefined;

/** Reads the claim of a request's headers, or why it has none; checks the timestamp is fresh. */
export function readClaim(
  headers: Readonly<Record<string, HeaderValue>>,
  now_ms: number,
): { ok: true; claim: RequestClaim } | { ok: false; message: string } {
  const one = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' ? value : null;
  };
  const bank = one(AUTH_HEADERS.bank);
  const timestamp = one(AUTH_HEADERS.timestamp);
  const nonce = one(AUTH_HEADERS.nonce);
  const signatureText = one(AUTH_HEADERS.signature);
  if (bank === null || timestamp === null || nonce === null || signatureText === null) {
    return { ok: false, message: 'the request is not signed' };
  }
  if (!isBankId(bank)) return { ok: false, message: 'the request names no valid bank' };
  const timestamp_ms = instantMs(timestamp);
  if (timestamp_ms === null) return { ok: false, message: 'the timestamp is not an ISO 8601 instant' };
  if (Math.abs(timestamp_ms - now_ms) > REQUEST_SKEW_MAXIMUM_MS) {
    return { ok: false, message: 'the timestamp is stale or in the future' };
  }
  if (!new RegExp(`^[0-9a-f]{${REQUEST_NONCE_BYTES * 2}}$`).test(nonce)) {
    return { ok: false, message: 'the nonce is not hex of the right length' };
  }
  const signature = decodeBase64(signatureText);
  if (signature === null || signature.length !== SIGNATURE_BYTES) {
    return { ok: false, message: 'the signature is not base64 of 64 bytes' };
  }
  return { ok: true, claim: { bank, timestamp, timestamp_ms, nonce, signature } };
}

/** True when the claim's signature over the request is by `key`. */
export function verifyClaim(
  claim: RequestClaim,
  request: { method: string; path: string; body: Uint8Array },
  key: KeyObject,
): boolean {
  const text = signedText(
    request.method,
    request.path,
    bodyDigest(request.body),
    claim.timestamp,
    claim.nonce,
  );
  return verify(null, text, key, claim.signature);
}
