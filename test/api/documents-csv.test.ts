// The documents of settled trades as CSV, as the desk downloads them for a person (fine ounces,
// sterling as £sd in 1961) and as a program reads them (milli-ounces, minor units): the same
// documents, line for line, each figure the same amount in both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantClearance } from '../../src/service/correspondence/register.ts';
import { ok } from '../support/desk.ts';
import { type ScenarioServed, servedScenario1961 } from './scenario.ts';
import { errorOf } from './support.ts';

let served: ScenarioServed;

/** The cells of a CSV line (quoted cells may hold commas; no cell here holds a quote). */
function cells(line: string): string[] {
  const out: string[] = [];
  const pattern = /"([^"]*)"|([^,]*)/gy;
  let at = 0;
  while (at <= line.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(line);
    out.push(match?.[1] ?? match?.[2] ?? '');
    at = pattern.lastIndex + 1;
  }
  return out;
}

function table(text: string): Record<string, string>[] {
  const [header, ...rows] = text.trim().split('\n');
  const names = cells(header ?? '');
  return rows.map((row) => Object.fromEntries(cells(row).map((cell, i) => [names[i] ?? `${i}`, cell])));
}

/** £sd as written (`£12,700 0s 0d`, `£3 10s 6½d`) in the store's sterling unit, £1/4800 (a farthing is 5). */
function sterlingUnits(lsd: string): bigint {
  const match = /^(-?)£([\d,]+) (\d+)s (\d+)(¼|½|¾)?d$/.exec(lsd);
  if (!match) throw new Error(`not £sd: ${lsd}`);
  const [, sign, pounds = '0', shillings = '0', pence = '0', fraction] = match;
  const quarters = { '¼': 1n, '½': 2n, '¾': 3n }[fraction ?? ''] ?? 0n;
  const value =
    BigInt(pounds.replaceAll(',', '')) * 960n + BigInt(shillings) * 48n + BigInt(pence) * 4n + quarters;
  return (sign ? -value : value) * 5n;
}

beforeAll(async () => {
  served = await servedScenario1961();
  ok(
    await grantClearance(served.ingot, {
      user_id: 'nbc-signatory-1',
      level: 'confidential',
      by: 'gosbank-supervisor',
    }),
  );
}, 30_000);
afterAll(() => served.close());

describe('documents.csv in units a person reads and in minor units', () => {
  it('states the same documents and the same figures in both forms, the unit in the header', async () => {
    const client = await served.as('nbc-signatory-1');
    const minor = await client.get('/documents.csv');
    const person = await client.get('/documents.csv?units=person');
    expect(minor.status).toBe(200);
    expect(person.status).toBe(200);
    expect(person.text.split('\n')[0]).toContain('quantity (fine oz)');
    const programs = table(minor.text);
    const people = table(person.text);
    expect(people.length).toBeGreaterThan(0);
    expect(people.map((row) => row.id)).toEqual(programs.map((row) => row.id));
    let sterling = 0;
    programs.forEach((program, i) => {
      const shown = people[i] ?? {};
      const milli = program.quantity_fine_milli_oz ?? '';
      const oz = shown['quantity (fine oz)'] ?? '';
      if (milli === '') expect(oz).toBe('');
      else expect(BigInt(oz.replace('.', '').replaceAll(',', ''))).toBe(BigInt(milli));
      const amount = shown['amount (in the currency, as written on the value date)'] ?? '';
      if (program.currency === 'GBP' && (program.value_date ?? '') < '1971-02-15' && program.amount_minor) {
        sterling += 1;
        expect(sterlingUnits(amount)).toBe(BigInt(program.amount_minor));
        expect(amount).not.toBe(program.amount_minor);
      }
    });
    expect(sterling).toBeGreaterThan(0);
  });

  it('refuses a unit it does not know, naming it', async () => {
    const answer = await (await served.as('nbc-signatory-1')).get('/documents.csv?units=grains');
    expect(answer.status).toBe(400);
    expect(errorOf(answer).message).toMatch(/units/);
  });
});
