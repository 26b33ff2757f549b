// Paging a bar list, the same on every store: a serial number's start finds exactly the bars whose
// serial begins with it (letters in either case and beyond ASCII included, ordered by code point),
// a sort by fineness or serial pages through every bar once, and another owner's bars never show.
// On SQLite, whose plans do not hang on statistics, each such page is one range of an index.
import { describe, expect, test } from 'vitest';
import { formatBarListHeader, formatBarRow } from '../src/domain/barlist.ts';
import { fineWeight } from '../src/domain/weight.ts';
import { generateStock } from '../src/scenario/stock.ts';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { addParty, openAccount } from '../src/service/parties/parties.ts';
import { type BarQuery, barPage, pagePlan } from '../src/service/vault/bar-pages.ts';
import { importBars } from '../src/service/vault/bars.ts';
import type { BarRow } from '../src/store/schema.ts';
import { ok } from './support/desk.ts';
import { STORE_KINDS } from './support/stores.ts';

/** Serials that test the edges of a prefix: case, a longer and a shorter one, beyond ASCII. */
const ODD_SERIALS = [
  'AB100',
  'ab100',
  'AB1000',
  'AB2',
  'AB',
  'A\u00ff1',
  '\u00c41',
  'A',
  'AB\u{1f947}',
  '1001a',
];

async function* oddBars(): AsyncGenerator<string> {
  yield formatBarListHeader(true);
  for (const [index, serial] of ODD_SERIALS.entries()) {
    const fineness = 9950n + BigInt(index * 5);
    yield formatBarRow(
      {
        serial,
        refiner: 'XYZ',
        year: 1960,
        gross_milli_oz: 400_000n,
        fineness,
        fine_milli_oz: fineWeight(400_000n, fineness),
        vault: null,
        location: null,
        bar_id: null,
      },
      true,
    );
  }
}

async function books(ingot: Ingot): Promise<void> {
  ok(await addParty(ingot, { id: 'DEP', name: 'Depository', role: 'depository' }));
  ok(await addParty(ingot, { id: 'CLI', name: 'Client', role: 'client' }));
  ok(await openAccount(ingot, { id: 'VAULT', party_id: 'DEP', kind: 'custody', unit: 'XAU' }));
  ok(await openAccount(ingot, { id: 'OTHER', party_id: 'CLI', kind: 'custody', unit: 'XAU' }));
  const rules = { minimum_fineness: 9950n, good_delivery: true };
  const common = { rules, date: '1961-01-02' };
  ok(
    await importBars(ingot, {
      ...common,
      account_id: 'VAULT',
      lines: generateStock(300),
      key: 's',
      source: 's',
    }),
  );
  ok(await importBars(ingot, { ...common, account_id: 'VAULT', lines: oddBars(), key: 'o', source: 'o' }));
  // Another owner with serials sharing the prefixes searched.
  const other = generateStock(40, 5, 100_000);
  ok(
    await importBars(ingot, { ...common, account_id: 'OTHER', lines: renamed(other), key: 'x', source: 'x' }),
  );
}

/** The same bars under another refiner's mark, so their serials may repeat the vault's. */
async function* renamed(lines: AsyncIterable<string>): AsyncGenerator<string> {
  for await (const line of lines) yield line.replace(/,(MSK|NSK|KRS|SVR|PRK),/, ',QQQ,');
}

async function allPages(ingot: Ingot, query: Omit<BarQuery, 'limit'>): Promise<BarRow[]> {
  const rows: BarRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await barPage(ingot, { ...query, limit: 7, ...(cursor ? { cursor } : {}) });
    rows.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return rows;
}

/** Code point order, as both stores compare serials. */
function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

describe.each(STORE_KINDS)('bar list pages on $name', (kind) => {
  if (kind.unavailable) {
    test.skip(`skipped: ${kind.unavailable}`, () => undefined);
    return;
  }

  test('a serial number’s start finds exactly its bars, in any order asked, page after page', async () => {
    const store = await kind.open();
    try {
      const ingot = ingotOver(store, 'contract');
      await books(ingot);
      const every = await allPages(ingot, { account_id: 'VAULT', sort: 'custody', descending: false });
      expect(every).toHaveLength(300 + ODD_SERIALS.length);
      for (const prefix of [
        'AB1',
        'AB',
        'ab',
        'A',
        'A\u00ff',
        '\u00c4',
        'AB\u{1f947}',
        '1001',
        '10010',
        '2',
      ]) {
        const expected = every.filter((b) => b.serial.startsWith(prefix)).map((b) => b.serial);
        for (const [sort, descending] of [
          ['custody', false],
          ['serial', false],
          ['serial', true],
          ['fineness', true],
        ] as const) {
          const found = await allPages(ingot, { account_id: 'VAULT', search: prefix, sort, descending });
          const serials = found.map((b) => b.serial);
          expect([...serials].sort(byCodePoint), `${prefix} by ${sort}`).toEqual(
            [...expected].sort(byCodePoint),
          );
          if (sort === 'serial') {
            const ordered = [...serials].sort(byCodePoint);
            expect(serials).toEqual(descending ? ordered.reverse() : ordered);
          }
        }
        const first = await barPage(ingot, {
          account_id: 'VAULT',
          search: prefix,
          sort: 'fineness',
          descending: false,
          limit: 3,
        });
        expect(first.total, prefix).toBe(expected.length);
      }
      // A refiner's mark is searched too, in any case; a mark nobody bears finds nothing.
      const msk = await allPages(ingot, {
        account_id: 'VAULT',
        search: 'msk',
        sort: 'fineness',
        descending: false,
      });
      expect(msk).toHaveLength(60);
      expect(
        (await allPages(ingot, { account_id: 'VAULT', search: 'QQQ', sort: 'custody', descending: false }))
          .length,
      ).toBe(0);
    } finally {
      await store.close();
    }
  });

  test('sorted by fineness, each bar comes once, in order, ties by custody order', async () => {
    const store = await kind.open();
    try {
      const ingot = ingotOver(store, 'contract');
      await books(ingot);
      for (const descending of [false, true]) {
        const rows = await allPages(ingot, {
          account_id: 'VAULT',
          sort: 'fineness',
          descending,
          min_fineness: 9970n,
        });
        const key = (b: BarRow) => [b.fineness, b.id] as const;
        const sorted = [...rows].sort((a, b) => {
          const [x, y] = [key(a), key(b)];
          const order = x[0] === y[0] ? (x[1] < y[1] ? -1 : 1) : x[0] < y[0] ? -1 : 1;
          return descending ? -order : order;
        });
        expect(rows.map((b) => b.id)).toEqual(sorted.map((b) => b.id));
        expect(new Set(rows.map((b) => b.id)).size).toBe(rows.length);
        expect(rows.every((b) => b.fineness >= 9970n && b.owner_account_id === 'VAULT')).toBe(true);
      }
    } finally {
      await store.close();
    }
  });

  test.skipIf(kind.name !== 'sqlite')(
    'reads each page of a search or a fineness sort as one index range',
    async () => {
      const store = await kind.open();
      try {
        const ingot = ingotOver(store, 'contract');
        await books(ingot);
        const cursor = (
          await barPage(ingot, { account_id: 'VAULT', sort: 'fineness', descending: false, limit: 5 })
        ).next_cursor;
        for (const [query, index] of [
          [{ sort: 'fineness', descending: false }, 'bars_by_owner_fineness'],
          [{ sort: 'fineness', descending: true, cursor: cursor ?? undefined }, 'bars_by_owner_fineness'],
          [{ sort: 'fineness', descending: false, min_fineness: 9990n }, 'bars_by_owner_fineness'],
          [{ sort: 'serial', descending: false, search: 'AB1' }, 'bars_by_owner_serial'],
        ] as const) {
          const plan = (await pagePlan(ingot, { account_id: 'VAULT', limit: 200, ...query })).join('\n');
          expect(plan).toContain(`USING INDEX ${index} (owner_account_id=?`);
          expect(plan).not.toContain('TEMP B-TREE');
          expect(plan).not.toMatch(/SCAN bars/);
        }
      } finally {
        await store.close();
      }
    },
  );
});
