// Serials and refiners are identifiers, ordered by code point on both stores, whatever collation
// the PostgreSQL database was created with. On a database whose default collation is ICU's en-US
// (where "a-1" sorts beside "A-2" and punctuation is nearly ignored), the books' bars are read in
// the order SQLite gives, so a count reconciles as a merge (it refused, naming the collation,
// before bars' refiner and serial were made C-collated) and a bar list comes out in that order.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyStore } from '../src/service/journal/verify.ts';
import { ingotOver } from '../src/service/kernel/context.ts';
import { addParty, openAccount } from '../src/service/parties/parties.ts';
import { importBars } from '../src/service/vault/bars.ts';
import { reconcile } from '../src/service/vault/reconcile.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import type { Store } from '../src/store/store.ts';
import { linesFrom } from './support/books.ts';
import { ok } from './support/desk.ts';
import { POSTGRES_URL, STORE_KINDS, withPostgres } from './support/stores.ts';

const unavailable = STORE_KINDS.find((kind) => kind.name === 'postgres')?.unavailable ?? null;
const database = `ingot_icu_${process.pid}_${randomBytes(3).toString('hex')}`;

/** Serials whose order by code point differs from en-US's, under two refiners. */
const SERIALS = ['a-1', 'A-2', 'b_3', 'B4', '-5', '_6', 'Z7', 'z8', '10', '9'];
const HEADER = 'serial,refiner,year,gross_oz,fineness,fine_oz';
const LINES = ['ABC', 'AB-C'].flatMap((refiner) =>
  SERIALS.map((serial) => `${serial},${refiner},1960,400.000,999.9,399.960`),
);

describe.skipIf(unavailable)('PostgreSQL created with an ICU en-US collation', () => {
  let store: Store;

  beforeAll(async () => {
    await withPostgres((client) =>
      client.query(
        `create database ${database} template template0 locale_provider icu icu_locale 'en-US' locale 'C.UTF-8'`,
      ),
    );
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${database}`;
    store = await openPostgresStore(url.toString(), { connections: 2 });
  });
  afterAll(async () => {
    await store?.close();
    await withPostgres((client) => client.query(`drop database if exists ${database} with (force)`));
  });

  test('orders bars by code point: a count reconciles, and the bars list in that order', async () => {
    const collation = await withPostgres(async (client) => {
      const answer = await client.query<{ locale: string }>(
        'select daticulocale as locale from pg_database where datname = $1',
        [database],
      );
      return answer.rows[0]?.locale;
    });
    expect(collation).toBe('en-US');
    const ingot = ingotOver(store, 'counter');
    ok(await addParty(ingot, { id: 'DEP', name: 'Depository', role: 'depository' }));
    ok(await openAccount(ingot, { id: 'DEP-VAULT', party_id: 'DEP', kind: 'custody', unit: 'XAU' }));
    const rules = { minimum_fineness: 9950n, good_delivery: true };
    ok(
      await importBars(ingot, {
        account_id: 'DEP-VAULT',
        lines: linesFrom([HEADER, ...LINES]),
        rules,
        date: '1961-01-02',
        key: 'stock',
        source: 'stock.csv',
      }),
    );
    // The count leaves one bar out, in an order of its own.
    const counted = [
      HEADER,
      ...LINES.filter((line) => line !== 'b_3,ABC,1960,400.000,999.9,399.960').reverse(),
    ];
    const done = await reconcile(ingot, { lines: linesFrom(counted), run_bars: 4 });
    if (!done.ok) throw new Error(done.message);
    const r = done.reconciliation;
    expect([r.counted, r.booked, r.matched]).toEqual([19n, 20n, 19n]);
    expect(r.missing.bars.map((bar) => `${bar.refiner} ${bar.serial}`)).toEqual(['ABC b_3']);

    const listed = await store.db
      .selectFrom('bars')
      .select(['refiner', 'serial'])
      .orderBy('refiner')
      .orderBy('serial')
      .execute();
    const byCodePoint = LINES.map((line) => line.split(',').slice(0, 2).reverse().join(' ')).sort();
    expect(listed.map((bar) => `${bar.refiner} ${bar.serial}`)).toEqual(byCodePoint);
    expect((await verifyStore(ingot)).breaches).toEqual([]);
  });
});
