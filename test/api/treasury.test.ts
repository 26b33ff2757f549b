// A client bank's treasury over HTTP, on the 1961 books: NBC's position on the day it decided (USD 25
// million in London, USD 8 million under way, USD 13 million needed elsewhere: USD 20 million for
// gold) and after; what its signatories record and its viewer only reads; what the depository and
// another bank are refused; bad input named and changing nothing; the books untouched throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convert, parseFxRate } from '../../src/domain/money.ts';
import { type ScenarioServed, servedScenario1961 } from './scenario.ts';
import { type Answer, type Client, errorOf } from './support.ts';

let served: ScenarioServed;
let signatory: Client;
let viewer: Client;
let journalBefore: string;

interface Line {
  currency: string;
  at_correspondents: string;
  at_depository: string;
  under_way: string;
  set_aside: string;
  earmarked: string;
  left: string;
  left_in_sterling: string | null;
}

interface View {
  date: string;
  currencies: Line[];
  sterling: { total: string; rates: Record<string, string> } | null;
  sterling_refusal: { code: string; field: string } | null;
  correspondents: {
    id: string;
    stated: string | null;
    as_of: string | null;
    position: string;
    history: unknown[];
  }[];
  depository: { account_id: string; balance: string }[];
  transfers: {
    id: string;
    state: string;
    state_on_date: string;
    overdue: boolean;
    to: { kind: string; name: string };
  }[];
  earmarks: { id: string; active: boolean; released_on: string | null }[];
  set_aside: { trade_id: string; minor: string; basis: string }[];
}

async function journalSize(): Promise<string> {
  const rows = await served.ingot.store.db.selectFrom('entries').select('id').orderBy('id').execute();
  return rows.map((r) => r.id).join(',');
}

async function view(client: Client, query: string): Promise<View> {
  const answer = await client.get(`/treasury/NBC?${query}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body as View;
}

function line(v: View, currency: string): Line {
  const found = v.currencies.find((c) => c.currency === currency);
  if (!found) throw new Error(`no ${currency} in the treasury`);
  return found;
}

function refused(answer: Answer, status: number, code: string, field?: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(errorOf(answer).code).toBe(code);
  if (field !== undefined) expect(errorOf(answer).field).toBe(field);
}

beforeAll(async () => {
  served = await servedScenario1961();
  signatory = await served.as('nbc-signatory-2');
  viewer = await served.as('nbc-viewer');
  journalBefore = await journalSize();
}, 30_000);
afterAll(() => served.close());

describe('NBC’s position, as the record of 17 January 1961 has it', () => {
  it('on the day of the decision: USD 20 million left for gold, and TRADE-1 holds it back', async () => {
    const v = await view(viewer, 'date=1961-01-17&usd_per_gbp=2.80');
    expect(line(v, 'USD')).toMatchObject({
      at_correspondents: '2500000000',
      under_way: '800000000',
      earmarked: '1300000000',
      left: '2000000000',
      left_in_sterling: '34285714285', // £7,142,857 2s 10¼d: rounded down to the farthing
    });
    // TRADE-1, accepted that day, settled on the 31st: the price it paid is held back until then.
    expect(line(v, 'GBP')).toMatchObject({
      at_depository: '0',
      set_aside: '34285714270',
      left: '-34285714270',
    });
    expect(v.set_aside).toEqual([
      { trade_id: 'TRADE-1', currency: 'GBP', minor: '34285714270', basis: 'price_paid', price_date: null },
    ]);
    // The gold cost ¾d less than the USD 20 million fetched: that is all that is left.
    expect(v.sterling).toEqual({ total: '15', rates: { USD: '2.80' } });
    expect(v.transfers.map((t) => [t.id, t.state, t.state_on_date])).toEqual([
      ['TRF-1', 'arrived', 'under_way'],
    ]);
    expect(v.earmarks.map((e) => [e.id, e.active])).toEqual([['EAR-1', true]]);
  });

  it('at the end of January: the sterling at the State Bank after settlement, the dollars in London', async () => {
    const v = await view(viewer, 'date=1961-01-31&usd_per_gbp=2.80');
    expect(line(v, 'USD')).toMatchObject({
      at_correspondents: '1200000000',
      under_way: '0',
      left: '-100000000',
    });
    // Settled on the 31st: paid, nothing set aside; the sterling left is what the books hold that day.
    const statement = await viewer.get(
      '/accounts/NBC-GBP/statement?from=1961-01-01&to=1961-01-31&bars=false',
    );
    const closing = (statement.body as { closing: string }).closing;
    expect(line(v, 'GBP')).toMatchObject({ at_depository: closing, set_aside: '0', left: closing });
    expect(v.set_aside).toEqual([]);
    const rate = parseFxRate('2.80', 'GBP', 'USD');
    if (!rate.ok) throw new Error(rate.reason);
    const dollars = convert({ currency: 'USD', minor: -100_000_000n }, rate.value, 'GBP', '1961-01-31').minor;
    expect(v.sterling?.total).toBe((BigInt(closing) + dollars).toString());
    expect(v.correspondents[0]).toMatchObject({
      id: 'MNB-LONDON-USD',
      stated: '1200000000',
      as_of: '1961-01-20',
    });
  });

  it('without a rate for dollars it gives the position and says the sterling equivalent needs one', async () => {
    const v = await view(viewer, 'date=1961-01-17');
    expect(v.sterling).toBeNull();
    expect(v.sterling_refusal).toMatchObject({ code: 'rate_missing', field: 'usd_per_gbp' });
    expect(line(v, 'USD').left_in_sterling).toBeNull();
  });

  it.each([
    ['date=1961-02-30', 'date'],
    ['date=1961-01-17&usd_per_gbp=2,80', 'usd_per_gbp'],
    ['date=1961-01-17&usd_per_gbp=0', 'usd_per_gbp'],
    ['date=1961-01-17&eur_per_gbp=-1', 'eur_per_gbp'],
  ])('refuses %s naming %s', async (query, field) => {
    refused(await viewer.get(`/treasury/NBC?${query}`), 400, 'invalid_input', field);
  });
});

describe('only the bank’s own users see its treasury; its signatories keep it', () => {
  it.each(['gosbank-operator', 'gosbank-supervisor', 'gosbank-auditor', 'bnb-signatory'])(
    '%s is answered as if it did not exist',
    async (user) => {
      const client = await served.as(user);
      refused(await client.get('/treasury/NBC?date=1961-01-17'), 404, 'treasury_not_found', 'id');
      const unknown = await client.get('/treasury/XYZ?date=1961-01-17');
      expect(errorOf(unknown).message.replace('XYZ', 'NBC')).toBe(
        errorOf(await client.get('/treasury/NBC')).message,
      );
    },
  );

  it('another bank’s signatory cannot record in it, nor reach its transfers', async () => {
    const bnb = await served.as('bnb-signatory');
    const body = {
      correspondent_id: 'MNB-LONDON-USD',
      as_of: '1961-02-01',
      amount: { currency: 'USD', minor: '1' },
    };
    refused(await bnb.post('/treasury/NBC/balances', body, 'bnb-1'), 404, 'treasury_not_found');
    refused(
      await bnb.post('/treasury/NBC/transfers/TRF-1/cancel', { date: '1961-02-01' }),
      404,
      'treasury_not_found',
    );
    refused(
      await bnb.post('/treasury/BNB/transfers/TRF-1/cancel', { date: '1961-02-01' }),
      404,
      'transfer_not_found',
    );
    expect((await bnb.get('/treasury/BNB?date=1961-01-17')).body).toMatchObject({
      currencies: [],
      transfers: [],
    });
  });

  it.each([
    ['nbc-viewer', 'a viewer reads only'],
    ['gosbank-operator', 'the depository keeps no client’s treasury'],
  ])('%s may not record (%s)', async (user) => {
    const client = await served.as(user);
    const body = { id: 'PARIS-USD', bank: 'A Paris bank', currency: 'USD' };
    refused(await client.post('/treasury/NBC/correspondents', body), 403, 'forbidden', 'role');
  });
});

describe('a signatory records balances, transfers and earmarks', () => {
  it('registers a correspondent account once', async () => {
    const body = {
      id: 'BNCI-PARIS-USD',
      bank: 'A Paris bank (test)',
      currency: 'USD',
      account_reference: 'C-1',
    };
    expect((await signatory.post('/treasury/NBC/correspondents', body)).status).toBe(201);
    refused(await signatory.post('/treasury/NBC/correspondents', body), 409, 'correspondent_exists', 'id');
  });

  it('records a balance under an idempotency key: a retry replays, another request under it is refused', async () => {
    const body = {
      correspondent_id: 'BNCI-PARIS-USD',
      as_of: '1961-02-01',
      amount: { currency: 'USD', minor: '50000000' },
    };
    const first = await signatory.post('/treasury/NBC/balances', body, 'paris-1');
    expect(first.status, first.text).toBe(201);
    const again = await signatory.post('/treasury/NBC/balances', body, 'paris-1');
    expect(again.body).toEqual({ ...(first.body as object), replayed: true });
    const other = { ...body, amount: { currency: 'USD', minor: '1' } };
    refused(await signatory.post('/treasury/NBC/balances', other, 'paris-1'), 422, 'idempotency_key_reused');
    refused(await signatory.post('/treasury/NBC/balances', body), 400, 'invalid_input', 'idempotency-key');
    const v = await view(viewer, 'date=1961-02-01');
    expect(v.correspondents.find((c) => c.id === 'BNCI-PARIS-USD')).toMatchObject({
      stated: '50000000',
      position: '50000000',
    });
  });

  it.each([
    [
      'a balance in another currency',
      '/treasury/NBC/balances',
      { correspondent_id: 'BNCI-PARIS-USD', as_of: '1961-02-01', amount: { currency: 'GBP', minor: '4800' } },
      422,
      'currency_mismatch',
      'amount',
    ],
    [
      'a balance of an unknown account',
      '/treasury/NBC/balances',
      { correspondent_id: 'NOWHERE', as_of: '1961-02-01', amount: { currency: 'USD', minor: '1' } },
      404,
      'correspondent_not_found',
      'correspondent_id',
    ],
    [
      'a balance beyond any treasury',
      '/treasury/NBC/balances',
      {
        correspondent_id: 'BNCI-PARIS-USD',
        as_of: '1961-02-01',
        amount: { currency: 'USD', minor: '99999999999999999999' },
      },
      400,
      'invalid_input',
      'amount.minor',
    ],
    [
      'a balance on no date',
      '/treasury/NBC/balances',
      { correspondent_id: 'BNCI-PARIS-USD', as_of: '1961-13-01', amount: { currency: 'USD', minor: '1' } },
      400,
      'invalid_input',
      'as_of',
    ],
    [
      'dollars to a sterling account',
      '/treasury/NBC/transfers',
      {
        amount: { currency: 'USD', minor: '100' },
        from_correspondent: 'BNCI-PARIS-USD',
        to_account: 'NBC-GBP',
        sent_on: '1961-02-02',
        expected_on: '1961-02-03',
      },
      422,
      'currency_mismatch',
      'to_account',
    ],
    [
      'to another bank’s account',
      '/treasury/NBC/transfers',
      {
        amount: { currency: 'GBP', minor: '100' },
        from_outside: 'x',
        to_account: 'GOSBANK-GBP',
        sent_on: '1961-02-02',
        expected_on: '1961-02-03',
      },
      404,
      'account_not_found',
      'to_account',
    ],
    [
      'from two places',
      '/treasury/NBC/transfers',
      {
        amount: { currency: 'USD', minor: '100' },
        from_correspondent: 'BNCI-PARIS-USD',
        from_outside: 'x',
        to_correspondent: 'MNB-LONDON-USD',
        sent_on: '1961-02-02',
        expected_on: '1961-02-03',
      },
      400,
      'invalid_input',
      'from_correspondent',
    ],
    [
      'to nowhere',
      '/treasury/NBC/transfers',
      {
        amount: { currency: 'USD', minor: '100' },
        from_outside: 'x',
        sent_on: '1961-02-02',
        expected_on: '1961-02-03',
      },
      400,
      'invalid_input',
      'to_correspondent',
    ],
    [
      'to where it comes from',
      '/treasury/NBC/transfers',
      {
        amount: { currency: 'USD', minor: '100' },
        from_correspondent: 'BNCI-PARIS-USD',
        to_correspondent: 'BNCI-PARIS-USD',
        sent_on: '1961-02-02',
        expected_on: '1961-02-03',
      },
      422,
      'transfer_target_is_source',
      'to_correspondent',
    ],
    [
      'expected before it is sent',
      '/treasury/NBC/transfers',
      {
        amount: { currency: 'USD', minor: '100' },
        from_correspondent: 'BNCI-PARIS-USD',
        to_correspondent: 'MNB-LONDON-USD',
        sent_on: '1961-02-02',
        expected_on: '1961-02-01',
      },
      422,
      'transfer_dated_before_sending',
      'expected_on',
    ],
    [
      'an earmark ending before it starts',
      '/treasury/NBC/earmarks',
      { amount: { currency: 'USD', minor: '100' }, purpose: 'p', from: '1961-02-02', until: '1961-02-01' },
      422,
      'earmark_ends_before_it_starts',
      'until',
    ],
    [
      'an earmark of nothing',
      '/treasury/NBC/earmarks',
      { amount: { currency: 'USD', minor: '0' }, purpose: 'p', from: '1961-02-02', until: '1961-02-03' },
      400,
      'invalid_input',
      'amount.minor',
    ],
  ])('refuses %s, naming the field, and changes nothing', async (_what, path, body, status, code, field) => {
    const before = await view(viewer, 'date=1961-02-28');
    refused(await signatory.post(path, body, `bad-${_what.replace(/[^a-z]+/g, '-')}`), status, code, field);
    expect(await view(viewer, 'date=1961-02-28')).toEqual(before);
  });

  it('follows a transfer from Paris to London until it arrives; it is counted once throughout', async () => {
    const body = {
      amount: { currency: 'USD', minor: '30000000' },
      from_correspondent: 'BNCI-PARIS-USD',
      to_correspondent: 'MNB-LONDON-USD',
      sent_on: '1961-02-02',
      expected_on: '1961-02-06',
      note: 'cover for London',
    };
    const sent = await signatory.post('/treasury/NBC/transfers', body, 'paris-london');
    expect(sent.status, sent.text).toBe(201);
    const id = (sent.body as { id: string }).id;
    const dollarsOn = async (date: string) => {
      const usd = line(await view(viewer, `date=${date}`), 'USD');
      return [usd.at_correspondents, usd.under_way];
    };
    expect(await dollarsOn('1961-02-01')).toEqual(['1250000000', '0']);
    expect(await dollarsOn('1961-02-03')).toEqual(['1220000000', '30000000']);
    const late = await view(viewer, 'date=1961-02-08');
    expect(late.transfers.find((t) => t.id === id)).toMatchObject({
      state_on_date: 'under_way',
      overdue: true,
    });
    const arrived = await signatory.post(`/treasury/NBC/transfers/${id}/arrive`, { date: '1961-02-07' });
    expect(arrived.body).toEqual({ id, state: 'arrived', replayed: false });
    expect(await dollarsOn('1961-02-08')).toEqual(['1250000000', '0']);
    refused(
      await signatory.post(`/treasury/NBC/transfers/${id}/cancel`, { date: '1961-02-08' }),
      409,
      'transfer_is_closed',
    );
    refused(
      await signatory.post('/treasury/NBC/transfers/TRF-99/arrive', { date: '1961-02-08' }),
      404,
      'transfer_not_found',
    );
  });

  it('earmarks a sum and releases it; a second release is refused', async () => {
    const body = {
      amount: { currency: 'USD', minor: '20000000' },
      purpose: 'Czech machinery (test)',
      from: '1961-02-01',
      until: '1961-06-30',
    };
    const made = await signatory.post('/treasury/NBC/earmarks', body, 'machinery');
    expect(made.status, made.text).toBe(201);
    const id = (made.body as { id: string }).id;
    const earmarkedOn = async (date: string) => line(await view(viewer, `date=${date}`), 'USD').earmarked;
    expect(await earmarkedOn('1961-02-10')).toBe('1320000000');
    const released = await signatory.post(
      `/treasury/NBC/earmarks/${id}/release`,
      { date: '1961-03-01' },
      'release-1',
    );
    expect(released.body).toEqual({ id, replayed: false });
    expect(
      (await signatory.post(`/treasury/NBC/earmarks/${id}/release`, { date: '1961-03-01' }, 'release-1'))
        .body,
    ).toEqual({ id, replayed: true });
    refused(
      await signatory.post(`/treasury/NBC/earmarks/${id}/release`, { date: '1961-03-02' }),
      409,
      'earmark_already_released',
    );
    expect([await earmarkedOn('1961-02-28'), await earmarkedOn('1961-03-01')]).toEqual([
      '1320000000',
      '1300000000',
    ]);
  });
});

describe('the books', () => {
  it('are untouched by the treasury, and verify', async () => {
    expect(await journalSize()).toBe(journalBefore);
    const auditor = await served.as('gosbank-auditor');
    expect((await auditor.get('/verify')).body).toMatchObject({ breaches: [] });
  });

  it('describe every treasury route in the OpenAPI document', async () => {
    const doc = (await served.client(null).get('/openapi.json')).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/treasury'))).toEqual([
      '/treasury/{id}',
      '/treasury/{id}/correspondents',
      '/treasury/{id}/balances',
      '/treasury/{id}/transfers',
      '/treasury/{id}/transfers/{transfer}/arrive',
      '/treasury/{id}/transfers/{transfer}/cancel',
      '/treasury/{id}/earmarks',
      '/treasury/{id}/earmarks/{earmark}/release',
    ]);
  });
});
