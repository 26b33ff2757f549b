// The relay: a store-and-forward service for sealed envelopes, as the embassies carried the
// sealed bags. It sees sender, recipient and ciphertext only. Every request but the health check
// is signed by a bank whose signing key is pinned here (request-auth.ts); a bank posts only as
// itself and reads and acknowledges only its own inbox. Bodies and queues are bounded.
//
//   POST /v1/envelopes             an envelope from the signer  → { id, duplicate }
//   GET  /v1/inbox/:bank?limit=N&after=ID
//                                  the signer's envelopes, oldest first, after the one numbered ID
//                                                                → { envelopes: [{ id, envelope }] }
//   POST /v1/inbox/:bank/ack       { ids: [...] }               → { acknowledged }
//   POST /v1/receipts              a receipt from the signer    → { id, duplicate }
//   GET  /v1/receipts/:bank        the signer's receipts        → { receipts: [{ id, receipt }] }
//   POST /v1/receipts/:bank/ack    { ids: [...] }               → { acknowledged }
//   GET  /v1/health                (unsigned)                   → { ok }
//
// 401: not signed, by no pinned bank, stale, or replayed. 404: no such route, or another bank's
// inbox (the same answer, so nothing is told of it). 403: posting in another bank's name.
// 413: a body over RELAY_BODY_MAXIMUM_BYTES, refused from its declared length before it is read.
// 429: the sender already has its limit waiting. 408: headers or a whole request too slow.
// Connections are capped in all and per address, and closed when idle (RELAY_CONNECTION_LIMITS).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type DeliveryReceipt, readReceipt, receiptSignedBy } from './receipt.ts';
import { openRelayStore, type QueueLimits, type RelayQueue, type RelayStore } from './relay-store.ts';
import { REQUEST_SKEW_MAXIMUM_MS, readClaim, verifyClaim } from './request-auth.ts';
import { ENVELOPE_MAXIMUM_BYTES, isBankId, readEnvelope } from './seal.ts';

/** The largest request body: one envelope at its largest. */
export const RELAY_BODY_MAXIMUM_BYTES = ENVELOPE_MAXIMUM_BYTES;
/** The most envelopes (and, apart, receipts) one sender may have waiting for their recipients. */
export const RELAY_QUEUE_ITEMS_MAXIMUM = 1_000;
/** The most bytes one sender may have waiting for their recipients. */
export const RELAY_QUEUE_BYTES_MAXIMUM = 64 * 1024 * 1024;
/** The most items handed out in one fetch. */
export const RELAY_FETCH_MAXIMUM = 500;
/** Connections held open at once, from every address; one more is closed as it is accepted. */
export const RELAY_CONNECTIONS_MAXIMUM = 512;
/**
 * Connections held open at once from one address; one more is closed as it is accepted. A bank
 * syncs over one or two; an attacker holding many idle sockets starves only itself.
 */
export const RELAY_CONNECTIONS_PER_ADDRESS_MAXIMUM = 8;
/** How long a request's headers may take to arrive; a connection that sends none is closed too. */
export const RELAY_HEADERS_TIMEOUT_MS = 10_000;
/** How long a request may take to arrive in full. */
export const RELAY_REQUEST_TIMEOUT_MS = 30_000;
/** A connection with nothing sent either way for this long is closed. */
export const RELAY_IDLE_TIMEOUT_MS = 30_000;
/** How long a kept-alive connection waits for its next request. */
export const RELAY_KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** How often the headers and request timeouts are checked (Node's own default is 30 s). */
export const RELAY_TIMEOUTS_CHECKED_EVERY_MS = 1_000;
const IDS_MAXIMUM = 10_000;

/** The relay's limits on connections and their timeouts; the constants above unless a test sets smaller. */
export interface RelayConnectionLimits {
  readonly total: number;
  readonly per_address: number;
  readonly headers_timeout_ms: number;
  readonly request_timeout_ms: number;
  readonly idle_timeout_ms: number;
  readonly keep_alive_timeout_ms: number;
  readonly timeouts_checked_every_ms: number;
}

export const RELAY_CONNECTION_LIMITS: RelayConnectionLimits = {
  total: RELAY_CONNECTIONS_MAXIMUM,
  per_address: RELAY_CONNECTIONS_PER_ADDRESS_MAXIMUM,
  headers_timeout_ms: RELAY_HEADERS_TIMEOUT_MS,
  request_timeout_ms: RELAY_REQUEST_TIMEOUT_MS,
  idle_timeout_ms: RELAY_IDLE_TIMEOUT_MS,
  keep_alive_timeout_ms: RELAY_KEEP_ALIVE_TIMEOUT_MS,
  timeouts_checked_every_ms: RELAY_TIMEOUTS_CHECKED_EVERY_MS,
};

/** A relay listening, and how to stop it. */
export interface RunningRelay {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** How a relay is started; `now_ms`, `queue` and `connections` are for tests. */
export interface RelayOptions {
  readonly db: string;
  readonly port: number;
  readonly host?: string;
  readonly now_ms?: () => number;
  readonly queue?: QueueLimits;
  readonly connections?: Partial<RelayConnectionLimits>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a route needs: the store, the limits, and the bank that signed the request. */
interface Context {
  readonly store: RelayStore;
  readonly queue: QueueLimits;
  readonly bank: string;
  readonly now: string;
}

/** Reads a body up to the limit; past it, stops reading and refuses (the rest is never buffered). */
function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= RELAY_BODY_MAXIMUM_BYTES) return void chunks.push(chunk);
      cleanup();
      request.pause();
      reject(new HttpError(413, 'too_large', `a body is at most ${RELAY_BODY_MAXIMUM_BYTES} bytes`));
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

function json(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'malformed', 'the body is not JSON');
  }
}

/** The ids of a body `{ ids: ["1", "2"] }`, each digits. */
function idsOf(body: unknown): string[] {
  const ids = (body as { ids?: unknown } | null)?.ids;
  if (
    !Array.isArray(ids) ||
    ids.length > IDS_MAXIMUM ||
    !ids.every((id) => typeof id === 'string' && /^\d{1,18}$/.test(id))
  ) {
    throw new HttpError(400, 'malformed', 'ids must be a list of envelope ids');
  }
  return ids as string[];
}

/** Refuses a request for another bank's queue exactly as a route that does not exist. */
function notFound(method: string, path: string): HttpError {
  return new HttpError(404, 'not_found', `no route ${method} ${path}`);
}

/** Stores an item from the signer to a pinned bank, or says why not. */
function put(
  context: Context,
  queue: RelayQueue,
  item: { recipient: string; hash_of: string; body: string },
) {
  if (!context.store.signingKey(item.recipient)) {
    throw new HttpError(400, 'unknown_recipient', `the relay serves no bank ${item.recipient}`);
  }
  const stored = queue.put({ sender: context.bank, ...item }, context.now, context.queue);
  if (!stored.ok) throw new HttpError(stored.code === 'queue_full' ? 429 : 409, stored.code, stored.message);
  return { status: stored.duplicate ? 200 : 201, body: { id: stored.id, duplicate: stored.duplicate } };
}

function postEnvelope(context: Context, body: Buffer) {
  const read = readEnvelope(json(body));
  if (!read.ok) throw new HttpError(400, read.code, read.message);
  const { envelope } = read;
  if (envelope.sender !== context.bank) {
    throw new HttpError(403, 'not_sender', `${context.bank} may not post envelopes from ${envelope.sender}`);
  }
  const text = JSON.stringify(envelope);
  return put(context, context.store.envelopes, {
    recipient: envelope.recipient,
    hash_of: envelope.ciphertext,
    body: text,
  });
}

function postReceipt(context: Context, body: Buffer) {
  const read = readReceipt(json(body));
  if (!read.ok) throw new HttpError(400, read.code, read.message);
  const { receipt } = read;
  if (receipt.sender !== context.bank) {
    throw new HttpError(403, 'not_sender', `${context.bank} may not post receipts from ${receipt.sender}`);
  }
  const key = context.store.signingKey(context.bank);
  if (!key || !receiptSignedBy(receipt, key)) {
    throw new HttpError(400, 'forged', `the receipt is not signed by the key pinned for ${context.bank}`);
  }
  const text = JSON.stringify(receipt);
  return put(context, context.store.receipts, { recipient: receipt.recipient, hash_of: text, body: text });
}

/** The signer's own queue: fetch or acknowledge; another bank's is not found. */
function ownQueue(context: Context, request: { method: string; url: URL; parts: string[]; body: Buffer }) {
  const { method, url, parts } = request;
  const [, kind, bankText = '', action] = parts;
  let bank: string;
  try {
    bank = decodeURIComponent(bankText);
  } catch {
    throw notFound(method, url.pathname);
  }
  if (!isBankId(bank) || bank !== context.bank) throw notFound(method, url.pathname);
  const queue = kind === 'inbox' ? context.store.envelopes : context.store.receipts;
  if (method === 'GET' && parts.length === 3) {
    const asked = Number.parseInt(url.searchParams.get('limit') ?? '100', 10);
    const limit = Number.isSafeInteger(asked) && asked > 0 ? Math.min(asked, RELAY_FETCH_MAXIMUM) : 100;
    const after = url.searchParams.get('after') ?? '0';
    if (!/^\d{1,18}$/.test(after)) throw new HttpError(400, 'malformed', 'after is the id of an item');
    const items = queue
      .pending(bank, limit, BigInt(after))
      .map(({ id, body }) => ({ id, value: JSON.parse(body) }));
    const body =
      kind === 'inbox'
        ? { envelopes: items.map(({ id, value }) => ({ id, envelope: value })) }
        : { receipts: items.map(({ id, value }) => ({ id, receipt: value as DeliveryReceipt })) };
    return { status: 200, body };
  }
  if (method === 'POST' && action === 'ack' && parts.length === 4) {
    const acknowledged = queue.acknowledge(bank, idsOf(json(request.body)), context.now);
    return { status: 200, body: { acknowledged } };
  }
  throw notFound(method, url.pathname);
}

/** Routes a request whose signature has been checked. */
function route(context: Context, method: string, url: URL, body: Buffer): { status: number; body: unknown } {
  const parts = url.pathname.split('/').filter((part) => part !== '');
  if (method === 'POST' && url.pathname === '/v1/envelopes') return postEnvelope(context, body);
  if (method === 'POST' && url.pathname === '/v1/receipts') return postReceipt(context, body);
  if (parts[0] === 'v1' && (parts[1] === 'inbox' || parts[1] === 'receipts') && parts.length >= 3) {
    return ownQueue(context, { method, url, parts, body });
  }
  throw notFound(method, url.pathname);
}

/** Authenticates a request (size, claim, key, signature, nonce), then routes it. */
async function handle(
  store: RelayStore,
  options: { queue: QueueLimits; now_ms: () => number },
  request: IncomingMessage,
): Promise<{ status: number; body: unknown }> {
  const method = request.method ?? 'GET';
  const path = request.url ?? '/';
  const url = new URL(path, 'http://relay');
  if (method === 'GET' && url.pathname === '/v1/health') return { status: 200, body: { ok: true } };
  const declared = Number(request.headers['content-length'] ?? '0');
  if (!(declared <= RELAY_BODY_MAXIMUM_BYTES)) {
    throw new HttpError(413, 'too_large', `a body is at most ${RELAY_BODY_MAXIMUM_BYTES} bytes`);
  }
  const now = options.now_ms();
  const read = readClaim(request.headers, now);
  if (!read.ok) throw new HttpError(401, 'unauthenticated', read.message);
  const { claim } = read;
  const key = store.signingKey(claim.bank);
  if (key === undefined)
    throw new HttpError(401, 'unauthenticated', 'the request is signed by no known bank');
  const body = await readBody(request);
  if (!verifyClaim(claim, { method, path, body }, key)) {
    throw new HttpError(401, 'unauthenticated', `the signature is not by the key pinned for ${claim.bank}`);
  }
  if (!store.spendNonce(claim.bank, claim.nonce, claim.timestamp_ms + REQUEST_SKEW_MAXIMUM_MS, now)) {
    throw new HttpError(401, 'unauthenticated', 'the request was seen before (replayed)');
  }
  const context = { store, queue: options.queue, bank: claim.bank, now: new Date(now).toISOString() };
  return route(context, method, url, body);
}

/** Answers with JSON; a refusal closes the connection rather than read the rest of a body. */
function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  const close = status >= 400;
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {}),
  });
  response.end(text);
}

/**
 * Bounds what connections may hold: so many at once in all and from one address (one more is
 * closed as it is accepted), headers and whole requests within their timeouts (answered 408 and
 * closed), and no connection idle for long. A flood of idle sockets from one place cannot starve
 * the banks.
 */
function boundConnections(server: Server, limits: RelayConnectionLimits): void {
  server.maxConnections = limits.total;
  server.headersTimeout = limits.headers_timeout_ms;
  server.requestTimeout = Math.max(limits.request_timeout_ms, limits.headers_timeout_ms);
  server.keepAliveTimeout = limits.keep_alive_timeout_ms;
  server.setTimeout(limits.idle_timeout_ms, (socket) => socket.destroy());
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const held = open.get(address) ?? 0;
    if (held >= limits.per_address) return void socket.destroy();
    open.set(address, held + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

/** Starts a relay on `host:port` (loopback by default) over the store in `db`. */
export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  const store = openRelayStore(options.db);
  const settings = {
    queue: options.queue ?? { items: RELAY_QUEUE_ITEMS_MAXIMUM, bytes: RELAY_QUEUE_BYTES_MAXIMUM },
    now_ms: options.now_ms ?? Date.now,
  };
  const limits = { ...RELAY_CONNECTION_LIMITS, ...options.connections };
  const server: Server = createServer(
    { connectionsCheckingInterval: limits.timeouts_checked_every_ms },
    (request, response) => {
      handle(store, settings, request)
        .then(({ status, body }) => send(response, status, body))
        .catch((error: unknown) => {
          if (error instanceof HttpError)
            send(response, error.status, { ok: false, code: error.code, message: error.message });
          else send(response, 500, { ok: false, code: 'relay_error', message: String(error) });
        });
    },
  );
  boundConnections(server, limits);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
