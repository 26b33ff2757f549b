// The 1961 arrangement end to end over HTTP, from empty books: the same figures as the CLI's replay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateStock } from '../../src/scenario/stock.ts';
import { ingotOver } from '../../src/service/kernel/context.ts';
import { addParty } from '../../src/service/parties/parties.ts';
import { openSqliteStore } from '../../src/store/sqlite/open.ts';
import { ok } from '../support/desk.ts';
import { addUsers, type Client, clearUsers, PASSWORD, type Served, serveOver } from './support.ts';

let served: Served;
let operator: Client;

async function stockCsv(bars: number): Promise<string> {
  let text = '';
  for await (const line of generateStock(bars)) text += `${line}\n`;
  return text;
}

beforeAll(async () => {
  const ingot = ingotOver(await openSqliteStore(':memory:'), 'setup');
  ok(await addParty(ingot, { id: 'GOSBANK', name: 'State Bank of the USSR', role: 'depository' }));
  await addUsers(ingot, [
    ['operator', 'GOSBANK', 'depository_operator'],
    ['supervisor', 'GOSBANK', 'depository_supervisor'],
  ]);
  // Cleared for confidential documents: the allocator, and the signatory registered below.
  await clearUsers(ingot, ['supervisor', 'operator', 'nbc-signatory']);
  served = await serveOver(ingot);
  operator = await served.signIn('operator');
});
afterAll(() => served.close());

describe('the 1961 arrangement over HTTP', () => {
  it('registers the client bank, its accounts and its signatory', async () => {
    expect(
      (await operator.post('/parties', { id: 'NBC', name: 'National Bank of Cuba', role: 'client' })).status,
    ).toBe(201);
    for (const [id, party_id, kind, unit] of [
      ['GOSBANK-VAULT', 'GOSBANK', 'custody', 'XAU'],
      ['GOSBANK-GBP', 'GOSBANK', 'cash', 'GBP'],
      ['NBC-GOLD', 'NBC', 'custody', 'XAU'],
      ['NBC-GBP', 'NBC', 'cash', 'GBP'],
    ]) {
      expect((await operator.post('/accounts', { id, party_id, kind, unit })).status).toBe(201);
    }
    // Onboarding: the depository proposes NBC's two signatories (one approves the other's changes
    // later), a supervisor approves each; the operator and the supervisor each hand over one part of
    // its one-time secret, and the signatory sets its own password, which nobody else knows.
    const supervisor = await served.signIn('supervisor');
    const secrets: string[] = [];
    for (const id of ['nbc-signatory', 'nbc-signatory-2']) {
      const user = { id, name: 'Signatory', party_id: 'NBC', role: 'client_signatory' };
      const proposed = await operator.post('/users', user);
      expect(proposed.status).toBe(202);
      const { pending_approval, enrolment_secret_part: first } = proposed.body as {
        pending_approval: string;
        enrolment_secret_part: string;
      };
      const { digest } = (await supervisor.get(`/approvals/${pending_approval}`)).body as { digest: string };
      const approved = await supervisor.post(`/approvals/${pending_approval}/approve`, { digest });
      expect(approved.status).toBe(200);
      const { outcome } = approved.body as { outcome: { enrolment_secret_part: string } };
      // The operator's part, then the supervisor's: neither alone knows the whole secret.
      secrets.push(`${first}.${outcome.enrolment_secret_part}`);
    }
    const [enrolment_secret] = secrets;
    const anonymous = served.client(null);
    const enrolled = await anonymous.post('/enrolment', {
      user_id: 'nbc-signatory',
      secret: enrolment_secret,
      password: PASSWORD,
    });
    expect(enrolled.status).toBe(200);
    expect(
      (
        await anonymous.post('/enrolment', {
          user_id: 'nbc-signatory',
          secret: enrolment_secret,
          password: PASSWORD,
        })
      ).status,
    ).toBe(401);
  });

  it('receives the vault stock as a CSV upload, and the fixing under four eyes', async () => {
    const upload = await operator.request(
      'POST',
      '/bars/import?account=GOSBANK-VAULT&date=1961-01-02&min_fineness=9950',
      {
        body: await stockCsv(2500),
        key: 'stock',
        headers: { 'content-type': 'text/csv' },
      },
    );
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({ bars: 2500, replayed: false });
    const fixing = { date: '1961-01-31', currency: 'GBP', minor_per_oz: '60960', source: 'illustrative' };
    const proposed = await operator.post('/prices', fixing);
    expect(proposed.status).toBe(202);
    const { pending_approval } = proposed.body as { pending_approval: string };
    expect((await operator.get('/prices')).body).toEqual([]);
    const supervisor = await served.signIn('supervisor');
    const pending = await supervisor.get('/approvals?status=pending');
    expect(pending.body).toMatchObject([
      { id: pending_approval, action: 'record_fixing', maker_user_id: 'operator' },
    ]);
    const { digest } = (await supervisor.get(`/approvals/${pending_approval}`)).body as { digest: string };
    const approved = await supervisor.post(`/approvals/${pending_approval}/approve`, { digest });
    expect(approved.body).toMatchObject({ outcome: { added: 1 } });
    expect((await operator.get('/prices')).body).toMatchObject([
      { date: '1961-01-31', entered_by: 'operator, checked by supervisor' },
    ]);
  });

  it('offers 30 t, and the client accepts USD 20 million at 2.80, quoted first', async () => {
    const terms = {
      seller_party_id: 'GOSBANK',
      buyer_party_id: 'NBC',
      seller_stock_account_id: 'GOSBANK-VAULT',
      seller_cash_account_id: 'GOSBANK-GBP',
      buyer_custody_account_id: 'NBC-GOLD',
      buyer_cash_account_id: 'NBC-GBP',
      maximum_fine_milli_oz: '964522397',
      minimum_fineness: '9900',
      currency: 'GBP',
      valid_from: '1961-01-11',
      valid_until: '1961-03-31',
    };
    expect((await operator.post('/offers', terms, 'offer')).body).toEqual({
      offer_id: 'OFFER-1',
      replayed: false,
    });
    const client = await served.signIn('nbc-signatory');
    const asked = { amount: { currency: 'USD', minor: '2000000000' }, rate: '2.80' };
    const quote = await client.post('/offers/OFFER-1/quote', { ...asked, date: '1961-01-17' });
    expect(quote.body).toMatchObject({ fixing_date: '1961-01-31', fine_milli_oz: '562429696' });
    const accepted = await client.post('/offers/OFFER-1/accept', { ...asked, date: '1961-01-17' }, 'accept');
    expect(accepted.body).toEqual({ trade_id: 'TRADE-1', replayed: false });
  });

  it('funds the client, allocates 1,401 bars and settles at 254s 0d, once', async () => {
    const funding = {
      account_id: 'NBC-GBP',
      amount: { currency: 'GBP', minor: '36000000000' },
      date: '1961-01-20',
    };
    expect((await operator.post('/cash/deposits', funding, 'fund')).status).toBe(201);
    const allocated = await operator.post('/trades/TRADE-1/allocate', { reference_date: '1961-01-31' });
    expect(allocated.body).toMatchObject({ bars: 1401, allocated_fine_milli_oz: '562429696' });
    expect((allocated.body as { bar_list: unknown[] }).bar_list).toHaveLength(1401);
    const settled = await operator.post('/trades/TRADE-1/settle', { date: '1961-01-31' }, 'settle');
    expect(settled.status).toBe(201);
    expect(settled.body).toMatchObject({
      consideration_minor: '34285714270',
      price_minor_per_oz: '60960',
      replayed: false,
    });
    const again = await operator.post('/trades/TRADE-1/settle', { date: '1961-01-31' }, 'settle');
    expect(again.body).toMatchObject({ consideration_minor: '34285714270', replayed: true });
  });

  it('shows the client its statement, bar list and documents, and the books verify', async () => {
    const client = await served.signIn('nbc-signatory');
    const statement = await client.get('/accounts/NBC-GOLD/statement?from=1961-01-01&to=1961-01-31');
    expect(statement.body).toMatchObject({ opening: '0', closing: '562429696' });
    expect((statement.body as { bars: unknown[] }).bars).toHaveLength(1401);
    const csv = await client.get('/accounts/NBC-GOLD/bars.csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.trim().split('\n')).toHaveLength(1402);
    const cash = await client.get('/accounts/NBC-GBP/statement.csv?from=1961-01-01&to=1961-01-31');
    expect(cash.text).toContain('-34285714270');
    const documents = await client.get('/documents?trade=TRADE-1');
    expect((documents.body as { kind: string }[]).map((d) => d.kind)).toEqual([
      'trade_confirmation',
      'cash_debit_advice',
      'metal_credit_advice',
    ]);
    expect((await operator.get('/verify')).body).toMatchObject({ breaches: [] });
  });
});
