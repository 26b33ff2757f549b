import { describe, expect, test } from 'vitest';
import { generateBankKeys } from './keys.ts';
import {
  AUTH_HEADERS,
  REQUEST_SKEW_MAXIMUM_MS,
  readClaim,
  signRequest,
  verifyClaim,
} from './request-auth.ts';

const KEYS = generateBankKeys();
const OTHER = generateBankKeys();
const NOW = Date.parse('2024-05-01T12:00:00Z');
const REQUEST = { method: 'POST', path: '/v1/inbox/NBC/ack', body: Buffer.from('{"ids":["1"]}') };
const HEADERS = signRequest(
  { bank: 'NBC', signing_key: KEYS.signing.private_key },
  { ...REQUEST, now_ms: NOW },
);

/** Reads and verifies headers against a request at an instant, as the relay does. */
function check(headers: Record<string, string>, request = REQUEST, now = NOW, key = KEYS.signing.public_key) {
  const read = readClaim(headers, now);
  if (!read.ok) return read.message;
  return verifyClaim(read.claim, request, key) ? 'ok' : 'bad signature';
}

describe('signed requests', () => {
  test('a request signed by the key verifies, at the edges of the window too', () => {
    expect(check(HEADERS)).toBe('ok');
    expect(check(HEADERS, REQUEST, NOW + REQUEST_SKEW_MAXIMUM_MS)).toBe('ok');
    expect(check(HEADERS, REQUEST, NOW - REQUEST_SKEW_MAXIMUM_MS)).toBe('ok');
  });

  test.each([
    ['another method', { ...REQUEST, method: 'GET' }],
    ['another path', { ...REQUEST, path: '/v1/inbox/GOSBANK/ack' }],
    ['another query', { ...REQUEST, path: '/v1/inbox/NBC/ack?limit=1' }],
    ['another body', { ...REQUEST, body: Buffer.from('{"ids":["2"]}') }],
  ])('%s: the signature does not verify', (_what, request) => {
    expect(check(HEADERS, request)).toBe('bad signature');
  });

  test.each([
    ['no headers', {}, /not signed/],
    ['no signature', { ...HEADERS, [AUTH_HEADERS.signature]: '' }, /signature/],
    ['a bank id that is none', { ...HEADERS, [AUTH_HEADERS.bank]: ' NBC' }, /no valid bank/],
    ['a timestamp that is no instant', { ...HEADERS, [AUTH_HEADERS.timestamp]: 'yesterday' }, /ISO 8601/],
    ['a short nonce', { ...HEADERS, [AUTH_HEADERS.nonce]: 'abcd' }, /nonce/],
    [
      'a signature of 63 bytes',
      { ...HEADERS, [AUTH_HEADERS.signature]: Buffer.alloc(63).toString('base64') },
      /64/,
    ],
  ])('%s: refused before any key is looked up', (_what, headers, message) => {
    expect(check(headers)).toMatch(message);
  });

  test('stale or early by more than the window: refused', () => {
    expect(check(HEADERS, REQUEST, NOW + REQUEST_SKEW_MAXIMUM_MS + 1)).toMatch(/stale/);
    expect(check(HEADERS, REQUEST, NOW - REQUEST_SKEW_MAXIMUM_MS - 1)).toMatch(/future/);
  });

  test("another bank's key, or a changed timestamp or nonce: the signature does not verify", () => {
    expect(check(HEADERS, REQUEST, NOW, OTHER.signing.public_key)).toBe('bad signature');
    const later = new Date(NOW + 1000).toISOString();
    expect(check({ ...HEADERS, [AUTH_HEADERS.timestamp]: later })).toBe('bad signature');
    expect(check({ ...HEADERS, [AUTH_HEADERS.nonce]: 'f'.repeat(32) })).toBe('bad signature');
  });

  test('each request has a nonce of its own', () => {
    const again = signRequest(
      { bank: 'NBC', signing_key: KEYS.signing.private_key },
      { ...REQUEST, now_ms: NOW },
    );
    expect(again[AUTH_HEADERS.nonce]).not.toBe(HEADERS[AUTH_HEADERS.nonce]);
  });
});
