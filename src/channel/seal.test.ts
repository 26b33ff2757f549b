import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InvariantError } from '../domain/outcome.ts';
import { type BankKeys, exportPublicKey, generateBankKeys, type PinnedKeys, publicKeysOf } from './keys.ts';
import {
  CIPHERTEXT_MAXIMUM_BYTES,
  ENVELOPE_MAXIMUM_BYTES,
  type Envelope,
  type Header,
  instantMs,
  type OpenOptions,
  open,
  readEnvelope,
  seal,
} from './seal.ts';

const GOSBANK = generateBankKeys();
const NBC = generateBankKeys();
const THIRD = generateBankKeys();
const IMPOSTOR = generateBankKeys();
const PINS: PinnedKeys = {
  GOSBANK: publicKeysOf(GOSBANK),
  NBC: publicKeysOf(NBC),
  THIRD: publicKeysOf(THIRD),
};
const SENT = '1961-01-17T10:00:00Z';
const EXPIRES = '1961-01-24T10:00:00Z';
const BODY = 'MT699\n:20:LETTER-1\n:79:The client will buy for about USD 20 million.\n';

/** Seals BODY from GOSBANK to NBC as message `sequence`, or as `keys` claims to be GOSBANK. */
function sealed(sequence = 4, keys: BankKeys = GOSBANK, body = BODY): Envelope {
  const result = seal(body, {
    sender: 'GOSBANK',
    senderKeys: keys,
    recipient: 'NBC',
    recipientPins: PINS,
    sequence,
    sentAt: SENT,
    expiresAt: EXPIRES,
  });
  if (!result.ok) throw new Error(result.message);
  return result.envelope;
}

const AT_NBC: OpenOptions = {
  recipient: 'NBC',
  recipientKeys: NBC,
  senderPins: PINS,
  now: '1961-01-18T09:00:00Z',
  lastSequenceSeen: 3,
};

// An independent implementation of the envelope's encryption, to build what a dishonest relay or
// correspondent could: it reads the format as documented in seal.ts, not its code.
function keyFor(secret: Buffer, ephemeral: KeyObject, recipient: KeyObject): Buffer {
  const der = (key: KeyObject) => key.export({ format: 'der', type: 'spki' });
  const salt = Buffer.concat([der(ephemeral), der(recipient)]);
  return Buffer.from(hkdfSync('sha256', secret, salt, 'ingot/envelope/v1 aes-256-gcm key', 32));
}

function aad(sender: string, recipient: string): Buffer {
  return Buffer.from(JSON.stringify(['ingot-envelope', 1, sender, recipient]));
}

function encryptTo(plaintext: Buffer, sender: string, recipient: string, to: BankKeys): Envelope {
  const ephemeral = generateKeyPairSync('x25519');
  const secret = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: to.encryption.public_key });
  const nonce = randomBytes(12);
  const cipher = createCipheriv(
    'aes-256-gcm',
    keyFor(secret, ephemeral.publicKey, to.encryption.public_key),
    nonce,
  );
  cipher.setAAD(aad(sender, recipient));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const ephemeralText = exportPublicKey(ephemeral.publicKey);
  const base = { version: 1 as const, sender, recipient, ephemeral_public_key: ephemeralText };
  return { ...base, nonce: nonce.toString('base64'), ciphertext: body.toString('base64') };
}

function decryptFor(envelope: Envelope, keys: BankKeys): Buffer {
  const ephemeral = createPublicKey({
    key: Buffer.from(envelope.ephemeral_public_key, 'base64'),
    format: 'der',
    type: 'spki',
  });
  const secret = diffieHellman({ privateKey: keys.encryption.private_key, publicKey: ephemeral });
  const sealedBytes = Buffer.from(envelope.ciphertext, 'base64');
  const key = keyFor(secret, ephemeral, keys.encryption.public_key);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.nonce, 'base64'));
  decipher.setAAD(aad(envelope.sender, envelope.recipient));
  decipher.setAuthTag(sealedBytes.subarray(sealedBytes.length - 16));
  return Buffer.concat([decipher.update(sealedBytes.subarray(0, sealedBytes.length - 16)), decipher.final()]);
}

/** A header and body signed by `keys`, as `seal` lays them out: signature, then the JSON. */
function signedPlaintext(header: Header, keys: BankKeys): Buffer {
  const payload = Buffer.from(JSON.stringify({ header, body: BODY }));
  return Buffer.concat([sign(null, payload, keys.signing.private_key), payload]);
}

const HEADER: Header = {
  message_id: 'm-1',
  sender: 'GOSBANK',
  recipient: 'NBC',
  sequence: 4,
  sent_at: SENT,
  expires_at: EXPIRES,
};

function flipBit(base64: string, bit: number): string {
  const bytes = Buffer.from(base64, 'base64');
  const index = Math.floor(bit / 8) % bytes.length;
  bytes[index] = (bytes[index] ?? 0) ^ (1 << (bit % 8));
  return bytes.toString('base64');
}

/** 'ok', or the refusal's code. */
function codeOf(value: unknown, options: Partial<OpenOptions> = {}): string {
  const opened = open(value, { ...AT_NBC, ...options });
  return opened.ok ? 'ok' : opened.code;
}

describe('seal and open', () => {
  test('the recipient reads the body and header the sender wrote', () => {
    const opened = open(sealed(), AT_NBC);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.body).toBe(BODY);
    expect(opened.header).toMatchObject({ sender: 'GOSBANK', recipient: 'NBC', sequence: 4, sent_at: SENT });
    expect(opened.header.message_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('the relay sees only sender, recipient and opaque bytes', () => {
    const envelope = sealed();
    expect(Object.keys(envelope).sort()).toEqual(
      ['ciphertext', 'ephemeral_public_key', 'nonce', 'recipient', 'sender', 'version'].sort(),
    );
    const visible = JSON.stringify(envelope);
    for (const secret of ['USD 20 million', 'LETTER-1', 'MT699', '1961-01-24']) {
      expect(visible).not.toContain(secret);
      expect(visible).not.toContain(Buffer.from(secret).toString('base64').slice(0, 8));
    }
  });

  test('two seals of one message differ (fresh ephemeral key and nonce)', () => {
    expect(sealed().ciphertext).not.toBe(sealed().ciphertext);
  });

  test('sealing to a bank with no pinned keys is refused', () => {
    const result = seal(BODY, {
      sender: 'GOSBANK',
      senderKeys: GOSBANK,
      recipient: 'BANCO-X',
      recipientPins: PINS,
      sequence: 1,
      sentAt: SENT,
      expiresAt: EXPIRES,
    });
    expect(result.ok ? 'ok' : result.code).toBe('unknown_recipient');
  });

  test('a message that would not fit the envelope the relay carries is refused, one that does is not', () => {
    const options = {
      sender: 'GOSBANK',
      senderKeys: GOSBANK,
      recipient: 'NBC',
      recipientPins: PINS,
      sequence: 1,
      sentAt: SENT,
      expiresAt: EXPIRES,
    };
    const large = seal('x'.repeat(CIPHERTEXT_MAXIMUM_BYTES), options);
    expect(large.ok ? 'ok' : large.code).toBe('too_large');
    const fits = seal('x'.repeat(CIPHERTEXT_MAXIMUM_BYTES - 4096), options);
    if (!fits.ok) throw new Error(fits.message);
    expect(Buffer.byteLength(JSON.stringify(fits.envelope))).toBeLessThanOrEqual(ENVELOPE_MAXIMUM_BYTES);
  });

  test.each([
    ['sequence 0', { sequence: 0 }],
    ['a fractional sequence', { sequence: 1.5 }],
    ['an expiry before sending', { expiresAt: '1961-01-16T10:00:00Z' }],
    ['an unreadable instant', { sentAt: '17 January 1961' }],
    ['a message to oneself', { recipient: 'GOSBANK' }],
  ])('%s is a bug of the caller', (_case, change) => {
    const options = {
      sender: 'GOSBANK',
      senderKeys: GOSBANK,
      recipient: 'NBC',
      recipientPins: PINS,
      sequence: 1,
      sentAt: SENT,
      expiresAt: EXPIRES,
      ...change,
    };
    expect(() => seal(BODY, options)).toThrow(InvariantError);
  });
});

describe('every refusal of open', () => {
  const envelope = sealed();
  const ciphertextBits = Buffer.from(envelope.ciphertext, 'base64').length * 8;
  const forwarded = encryptTo(signedPlaintext(HEADER, GOSBANK), 'GOSBANK', 'THIRD', THIRD);
  const lyingHeader = { ...HEADER, sender: 'THIRD' };
  test.each<[string, unknown, Partial<OpenOptions>, string]>([
    ['the honest envelope', envelope, {}, 'ok'],
    ['not an object', 'hello', {}, 'malformed'],
    ['an extra field', { ...envelope, note: 'x' }, {}, 'malformed'],
    ['another version', { ...envelope, version: 2 }, {}, 'malformed'],
    ['a nonce of the wrong size', { ...envelope, nonce: 'AAAA' }, {}, 'malformed'],
    ['a ciphertext too short to hold a signature', { ...envelope, ciphertext: 'AAAA' }, {}, 'malformed'],
    ['an envelope for another bank', envelope, { recipient: 'THIRD', recipientKeys: THIRD }, 'misaddressed'],
    [
      're-addressed by the relay, delivered to the old recipient',
      { ...envelope, recipient: 'THIRD' },
      {},
      'misaddressed',
    ],
    [
      're-addressed by the relay, delivered to the new recipient',
      { ...envelope, recipient: 'THIRD' },
      { recipient: 'THIRD', recipientKeys: THIRD },
      'tampered',
    ],
    [
      'the sender changed by the relay to another pinned bank',
      { ...envelope, sender: 'THIRD' },
      {},
      'tampered',
    ],
    ['a sender with no pinned keys', { ...envelope, sender: 'BANCO-X' }, {}, 'unknown_sender'],
    [
      'a bit flipped in the ciphertext',
      { ...envelope, ciphertext: flipBit(envelope.ciphertext, 100) },
      {},
      'tampered',
    ],
    [
      'a bit flipped in the tag',
      { ...envelope, ciphertext: flipBit(envelope.ciphertext, ciphertextBits - 3) },
      {},
      'tampered',
    ],
    ['a bit flipped in the nonce', { ...envelope, nonce: flipBit(envelope.nonce, 5) }, {}, 'tampered'],
    [
      'another ephemeral key',
      { ...envelope, ephemeral_public_key: sealed().ephemeral_public_key },
      {},
      'tampered',
    ],
    [
      'an ephemeral key of the wrong kind',
      { ...envelope, ephemeral_public_key: exportPublicKey(NBC.signing.public_key) },
      {},
      'tampered',
    ],
    ['signed by a key that is not pinned', sealed(4, IMPOSTOR), {}, 'tampered'],
    [
      'forwarded by a correspondent: signed for NBC, re-sealed to THIRD',
      forwarded,
      { recipient: 'THIRD', recipientKeys: THIRD },
      'misaddressed',
    ],
    [
      'a header naming another sender than the envelope',
      encryptTo(signedPlaintext(lyingHeader, THIRD), 'GOSBANK', 'NBC', NBC),
      { senderPins: { ...PINS, GOSBANK: publicKeysOf(THIRD) } },
      'misaddressed',
    ],
    [
      'a body that is not what seal writes',
      encryptTo(Buffer.alloc(80, 1), 'GOSBANK', 'NBC', NBC),
      {},
      'tampered',
    ],
    ['the same message again', envelope, { lastSequenceSeen: 4 }, 'replayed'],
    ['an old message', envelope, { lastSequenceSeen: 9 }, 'replayed'],
    ['a message after a gap', envelope, { lastSequenceSeen: 2 }, 'out_of_order'],
    ['the first message arriving late', sealed(1), { lastSequenceSeen: 0 }, 'ok'],
    ['a message one millisecond before expiry', envelope, { now: '1961-01-24T09:59:59.999Z' }, 'ok'],
    ['a message at its expiry', envelope, { now: EXPIRES }, 'expired'],
    ['a message after its expiry', envelope, { now: '1961-02-01T00:00:00Z' }, 'expired'],
  ])('%s → %s', (_case, value, options, expected) => {
    expect(codeOf(value, options)).toBe(expected);
  });

  test('every single bit flipped in the ephemeral key is refused (OpenSSL reads some as the same key)', () => {
    const bits = Buffer.from(envelope.ephemeral_public_key, 'base64').length * 8;
    const opened = Array.from({ length: bits }, (_, bit) =>
      codeOf({ ...envelope, ephemeral_public_key: flipBit(envelope.ephemeral_public_key, bit) }),
    );
    expect(opened.filter((code) => code === 'ok')).toEqual([]);
  });

  test('a signed payload that is not a header and body is malformed, not tampered', () => {
    const payload = Buffer.from(JSON.stringify({ header: { sequence: 'four' }, body: BODY }));
    const plaintext = Buffer.concat([sign(null, payload, GOSBANK.signing.private_key), payload]);
    expect(codeOf(encryptTo(plaintext, 'GOSBANK', 'NBC', NBC))).toBe('malformed');
  });

  test('the independent decryption reads what seal wrote', () => {
    const plaintext = decryptFor(envelope, NBC);
    expect(JSON.parse(plaintext.subarray(64).toString()).body).toBe(BODY);
  });

  test('refusals after the signature carry the verified header, for the register', () => {
    const opened = open(envelope, { ...AT_NBC, lastSequenceSeen: 4 });
    expect(opened.ok ? null : opened.header?.sequence).toBe(4);
    const early = open(envelope, { ...AT_NBC, recipient: 'THIRD', recipientKeys: THIRD });
    expect(early.ok ? null : early.header).toBeUndefined();
  });
});

describe('properties', () => {
  test('any body arrives intact', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (body, n) => {
          const opened = open(sealed(n, GOSBANK, body), { ...AT_NBC, lastSequenceSeen: n - 1 });
          return opened.ok && opened.body === body && opened.header.sequence === n;
        },
      ),
      { numRuns: 50 },
    );
  });

  test('any single bit flipped in ciphertext, nonce or ephemeral key is refused', () => {
    const envelope = sealed();
    const fields = ['ciphertext', 'nonce', 'ephemeral_public_key'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.nat(), (field, bit) => {
        const bytes = Buffer.from(envelope[field], 'base64').length * 8;
        const changed = { ...envelope, [field]: flipBit(envelope[field], bit % bytes) };
        return codeOf(changed) !== 'ok';
      }),
      { numRuns: 200 },
    );
  });

  test('readEnvelope accepts what seal writes', () => {
    const envelope = sealed();
    expect(readEnvelope(JSON.parse(JSON.stringify(envelope)))).toEqual({ ok: true, envelope });
  });
});

describe('instantMs', () => {
  test.each([
    ['1961-01-17T10:00:00Z', true],
    ['1961-01-17T10:00:00.250Z', true],
    ['1961-02-30T10:00:00Z', false],
    ['1961-01-17T10:00:00+03:00', false],
    ['1961-01-17', false],
  ])('%s → %s', (text, valid) => {
    expect(instantMs(text) !== null).toBe(valid);
  });
});
