// The Good Delivery List of refiners over HTTP: replaced by an operator's CSV upload, read by anyone
// signed in, and applied to bar lists uploaded afterwards (refused by default, flagged on request).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, type Served, servedWorld } from './support.ts';

const LIST = [
  'brand_code,name,country,status,listed_on,removed_on',
  'XYZ,Example Refinery,Switzerland,current,1950-01-01,',
  'OLD,Old Refinery,United Kingdom,former,1934-01-01,1959-06-30',
].join('\n');
const BARS = [
  'serial,refiner,year,gross_oz,fineness,fine_oz',
  'R-1,XYZ,1960,401.125,995.8,399.440',
  'R-2,ABC,1960,401.125,995.8,399.440',
  'R-3,OLD,1960,401.125,995.8,399.440',
].join('\n');

let served: Served;
let operator: Client;

beforeAll(async () => {
  served = await servedWorld(10);
  operator = await served.signIn('operator');
});
afterAll(() => served.close());

const csv = (client: Client, path: string, body: string, key?: string) =>
  client.request('POST', path, { body, headers: { 'content-type': 'text/csv' }, ...(key ? { key } : {}) });

describe('refiners over HTTP', () => {
  it('is replaced by a depository operator, not by a client, and read back', async () => {
    const client = await served.signIn('nbc-signatory');
    expect((await csv(client, '/refiners/import', LIST)).status).toBe(403);
    const faulty = await csv(operator, '/refiners/import', `${LIST}\nXYZ,Again,CH,current,,`);
    expect(faulty.status).toBe(400);
    expect(faulty.body).toMatchObject({
      code: 'invalid_input',
      problems: [{ row: 4, column: 'brand_code', reason: 'brand XYZ appears twice (first at row 2)' }],
    });
    const imported = await csv(operator, '/refiners/import?date=1961-01-02', LIST);
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body).toEqual({ current: 1, former: 1, removed: [], unchanged: false });
    const listed = await client.get('/refiners');
    expect(listed.body).toMatchObject([
      { brand_code: 'OLD', status: 'former', removed_on: '1959-06-30' },
      { brand_code: 'XYZ', status: 'current', listed_on: '1950-01-01', removed_on: null },
    ]);
  });

  it('refuses a bar list naming each bar the list does not vouch for; flags them on request', async () => {
    const path = '/bars/import?account=GOSBANK-VAULT&date=1961-01-03';
    const refused = await csv(operator, path, BARS, 'refiners-refused');
    expect(refused.status).toBe(400);
    expect(errorOf(refused).code).toBe('bar_list_invalid');
    const problems = (refused.body as { problems: { row: number; column: string; reason: string }[] })
      .problems;
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [3, 'refiner'],
      [4, 'refiner'],
    ]);
    expect(problems[1]?.reason).toContain('removed from the Good Delivery List on 1959-06-30');
    const flagged = await csv(operator, `${path}&refiners=flag`, BARS, 'refiners-flagged');
    expect(flagged.status, flagged.text).toBe(201);
    expect(flagged.body).toMatchObject({
      bars: 3,
      flagged: [
        { row: 3, brand: 'ABC' },
        { row: 4, brand: 'OLD' },
      ],
    });
  });
});
