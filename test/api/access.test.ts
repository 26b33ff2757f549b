// Sign-in and access: each bank sees only its own; each role may do only its part; tokens and
// sessions end when revoked; no route but the public ones answers without a user. The books verify
// after each test.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { type Client, errorOf, type Served, servedWorld } from './support.ts';

let served: Served;
let operator: Client;
let nbc: Client;
let bnb: Client;

beforeAll(async () => {
  served = await servedWorld();
  operator = await served.signIn('operator');
  nbc = await served.signIn('nbc-signatory');
  bnb = await served.signIn('bnb-signatory');
  // NBC takes part of its offer, and the trade is allocated, so it has a trade and bars to hide.
  const accepted = await nbc.post(
    '/offers/OFFER-1/accept',
    { quantity_fine_milli_oz: '2000000', date: '1961-01-17' },
    'a1',
  );
  expect(accepted.status).toBe(201);
  expect((await operator.post('/trades/TRADE-1/allocate', {})).status).toBe(200);
  expect((await operator.post('/trades/TRADE-1/settle', { date: '1961-01-31' }, 's1')).status).toBe(201);
});
afterEach(async () => {
  expect((await verifyStore(served.ingot)).breaches).toEqual([]);
});
afterAll(() => served.close());

describe('visibility: bank B cannot see bank A', () => {
  it('lists only its own accounts, offers, trades, documents and users', async () => {
    const accounts = (await bnb.get('/accounts')).body as { id: string }[];
    expect(accounts.map((a) => a.id).sort()).toEqual(['BNB-GBP', 'BNB-GOLD']);
    expect(((await bnb.get('/offers')).body as { id: string }[]).map((o) => o.id)).toEqual(['OFFER-2']);
    expect((await bnb.get('/trades')).body).toMatchObject({ items: [] });
    expect((await bnb.get('/documents')).body).toEqual([]);
    expect(((await bnb.get('/users')).body as { id: string }[]).map((u) => u.id)).toEqual(['bnb-signatory']);
    expect(((await bnb.get('/parties')).body as { id: string }[]).map((p) => p.id)).toEqual([
      'BNB',
      'GOSBANK',
    ]);
  });

  it.each([
    ['/accounts/NBC-GOLD', 'account_not_found'],
    ['/accounts/NBC-GOLD/bars', 'account_not_found'],
    ['/accounts/NBC-GOLD/bars.csv', 'account_not_found'],
    ['/accounts/NBC-GBP/statement?to=1961-01-31', 'account_not_found'],
    ['/accounts/GOSBANK-VAULT/bars', 'account_not_found'],
    ['/offers/OFFER-1', 'offer_not_found'],
    ['/trades/TRADE-1', 'trade_not_found'],
    ['/trades/TRADE-1/bars.csv', 'trade_not_found'],
  ])('refuses %s as not found, as if it did not exist', async (path, code) => {
    const seen = await bnb.get(path);
    expect(seen.status).toBe(404);
    expect(errorOf(seen).code).toBe(code);
    expect(errorOf(seen).message).toContain('visible to you');
    const missing = await bnb.get(path.replace('NBC', 'XYZ').replace('-1', '-99'));
    expect(errorOf(missing).message.replace(/XYZ|99/g, '')).toBe(errorOf(seen).message.replace(/NBC|1/g, ''));
  });

  it('refuses to accept another bank’s offer, and the depository sees everything', async () => {
    const refused = await bnb.post(
      '/offers/OFFER-1/accept',
      { quantity_fine_milli_oz: '1000', date: '1961-01-17' },
      'x',
    );
    expect(errorOf(refused).code).toBe('offer_not_found');
    const all = (await operator.get('/accounts')).body as { id: string }[];
    expect(all.map((a) => a.id)).toEqual(expect.arrayContaining(['NBC-GOLD', 'BNB-GOLD', 'GOSBANK-VAULT']));
    expect((await operator.get('/trades/TRADE-1')).status).toBe(200);
    expect((await nbc.get('/trades/TRADE-1')).status).toBe(200);
  });
});

describe('roles: each may do only its part', () => {
  const offer = {
    seller_party_id: 'GOSBANK',
    buyer_party_id: 'NBC',
    seller_stock_account_id: 'GOSBANK-VAULT',
    seller_cash_account_id: 'GOSBANK-GBP',
    buyer_custody_account_id: 'NBC-GOLD',
    buyer_cash_account_id: 'NBC-GBP',
    maximum_fine_milli_oz: '1000000',
    minimum_fineness: '9950',
    currency: 'GBP',
    valid_from: '1961-01-02',
    valid_until: '1961-06-30',
  };
  const attempts: [string, string, string, unknown][] = [
    ['nbc-signatory', 'POST', '/offers', offer],
    ['nbc-signatory', 'POST', '/trades/TRADE-1/settle', { date: '1961-01-31' }],
    [
      'nbc-signatory',
      'POST',
      '/prices',
      { date: '1961-02-01', currency: 'GBP', minor_per_oz: '60000', source: 's' },
    ],
    ['nbc-viewer', 'POST', '/offers/OFFER-1/accept', { quantity_fine_milli_oz: '1000', date: '1961-01-17' }],
    ['nbc-viewer', 'GET', '/journal', undefined],
    ['nbc-signatory', 'GET', '/verify', undefined],
    ['auditor', 'POST', '/offers', offer],
    [
      'auditor',
      'POST',
      '/cash/deposits',
      { account_id: 'NBC-GBP', amount: { currency: 'GBP', minor: '1' }, date: '1961-01-03' },
    ],
    ['operator', 'POST', '/offers/OFFER-1/accept', { quantity_fine_milli_oz: '1000', date: '1961-01-17' }],
    ['supervisor', 'POST', '/offers/OFFER-2/accept', { quantity_fine_milli_oz: '1000', date: '1961-01-17' }],
    ['nbc-viewer', 'POST', '/users', { id: 'x', name: 'x', party_id: 'NBC', role: 'client_viewer' }],
    ['auditor', 'POST', '/users', { id: 'x', name: 'x', party_id: 'GOSBANK', role: 'auditor' }],
  ];
  it.each(attempts)('refuses %s: %s %s with 403 naming the role', async (user, method, path, body) => {
    const caller = await served.signIn(user);
    const answer = await caller.request(method, path, {
      ...(body === undefined ? {} : { body }),
      key: 'k-role',
    });
    expect(answer.status).toBe(403);
    expect(errorOf(answer)).toMatchObject({ code: 'forbidden', field: 'role' });
  });

  it('lets the auditor and the viewer read', async () => {
    const auditor = await served.signIn('auditor');
    expect((await auditor.get('/journal')).status).toBe(200);
    expect((await auditor.get('/verify')).body).toMatchObject({ breaches: [] });
    const viewer = await served.signIn('nbc-viewer');
    expect((await viewer.get('/accounts/NBC-GOLD')).status).toBe(200);
    // The bar list is confidential, and the viewer is not cleared (test/api/leaks.test.ts).
    expect((await viewer.get('/accounts/NBC-GOLD/bars')).status).toBe(403);
  });
});

describe('sessions and tokens', () => {
  it('answers 401 on every route that needs a user, and lets the public ones be', async () => {
    const doc = (await served.client(null).get('/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const open = new Set(['POST /session', 'GET /healthz', 'POST /enrolment']);
    let checked = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const route = `${method.toUpperCase()} ${path}`;
        const url = path.replaceAll('{id}', 'X1');
        const answer = await served.client(null).request(method.toUpperCase(), url);
        if (open.has(route)) {
          expect(answer.status, route).not.toBe(401);
        } else {
          expect(answer.status, route).toBe(401);
          expect(errorOf(answer).code).toBe('unauthenticated');
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('refuses a wrong password the same way as an unknown user', async () => {
    const wrong = await served
      .client(null)
      .post('/session', { user_id: 'operator', password: 'not the password' });
    const unknown = await served
      .client(null)
      .post('/session', { user_id: 'nobody', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(errorOf(wrong)).toEqual(errorOf(unknown));
  });

  it('sets an HttpOnly cookie the desk can use, and signing out ends it', async () => {
    const signed = await served
      .client(null)
      .post('/session', { user_id: 'nbc-viewer', password: 'a long test passphrase' });
    const cookie = (signed.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(signed.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const withCookie = served.client(null);
    const me = await withCookie.request('GET', '/session', { headers: { cookie } });
    expect(me.body).toMatchObject({ user: { id: 'nbc-viewer' }, depository_party_id: 'GOSBANK' });
    expect((await withCookie.request('DELETE', '/session', { headers: { cookie } })).status).toBe(204);
    expect((await withCookie.request('GET', '/session', { headers: { cookie } })).status).toBe(401);
  });

  it('creates, lists, uses and revokes an API token; the list never shows the token', async () => {
    const made = await nbc.post('/tokens', { password: 'a long test passphrase', label: 'treasury robot' });
    expect(made.status).toBe(201);
    const { id, token } = made.body as { id: string; token: string };
    const robot = served.client(token);
    expect((await robot.get('/accounts')).status).toBe(200);
    const listed = await nbc.get('/tokens');
    expect(listed.body).toMatchObject([{ id, label: 'treasury robot', revoked_at: null }]);
    expect(listed.text).not.toContain(token);
    expect((await nbc.request('DELETE', `/tokens/${id}`)).status).toBe(204);
    expect((await robot.get('/accounts')).status).toBe(401);
    expect(errorOf(await nbc.request('DELETE', `/tokens/${id}`)).code).toBe('token_not_found');
  });
});

describe('four eyes on a fixing entered by hand', () => {
  it('lets no one approve their own proposal, nor another bank decline it, and a supervisor approve', async () => {
    const supervisor = await served.signIn('supervisor');
    const fixing = { date: '1961-02-01', currency: 'GBP', minor_per_oz: '60000', source: 'The Times' };
    const proposed = await supervisor.post('/prices', fixing);
    const { pending_approval: id } = proposed.body as { pending_approval: string };
    const { digest } = (await supervisor.get(`/approvals/${id}`)).body as { digest: string };
    const own = await supervisor.post(`/approvals/${id}/approve`, { digest });
    expect([own.status, errorOf(own).code]).toEqual([403, 'checker_is_maker']);
    const byOperator = await operator.post(`/approvals/${id}/approve`, { digest });
    expect([byOperator.status, errorOf(byOperator).code]).toEqual([403, 'forbidden']);
    const byClient = await nbc.post(`/approvals/${id}/decline`, { reason: 'not ours' });
    expect(errorOf(byClient).message).toBe(`no approval ${id}`);
    expect((await nbc.get('/approvals')).body).toEqual([]);
    const second = await served.signIn('operator');
    const proposedAgain = await second.post('/prices', { ...fixing, date: '1961-02-02' });
    const other = (proposedAgain.body as { pending_approval: string }).pending_approval;
    const shown = (await supervisor.get(`/approvals/${other}`)).body as { digest: string };
    expect((await supervisor.post(`/approvals/${other}/approve`, { digest: shown.digest })).status).toBe(200);
    const prices = (await operator.get('/prices')).body as { date: string }[];
    expect(prices.map((p) => p.date)).toEqual(['1961-01-31', '1961-02-02']);
  });
});
