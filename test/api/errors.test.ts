// One error shape with the right status, whatever goes wrong; idempotent retries of value-moving POSTs.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTODY_REFUSAL_CODES } from '../../src/domain/custody/refusal.ts';
import { REFUSAL_CODES } from '../../src/domain/outcome.ts';
import { STATUS_OF } from '../../src/server/errors.ts';
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
});
afterAll(() => served.close());

const accept = (quantity: string, date = '1961-01-17') => ({ quantity_fine_milli_oz: quantity, date });

describe('idempotency keys', () => {
  it('replays a retry with the same key and moves nothing twice', async () => {
    const first = await nbc.post('/offers/OFFER-1/accept', accept('1000000'), 'same');
    const again = await nbc.post('/offers/OFFER-1/accept', accept('1000000'), 'same');
    expect(first.body).toMatchObject({ trade_id: 'TRADE-1', replayed: false });
    expect(again.body).toEqual({ trade_id: 'TRADE-1', replayed: true });
    expect(((await nbc.get('/trades')).body as { items: unknown[] }).items).toHaveLength(1);
  });

  it('refuses the same key with a different request (422), and a missing key (400)', async () => {
    const reused = await nbc.post('/offers/OFFER-1/accept', accept('2000000'), 'same');
    expect(reused.status).toBe(422);
    expect(errorOf(reused)).toMatchObject({ code: 'idempotency_key_reused', field: 'key' });
    const missing = await nbc.post('/offers/OFFER-1/accept', accept('2000000'));
    expect(missing.status).toBe(400);
    expect(errorOf(missing).field).toBe('idempotency-key');
  });

  it('keeps each bank’s keys apart', async () => {
    const other = await bnb.post('/offers/OFFER-2/accept', accept('1000000'), 'same');
    expect(other.body).toMatchObject({ trade_id: 'TRADE-2', replayed: false });
  });
});

describe('one error shape, the status from one table', () => {
  it('gives every refusal code a status', () => {
    for (const code of [...REFUSAL_CODES, ...CUSTODY_REFUSAL_CODES]) {
      expect(STATUS_OF[code], code).toBeGreaterThanOrEqual(400);
    }
  });

  it.each([
    ['unknown property', { ...accept('1'), colour: 'gold' }, 'colour'],
    ['missing date', { quantity_fine_milli_oz: '1' }, 'date'],
    ['number for a decimal string', { ...accept('1'), quantity_fine_milli_oz: 1 }, 'quantity_fine_milli_oz'],
    ['negative quantity', accept('-5'), 'quantity_fine_milli_oz'],
    ['impossible date', accept('1', '1961-02-30'), 'date'],
    [
      'both quantity and amount',
      { ...accept('1'), amount: { currency: 'GBP', minor: '1' } },
      'quantity_fine_milli_oz',
    ],
    [
      'foreign amount without rate',
      { amount: { currency: 'USD', minor: '100' }, date: '1961-01-17' },
      'rate',
    ],
  ])('names the field at fault: %s', async (_what, body, field) => {
    const answer = await nbc.post('/offers/OFFER-1/accept', body, `k-${field}-${Math.random()}`);
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toMatchObject({ code: 'invalid_input', field });
  });

  it('answers malformed bodies, wrong media types and huge bodies in the same shape', async () => {
    const broken = await operator.request('POST', '/parties', {
      body: '{"id": "X",',
      headers: { 'content-type': 'application/json' },
    });
    expect([broken.status, errorOf(broken).code, errorOf(broken).field]).toEqual([
      400,
      'invalid_input',
      'body',
    ]);
    const xml = await operator.request('POST', '/parties', {
      body: '<party/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect([xml.status, errorOf(xml).code]).toEqual([415, 'unsupported_media_type']);
    const huge = await operator.post('/parties', { id: 'X', name: 'x'.repeat(2_000_000), role: 'client' });
    expect([huge.status, errorOf(huge).code]).toEqual([413, 'payload_too_large']);
    const cursor = await operator.get('/trades?cursor=not-a-cursor');
    expect([cursor.status, errorOf(cursor).field]).toEqual([400, 'cursor']);
    const limit = await operator.get('/trades?limit=0');
    expect([limit.status, errorOf(limit).field]).toEqual([400, 'limit']);
    const route = await operator.get('/nowhere');
    expect([route.status, errorOf(route).code]).toEqual([404, 'route_not_found']);
  });

  it('maps business refusals to 422 and conflicts to 409, and records why a trade waits', async () => {
    const tradeId = 'TRADE-2';
    const drain = {
      account_id: 'BNB-GBP',
      amount: { currency: 'GBP', minor: String(4_999_000n * 4800n) },
      date: '1961-01-04',
    };
    expect((await operator.post('/cash/withdrawals', drain, 'drain')).status).toBe(201);
    expect((await operator.post(`/trades/${tradeId}/allocate`, {})).status).toBe(200);
    const poor = await operator.post(`/trades/${tradeId}/settle`, { date: '1961-01-31' }, 'settle-poor');
    expect([poor.status, errorOf(poor).code]).toEqual([422, 'insufficient_funds']);
    const trade = (await bnb.get(`/trades/${tradeId}`)).body as { trade: { pending_reason: string } };
    expect(trade.trade.pending_reason).toMatch(/^insufficient_funds/);
    expect((await operator.post('/trades/TRADE-1/allocate', {})).status).toBe(200);
    expect((await operator.post('/trades/TRADE-1/settle', { date: '1961-01-31' }, 's1')).status).toBe(201);
    const twice = await operator.post('/trades/TRADE-1/settle', { date: '1961-01-31' }, 's2');
    expect([twice.status, errorOf(twice).code]).toEqual([409, 'trade_already_settled']);
  });

  it('refuses a faulty bar list whole, naming every row', async () => {
    const header = 'serial,refiner,year,gross_oz,fineness,fine_oz\n';
    const csv = `${header}1,ABC,1950,400.000,999.9,399.960\n2,ABC,1950,400.000,abc,1\n`;
    const answer = await operator.request('POST', '/bars/import?account=GOSBANK-VAULT&date=1961-01-02', {
      body: csv,
      key: 'bad-list',
      headers: { 'content-type': 'text/csv' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'bar_list_invalid', problems: [{ row: 3 }] });
  });

  it('answers a request that is not HTTP at all with the same shape', async () => {
    const url = new URL(served.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1.1 400/);
    expect(JSON.parse(reply.slice(reply.indexOf('{')))).toMatchObject({ code: 'invalid_input' });
  });

  it('echoes a request id, or makes one, and keeps the books out of caches', async () => {
    const given = await operator.request('GET', '/healthz', { headers: { 'x-request-id': 'trace-42' } });
    expect(given.headers.get('x-request-id')).toBe('trace-42');
    const made = await operator.get('/healthz');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const books = await operator.get('/accounts');
    expect(books.headers.get('cache-control')).toBe('no-store');
    expect(books.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
