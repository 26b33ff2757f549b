// The server tried as an attacker with network access, or with one valid login, would: each
// control gets a request that tries to get around it, and the books are verified after.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MINOR_MAX } from '../../src/domain/money.ts';
import { verifyStore } from '../../src/service/journal/verify.ts';
import type { Ingot } from '../../src/service/kernel/context.ts';
import { errorOf, PASSWORD, type Served, servedWorld } from './support.ts';

const METRICS_TOKEN = 'metrics-token-for-prometheus-0123';
let served: Served;
/**
 * A second server with limits small enough to reach in a test: headers within 300 ms, a whole
 * request within 800 ms, both checked every 50 ms; a connection idle for 1.5 s is closed, so a
 * client that keeps sending is closed by the timeouts, not by idleness.
 */
let tight: Served;

beforeAll(async () => {
  served = await servedWorld(20, { metricsToken: METRICS_TOKEN });
  tight = await servedWorld(1, {
    limits: {
      headers_timeout_ms: 300,
      request_timeout_ms: 800,
      timeouts_checked_every_ms: 50,
      idle_timeout_ms: 1_500,
      keep_alive_timeout_ms: 100,
      connections_max: 4,
    },
  });
});
// Nothing the attacker tried may leave the books unsound: verified after every test.
afterEach(async () => {
  for (const server of [served, tight]) {
    expect((await verifyStore(server.ingot)).breaches).toEqual([]);
  }
});
afterAll(async () => {
  for (const server of [served, tight]) await server.close();
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

  it('are refused from another site that names itself in X-Forwarded-Host, with no trusted proxy', async () => {
    const cookie = await cookieOf('operator');
    const forged = await served.client(null).request('POST', '/parties', {
      body: { id: 'EVIL-HOST', name: 'Forged party', role: 'client' },
      headers: { cookie, origin: 'https://attacker.example', 'x-forwarded-host': 'attacker.example' },
    });
    expect([forged.status, errorOf(forged).field]).toEqual([403, 'origin']);
    const parties = await (await served.signIn('operator')).get('/parties');
    expect((parties.body as { id: string }[]).map((p) => p.id)).not.toContain('EVIL-HOST');
  });

  it('are taken behind a trusted proxy from the host it forwards, and from no other', async () => {
    const trusting = await servedWorld(1, { trustProxy: true });
    try {
      const signed = await trusting
        .client(null)
        .post('/session', { user_id: 'operator', password: PASSWORD });
      const cookie = (signed.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const write = (id: string, origin: string) =>
        trusting.client(null).request('POST', '/parties', {
          body: { id, name: `Bank ${id}`, role: 'client' },
          headers: { cookie, origin, 'x-forwarded-host': 'desk.example' },
        });
      expect((await write('DESK', 'https://desk.example')).status).toBe(201);
      const forged = await write('EVIL', 'https://attacker.example');
      expect([forged.status, errorOf(forged).field]).toEqual([403, 'origin']);
      expect((await verifyStore(trusting.ingot)).breaches).toEqual([]);
    } finally {
      await trusting.close();
    }
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

/** Everything a socket receives until the server closes it. */
async function answerOf(socket: Socket): Promise<string> {
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  await once(socket, 'close');
  return text;
}

/** Writes `parts` one at a time, `every_ms` apart, while the socket is open. */
function trickle(socket: Socket, parts: readonly string[], every_ms: number): void {
  const next = (index: number) => {
    if (index >= parts.length || socket.destroyed) return;
    socket.write(parts[index] ?? '');
    setTimeout(() => next(index + 1), every_ms);
  };
  next(0);
}

describe('connections', () => {
  it('answers 408 and closes a connection whose headers trickle in, though it is never idle', async () => {
    const socket = await socketTo(tight.url);
    const answer = answerOf(socket);
    // A byte of headers every 50 ms, far within the idle timeout (1.5 s), never ending the headers.
    const header = `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(400)}`;
    trickle(socket, [...header], 50);
    expect(await answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers 408 and closes a connection whose body trickles in past the request timeout', async () => {
    const socket = await socketTo(tight.url);
    const answer = answerOf(socket);
    const body = JSON.stringify({ user_id: 'operator', password: PASSWORD }).padEnd(200, ' ');
    socket.write(
      `POST /session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    trickle(socket, [...body], 50);
    expect(await answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a connection that sends nothing', async () => {
    const socket = await socketTo(tight.url);
    // Nothing came, so no headers within the headers timeout: answered 408 and closed.
    expect(await answerOf(socket)).toMatch(/^HTTP\/1\.1 408 /);
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

/** The tables a write may touch, and every account's balance: what a refused request must leave. */
const WRITTEN = [
  'entries',
  'postings',
  'bars',
  'bar_moves',
  'fixings',
  'offers',
  'trades',
  'instructions',
  'instruction_steps',
  'approvals',
  'representatives',
  'fee_schedules',
  'treasury_correspondents',
  'treasury_balances',
  'treasury_transfers',
  'treasury_earmarks',
  'idempotency',
] as const;

async function footprint(ingot: Ingot): Promise<unknown> {
  const db = ingot.store.db;
  const counts: Record<string, unknown> = {};
  for (const table of WRITTEN) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('rows'))
      .executeTakeFirstOrThrow();
    counts[table] = String(row.rows);
  }
  const balances = await db.selectFrom('accounts').select(['id', 'balance']).orderBy('id').execute();
  return { counts, balances: balances.map((a) => `${a.id} ${a.balance}`) };
}

/** One amount input of the API, and what giving it too much is answered. */
interface Tried {
  readonly user: string;
  readonly path: string;
  readonly body: unknown;
  /** For an upload, its content type (the body is then text). */
  readonly type?: string;
  readonly status: number;
  readonly code: string;
  readonly field: string;
}

const TWO_TO_63 = (2n ** 63n).toString();
const MAX = MINOR_MAX.toString();
const gbp = (minor: string) => ({ currency: 'GBP', minor });
const usd = (minor: string) => ({ currency: 'USD', minor });
const offerTerms = {
  seller_party_id: 'GOSBANK',
  buyer_party_id: 'NBC',
  seller_stock_account_id: 'GOSBANK-VAULT',
  seller_cash_account_id: 'GOSBANK-GBP',
  buyer_custody_account_id: 'NBC-GOLD',
  buyer_cash_account_id: 'NBC-GBP',
  maximum_fine_milli_oz: '1000',
  minimum_fineness: '9950',
  currency: 'GBP',
  valid_from: '1961-01-02',
  valid_until: '1961-12-29',
};
const feeSchedule = {
  party_id: 'NBC',
  agreement_id: 'NBC-1961',
  currency: 'GBP',
  custody: { kind: 'none' },
  handling_per_release_minor: '0',
  handling_per_transfer_minor: '0',
  handling_per_shipment_minor: '0',
  shipment_costs_payer: 'client',
};
const representative = {
  id: 'REP-HUGE',
  name: 'Representative (test)',
  identity_document: 'passport',
  authority_valid_from: '1961-04-01',
  authority_valid_until: '1961-12-31',
  account_ids: ['NBC-GOLD'],
  limit_fine_milli_oz: '1',
};
const BAR_HEADER = 'serial,refiner,year,gross_oz,fineness,fine_oz\n';
const hugeBars = `${BAR_HEADER}HUGE-1,XYZ,1960,9223372036854775.825,999.9,9222449799874788.342\n`;
const bad = (field: string) => ({ status: 400, code: 'invalid_input', field });
const badList = (code: string) => ({ status: 400, code, field: 'body' });

/** Every amount, weight, price, rate and fineness the API takes, each given past its range. */
const TRIED: readonly [string, Tried][] = [
  [
    'a cash deposit',
    {
      user: 'operator',
      path: '/cash/deposits',
      body: { account_id: 'NBC-GBP', amount: gbp(TWO_TO_63), date: '1961-01-04' },
      ...bad('amount.minor'),
    },
  ],
  [
    'a cash withdrawal',
    {
      user: 'operator',
      path: '/cash/withdrawals',
      body: { account_id: 'NBC-GBP', amount: gbp(TWO_TO_63), date: '1961-01-04' },
      ...bad('amount.minor'),
    },
  ],
  [
    'an offer’s maximum',
    {
      user: 'operator',
      path: '/offers',
      body: { ...offerTerms, maximum_fine_milli_oz: TWO_TO_63 },
      ...bad('maximum_fine_milli_oz'),
    },
  ],
  [
    'an offer’s minimum fineness',
    {
      user: 'operator',
      path: '/offers',
      body: { ...offerTerms, minimum_fineness: TWO_TO_63 },
      ...bad('minimum_fineness'),
    },
  ],
  [
    'a quote by weight',
    {
      user: 'nbc-signatory',
      path: '/offers/OFFER-1/quote',
      body: { quantity_fine_milli_oz: TWO_TO_63 },
      ...bad('quantity_fine_milli_oz'),
    },
  ],
  [
    'a quote by sum',
    {
      user: 'nbc-signatory',
      path: '/offers/OFFER-1/quote',
      body: { amount: gbp(TWO_TO_63) },
      ...bad('amount.minor'),
    },
  ],
  [
    'a quote’s rate',
    {
      user: 'nbc-signatory',
      path: '/offers/OFFER-1/quote',
      body: { amount: usd('100'), rate: '1'.repeat(13) },
      ...bad('rate'),
    },
  ],
  [
    'a quote whose cost is past the limit',
    {
      user: 'nbc-signatory',
      path: '/offers/OFFER-1/quote',
      body: { quantity_fine_milli_oz: MAX },
      ...bad('quantity_fine_milli_oz'),
    },
  ],
  [
    'a quote by sum at a tiny rate',
    {
      user: 'nbc-signatory',
      path: '/offers/OFFER-1/quote',
      body: { amount: usd(MAX), rate: '0.0000000001' },
      ...bad('amount'),
    },
  ],
  [
    'an acceptance by weight',
    {
      user: 'nbc-signatory',
      path: '/offers/OFFER-1/accept',
      body: { quantity_fine_milli_oz: TWO_TO_63, date: '1961-01-17' },
      ...bad('quantity_fine_milli_oz'),
    },
  ],
  [
    'an acceptance by sum',
    {
      user: 'nbc-signatory',
      path: '/offers/OFFER-1/accept',
      body: { amount: gbp(TWO_TO_63), date: '1961-01-17' },
      ...bad('amount.minor'),
    },
  ],
  [
    'an acceptance by sum at a tiny rate',
    {
      user: 'nbc-signatory',
      path: '/offers/OFFER-1/accept',
      body: { amount: usd(MAX), rate: '0.0000000001', date: '1961-01-17' },
      ...bad('amount'),
    },
  ],
  [
    'a fixing',
    {
      user: 'operator',
      path: '/prices',
      body: { date: '1961-02-01', currency: 'GBP', minor_per_oz: TWO_TO_63, source: 'x' },
      ...bad('minor_per_oz'),
    },
  ],
  [
    'a fixing CSV of 2^63 pounds',
    {
      user: 'operator',
      path: '/prices/import',
      type: 'text/csv',
      body: `date,currency,price\n1961-02-01,GBP,${TWO_TO_63}\n`,
      ...badList('fixing_list_invalid'),
    },
  ],
  [
    'a fixing CSV of 10^17 pounds',
    {
      user: 'operator',
      path: '/prices/import',
      type: 'text/csv',
      body: 'date,currency,price\n1961-02-01,GBP,99999999999999999.99\n',
      ...badList('fixing_list_invalid'),
    },
  ],
  [
    'the LBMA feed',
    {
      user: 'operator',
      path: '/prices/import?currency=GBP',
      type: 'application/json',
      body: `[{"d":"1961-02-01","v":[null,${TWO_TO_63},null]}]`,
      ...badList('fixing_list_invalid'),
    },
  ],
  [
    'a bar list’s weights',
    {
      user: 'operator',
      path: '/bars/import?account=GOSBANK-VAULT&date=1961-01-05&good_delivery=false',
      type: 'text/csv',
      body: hugeBars,
      ...badList('bar_list_invalid'),
    },
  ],
  [
    'a bar list’s minimum fineness',
    {
      user: 'operator',
      path: `/bars/import?account=GOSBANK-VAULT&min_fineness=${TWO_TO_63}`,
      type: 'text/csv',
      body: hugeBars,
      ...bad('min_fineness'),
    },
  ],
  [
    'a count’s weights',
    {
      user: 'operator',
      path: '/reconcile?account=GOSBANK-VAULT&record=true&date=1961-01-05',
      type: 'text/csv',
      body: hugeBars,
      ...badList('bar_list_invalid'),
    },
  ],
  [
    'a reweighing’s gross weight',
    {
      user: 'operator',
      path: '/bars/{bar}/reweigh',
      body: { gross_oz: '9223372036854775.825', date: '1961-01-05', reason: 'scale' },
      ...bad('gross_oz'),
    },
  ],
  [
    'a reweighing’s fineness',
    {
      user: 'operator',
      path: '/bars/{bar}/reweigh',
      body: { gross_oz: '400.000', fineness: TWO_TO_63, date: '1961-01-05', reason: 'scale' },
      ...bad('fineness'),
    },
  ],
  [
    'an instruction’s quantity',
    {
      user: 'nbc-signatory',
      path: '/instructions',
      body: {
        kind: 'release',
        account: 'NBC-GOLD',
        quantity_fine_milli_oz: TWO_TO_63,
        representative_id: 'REP-1',
      },
      ...bad('quantity_fine_milli_oz'),
    },
  ],
  [
    'an instruction’s bar id',
    {
      user: 'nbc-signatory',
      path: '/instructions',
      body: { kind: 'release', account: 'NBC-GOLD', bars: [TWO_TO_63], representative_id: 'REP-1' },
      ...bad('bars.0'),
    },
  ],
  [
    'a shipment’s insurance',
    {
      user: 'nbc-signatory',
      path: '/instructions',
      body: {
        kind: 'shipment',
        account: 'NBC-GOLD',
        quantity_fine_milli_oz: '1',
        destination: 'Havana',
        carrier: 'ship',
        insurance: gbp(TWO_TO_63),
      },
      ...bad('insurance.minor'),
    },
  ],
  [
    'a quote’s transport cost',
    {
      user: 'operator',
      path: '/instructions/1/quote',
      body: { transport: gbp(TWO_TO_63), insurance: gbp('1') },
      ...bad('transport.minor'),
    },
  ],
  [
    'a representative’s limit',
    {
      user: 'nbc-signatory',
      path: '/representatives',
      body: { ...representative, limit_fine_milli_oz: TWO_TO_63 },
      ...bad('limit_fine_milli_oz'),
    },
  ],
  [
    'a handling fee',
    {
      user: 'operator',
      path: '/fee-schedules',
      body: { ...feeSchedule, handling_per_release_minor: TWO_TO_63 },
      ...bad('handling_per_release_minor'),
    },
  ],
  [
    'a custody fee per bar',
    {
      user: 'operator',
      path: '/fee-schedules',
      body: { ...feeSchedule, custody: { kind: 'per_bar', per_bar_per_year_minor: TWO_TO_63 } },
      ...bad('custody.per_bar_per_year_minor'),
    },
  ],
  [
    'a custody fee rate',
    {
      user: 'operator',
      path: '/fee-schedules',
      body: { ...feeSchedule, custody: { kind: 'rate_of_value', per_year_per10k: TWO_TO_63 } },
      ...bad('custody.per_year_per10k'),
    },
  ],
  [
    'a correspondent’s balance',
    {
      user: 'nbc-signatory',
      path: '/treasury/NBC/balances',
      body: { correspondent_id: 'MIDLAND', as_of: '1961-01-05', amount: usd(TWO_TO_63) },
      ...bad('amount.minor'),
    },
  ],
  [
    'a treasury transfer',
    {
      user: 'nbc-signatory',
      path: '/treasury/NBC/transfers',
      body: {
        amount: usd(TWO_TO_63),
        from_outside: 'x',
        to_correspondent: 'MIDLAND',
        sent_on: '1961-01-05',
        expected_on: '1961-01-06',
      },
      ...bad('amount.minor'),
    },
  ],
  [
    'an earmark',
    {
      user: 'nbc-signatory',
      path: '/treasury/NBC/earmarks',
      body: { amount: usd(TWO_TO_63), purpose: 'x', from: '1961-01-05', until: '1961-02-05' },
      ...bad('amount.minor'),
    },
  ],
];

describe('amounts at the edge', () => {
  let bar = '';
  beforeAll(async () => {
    const row = await served.ingot.store.db
      .selectFrom('bars')
      .select(['refiner', 'serial'])
      .where('owner_account_id', '=', 'GOSBANK-VAULT')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    bar = `${encodeURIComponent(row.refiner)}/${encodeURIComponent(row.serial)}`;
  });

  it.each(TRIED)(
    'past the range in %s is refused naming the field, and nothing is written',
    async (_what, tried) => {
      const client = await served.signIn(tried.user);
      const before = await footprint(served.ingot);
      const headers: Record<string, string> = tried.type ? { 'content-type': tried.type } : {};
      const answer = await client.request('POST', tried.path.replace('{bar}', bar), {
        body: tried.body,
        headers,
        key: `huge-${_what.replace(/[^a-z0-9]+/gi, '-')}`,
      });
      expect([answer.status, errorOf(answer).code, errorOf(answer).field], answer.text).toEqual([
        tried.status,
        tried.code,
        tried.field,
      ]);
      expect(await footprint(served.ingot)).toEqual(before);
    },
  );

  it('refuses a deposit that would take a balance past the limit, naming the account and the limit', async () => {
    // A world of its own: the balances it leaves near the limit are no other test's.
    const own = await servedWorld(1);
    try {
      const operator = await own.signIn('operator');
      const deposit = (n: number) =>
        operator.post(
          '/cash/deposits',
          { account_id: 'BNB-GBP', amount: gbp('300000000000000000'), date: '1961-01-04' },
          `deposit-${n}`,
        );
      for (const n of [1, 2, 3]) expect((await deposit(n)).status).toBe(201);
      const before = await footprint(own.ingot);
      const fourth = await deposit(4);
      expect([fourth.status, errorOf(fourth).code], fourth.text).toEqual([422, 'balance_exceeds_limit']);
      expect(errorOf(fourth).message).toContain('BNB-GBP');
      expect(errorOf(fourth).message).toContain(MAX);
      expect(await footprint(own.ingot)).toEqual(before);
      expect((await verifyStore(own.ingot)).breaches).toEqual([]);
    } finally {
      await own.close();
    }
  });
});

describe('a second depository', () => {
  it('is refused, naming the depository registered, and nothing is written', async () => {
    const operator = await served.signIn('operator');
    const parties = async () => (await operator.get('/parties')).body as { id: string; role: string }[];
    const before = await parties();
    const stored = () => served.ingot.store.db.selectFrom('parties').selectAll().orderBy('id').execute();
    const rows = await stored();
    for (const id of ['AAA', 'ZZZ']) {
      const second = await operator.post('/parties', { id, name: `Depository ${id}`, role: 'depository' });
      expect([second.status, errorOf(second).code, errorOf(second).field]).toEqual([
        409,
        'depository_exists',
        'role',
      ]);
      expect(errorOf(second).message).toContain('GOSBANK (State Bank of the USSR)');
    }
    expect(await parties()).toEqual(before);
    expect(await stored()).toEqual(rows);
    expect(before.filter((party) => party.role === 'depository').map((party) => party.id)).toEqual([
      'GOSBANK',
    ]);
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
