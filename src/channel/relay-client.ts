// Talking to the relay over HTTP: post envelopes, fetch and acknowledge those addressed to this
// bank, ask what became of those it sent. Failures are values: the relay may be down for a while.
import type { Envelope } from './seal.ts';

/** How long one request to the relay may take. */
export const RELAY_TIMEOUT_MS = 10_000;

/** A relay's answer, or why there is none: unreachable (retry later) or refused (the request is wrong). */
export type RelayResult<T> =
  | ({ readonly ok: true } & T)
  | { readonly ok: false; readonly code: 'relay_unreachable' | 'relay_refused'; readonly message: string };

/** What an instance needs of a relay. */
export interface RelayClient {
  readonly url: string;
  post(envelope: Envelope): Promise<RelayResult<{ id: string; duplicate: boolean }>>;
  fetch(
    bank: string,
    limit: number,
  ): Promise<RelayResult<{ envelopes: { id: string; envelope: unknown }[] }>>;
  acknowledge(bank: string, ids: readonly string[]): Promise<RelayResult<{ acknowledged: number }>>;
  states(
    bank: string,
    ids: readonly string[],
  ): Promise<RelayResult<{ states: { id: string; state: string }[] }>>;
}

/** Sends one request and reads its JSON answer. */
async function call<T>(url: string, method: 'GET' | 'POST', body?: unknown): Promise<RelayResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(RELAY_TIMEOUT_MS),
    });
  } catch (error) {
    return { ok: false, code: 'relay_unreachable', message: `${url}: ${(error as Error).message}` };
  }
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch {
    return { ok: false, code: 'relay_unreachable', message: `${url}: the answer is not JSON` };
  }
  if (!response.ok) {
    const message = (parsed as { message?: unknown } | null)?.message;
    return { ok: false, code: 'relay_refused', message: `${response.status}: ${String(message ?? '')}` };
  }
  return { ok: true, ...(parsed as T) };
}

/** A client of the relay at `url` (e.g. http://127.0.0.1:7300). */
export function relayClient(url: string): RelayClient {
  const base = url.replace(/\/+$/, '');
  const bankPath = (bank: string) => encodeURIComponent(bank);
  return {
    url: base,
    post: (envelope) => call(`${base}/v1/envelopes`, 'POST', envelope),
    fetch: (bank, limit) => call(`${base}/v1/inbox/${bankPath(bank)}?limit=${limit}`, 'GET'),
    acknowledge: (bank, ids) => call(`${base}/v1/inbox/${bankPath(bank)}/ack`, 'POST', { ids }),
    states: (bank, ids) => call(`${base}/v1/status/${bankPath(bank)}`, 'POST', { ids }),
  };
}
