// The server tried as an attacker with network access, or with one valid login, would: each
// control gets a request that tries to get around it, and the books are verified after.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { errorOf, PASSWORD, type Served, servedWorld } from './support.ts';

const METRICS_TOKEN = 'metrics-token-for-prometheus-0123';
let served: Served;
/** A second server with limits small enough to reach in a test. */
let tight: Served;

beforeAll(async () => {
  served = await servedWorld(20, { metricsToken: METRICS_TOKEN });
  tight = await servedWorld(1, {
    limits: { headers_timeout_ms: 300, idle_timeout_ms: 300, keep_alive_timeout_ms: 100, connections_max: 4 },
  });
});
afterAll(async () => {
  // Nothing the attacker tried may have left the books unsound.
  for (const server of [served, tight]) {
    expect((await verifyStore(server.ingot)).breaches).toEqual([]);
    await server.close();
  }
});

/** The session cookie of a user signed in as the desk does. */
async function cookieOf(userId: string): Promise<string> {
  const signed = await served.client(null).request('POST', '/session', {
    body: { user_id: userId, password: PASSWORD },
  });
  return (signed.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

function socketTo(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  return once(socket, 'connect').then(() => socket);
}

describe('metrics', () => {
  it('are refused to anyone without a token, and to a client bank', async () => {
    const anonymous = await served.client(null).get('/metrics');
    expect([anonymous.status, errorOf(anonymous).code]).toEqual([401, 'unauthenticated']);
    const client = await (await served.signIn('nbc-signatory')).get('/metrics');
    expect([client.status, errorOf(client).code]).toEqual([403, 'forbidden']);
    const guessed = await served.client('not-the-metrics-token-at-all').get('/metrics');
    expect(guessed.status).toBe(401);
  });

  it('are read with the metrics token, or by the depository’s staff', async () => {
    expect((await served.client(METRICS_TOKEN).get('/metrics')).text).toContain('ingot_http_requests_total');
    expect((await (await served.signIn('auditor')).get('/metrics')).status).toBe(200);
  });
});

describe('cookie-authenticated writes', () => {
  it('are refused when the browser says another site sent them', async () => {
    const cookie = await cookieOf('operator');
    const body = { id: 'EVIL', name: 'Forged party', role: 'client' };
    const forgeries: Record<string, string>[] = [
      { cookie, origin: 'https://attacker.example' },
      { cookie, origin: 'null' },
      { cookie, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of forgeries) {
      const forged = await served.client(null).request('POST', '/parties', { body, headers });
      expect([forged.status, errorOf(forged).field]).toEqual([403, 'origin']);
    }
    const parties = await (await served.signIn('operator')).get('/parties');
    expect((parties.body as { id: string }[]).map((p) => p.id)).not.toContain('EVIL');
  });

  it('are taken from the desk’s own origin, and a Bearer token needs no origin', async () => {
    const cookie = await cookieOf('operator');
    const own = new URL(served.url).origin;
    const fromDesk = await served.client(null).request('POST', '/parties', {
      body: { id: 'SNB', name: 'Swiss National Bank', role: 'client' },
      headers: { cookie, origin: own, 'sec-fetch-site': 'same-origin' },
    });
    expect(fromDesk.status).toBe(201);
    const program = await (await served.signIn('operator')).post('/parties', {
      id: 'BDF',
      name: 'Banque de France',
      role: 'client',
    });
    expect(program.status).toBe(201);
  });
});

describe('connections', () => {
  it('closes a connection that sends headers too slowly', async () => {
    const socket = await socketTo(tight.url);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const started = Date.now();
    await once(socket, 'close');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('closes an idle connection', async () => {
    const socket = await socketTo(tight.url);
    await once(socket, 'close');
  });

  it('serves no more connections at once than its cap', async () => {
    const held = await Promise.all([1, 2, 3, 4].map(() => socketTo(tight.url)));
    const extra = await socketTo(tight.url);
    // The one over the cap is closed at once, before it could send anything.
    await once(extra, 'close');
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await tight.client(null).get('/healthz')).status).toBe(200);
  });
});

describe('amounts at the edge', () => {
  const huge = (2n ** 63n).toString();
  it.each([
    [
      'a cash deposit',
      'operator',
      '/cash/deposits',
      { account_id: 'NBC-GBP', amount: { currency: 'GBP', minor: huge }, date: '1961-01-04' },
    ],
    [
      'an acceptance by weight',
      'nbc-signatory',
      '/offers/OFFER-1/accept',
      { quantity_fine_milli_oz: huge, date: '1961-01-17' },
    ],
    [
      'an acceptance by sum',
      'nbc-signatory',
      '/offers/OFFER-1/accept',
      { amount: { currency: 'GBP', minor: huge }, date: '1961-01-17' },
    ],
    [
      'a fixing',
      'operator',
      '/prices',
      { date: '1961-02-01', currency: 'GBP', minor_per_oz: huge, source: 'x' },
    ],
  ])('of 2^63 in %s is bad input naming the field, and nothing moves', async (_what, user, path, body) => {
    const answer = await (await served.signIn(user)).post(path, body, `huge-${path}`);
    expect(answer.status, answer.text).toBe(400);
    expect(errorOf(answer).code).toBe('invalid_input');
    expect(errorOf(answer).field).toMatch(/minor|quantity/);
  });
});

describe('cookies behind a TLS proxy', () => {
  it('are Secure when the proxy says the client used https, and only when it is trusted', async () => {
    const trusting = await servedWorld(1, { trustProxy: true });
    try {
      const body = { user_id: 'operator', password: PASSWORD };
      const behind = await trusting.client(null).request('POST', '/session', {
        body,
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(behind.headers.get('set-cookie')).toMatch(/; Secure/);
      const direct = await served.client(null).request('POST', '/session', {
        body,
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(direct.headers.get('set-cookie')).not.toMatch(/Secure/);
    } finally {
      await trusting.close();
    }
  });
});
