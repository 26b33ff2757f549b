// Bar-level reporting on the 1961 books, through the command line as a user runs it: the holdings
// at a date add up to the custody accounts' balances, and the events of January hold the sale of
// TRADE-1's bars from the State Bank's vault to the National Bank of Cuba.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EVENTS_FIELDS, HOLDINGS_FIELDS } from '../src/domain/bar-report.ts';
import { type Workspace, workspace } from './support/cli.ts';

let ws: Workspace;

beforeAll(() => {
  ws = workspace();
  const run = ws.ingot('scenario', '1961', '--fresh');
  expect(run.code, run.stderr).toBe(0);
}, 60_000);

afterAll(() => ws.dispose());

const CUSTODY_ACCOUNTS = ['GOSBANK-VAULT', 'NBC-GOLD', 'NBC-GOLD-TRANSIT'];

/** The custody accounts' closing balances at `date`, in milli-ounces, as the statements say. */
function custodyBalances(date: string): bigint {
  let total = 0n;
  for (const account of CUSTODY_ACCOUNTS) {
    const st = ws.json<{ closing: string }>('statement', account, '--date', date, '--no-bars');
    total += BigInt(st.closing);
  }
  return total;
}

/** A decimal string of ounces to 3 places, as milli-ounces, without floating point. */
function milli(text: string): bigint {
  expect(text).toMatch(/^\d+\.\d{3}$/);
  return BigInt(text.replace('.', ''));
}

describe('bar-level reporting', () => {
  test('the holdings at 1961-01-31 are the custody balances, bar for bar', () => {
    const run = ws.ingot('report', 'holdings', '--date', '1961-01-31', '--format', 'jsonl');
    expect(run.code, run.stderr).toBe(0);
    const bars = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
    expect(Object.keys(bars[0] ?? {})).toEqual([...HOLDINGS_FIELDS]);
    const fine = bars.reduce((sum, bar) => sum + milli(bar.fine_weight_oz ?? ''), 0n);
    expect(fine).toBe(custodyBalances('1961-01-31'));
    expect(bars).toHaveLength(2500);
    expect(new Set(bars.map((bar) => `${bar.brand} ${bar.serial_number}`)).size).toBe(bars.length);
    expect(new Set(bars.map((bar) => bar.metal))).toEqual(new Set(['XAU']));
    expect(new Set(bars.map((bar) => bar.custodian))).toEqual(new Set(['GOSBANK']));
    expect(new Set(bars.map((bar) => bar.owner))).toEqual(new Set(['GOSBANK', 'NBC']));
    expect(run.stderr).toContain(`2500 bars in custody at 1961-01-31`);
  });

  test('the holdings after the shipment leave out the bars released and delivered', () => {
    const out = join(ws.dir, 'holdings.csv');
    const run = ws.ingot('report', 'holdings', '--date', '1961-03-31', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    const [header, ...rows] = readFileSync(out, 'utf8').trim().split('\n');
    expect(header).toBe(HOLDINGS_FIELDS.join(','));
    const fine = rows.reduce((sum, row) => sum + milli(row.split(',')[7] ?? ''), 0n);
    expect(fine).toBe(custodyBalances('1961-03-31'));
    expect(rows.length).toBeLessThan(2500);
  });

  test('the events of January hold the receipt and the sale of TRADE-1’s bars', () => {
    const run = ws.ingot('report', 'events', '--from', '1961-01-01', '--to', '1961-01-31');
    expect(run.code, run.stderr).toBe(0);
    const [header, ...rows] = run.stdout.trim().split('\n');
    expect(header).toBe(EVENTS_FIELDS.join(','));
    const events = rows.map((row) => {
      const cells = row.split(',');
      return Object.fromEntries(EVENTS_FIELDS.map((field, i) => [field, cells[i] ?? '']));
    });
    const sold = events.filter((e) => e.event === 'ownership_change');
    expect(sold.length).toBeGreaterThan(0);
    for (const e of sold) {
      expect(e).toMatchObject({
        date: '1961-01-31',
        from_account: 'GOSBANK-VAULT',
        from_owner: 'GOSBANK',
        account: 'NBC-GOLD',
        owner: 'NBC',
        reference: 'TRADE-1',
        ingot_event: 'owner_changed',
      });
    }
    // TRADE-1's bars are the ones NBC's account held at the end of January.
    const nbc = ws.json<{ closing: string }>('statement', 'NBC-GOLD', '--date', '1961-01-31', '--no-bars');
    expect(sold.reduce((sum, e) => sum + milli(e.fine_weight_oz ?? ''), 0n)).toBe(BigInt(nbc.closing));
    expect(events.filter((e) => e.event === 'stock_in')).toHaveLength(2500);
    const entries = events.map((e) => BigInt(e.entry_id ?? '0'));
    expect(entries).toEqual([...entries].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  test('the events of the shipment: released, dispatched, delivered, as GBI names them', () => {
    const run = ws.ingot(
      'report',
      'events',
      '--from',
      '1961-02-01',
      '--to',
      '1961-03-31',
      '--format',
      'jsonl',
    );
    expect(run.code, run.stderr).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
    const kinds = new Set(events.map((e) => `${e.ingot_event}:${e.event}`));
    expect(kinds).toEqual(
      new Set(['released_to_representative:stock_out', 'dispatched:transit_out', 'delivered:stock_out']),
    );
  });

  test('an unknown format is refused as bad input', () => {
    const run = ws.ingot('report', 'holdings', '--date', '1961-01-31', '--format', 'xml');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invalid_input [format]');
  });
});
