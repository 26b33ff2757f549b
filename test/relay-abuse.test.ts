// Trying to get around each control of the relay and of delivery: an attacker who can reach the
// relay but holds no key (idle sockets, trickled headers); a bank with a valid key reaching for
// another bank's inbox; a signed request replayed, after a restart too, or dated ahead; a 16 MiB
// body; a flood from one sender; forged receipts; and lost acknowledgements and receipts, after
// which every message is still applied exactly once and the books and the client's view agree bar
// for bar. Acknowledged envelopes are deleted after their retention. Both banks' books verify
// after every test.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { publicFileOf, readPublicKeyFile } from '../src/channel/keyfile.ts';
import { type BankKeys, generateBankKeys } from '../src/channel/keys.ts';
import { signReceipt } from '../src/channel/receipt.ts';
import {
  RELAY_BODY_MAXIMUM_BYTES,
  RELAY_CONNECTIONS_PER_ADDRESS_MAXIMUM,
  type RunningRelay,
  startRelay,
} from '../src/channel/relay.ts';
import { type RelayClient, relayClient } from '../src/channel/relay-client.ts';
import { pinRelayBank } from '../src/channel/relay-pin.ts';
import { RELAY_ACKNOWLEDGED_RETENTION_MS } from '../src/channel/relay-store.ts';
import { signRequest } from '../src/channel/request-auth.ts';
import { type Envelope, seal } from '../src/channel/seal.ts';
import { composeLetter } from '../src/domain/correspondence/compose.ts';
import { payloadOf, writePayload } from '../src/domain/correspondence/payload.ts';
import { viewBars } from '../src/service/correspondence/client-view.ts';
import { settlementOutgoing } from '../src/service/correspondence/compose-books.ts';
import { receiveEnvelope } from '../src/service/correspondence/inbox.ts';
import {
  type Channel,
  generateKeys,
  loadChannel,
  pinCorrespondent,
  pinnedKeys,
} from '../src/service/correspondence/keyring.ts';
import {
  envelopeHash,
  type Outgoing,
  queueMessages,
  resendMessage,
} from '../src/service/correspondence/outbox.ts';
import { listRegister } from '../src/service/correspondence/register.ts';
import { RESEND_AFTER_MS, SYNC_FETCH_LIMIT, syncOnce } from '../src/service/correspondence/sync.ts';
import { verifyStore } from '../src/service/journal/verify.ts';
import type { Ingot } from '../src/service/kernel/context.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { allocateTrade } from '../src/service/trading/trades.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/store.ts';
import { depository1961, pinAtRelay, TEST_KEY_PASSPHRASE } from './support/correspondence.ts';
import { ok } from './support/desk.ts';

let dir: string;
let relay: RunningRelay;
let relayDb: string;
const stores: Store[] = [];
let dep: Ingot;
let nbc: Ingot;
let depChannel: Channel;
let nbcChannel: Channel;
let depRelay: RelayClient;
let nbcRelay: RelayClient;
/** A third bank the relay serves, unknown to GOSBANK and NBC: a valid key, and nothing more. */
const third: BankKeys = generateBankKeys();
let clock = Date.parse('1961-01-17T09:00:00Z');

function instance(store: Store): Ingot {
  stores.push(store);
  return { store, user: 'operator', now: () => new Date(clock).toISOString() };
}

type Signer = { bank: string; signing_key: BankKeys['signing']['private_key'] };
const signerOf = (bank: string, keys: BankKeys): Signer => ({ bank, signing_key: keys.signing.private_key });

/** A request to the relay, signed by `signer` if given; its status and JSON answer. */
async function call(
  method: 'GET' | 'POST',
  path: string,
  options: {
    signer?: Signer;
    body?: unknown;
    now_ms?: number;
    headers?: Record<string, string>;
    url?: string;
  } = {},
) {
  const bytes = Buffer.from(options.body === undefined ? '' : JSON.stringify(options.body));
  const signed = options.signer
    ? signRequest(options.signer, { method, path, body: bytes, now_ms: options.now_ms ?? Date.now() })
    : {};
  const headers = { ...signed, ...options.headers };
  const response = await fetch(`${options.url ?? relay.url}${path}`, {
    method,
    headers,
    body: method === 'GET' ? null : bytes,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers };
}

/** An envelope from GOSBANK to NBC sealed by hand under a sequence number. */
async function handSealed(sequence: number, text = 'By hand.'): Promise<Envelope> {
  const letter = composeLetter({ reference: `LTR-${sequence}`, related_reference: null, text });
  const sealed = seal(writePayload(payloadOf(letter, 'confidential', 'A letter')), {
    sender: 'GOSBANK',
    senderKeys: depChannel.keys,
    recipient: 'NBC',
    recipientPins: await pinnedKeys(dep.store.db),
    sequence,
    sentAt: new Date(clock).toISOString(),
    expiresAt: '1961-12-31T00:00:00Z',
  });
  if (!sealed.ok) throw new Error(sealed.message);
  return sealed.envelope;
}

/** A client that loses what the test says: acknowledgements never arrive, receipts vanish. */
function lossy(client: RelayClient, lose: { acknowledge?: boolean; receipts?: boolean }): RelayClient {
  const lost = { ok: false as const, code: 'relay_unreachable' as const, status: null, message: 'lost' };
  return {
    ...client,
    acknowledge: async (ids) => (lose.acknowledge ? lost : client.acknowledge(ids)),
    postReceipt: async (receipt) =>
      lose.receipts ? { ok: true, id: '0', duplicate: false } : client.postReceipt(receipt),
  };
}

async function letter(reference: string): Promise<bigint> {
  const outgoing: Outgoing = {
    to: 'NBC',
    classification: 'confidential',
    subject: reference,
    message: composeLetter({ reference, related_reference: null, text: 'Loading on 1 March.' }),
    origin: null,
    linked: null,
    date: '1961-02-19',
  };
  const [queued] = ok(await queueMessages(dep, depChannel, [outgoing])).queued;
  if (!queued) throw new Error('nothing queued');
  return queued.id;
}

async function stateOf(ingot: Ingot, id: bigint): Promise<string> {
  const row = await ingot.store.db
    .selectFrom('messages')
    .select('state')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.state ?? 'none';
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ingot-relay-abuse-'));
  relayDb = join(dir, 'relay.db');
  relay = await startRelay({ db: relayDb, port: 0 });
  dep = instance(await openSqliteStore(join(dir, 'gosbank.db'), { synchronous: 'NORMAL' }));
  nbc = instance(await openSqliteStore(join(dir, 'nbc.db'), { synchronous: 'NORMAL' }));
  await depository1961(dep, 40);
  for (const [ingot, bank] of [
    [dep, 'GOSBANK'],
    [nbc, 'NBC'],
  ] as const) {
    const paths = {
      private_path: join(dir, `${bank}.keys.json`),
      public_path: join(dir, `${bank}.public.json`),
    };
    ok(await generateKeys(ingot, { bank_id: bank, ...paths, passphrase: TEST_KEY_PASSPHRASE }));
    pinAtRelay(relayDb, bank, paths.public_path);
  }
  const file = (bank: string) => ok(readPublicKeyFile(join(dir, `${bank}.public.json`))).file;
  depChannel = ok(await loadChannel(dep, TEST_KEY_PASSPHRASE)).channel;
  nbcChannel = ok(await loadChannel(nbc, TEST_KEY_PASSPHRASE)).channel;
  const pin = { replace: false };
  ok(
    await pinCorrespondent(dep, {
      bank_id: 'NBC',
      file: file('NBC'),
      ...pin,
      signatory_user_id: 'nbc-signatory-1',
    }),
  );
  ok(await pinCorrespondent(nbc, { bank_id: 'GOSBANK', file: file('GOSBANK'), ...pin }));
  const now = new Date().toISOString();
  ok(pinRelayBank(relayDb, { bank_id: 'THIRD', file: publicFileOf('THIRD', third), replace: false, now }));
  depRelay = relayClient(relay.url, depChannel);
  nbcRelay = relayClient(relay.url, nbcChannel);
}, 60_000);

afterEach(async () => {
  for (const ingot of [dep, nbc]) expect((await verifyStore(ingot)).breaches).toEqual([]);
});

afterAll(async () => {
  await relay?.close();
  for (const store of stores.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an attacker who can reach the relay but holds no key', () => {
  test('cannot fetch or acknowledge an inbox, unsigned, under a key of its own, or with a stale time', async () => {
    const waiting = await depRelay.post(await handSealed(1_000));
    if (!waiting.ok) throw new Error(waiting.message);
    const ack = { ids: [waiting.id] };
    expect((await call('GET', '/v1/inbox/NBC')).status).toBe(401);
    expect((await call('POST', '/v1/inbox/NBC/ack', { body: ack })).status).toBe(401);
    const impostor = signerOf('NBC', generateBankKeys());
    expect((await call('POST', '/v1/inbox/NBC/ack', { signer: impostor, body: ack })).status).toBe(401);
    const unknown = signerOf('NOBODY', generateBankKeys());
    expect((await call('GET', '/v1/inbox/NOBODY', { signer: unknown })).status).toBe(401);
    const stale = { signer: signerOf('NBC', nbcChannel.keys), body: ack, now_ms: Date.now() - 6 * 60_000 };
    expect((await call('POST', '/v1/inbox/NBC/ack', stale)).body).toMatchObject({
      code: 'unauthenticated',
      message: expect.stringMatching(/stale/),
    });
    const health = await call('GET', '/v1/health');
    expect(health).toMatchObject({ status: 200, body: { ok: true } });
    expect(Object.keys(health.body)).toEqual(['ok']);
    const still = await nbcRelay.fetch(500);
    expect(still.ok && still.envelopes.map((e) => e.id)).toContain(waiting.id);
    expect(await nbcRelay.acknowledge([waiting.id])).toMatchObject({ ok: true, acknowledged: 1 });
  });
});

describe('a bank with a valid key', () => {
  const asThird = () => signerOf('THIRD', third);

  test("cannot read or acknowledge another bank's inbox or receipts: 404, as for no bank at all", async () => {
    const waiting = await depRelay.post(await handSealed(1_001));
    if (!waiting.ok) throw new Error(waiting.message);
    const other = await call('GET', '/v1/inbox/NBC', { signer: asThird() });
    const none = await call('GET', '/v1/inbox/NOSUCHBANK', { signer: asThird() });
    expect([other.status, none.status]).toEqual([404, 404]);
    expect(other.body.code).toBe(none.body.code);
    const ack = await call('POST', '/v1/inbox/NBC/ack', { signer: asThird(), body: { ids: [waiting.id] } });
    expect(ack.status).toBe(404);
    expect((await call('GET', '/v1/receipts/GOSBANK', { signer: asThird() })).status).toBe(404);
    expect((await call('GET', '/v1/inbox/THIRD', { signer: asThird() })).body).toEqual({ envelopes: [] });
    const still = await nbcRelay.fetch(500);
    expect(still.ok && still.envelopes.map((e) => e.id)).toContain(waiting.id);
    ok(await nbcRelay.acknowledge([waiting.id]));
  });

  test("cannot post in another bank's name: 403", async () => {
    const envelope = await handSealed(1_002);
    const posted = await call('POST', '/v1/envelopes', { signer: asThird(), body: envelope });
    expect(posted).toMatchObject({ status: 403, body: { code: 'not_sender' } });
  });

  test('junk it posts is logged as rejected by the recipient and takes no register number', async () => {
    const before = await listRegister(nbc, { direction: 'in' });
    const junk = {
      ...(await handSealed(1_003)),
      sender: 'THIRD',
      ciphertext: randomBytes(600).toString('base64'),
    };
    expect((await call('POST', '/v1/envelopes', { signer: asThird(), body: junk })).status).toBe(201);
    const report = await syncOnce(nbc, nbcChannel, nbcRelay);
    expect(report).toMatchObject({ rejected: 1, problem: null });
    expect(await listRegister(nbc, { direction: 'in' })).toEqual(before);
    const inbox = await nbcRelay.fetch(500);
    expect(inbox.ok && inbox.envelopes).toEqual([]);
  });
});

describe('a signed request captured on the wire', () => {
  test('is refused when replayed, and when its body is changed', async () => {
    const signer = signerOf('NBC', nbcChannel.keys);
    const first = await call('GET', '/v1/inbox/NBC?limit=5', { signer });
    expect(first.status).toBe(200);
    const again = await call('GET', '/v1/inbox/NBC?limit=5', { headers: first.headers });
    expect(again).toMatchObject({ status: 401, body: { message: expect.stringMatching(/replayed/) } });
    const path = '/v1/inbox/NBC/ack';
    const signed = signRequest(signer, {
      method: 'POST',
      path,
      body: Buffer.from('{"ids":[]}'),
      now_ms: Date.now(),
    });
    const altered = await call('POST', path, { headers: signed, body: { ids: ['1'] } });
    expect(altered).toMatchObject({ status: 401, body: { message: expect.stringMatching(/signature/) } });
    const moved = await call('GET', '/v1/inbox/NBC?limit=6', { headers: first.headers });
    expect(moved.status).toBe(401);
  });

  test('is refused when replayed after the relay restarts: the nonces are kept in its file', async () => {
    const first = await call('GET', '/v1/inbox/NBC?limit=7', { signer: signerOf('NBC', nbcChannel.keys) });
    expect(first.status).toBe(200);
    const port = relay.port;
    await relay.close();
    relay = await startRelay({ db: relayDb, port });
    const again = await call('GET', '/v1/inbox/NBC?limit=7', { headers: first.headers });
    expect(again).toMatchObject({ status: 401, body: { message: expect.stringMatching(/replayed/) } });
    expect((await nbcRelay.fetch(5)).ok).toBe(true);
  });

  test('dated beyond the allowed skew ahead is refused; dated ahead within it, taken once', async () => {
    const signer = signerOf('NBC', nbcChannel.keys);
    const ahead = await call('GET', '/v1/inbox/NBC?limit=8', { signer, now_ms: Date.now() + 6 * 60_000 });
    expect(ahead).toMatchObject({ status: 401, body: { message: expect.stringMatching(/future/) } });
    const near = await call('GET', '/v1/inbox/NBC?limit=8', { signer, now_ms: Date.now() + 4 * 60_000 });
    expect(near.status).toBe(200);
    const again = await call('GET', '/v1/inbox/NBC?limit=8', { headers: near.headers });
    expect(again).toMatchObject({ status: 401, body: { message: expect.stringMatching(/replayed/) } });
  });
});

/** A socket to a relay from `local` (another loopback address stands for another machine). */
async function socketTo(url: string, local = '127.0.0.1'): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port), localAddress: local });
  await once(socket, 'connect');
  return socket;
}

/** Everything a socket receives until the relay closes it. */
async function answerOf(socket: Socket): Promise<string> {
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  await once(socket, 'close');
  return text;
}

describe('connections are bounded', () => {
  test('64 idle sockets with no key from one address do not keep the banks out', async () => {
    const idle = await Promise.all(Array.from({ length: 64 }, () => socketTo(relay.url, '127.0.0.2')));
    try {
      // Past the cap from that address each is closed as soon as it is accepted.
      const closed = idle.slice(RELAY_CONNECTIONS_PER_ADDRESS_MAXIMUM).map((s) => once(s, 'close'));
      await Promise.all(closed);
      expect(await call('GET', '/v1/health')).toMatchObject({ status: 200, body: { ok: true } });
      expect(await syncOnce(nbc, nbcChannel, nbcRelay)).toMatchObject({ problem: null });
    } finally {
      for (const socket of idle) socket.destroy();
    }
  });

  test('no more connections than the total cap, from any addresses', async () => {
    const small = await startRelay({
      db: join(dir, 'small.db'),
      port: 0,
      connections: { total: 4, per_address: 100 },
    });
    try {
      const held = await Promise.all([2, 3, 4, 5].map((n) => socketTo(small.url, `127.0.0.${n}`)));
      const extra = await socketTo(small.url, '127.0.0.6');
      expect(await answerOf(extra)).toBe('');
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await call('GET', '/v1/health', { url: small.url })).status).toBe(200);
    } finally {
      await small.close();
    }
  });

  test('headers that trickle in are cut off by the headers timeout, though never idle', async () => {
    const small = await startRelay({
      db: join(dir, 'slow.db'),
      port: 0,
      connections: { headers_timeout_ms: 300, timeouts_checked_every_ms: 50, idle_timeout_ms: 1_500 },
    });
    try {
      const slow = await socketTo(small.url, '127.0.0.7');
      const answer = answerOf(slow);
      const header = `GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(400)}`;
      let sent = 0;
      const drip = setInterval(() => {
        if (!slow.destroyed) slow.write(header[sent % header.length] ?? 'a');
        sent += 1;
      }, 50);
      try {
        expect(await answer).toMatch(/^HTTP\/1\.1 408 /);
      } finally {
        clearInterval(drip);
      }
      const silent = await socketTo(small.url, '127.0.0.7');
      expect(await answerOf(silent)).toMatch(/^HTTP\/1\.1 408 /);
      expect((await call('GET', '/v1/health', { url: small.url })).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe('acknowledged envelopes', () => {
  test('are kept for their retention (a resend gets the first id back), then deleted', async () => {
    const db = join(dir, 'retention.db');
    for (const bank of ['GOSBANK', 'NBC']) pinAtRelay(db, bank, join(dir, `${bank}.public.json`));
    let now = Date.parse('1961-03-01T09:00:00Z');
    const kept = await startRelay({ db, port: 0, now_ms: () => now });
    const as = (bank: string, keys: BankKeys) => ({ signer: signerOf(bank, keys), url: kept.url });
    const gosbank = () => ({ ...as('GOSBANK', depChannel.keys), now_ms: now });
    const nbcAt = () => ({ ...as('NBC', nbcChannel.keys), now_ms: now });
    const rows = (id: unknown) => {
      const file = new BetterSqlite3(db, { readonly: true });
      try {
        return (file.prepare('select count(*) as n from envelopes where id = ?').get(id) as { n: number }).n;
      } finally {
        file.close();
      }
    };
    try {
      const envelope = await handSealed(3_001);
      const posted = await call('POST', '/v1/envelopes', { ...gosbank(), body: envelope });
      expect(posted.status).toBe(201);
      const id = posted.body.id;
      const acked = await call('POST', '/v1/inbox/NBC/ack', { ...nbcAt(), body: { ids: [id] } });
      expect(acked.body).toEqual({ acknowledged: 1 });
      now += RELAY_ACKNOWLEDGED_RETENTION_MS - 60_000;
      const resent = await call('POST', '/v1/envelopes', { ...gosbank(), body: envelope });
      expect(resent.body).toEqual({ id, duplicate: true });
      expect(await call('POST', '/v1/inbox/NBC/ack', { ...nbcAt(), body: { ids: [id] } })).toMatchObject({
        body: { acknowledged: 1 },
      });
      expect(rows(id)).toBe(1);
      now += RELAY_ACKNOWLEDGED_RETENTION_MS + 60_000;
      const next = await call('POST', '/v1/envelopes', { ...gosbank(), body: await handSealed(3_002) });
      expect(next.status).toBe(201);
      expect(rows(id)).toBe(0);
      expect(rows(next.body.id)).toBe(1);
    } finally {
      await kept.close();
    }
  });
});

/** Posts `total` bytes to the relay as fast as it takes them; the status and how much was written. */
function postHuge(
  total: number,
  declared: boolean,
  signed = true,
): Promise<{ status: number; written: number }> {
  const claim = { method: 'POST', path: '/v1/envelopes', body: Buffer.alloc(0), now_ms: Date.now() };
  const headers = signed ? signRequest(signerOf('GOSBANK', depChannel.keys), claim) : {};
  return new Promise((resolve, reject) => {
    let written = 0;
    let status = 0;
    const request = httpRequest(new URL('/v1/envelopes', relay.url), {
      method: 'POST',
      headers: declared ? { ...headers, 'content-length': String(total) } : headers,
    });
    request.on('response', (response) => {
      status = response.statusCode ?? 0;
      response.resume();
      response.on('end', () => resolve({ status, written }));
    });
    request.on('error', (error) => (status === 0 ? reject(error) : resolve({ status, written })));
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    const pump = () => {
      while (written < total && status === 0) {
        written += chunk.length;
        if (!request.write(chunk)) return void request.once('drain', pump);
      }
      request.end();
    };
    pump();
  });
}

describe('bodies and queues are bounded', () => {
  const sixteen = 16 * 1024 * 1024;

  test('a 16 MiB envelope is refused 413 from its length, before it is read', async () => {
    const huge = await postHuge(sixteen, true);
    expect(huge.status).toBe(413);
    expect(huge.written).toBeLessThan(sixteen / 2);
  });

  test('a 16 MiB body of undeclared length is refused 413 once past the limit', async () => {
    const huge = await postHuge(sixteen, false);
    expect(huge.status).toBe(413);
    expect(huge.written).toBeLessThan(sixteen / 2);
    expect(RELAY_BODY_MAXIMUM_BYTES).toBe(1024 * 1024);
    expect((await call('GET', '/v1/health')).status).toBe(200);
    expect(await syncOnce(nbc, nbcChannel, nbcRelay)).toMatchObject({ problem: null });
  });

  test('16 MiB from an attacker without a key is refused 401 before it is read, declared or not', async () => {
    for (const declared of [true, false]) {
      const huge = await postHuge(sixteen, declared, false);
      expect([declared, huge.status]).toEqual([declared, declared ? 413 : 401]);
      expect(huge.written).toBeLessThan(sixteen / 2);
    }
  });

  test("a flood from one sender is refused 429 at its cap; other senders and the sender's own inbox go on", async () => {
    const floodDb = join(dir, 'flood.db');
    for (const bank of ['GOSBANK', 'NBC']) pinAtRelay(floodDb, bank, join(dir, `${bank}.public.json`));
    const small = await startRelay({ db: floodDb, port: 0, queue: { items: 5, bytes: 1024 * 1024 } });
    try {
      const flooder = relayClient(small.url, depChannel);
      const statuses: (number | null)[] = [];
      for (let sequence = 1; sequence <= 7; sequence += 1) {
        const posted = await flooder.post(await handSealed(2_000 + sequence));
        statuses.push(posted.ok ? 201 : posted.status);
      }
      expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
      const other = relayClient(small.url, nbcChannel);
      const reply = seal('x', {
        sender: 'NBC',
        senderKeys: nbcChannel.keys,
        recipient: 'GOSBANK',
        recipientPins: await pinnedKeys(nbc.store.db),
        sequence: 9_000,
        sentAt: new Date(clock).toISOString(),
        expiresAt: '1961-12-31T00:00:00Z',
      });
      if (!reply.ok) throw new Error(reply.message);
      expect(await other.post(reply.envelope)).toMatchObject({ ok: true, duplicate: false });
      const inbox = await other.fetch(2);
      if (!inbox.ok) throw new Error(inbox.message);
      ok(await other.acknowledge(inbox.envelopes.map((e) => e.id)));
      expect(await flooder.post(await handSealed(2_010))).toMatchObject({ ok: true });
    } finally {
      await small.close();
    }
  });
});

describe('receipts', () => {
  test('a receipt in another bank name is refused by the relay; one from a bank not pinned, by the sender', async () => {
    const id = await letter('LTR-R1');
    expect(await syncOnce(dep, depChannel, depRelay)).toMatchObject({ pushed: 1, problem: null });
    const sent = await dep.store.db
      .selectFrom('messages')
      .select(['sequence', 'envelope_hash'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const fields = {
      recipient: 'GOSBANK',
      sequence: Number(sent.sequence),
      envelope_hash: sent.envelope_hash ?? '',
      received_at: new Date(clock).toISOString(),
    };
    const asNbc = signReceipt({ sender: 'NBC', ...fields }, third.signing.private_key);
    const posted = await call('POST', '/v1/receipts', { signer: signerOf('THIRD', third), body: asNbc });
    expect(posted).toMatchObject({ status: 403, body: { code: 'not_sender' } });
    const own = signReceipt({ sender: 'THIRD', ...fields }, third.signing.private_key);
    const accepted = await call('POST', '/v1/receipts', { signer: signerOf('THIRD', third), body: own });
    expect(accepted.status).toBe(201);
    expect(await syncOnce(dep, depChannel, depRelay)).toMatchObject({ receipts_refused: 1, delivered: 0 });
    expect(await stateOf(dep, id)).toBe('sent');
  });

  test('a relay that forges receipts cannot make a message delivered', async () => {
    const id = await letter('LTR-R2');
    expect(await syncOnce(dep, depChannel, depRelay)).toMatchObject({ pushed: 1 });
    const sent = await dep.store.db
      .selectFrom('messages')
      .select(['sequence', 'envelope_hash'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const fields = {
      sender: 'NBC',
      recipient: 'GOSBANK',
      sequence: Number(sent.sequence),
      envelope_hash: sent.envelope_hash ?? '',
      received_at: new Date(clock).toISOString(),
    };
    const forged = [
      signReceipt(fields, third.signing.private_key),
      { ...signReceipt(fields, nbcChannel.keys.signing.private_key), sequence: fields.sequence + 1 },
      signReceipt({ ...fields, envelope_hash: envelopeHash('another') }, nbcChannel.keys.signing.private_key),
      { ...signReceipt(fields, nbcChannel.keys.signing.private_key), recipient: 'THIRD' },
      'not a receipt',
    ];
    const forger: RelayClient = {
      ...depRelay,
      fetchReceipts: async () => ({
        ok: true,
        receipts: forged.map((value, i) => ({ id: String(i + 1), value })),
      }),
      acknowledgeReceipts: async (ids) => ({ ok: true, acknowledged: ids.length }),
    };
    expect(await syncOnce(dep, depChannel, forger)).toMatchObject({ receipts_refused: 5, delivered: 0 });
    expect(await stateOf(dep, id)).toBe('sent');
    const refused = await dep.store.db
      .selectFrom('channel_events')
      .select('detail')
      .where('event', '=', 'receipt_refused')
      .orderBy('id', 'desc')
      .limit(5)
      .execute();
    expect(refused.map((r) => r.detail.split(':')[0]).sort()).toEqual([
      'receipt refused',
      'receipt refused, forged',
      'receipt refused, forged',
      'receipt refused, malformed',
      'receipt refused, misaddressed',
    ]);
    // The genuine receipt comes once NBC has the letters.
    await syncOnce(nbc, nbcChannel, nbcRelay);
    expect(await syncOnce(dep, depChannel, depRelay)).toMatchObject({ delivered: 2 });
    expect(await stateOf(dep, id)).toBe('delivered');
  });
});

describe('lost acknowledgements and receipts', () => {
  test('a receipt lost is resent for after the interval; the recipient applies the message once', async () => {
    const id = await letter('LTR-L1');
    await syncOnce(dep, depChannel, depRelay);
    const before = (await listRegister(nbc, { direction: 'in' })).length;
    const lost = await syncOnce(nbc, nbcChannel, lossy(nbcRelay, { receipts: true }));
    expect(lost).toMatchObject({ received: 1, receipts_sent: 1 });
    clock += RESEND_AFTER_MS - 1_000;
    expect(await syncOnce(dep, depChannel, depRelay)).toMatchObject({ resent: 0, delivered: 0 });
    expect(await stateOf(dep, id)).toBe('sent');
    clock += 2_000;
    expect(await syncOnce(dep, depChannel, depRelay)).toMatchObject({ resent: 1, delivered: 0 });
    expect(await syncOnce(nbc, nbcChannel, nbcRelay)).toMatchObject({ duplicates: 1, receipts_sent: 1 });
    expect(await syncOnce(dep, depChannel, depRelay)).toMatchObject({ delivered: 1 });
    expect(await stateOf(dep, id)).toBe('delivered');
    const received = await listRegister(nbc, { direction: 'in' });
    expect(received.length).toBe(before + 1);
    expect(received.filter((m) => m.reference === 'LTR-L1').length).toBe(1);
  });

  test('resent by hand: back in the outbox, the same envelope under the same sequence', async () => {
    const id = await letter('LTR-L2');
    await syncOnce(dep, depChannel, depRelay);
    await syncOnce(nbc, nbcChannel, lossy(nbcRelay, { receipts: true }));
    expect(await resendMessage(dep, id)).toMatchObject({ ok: true, state: 'outbox' });
    expect(await stateOf(dep, id)).toBe('outbox');
    expect(await syncOnce(dep, depChannel, depRelay)).toMatchObject({ pushed: 1 });
    const sending = await dep.store.db
      .selectFrom('message_sendings')
      .select('attempts')
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(sending.attempts).toBe(2n);
    expect(await syncOnce(nbc, nbcChannel, nbcRelay)).toMatchObject({ duplicates: 1, received: 0 });
    await syncOnce(dep, depChannel, depRelay);
    expect(await stateOf(dep, id)).toBe('delivered');
    expect(await resendMessage(dep, id)).toMatchObject({ ok: false, code: 'message_invalid' });
    expect(await resendMessage(dep, 999_999n)).toMatchObject({ ok: false, code: 'message_not_found' });
  });
});

describe('where value moves', () => {
  test('an acceptance whose acknowledgement and receipt are lost records one trade; the advices credit once', async () => {
    const acceptance = {
      type: 'INGOT-ACCEPTANCE' as const,
      reference: 'ACCEPT-1',
      offer_reference: 'OFFER-1',
      accepted_on: '1961-01-17',
      quantity_fine_milli_oz: 2_000_000n,
      amount: null,
      exchange_rate: null,
      narrative: null,
    };
    const outgoing = { to: 'GOSBANK', classification: 'secret' as const, subject: 'Acceptance' };
    const order = { ...outgoing, message: acceptance, origin: null, linked: null, date: '1961-01-17' };
    const [queued] = ok(await queueMessages(nbc, nbcChannel, [order])).queued;
    if (!queued) throw new Error('nothing queued');
    await syncOnce(nbc, nbcChannel, nbcRelay);
    const lossyDep = lossy(depRelay, { acknowledge: true, receipts: true });
    expect(await syncOnce(dep, depChannel, lossyDep)).toMatchObject({ received: 1, problem: 'lost' });
    expect(await syncOnce(dep, depChannel, depRelay)).toMatchObject({ duplicates: 1, received: 0 });
    clock += RESEND_AFTER_MS;
    expect(await syncOnce(nbc, nbcChannel, nbcRelay)).toMatchObject({ delivered: 1 });
    expect(await stateOf(nbc, queued.id)).toBe('delivered');
    const trades = await dep.store.db.selectFrom('trades').select('id').execute();
    expect(trades.map((t) => t.id)).toEqual(['TRADE-1']);

    ok(await allocateTrade(dep, { trade_id: 'TRADE-1' }));
    ok(await settleTrade(dep, { trade_id: 'TRADE-1', date: '1961-01-31', key: 'settle' }));
    const made = await settlementOutgoing(dep, 'TRADE-1', 'secret');
    if (!made.ok) throw new Error(made.message);
    ok(await queueMessages(dep, depChannel, made.outgoing));
    await syncOnce(dep, depChannel, depRelay);
    await syncOnce(nbc, nbcChannel, lossy(nbcRelay, { acknowledge: true, receipts: true }));
    clock += RESEND_AFTER_MS;
    expect(await syncOnce(dep, depChannel, depRelay)).toMatchObject({ resent: 4, delivered: 0 });
    expect(await syncOnce(nbc, nbcChannel, nbcRelay)).toMatchObject({ duplicates: 4, received: 0 });
    await syncOnce(dep, depChannel, depRelay);

    const books = await dep.store.db
      .selectFrom('bars')
      .select(['refiner', 'serial', 'fine_milli_oz'])
      .where('owner_account_id', '=', 'NBC-GOLD')
      .orderBy('id')
      .execute();
    const view = await viewBars(nbc, 'NBC-GOLD');
    const shape = (b: { refiner: string; serial: string; fine_milli_oz: bigint | null }) =>
      `${b.refiner}/${b.serial} ${b.fine_milli_oz}`;
    expect(books.length).toBeGreaterThan(3);
    expect(view.map(shape)).toEqual(books.map(shape));
    const balance = await dep.store.db
      .selectFrom('accounts')
      .select('balance')
      .where('id', '=', 'NBC-GOLD')
      .executeTakeFirstOrThrow();
    expect(view.reduce((sum, b) => sum + (b.fine_milli_oz ?? 0n), 0n)).toBe(balance.balance);
    const out = await listRegister(dep, { direction: 'out', correspondent: 'NBC' });
    expect(out.filter((m) => m.linked === 'TRADE-1').map((m) => m.state)).toEqual([
      'delivered',
      'delivered',
      'delivered',
      'delivered',
    ]);
    const received = await listRegister(nbc, { direction: 'in' });
    const sequences = received.map((m) => m.sequence);
    expect(new Set(sequences).size).toBe(sequences.length);
    expect(received.map((m) => m.number)).toEqual(received.map((_m, index) => BigInt(index + 1)));
    expect((await verifyStore(dep)).breaches).toEqual([]);
  });
});

describe('a correspondent or a relay that would stop delivery for good', () => {
  test('a copy altered outside its ciphertext, rejected, does not make the genuine message junk', async () => {
    const id = await letter('LTR-POISON');
    expect(await syncOnce(dep, depChannel, depRelay)).toMatchObject({ pushed: 1, problem: null });
    const waiting = await nbcRelay.fetch(SYNC_FETCH_LIMIT);
    const genuine = waiting.ok ? waiting.envelopes.at(-1) : undefined;
    if (!genuine) throw new Error('the letter is not at the relay');
    // The relay (or anyone on the way) hands NBC the same ciphertext under another nonce first.
    const nonce = randomBytes(12).toString('base64');
    const altered = { ...(genuine.value as Envelope), nonce };
    const first = await receiveEnvelope(nbc, nbcChannel, { value: altered, relay_id: null });
    expect(first).toMatchObject({ kind: 'rejected', id: null });
    // The genuine envelope, as it comes next (the relay honest again, or the sender's resend).
    const registered = await receiveEnvelope(nbc, nbcChannel, { value: genuine.value, relay_id: genuine.id });
    expect(registered).toMatchObject({ kind: 'received' });
    // The relay still holds the genuine one: acknowledged as seen, and its receipt goes back.
    expect(await syncOnce(nbc, nbcChannel, nbcRelay)).toMatchObject({ duplicates: 1, problem: null });
    expect(await syncOnce(dep, depChannel, depRelay)).toMatchObject({ delivered: 1, problem: null });
    expect(await stateOf(dep, id)).toBe('delivered');
  });

  test("one correspondent's envelopes held back never hide another bank's behind them", async () => {
    // THIRD, pinned at NBC, parks more envelopes than one fetch takes, all ahead of its first.
    const file = publicFileOf('THIRD', third);
    ok(await pinCorrespondent(nbc, { bank_id: 'THIRD', file, replace: false }));
    const pins = await pinnedKeys(dep.store.db);
    const parked = SYNC_FETCH_LIMIT + 5;
    for (let sequence = 2; sequence < 2 + parked; sequence += 1) {
      const letterOf = composeLetter({ reference: `PARK-${sequence}`, related_reference: null, text: 'x' });
      const sealed = seal(writePayload(payloadOf(letterOf, 'confidential', 'Parked')), {
        sender: 'THIRD',
        senderKeys: third,
        recipient: 'NBC',
        recipientPins: pins,
        sequence,
        sentAt: new Date(clock).toISOString(),
        expiresAt: '1961-12-31T00:00:00Z',
      });
      if (!sealed.ok) throw new Error(sealed.message);
      const posted = await call('POST', '/v1/envelopes', {
        signer: signerOf('THIRD', third),
        body: sealed.envelope,
      });
      expect(posted.status).toBe(201);
    }
    const id = await letter('LTR-BEHIND');
    expect(await syncOnce(dep, depChannel, depRelay)).toMatchObject({ pushed: 1, problem: null });
    const report = await syncOnce(nbc, nbcChannel, nbcRelay);
    expect(report).toMatchObject({ received: 1, held_back: parked, problem: null });
    expect(await syncOnce(dep, depChannel, depRelay)).toMatchObject({ delivered: 1, problem: null });
    expect(await stateOf(dep, id)).toBe('delivered');
    // THIRD's stay at the relay, held back until its first comes.
    const pending = await nbcRelay.fetch(SYNC_FETCH_LIMIT);
    expect(pending.ok && pending.envelopes.length).toBe(SYNC_FETCH_LIMIT);
  }, 60_000);
});
