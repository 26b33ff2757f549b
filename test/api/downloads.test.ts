// Downloads and long work as a client of the API meets them, on the 1961 books: a bar list says how
// many rows its stream will carry, a printed document its length; a bar-list import reports how far
// it has come (bytes received, rows written) and how it ended, to the bank that sent it only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateStock } from '../../src/scenario/stock.ts';
import { grantClearance } from '../../src/service/correspondence/register.ts';
import { ok } from '../support/desk.ts';
import { type ScenarioServed, servedScenario1961 } from './scenario.ts';
import { errorOf } from './support.ts';

let served: ScenarioServed;

async function csvOf(count: number, firstSerial: number): Promise<string> {
  let text = '';
  for await (const line of generateStock(count, 7, firstSerial)) text += `${line}\n`;
  return text;
}

function dataRows(text: string): number {
  return text.split('\n').filter((line) => line !== '').length - 1;
}

beforeAll(async () => {
  served = await servedScenario1961();
  ok(await grantClearance(served.ingot, { user_id: 'gosbank-supervisor', level: 'top_secret', by: 'test' }));
  ok(
    await grantClearance(served.ingot, {
      user_id: 'nbc-signatory-1',
      level: 'confidential',
      by: 'gosbank-supervisor',
    }),
  );
  // The operator downloads the vault's bar list: confidential, so cleared for it.
  ok(
    await grantClearance(served.ingot, {
      user_id: 'gosbank-operator',
      level: 'confidential',
      by: 'gosbank-supervisor',
    }),
  );
}, 30_000);
afterAll(() => served.close());

describe('downloads say how much is coming', () => {
  it.each([
    ['nbc-signatory-1', '/accounts/NBC-GOLD/bars.csv'],
    ['nbc-signatory-1', '/trades/TRADE-1/bars.csv'],
    ['gosbank-operator', '/accounts/GOSBANK-VAULT/bars.csv'],
  ])('%s: %s carries as many rows as its x-row-count', async (user, path) => {
    const answer = await (await served.as(user)).get(path);
    expect(answer.status).toBe(200);
    const announced = Number(answer.headers.get('x-row-count'));
    expect(announced).toBeGreaterThan(0);
    expect(dataRows(answer.text)).toBe(announced);
  });

  it('a printed document gives its length; an uncleared user gets a refusal, not a file', async () => {
    const cleared = await served.as('nbc-signatory-1');
    const pdf = await cleared.request('GET', '/trades/TRADE-1/confirmation.pdf');
    expect(pdf.status).toBe(200);
    const response = await fetch(`${served.url}/trades/TRADE-1/confirmation.pdf`, {
      headers: { authorization: `Bearer ${cleared.token}` },
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
    const refused = await (await served.as('nbc-viewer')).get('/accounts/NBC-GOLD/bars.pdf?date=1961-01-31');
    expect(refused.status).toBe(403);
    expect(errorOf(refused)).toMatchObject({ code: 'not_cleared' });
    expect(errorOf(refused).message.length).toBeGreaterThan(10);
  });

  it('refuses a bar list as CSV to the user it refuses as PDF, before announcing any rows', async () => {
    const viewer = await served.as('nbc-viewer');
    for (const path of ['/accounts/NBC-GOLD/bars.csv', '/trades/TRADE-1/bars.csv']) {
      const refused = await viewer.get(path);
      expect([refused.status, errorOf(refused).code]).toEqual([403, 'not_cleared']);
      expect(refused.headers.get('x-row-count')).toBeNull();
    }
  });
});

describe('a bar-list import reports its progress and its outcome', () => {
  it('counts the bytes received and the rows written, then says what was received', async () => {
    const operator = await served.as('gosbank-operator');
    const csv = await csvOf(3_000, 900_000);
    const before = await operator.get('/bars/import/progress?key=import-big');
    expect(errorOf(before)).toMatchObject({ code: 'import_not_found', field: 'key' });
    const imported = await operator.request('POST', '/bars/import?account=GOSBANK-VAULT&date=1961-03-01', {
      body: csv,
      key: 'import-big',
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.status, imported.text).toBe(201);
    const progress = await operator.get('/bars/import/progress?key=import-big');
    expect(progress.body).toEqual({
      phase: 'done',
      bytes_received: Buffer.byteLength(csv),
      bytes_total: Buffer.byteLength(csv),
      rows_total: 3_000,
      rows_done: 3_000,
      outcome: { status: 201, code: null, message: expect.stringContaining('3000 bars') },
    });
    expect((await (await served.as('gosbank-auditor')).get('/verify')).body).toMatchObject({ breaches: [] });
  });

  it('reports a refused list as refused, with the code, and nothing is received', async () => {
    const operator = await served.as('gosbank-operator');
    const bars = (await operator.get('/accounts/GOSBANK-VAULT')).body as { balance: string };
    const csv = (await csvOf(10, 950_000)).replace(/,99[5-9]\.[0-9],/, ',985.0,');
    const refused = await operator.request('POST', '/bars/import?account=GOSBANK-VAULT&date=1961-03-01', {
      body: csv,
      key: 'import-bad',
      headers: { 'content-type': 'text/csv' },
    });
    expect(errorOf(refused).code).toBe('bar_list_invalid');
    const progress = await operator.get('/bars/import/progress?key=import-bad');
    expect(progress.body).toMatchObject({
      phase: 'refused',
      rows_total: 10,
      outcome: { status: 400, code: 'bar_list_invalid' },
    });
    expect(((await operator.get('/accounts/GOSBANK-VAULT')).body as { balance: string }).balance).toBe(
      bars.balance,
    );
  });

  it('is the importing bank’s own: another user of the depository may read it, nobody else', async () => {
    expect(
      (await (await served.as('gosbank-supervisor')).get('/bars/import/progress?key=import-big')).status,
    ).toBe(200);
    const viewer = await served.as('nbc-signatory-1');
    expect((await viewer.get('/bars/import/progress?key=import-big')).status).toBe(403);
  });
});
