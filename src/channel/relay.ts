// The relay: a store-and-forward service for sealed envelopes, as the embassies carried the
// sealed bags. It sees sender, recipient and ciphertext only, checks an envelope's shape, keeps it
// durably, and hands it to its recipient until the recipient acknowledges it.
//
//   POST /v1/envelopes            an envelope            → { id, duplicate }
//   GET  /v1/inbox/:bank?limit=N  envelopes for the bank → { envelopes: [{ id, envelope }] }
//   POST /v1/inbox/:bank/ack      { ids: [...] }         → { acknowledged }
//   POST /v1/status/:bank         { ids: [...] }         → { states: [{ id, state }] } (its sent ones)
//   GET  /v1/health                                      → { ok, stored, pending }
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openRelayStore, type RelayStore } from './relay-store.ts';
import { CIPHERTEXT_MAXIMUM_BYTES, isBankId, readEnvelope } from './seal.ts';

/** The largest request body: an envelope with the largest ciphertext, in base64, and its frame. */
export const RELAY_BODY_MAXIMUM_BYTES = Math.ceil(CIPHERTEXT_MAXIMUM_BYTES / 3) * 4 + 64 * 1024;
/** The most envelopes handed out in one fetch. */
export const RELAY_FETCH_MAXIMUM = 500;
const IDS_MAXIMUM = 10_000;

/** A relay listening, and how to stop it. */
export interface RunningRelay {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
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

/** Reads a request body, refusing one larger than the limit. */
async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > RELAY_BODY_MAXIMUM_BYTES) throw new HttpError(413, 'too_large', 'the body is too large');
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
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

/** The bank named in a path, checked. */
function bankOf(text: string): string {
  const bank = decodeURIComponent(text);
  if (!isBankId(bank)) throw new HttpError(400, 'malformed', 'the path names no valid bank');
  return bank;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Routes one request. */
async function route(
  store: RelayStore,
  request: IncomingMessage,
): Promise<{ status: number; body: unknown }> {
  const url = new URL(request.url ?? '/', 'http://relay');
  const parts = url.pathname.split('/').filter((part) => part !== '');
  const now = new Date().toISOString();
  if (request.method === 'GET' && url.pathname === '/v1/health')
    return { status: 200, body: { ok: true, ...store.counts() } };
  if (request.method === 'POST' && url.pathname === '/v1/envelopes') {
    const read = readEnvelope(await readBody(request));
    if (!read.ok) throw new HttpError(400, read.code, read.message);
    const stored = store.put(read.envelope, now);
    return { status: stored.duplicate ? 200 : 201, body: stored };
  }
  if (parts[0] === 'v1' && parts[1] === 'inbox' && parts[2] !== undefined) {
    const bank = bankOf(parts[2]);
    if (request.method === 'GET' && parts.length === 3) {
      const asked = Number.parseInt(url.searchParams.get('limit') ?? '100', 10);
      const limit = Number.isSafeInteger(asked) && asked > 0 ? Math.min(asked, RELAY_FETCH_MAXIMUM) : 100;
      return { status: 200, body: { envelopes: store.pending(bank, limit) } };
    }
    if (request.method === 'POST' && parts[3] === 'ack' && parts.length === 4) {
      return {
        status: 200,
        body: { acknowledged: store.acknowledge(bank, idsOf(await readBody(request)), now) },
      };
    }
  }
  if (request.method === 'POST' && parts[0] === 'v1' && parts[1] === 'status' && parts[2] !== undefined) {
    return { status: 200, body: { states: store.states(bankOf(parts[2]), idsOf(await readBody(request))) } };
  }
  throw new HttpError(404, 'not_found', `no route ${request.method} ${url.pathname}`);
}

/** Starts a relay on `host:port` (loopback by default) over the store in `db`. */
export async function startRelay(options: {
  db: string;
  port: number;
  host?: string;
}): Promise<RunningRelay> {
  const store = openRelayStore(options.db);
  const server: Server = createServer((request, response) => {
    route(store, request)
      .then(({ status, body }) => send(response, status, body))
      .catch((error: unknown) => {
        if (error instanceof HttpError)
          send(response, error.status, { ok: false, code: error.code, message: error.message });
        else send(response, 500, { ok: false, code: 'relay_error', message: String(error) });
      });
  });
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
