// Talking to the relay over HTTP as one bank, every request signed with its signing key: post
// envelopes and receipts, fetch and acknowledge those addressed to this bank. Failures are values:
// the relay may be down for a while.
import type { KeyObject } from 'node:crypto';
import type { Refusal } from '../domain/outcome.ts';
import type { DeliveryReceipt } from './receipt.ts';
import { signRequest } from './request-auth.ts';
import type { Envelope } from './seal.ts';

/** How long one request to the relay may take. */
export const RELAY_TIMEOUT_MS = 10_000;

/** A relay's answer, or why there is none: unreachable (retry later) or refused (the request is wrong). */
export type RelayResult<T> =
  | ({ readonly ok: true } & T)
  | (Refusal<'relay_unreachable' | 'relay_refused'> & { readonly status: number | null });

/** An item fetched from the relay: its id there and its JSON value, not yet checked. */
export interface Fetched {
  readonly id: string;
  readonly value: unknown;
}

/** What an instance needs of a relay, as its own bank. */
export interface RelayClient {
  readonly url: string;
  post(envelope: Envelope): Promise<RelayResult<{ id: string; duplicate: boolean }>>;
  /** Envelopes waiting for this bank, oldest first, after the one the relay numbered `after`. */
  fetch(limit: number, after?: string): Promise<RelayResult<{ envelopes: Fetched[] }>>;
  acknowledge(ids: readonly string[]): Promise<RelayResult<{ acknowledged: number }>>;
  postReceipt(receipt: DeliveryReceipt): Promise<RelayResult<{ id: string; duplicate: boolean }>>;
  fetchReceipts(limit: number): Promise<RelayResult<{ receipts: Fetched[] }>>;
  acknowledgeReceipts(ids: readonly string[]): Promise<RelayResult<{ acknowledged: number }>>;
}

/** The bank a client speaks for, and the key it signs with. */
export interface RelayIdentity {
  readonly bank_id: string;
  readonly keys: { readonly signing: { readonly private_key: KeyObject } };
}

type Call = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => Promise<RelayResult<T>>;

/** A caller that signs each request as `identity` and reads its JSON answer. */
function caller(base: string, identity: RelayIdentity): Call {
  return async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<RelayResult<T>> => {
    const bytes = Buffer.from(body === undefined ? '' : JSON.stringify(body), 'utf8');
    const url = `${base}${path}`;
    // Signed as it goes on the wire: the path as the URL parser writes it, with its query.
    const target = new URL(url);
    const signed = signRequest(
      { bank: identity.bank_id, signing_key: identity.keys.signing.private_key },
      { method, path: `${target.pathname}${target.search}`, body: bytes, now_ms: Date.now() },
    );
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: body === undefined ? signed : { ...signed, 'content-type': 'application/json' },
        body: body === undefined ? null : bytes,
        signal: AbortSignal.timeout(RELAY_TIMEOUT_MS),
      });
    } catch (error) {
      const message = `${url}: ${(error as Error).message}`;
      return { ok: false, code: 'relay_unreachable', status: null, message };
    }
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      const message = `${url}: the answer is not JSON`;
      return { ok: false, code: 'relay_unreachable', status: response.status, message };
    }
    if (!response.ok) {
      const said = String((parsed as { message?: unknown } | null)?.message ?? '');
      const hint = ` (is the signing key of ${identity.bank_id} pinned at the relay? ingot relay pin)`;
      const text = response.status === 401 ? `${said}${hint}` : said;
      return {
        ok: false,
        code: 'relay_refused',
        status: response.status,
        message: `${response.status}: ${text}`,
      };
    }
    return { ok: true, ...(parsed as T) };
  };
}

/** The items of an answer `{ [key]: [{ id, [field]: value }] }`; null when it is not that shape. */
function itemsOf(answer: unknown, key: string, field: string): Fetched[] | null {
  const list = (answer as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(list)) return null;
  const items: Fetched[] = [];
  for (const item of list) {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || !/^\d{1,18}$/.test(id)) return null;
    items.push({ id, value: (item as Record<string, unknown>)[field] });
  }
  return items;
}

/** A client of the relay at `url` (e.g. http://127.0.0.1:7300), speaking for one bank. */
export function relayClient(url: string, identity: RelayIdentity): RelayClient {
  const base = url.replace(/\/+$/, '');
  const call = caller(base, identity);
  const bank = encodeURIComponent(identity.bank_id);
  const list = async (path: string, key: string, field: string) => {
    const answer = await call<Record<string, unknown>>('GET', path);
    if (!answer.ok) return answer;
    const items = itemsOf(answer, key, field);
    if (items === null) {
      const message = `${base}${path}: the answer holds no list of ${key}`;
      return { ok: false as const, code: 'relay_unreachable' as const, status: null, message };
    }
    return { ok: true as const, items };
  };
  return {
    url: base,
    post: (envelope) => call('POST', '/v1/envelopes', envelope),
    fetch: async (limit, after) => {
      const from = after === undefined ? '' : `&after=${encodeURIComponent(after)}`;
      const got = await list(`/v1/inbox/${bank}?limit=${limit}${from}`, 'envelopes', 'envelope');
      return got.ok ? { ok: true, envelopes: got.items } : got;
    },
    acknowledge: (ids) => call('POST', `/v1/inbox/${bank}/ack`, { ids }),
    postReceipt: (receipt) => call('POST', '/v1/receipts', receipt),
    fetchReceipts: async (limit) => {
      const got = await list(`/v1/receipts/${bank}?limit=${limit}`, 'receipts', 'receipt');
      return got.ok ? { ok: true, receipts: got.items } : got;
    },
    acknowledgeReceipts: (ids) => call('POST', `/v1/receipts/${bank}/ack`, { ids }),
  };
}
