// Refiners known by their list, through the command line as a process: a Good Delivery List of
// current and former refiners imported and kept current; bars of brands it does not vouch for
// refused naming the row, or flagged and journalled when the operator chooses.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Workspace, workspace } from './support/cli.ts';

const HEADER = 'brand_code,name,country,status,listed_on,removed_on';
const LIST = [
  HEADER,
  'XYZ,Example Refinery,Switzerland,current,1950-01-01,',
  'OLD,Old Refinery,United Kingdom,former,1934-01-01,1959-06-30',
].join('\n');
const BARS = 'serial,refiner,year,gross_oz,fineness,fine_oz';
const bar = (serial: string, brand: string, year: number) =>
  `${serial},${brand},${year},401.125,995.8,399.440`;

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
  ws.ingot('parties', 'add', 'GOSBANK', '--name', 'State Bank', '--role', 'depository');
  ws.ingot('accounts', 'open', 'VAULT', '--party', 'GOSBANK', '--kind', 'custody', '--unit', 'XAU');
});
afterEach(() => ws.dispose());

function file(name: string, lines: readonly string[]): string {
  writeFileSync(join(ws.dir, name), `${lines.join('\n')}\n`);
  return name;
}
const importing = (name: string, ...more: string[]) =>
  ws.ingot('bars', 'import', name, '--account', 'VAULT', '--date', '1961-01-02', '--no-progress', ...more);

interface Listed {
  brand_code: string;
  status: string;
  removed_on: string | null;
}

describe('refiners known by their list', () => {
  test('a list of current and former refiners is imported and listed; a faulty one names its rows', () => {
    const faulty = file('faulty.csv', [
      HEADER,
      'XYZ,Example,CH,current,1950-01-01,1960-01-01',
      'OLD,Old,UK,gone,,',
    ]);
    const refused = ws.ingot('refiners', 'import', faulty);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('row 2 (removed_on): a current refiner has no removal date');
    expect(refused.stderr).toContain('row 3 (status): status "gone" is not current or former');
    expect(ws.json<Listed[]>('refiners', 'list')).toEqual([]);
    writeFileSync(join(ws.dir, 'list.csv'), LIST);
    expect(ws.ingot('refiners', 'import', 'list.csv').stdout).toContain('1 current, 1 former');
    const listed = ws.json<Listed[]>('refiners', 'list');
    expect(listed.map((r) => [r.brand_code, r.status, r.removed_on])).toEqual([
      ['OLD', 'former', '1959-06-30'],
      ['XYZ', 'current', null],
    ]);
    expect(ws.ingot('refiners', 'import', 'list.csv').stdout).toContain('unchanged');
  });

  test('an unlisted brand is refused naming the row; flagged with --refiners flag and journalled', () => {
    writeFileSync(join(ws.dir, 'list.csv'), LIST);
    expect(ws.ingot('refiners', 'import', 'list.csv').code).toBe(0);
    const list = file('bars.csv', [BARS, bar('1', 'XYZ', 1960), bar('2', 'ABC', 1960)]);
    const before = ws.snapshot();
    const refused = importing(list);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'row 3 (refiner): brand ABC is not on the Good Delivery List of refiners',
    );
    expect(ws.snapshot()).toBe(before);
    const flagged = importing(list, '--refiners', 'flag', '--json');
    expect(flagged.code, flagged.stderr).toBe(0);
    expect(flagged.stderr).toContain('flagged: row 3: brand ABC is not on the Good Delivery List');
    const result = JSON.parse(flagged.stdout) as { bars: number; flagged: { row: number; brand: string }[] };
    expect(result.bars).toBe(2);
    expect(result.flagged.map((f) => [f.row, f.brand])).toEqual([[3, 'ABC']]);
    const db = new BetterSqlite3(ws.db, { readonly: true });
    const memo = db.prepare("select memo from entries where kind = 'bars_received'").pluck().get();
    db.close();
    expect(memo).toContain('1 bar(s) flagged');
    expect(memo).toContain('(ABC 1)');
    expect(ws.ingot('verify').code).toBe(0);
  });

  test('a bar of a former refiner from after its removal year is refused; from before, received', () => {
    writeFileSync(join(ws.dir, 'list.csv'), LIST);
    ws.ingot('refiners', 'import', 'list.csv');
    const late = importing(file('late.csv', [BARS, bar('7', 'OLD', 1960)]));
    expect(late.code).toBe(2);
    expect(late.stderr).toContain(
      "row 2 (refiner): brand OLD (Old Refinery) was removed from the Good Delivery List on 1959-06-30, before the bar's year 1960",
    );
    expect(importing(file('early.csv', [BARS, bar('8', 'OLD', 1959)])).code).toBe(0);
    const off = importing(file('off.csv', [BARS, bar('9', 'OLD', 1960)]), '--refiners', 'off');
    expect(off.code, off.stderr).toBe(0);
  });

  test('the list kept current: a second import keeps the refiner it leaves out as former', () => {
    writeFileSync(join(ws.dir, 'list.csv'), LIST);
    ws.ingot('refiners', 'import', 'list.csv');
    const next = file('next.csv', [HEADER, 'NEW,New Refinery,Japan,current,1960-05-01,']);
    const replaced = ws.ingot('refiners', 'import', next, '--date', '1961-03-01');
    expect(replaced.stdout).toContain('1 current, 2 former; now former: XYZ');
    const listed = ws.json<Listed[]>('refiners', 'list');
    expect(listed.map((r) => [r.brand_code, r.status, r.removed_on])).toEqual([
      ['NEW', 'current', null],
      ['OLD', 'former', '1959-06-30'],
      ['XYZ', 'former', '1961-03-01'],
    ]);
    const refused = importing(file('xyz.csv', [BARS, bar('1', 'XYZ', 1962), bar('2', 'NEW', 1961)]));
    expect(refused.stderr).toContain('row 2 (refiner): brand XYZ (Example Refinery) was removed');
    expect(refused.stderr).not.toContain('row 3');
    expect(importing(file('ok.csv', [BARS, bar('1', 'XYZ', 1961), bar('2', 'NEW', 1961)])).code).toBe(0);
  });

  test('--refiners refuse with no list imported is refused; a bad policy names the option', () => {
    const list = file('bars.csv', [BARS, bar('1', 'XYZ', 1960)]);
    expect(importing(list, '--refiners', 'refuse').stderr).toContain('none has been imported');
    expect(importing(list, '--refiners', 'maybe').stderr).toContain('invalid_input [--refiners]');
    expect(importing(list).code).toBe(0);
  });
});
