// A large bar import through the command line as a process, on both stores: PostgreSQL takes it by
// COPY (a chunk at a time, each in a savepoint), SQLite by one prepared insert per bar. The books
// verify after it and every ounce is where it should be; a bad row deep in the list or a bar the
// vault holds is refused by its row with nothing imported; and a refusal leaves the connection fit
// for the next import.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateStock } from '../src/scenario/stock.ts';
import { verifyStore } from '../src/service/journal/verify.ts';
import { ingotOver } from '../src/service/kernel/context.ts';
import { BAR_IMPORT_CHUNK_ROWS, importBars } from '../src/service/vault/bars.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/store.ts';
import { linesFrom, linesOf, unitSums } from './support/books.ts';
import { ingotProcess, type Run } from './support/cli.ts';
import { dropSchema, POSTGRES_URL, postgresLocation, STORE_KINDS } from './support/stores.ts';

/** Room for a command that imports tens of thousands of bars on a busy machine (not a measure). */
const SLOW_TEST_MS = 300_000;

/** Bars in the large list: more than two chunks, so COPY and the writes of chunks both repeat. */
const LARGE_BARS = BAR_IMPORT_CHUNK_ROWS * 2 + 5000;

/** The fine weight of a list's bars, in milli-oz, read from its CSV (fine_oz is its sixth column). */
function fineOf(lines: readonly string[]): bigint {
  let fine = 0n;
  for (const line of lines.slice(1)) fine += BigInt((line.split(',')[5] ?? '').replace('.', ''));
  return fine;
}

/** Every table an import writes, as text: what a refused import must leave as it was. */
async function books(store: Store): Promise<string> {
  const parts: string[] = [];
  for (const table of ['accounts', 'bars', 'entries', 'postings', 'idempotency'] as const) {
    const rows = await store.db.selectFrom(table).selectAll().execute();
    const text = rows.map((row) =>
      JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
    );
    parts.push(`${table}: ${text.sort().join('\n')}`);
  }
  return parts.join('\n');
}

describe.each(STORE_KINDS)('a large bar import on $name', (kind) => {
  if (kind.unavailable) {
    test.skip(`skipped: ${kind.unavailable}`, () => undefined);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ingot-bulk-'));
  const schema = `ingot_test_bulk_${process.pid}_${randomBytes(4).toString('hex')}`;
  const location = kind.name === 'postgres' ? postgresLocation(schema) : join(dir, 'books.db');
  let store: Store;
  const ingot = (...args: string[]): Promise<Run> => ingotProcess(['--db', location, ...args]);
  const importing = (file: string) =>
    ingot('bars', 'import', join(dir, file), '--account', 'VAULT', '--date', '1961-01-02', '--no-progress');

  beforeAll(async () => {
    store =
      kind.name === 'postgres'
        ? await openPostgresStore(POSTGRES_URL, { schema, connections: 2 })
        : await openSqliteStore(location);
    for (const args of [
      ['parties', 'add', 'GOSBANK', '--name', 'State Bank', '--role', 'depository'],
      ['accounts', 'open', 'VAULT', '--party', 'GOSBANK', '--kind', 'custody', '--unit', 'XAU'],
    ]) {
      const run = await ingot(...args);
      expect(run.stderr).toBe('');
    }
  }, SLOW_TEST_MS);
  afterAll(async () => {
    await store.close();
    if (kind.name === 'postgres') await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  });

  test(
    'the books verify after it, and the vault holds every bar and ounce of the list',
    async () => {
      const lines = await linesOf(generateStock(LARGE_BARS, 11, 200_000));
      writeFileSync(join(dir, 'large.csv'), `${lines.join('\n')}\n`);
      const run = await importing('large.csv');
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const bars = await store.db
        .selectFrom('bars')
        .select(({ fn }) => fn.countAll<bigint>().as('n'))
        .execute();
      expect(Number(bars[0]?.n)).toBe(LARGE_BARS);
      const vault = await store.db
        .selectFrom('accounts')
        .select('balance')
        .where('id', '=', 'VAULT')
        .execute();
      expect(vault).toEqual([{ balance: fineOf(lines) }]);
      expect(await unitSums(store)).toEqual({ XAU: 0n });
      expect((await ingot('verify')).code).toBe(0);
      expect((await verifyStore(ingotOver(store))).breaches).toEqual([]);
    },
    SLOW_TEST_MS,
  );

  test(
    'a bad row deep in the list and a bar the vault holds are named; nothing is imported',
    async () => {
      const lines = await linesOf(generateStock(LARGE_BARS, 12, 700_000));
      const [, held = ''] = await linesOf(generateStock(1, 11, 200_000));
      const badRow = BAR_IMPORT_CHUNK_ROWS + 1234;
      const heldRow = BAR_IMPORT_CHUNK_ROWS * 2 + 77;
      // Rows are 1-based with the header as row 1.
      lines[badRow - 1] = (lines[badRow - 1] ?? '').replace(/,99\d\.\d,/, ',990.0,');
      lines[heldRow - 1] = held;
      writeFileSync(join(dir, 'bad.csv'), `${lines.join('\n')}\n`);
      const before = await books(store);
      const run = await importing('bad.csv');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`row ${badRow} (fineness): fineness 990.0‰ is below`);
      const serial = held.split(',')[0] ?? '';
      expect(run.stderr).toContain(
        `row ${heldRow} (serial): duplicate bar: MSK ${serial} is already in the vault`,
      );
      expect(await books(store)).toBe(before);
      expect((await ingot('verify')).code).toBe(0);
    },
    SLOW_TEST_MS,
  );

  test(
    'only a bar the vault holds: refused by its row after every row was written, nothing kept',
    async () => {
      const lines = await linesOf(generateStock(BAR_IMPORT_CHUNK_ROWS + 10, 13, 900_000));
      const [, held = ''] = await linesOf(generateStock(1, 11, 200_000));
      lines.push(held);
      writeFileSync(join(dir, 'held.csv'), `${lines.join('\n')}\n`);
      const before = await books(store);
      const run = await importing('held.csv');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`row ${lines.length} (serial): duplicate bar: MSK`);
      expect(await books(store)).toBe(before);
    },
    SLOW_TEST_MS,
  );

  test('after a refusal the same store imports the next list; a serial with a backslash is kept exactly', async () => {
    const within = ingotOver(store, 'bulk');
    const request = { account_id: 'VAULT', rules: { minimum_fineness: 9950n, good_delivery: true } };
    const header = 'serial,refiner,year,gross_oz,fineness,fine_oz';
    const twice = [header, 'C1,XYZ,1960,401.125,995.8,399.440', 'C1,XYZ,1960,401.125,995.8,399.440'];
    const refused = await importBars(within, {
      ...request,
      lines: linesFrom(twice),
      date: '1961-01-03',
      key: 'twice',
      source: 'twice.csv',
    });
    expect(refused.ok ? [] : 'problems' in refused ? refused.problems : refused.code).toEqual([
      {
        row: 3,
        column: 'serial',
        reason: 'duplicate bar: XYZ C1 appears twice in this bar list (first at row 2)',
      },
    ]);
    const odd = [header, 'A\\1\\N,XYZ,1960,401.125,995.8,399.440'];
    const imported = await importBars(within, {
      ...request,
      lines: linesFrom(odd),
      date: '1961-01-03',
      key: 'odd',
      source: 'odd.csv',
    });
    expect(imported.ok).toBe(true);
    const kept = await store.db.selectFrom('bars').select('serial').where('refiner', '=', 'XYZ').execute();
    expect(kept).toEqual([{ serial: 'A\\1\\N' }]);
    expect((await verifyStore(within)).breaches).toEqual([]);
    expect(await unitSums(store)).toEqual({ XAU: 0n });
  });
});
