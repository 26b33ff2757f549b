// One contract, every store: the same operations give the same books on SQLite and PostgreSQL,
// and concurrent requests can neither overdraw an account nor allocate a bar twice.
import { type Kysely, sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { runScenario1961 } from '../src/scenario/1961.ts';
import { generateStock } from '../src/scenario/stock.ts';
import { CHAIN_RULE, verifyStore } from '../src/service/journal/verify.ts';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { listAccounts } from '../src/service/parties/parties.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { acceptOffer, allocateTrade } from '../src/service/trading/trades.ts';
import { BAR_IMPORT_CHUNK_ROWS, importBars } from '../src/service/vault/bars.ts';
import { moveCash } from '../src/service/vault/cash.ts';
import { reconcile } from '../src/service/vault/reconcile.ts';
import { statement, statementBars } from '../src/service/vault/statement.ts';
import type { Database } from '../src/store/schema.ts';
import { linesFrom, linesOf } from './support/books.ts';
import { acceptAndAllocate, ok, world } from './support/desk.ts';
import { STORE_KINDS, type StoreKind } from './support/stores.ts';

async function withBooks(kind: StoreKind, work: (ingot: Ingot) => Promise<void>): Promise<void> {
  const store = await kind.open();
  try {
    await work(ingotOver(store, 'contract'));
    expect((await verifyStore(ingotOver(store))).breaches).toEqual([]);
  } finally {
    await store.close();
  }
}

describe.each(STORE_KINDS)('store contract on $name', (kind) => {
  if (kind.unavailable) {
    test.skip(`skipped: ${kind.unavailable}`, () => undefined);
    return;
  }

  test('the 1961 scenario gives the same books', async () => {
    await withBooks(kind, async (ingot) => {
      const lines: string[] = [];
      expect((await runScenario1961(ingot, (line) => lines.push(line))).verified).toBe(true);
      const balances = Object.fromEntries((await listAccounts(ingot)).map((a) => [a.id, a.balance]));
      // After the sale: 1,600 oz released to two representatives, 2 t shipped to Havana with £3,700 of
      // transport and insurance charged to NBC. Every ounce and penny is where it should be.
      expect(balances).toEqual({
        'EXTERNAL-GBP': -36_000_000_000n,
        'EXTERNAL-XAU': -1_003_179_288n + 65_901_458n,
        'GOSBANK-FEES': 3_700n * 4800n,
        'GOSBANK-GBP': 34_285_714_270n,
        'GOSBANK-VAULT': 440_749_592n,
        'NBC-GBP': 1_714_285_730n - 3_700n * 4800n,
        'NBC-GOLD': 562_429_696n - 65_901_458n,
        'NBC-GOLD-TRANSIT': 0n,
      });
      const result = ok(
        await statement(ingot, { account_id: 'NBC-GOLD', from: '1961-01-01', to: '1961-01-31' }),
      );
      expect(result.statement.closing).toBe(562_429_696n);
      let bars = 0;
      for await (const _bar of statementBars(ingot, result.statement)) bars += 1;
      expect(bars).toBe(1401);
    });
  });

  test('a bar list longer than a chunk with duplicates is refused whole, each named by its row', async () => {
    await withBooks(kind, async (ingot) => {
      await world(ingot, 10, 4800n);
      const lines: string[] = [];
      for await (const line of generateStock(BAR_IMPORT_CHUNK_ROWS + 2000, 8, 500_000)) lines.push(line);
      const [vaultBar = ''] = (await linesOf(generateStock(1, 7))).slice(1);
      // Rows are 1-based with the header as row 1: data line i is row i + 1.
      const row = (n: number) => lines[n - 1] ?? '';
      const copies: [number, string][] = [
        [6, row(3)], // the same chunk
        [BAR_IMPORT_CHUNK_ROWS + 5, row(4)], // the next chunk
        [BAR_IMPORT_CHUNK_ROWS + 500, vaultBar], // a bar the vault holds
      ];
      for (const [at, text] of copies) lines[at - 1] = text;
      const before = await ingot.store.db.selectFrom('bars').select('id').execute();
      const rules = { minimum_fineness: 9950n, good_delivery: true };
      const request = { account_id: 'DEP-VAULT', rules, date: '1961-01-05', key: 'more', source: 'more.csv' };
      const outcome = await importBars(ingot, { ...request, lines: linesFrom(lines) });
      const mark = (text: string) => text.split(',').slice(0, 2).reverse().join(' ');
      expect(outcome.ok ? [] : 'problems' in outcome ? outcome.problems : outcome.code).toEqual([
        {
          row: 6,
          column: 'serial',
          reason: `duplicate bar: ${mark(row(3))} appears twice in this bar list (first at row 3)`,
        },
        {
          row: BAR_IMPORT_CHUNK_ROWS + 5,
          column: 'serial',
          reason: `duplicate bar: ${mark(row(4))} appears twice in this bar list (first at row 4)`,
        },
        {
          row: BAR_IMPORT_CHUNK_ROWS + 500,
          column: 'serial',
          reason: `duplicate bar: ${mark(vaultBar)} is already in the vault (bar id 1)`,
        },
      ]);
      expect(await ingot.store.db.selectFrom('bars').select('id').execute()).toEqual(before);
    });
  });

  test('the journal is sealed: a posting updated behind Ingot’s back is named by its entry', async () => {
    const store = await kind.open();
    try {
      const ingot = ingotOver(store, 'contract');
      await runScenario1961(ingot, () => undefined);
      expect((await verifyStore(ingot)).breaches).toEqual([]);
      const unsealed = await store.db.selectFrom('entries').select('id').where('hash', 'is', null).execute();
      expect(unsealed).toEqual([]);
      const settlement = await store.db
        .selectFrom('entries')
        .select('id')
        .where('kind', '=', 'settlement')
        .executeTakeFirstOrThrow();
      const id = settlement.id;
      const edit = sql`update postings set amount = amount + 1 where entry_id = ${id} and line = 1`;
      await edit.execute(store.db);
      const { breaches } = await verifyStore(ingot);
      expect(breaches[0]).toEqual({
        rule: CHAIN_RULE,
        detail: `entry ${settlement.id} was altered: its hash does not match its content`,
      });
    } finally {
      await store.close();
    }
  });

  test('concurrent settlements never overdraw the client', async () => {
    // Five trades of about 400 oz (about £5,080 each at 254s) against funds for three of them.
    await withBooks(kind, async (ingot) => {
      await world(ingot, 40, 16_000n * 4800n);
      const trades: string[] = [];
      for (let index = 0; index < 5; index += 1)
        trades.push(await acceptAndAllocate(ingot, 430_000n, `a${index}`));
      const outcomes = await Promise.all(
        trades.map((trade_id) => settleTrade(ingot, { trade_id, date: '1961-01-31', key: `s-${trade_id}` })),
      );
      const settled = outcomes.filter((o) => o.ok).length;
      const refused = outcomes.filter((o) => !o.ok && o.code === 'insufficient_funds').length;
      expect([settled, refused]).toEqual([3, 2]);
      const cash = (await listAccounts(ingot, 'CLI')).find((a) => a.id === 'CLI-GBP');
      expect(cash?.balance).toBeGreaterThanOrEqual(0n);
    });
  });

  test('two trades racing for the same bars cannot both have them', async () => {
    // The vault holds about 4,000 oz; two trades ask 3,000 oz each at the same moment.
    await withBooks(kind, async (ingot) => {
      await world(ingot, 10, 4800n);
      const asked = { kind: 'quantity' as const, fine_milli_oz: 3_000_000n };
      const ids: string[] = [];
      for (const key of ['r1', 'r2']) {
        const request = { offer_id: 'OFFER-1', by_party_id: 'CLI', date: '1961-01-17', asked, key };
        ids.push(ok(await acceptOffer(ingot, request)).trade_id);
      }
      const outcomes = await Promise.all(ids.map((trade_id) => allocateTrade(ingot, { trade_id })));
      expect(outcomes.map((o) => (o.ok ? 'ok' : o.code)).sort()).toEqual(['insufficient_stock', 'ok']);
      const reserved = await ingot.store.db
        .selectFrom('trade_bars')
        .select((eb) => [
          eb.fn.countAll<bigint>().as('all'),
          eb.fn.count<bigint>('bar_id').distinct().as('unique'),
        ])
        .executeTakeFirstOrThrow();
      expect(BigInt(reserved.all)).toBe(BigInt(reserved.unique));
    });
  });

  test('the same idempotency key from two clients at once settles once', async () => {
    await withBooks(kind, async (ingot) => {
      await world(ingot, 5, 10_000n * 4800n);
      const trade_id = await acceptAndAllocate(ingot, 430_000n, 'once');
      const request = { trade_id, date: '1961-01-31', key: 'the-key' };
      const outcomes = await Promise.all([settleTrade(ingot, request), settleTrade(ingot, request)]);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(outcomes.map((o) => o.ok && o.replayed).sort()).toEqual([false, true]);
      const entries = await ingot.store.db
        .selectFrom('entries')
        .select('id')
        .where('kind', '=', 'settlement')
        .execute();
      expect(entries).toHaveLength(1);
    });
  });

  test('settlements that share a batch each settle or are refused as if alone', async () => {
    // Funds for one trade of about 430 oz (about £5,460 at 254s), not two.
    await withBooks(kind, async (ingot) => {
      await world(ingot, 20, 6_000n * 4800n);
      const first = await acceptAndAllocate(ingot, 430_000n, 'b1');
      const second = await acceptAndAllocate(ingot, 430_000n, 'b2');
      const date = '1961-01-31';
      // Submitted in one turn of the event loop, so one batch holds them all.
      const outcomes = await Promise.all([
        settleTrade(ingot, { trade_id: first, date, key: 'k-first' }),
        settleTrade(ingot, { trade_id: first, date, key: 'k-first-again' }),
        settleTrade(ingot, { trade_id: first, date, key: 'k-first' }),
        settleTrade(ingot, { trade_id: second, date, key: 'k-first' }),
        settleTrade(ingot, { trade_id: second, date, key: 'k-second' }),
        settleTrade(ingot, { trade_id: 'TRADE-404', date, key: 'k-missing' }),
      ]);
      expect(outcomes.map((o) => (o.ok ? (o.replayed ? 'replayed' : 'settled') : o.code))).toEqual([
        'settled',
        'trade_already_settled',
        'replayed',
        'idempotency_key_reused',
        'insufficient_funds',
        'trade_not_found',
      ]);
      const trades = await ingot.store.db
        .selectFrom('trades')
        .select(['id', 'state', 'pending_reason'])
        .orderBy('id')
        .execute();
      expect(trades.map((t) => [t.id, t.state, t.pending_reason?.split(':')[0] ?? null])).toEqual([
        [first, 'settled', null],
        [second, 'allocated', 'insufficient_funds'],
      ]);
      // Once funded, the waiting trade settles under its key, and a retry replays it.
      ok(
        await moveCash(ingot, 'deposit', {
          account_id: 'CLI-GBP',
          amount: { currency: 'GBP', minor: 6_000n * 4800n },
          date: '1961-01-20',
          key: 'fund-2',
        }),
      );
      const retried = await Promise.all([
        settleTrade(ingot, { trade_id: second, date, key: 'k-second' }),
        settleTrade(ingot, { trade_id: second, date, key: 'k-second' }),
      ]);
      expect(retried.map((o) => o.ok && o.replayed)).toEqual([false, true]);
      const entries = await ingot.store.db
        .selectFrom('entries')
        .select('id')
        .where('kind', '=', 'settlement')
        .execute();
      expect(entries).toHaveLength(2);
    });
  });

  test('a batch whose write changes other rows than decided commits nothing', async () => {
    await withBooks(kind, async (ingot) => {
      await world(ingot, 3, 4800n);
      const before = await ingot.store.db
        .selectFrom('accounts')
        .select(['id', 'balance'])
        .orderBy('id')
        .execute();
      const step = {
        reads: () => [],
        decide: (_rows: readonly (readonly unknown[])[], db: Kysely<Database>) => ({
          value: null,
          writes: [
            {
              query: db.updateTable('accounts').set({ balance: 1n }).where('id', '=', 'CLI-GBP').compile(),
              rows: 1n,
              what: 'one balance',
            },
            {
              query: db
                .updateTable('accounts')
                .set({ balance: 2n })
                .where('id', 'in', ['DEP-GBP', 'NOPE'])
                .compile(),
              rows: 2n,
              what: 'two balances, one of them missing',
            },
          ],
        }),
      };
      await expect(ingot.store.readThenWrite(step)).rejects.toThrow(/rows/);
      const after = await ingot.store.db
        .selectFrom('accounts')
        .select(['id', 'balance'])
        .orderBy('id')
        .execute();
      expect(after).toEqual(before);
    });
  });

  test('values written in as SQL come back exactly as they went in', async () => {
    await withBooks(kind, async (ingot) => {
      const names = [
        "O'Brien & Sons",
        "back\\slash \\' quote",
        '$1 $2 $10 not placeholders',
        "--; drop table parties; '",
        'Банк 銀行 ☃',
        '',
      ];
      const step = {
        reads: (db: Kysely<Database>) => [db.selectFrom('parties').select('id').compile()],
        decide: (rows: readonly (readonly unknown[])[], db: Kysely<Database>) => ({
          value: rows[0]?.length,
          writes: [
            {
              query: db
                .insertInto('parties')
                .values(
                  names.map((name, index) => ({
                    id: `P${index}`,
                    name,
                    role: 'client',
                    created_at: '1961-01-01T00:00:00Z',
                  })),
                )
                .compile(),
              rows: BigInt(names.length),
              what: 'parties',
            },
          ],
        }),
      };
      expect(await ingot.store.readThenWrite(step)).toBe(0);
      const stored = await ingot.store.db
        .selectFrom('parties')
        .select(['id', 'name'])
        .orderBy('id')
        .execute();
      expect(stored.map((row) => row.name)).toEqual(names);
    });
  });

  test('reconciliation names the bars missing, unexpected and differing', async () => {
    await withBooks(kind, async (ingot) => {
      await world(ingot, 30, 4800n);
      async function* count(): AsyncGenerator<string> {
        let index = 0;
        for await (const line of generateStock(30, 7)) {
          index += 1;
          if (index === 3) continue; // the second bar is not in the vault
          // The fourth bar weighs 0.025 oz less than booked (fine weight recomputed to match).
          if (index === 5) {
            const fields = line.split(',');
            const gross = BigInt(fields[3]?.replace('.', '') ?? '0') - 25n;
            const fine = (gross * BigInt(fields[4]?.replace('.', '') ?? '0')) / 10_000n;
            const oz = (milli: bigint) => `${milli / 1000n}.${(milli % 1000n).toString().padStart(3, '0')}`;
            yield [fields[0], fields[1], fields[2], oz(gross), fields[4], oz(fine), ...fields.slice(6)].join(
              ',',
            );
            continue;
          }
          yield line;
        }
        yield 'X1,ABC,2020,400.000,999.9,399.960,,,';
      }
      const outcome = await reconcile(ingot, { lines: count() });
      if (!outcome.ok) throw new Error(outcome.message);
      const r = outcome.reconciliation;
      expect([r.counted, r.booked, r.matched]).toEqual([30n, 30n, 28n]);
      expect([r.missing.count, r.unexpected.count, r.differing.count]).toEqual([1n, 1n, 1n]);
      expect(r.unexpected.bars[0]?.serial).toBe('X1');
      expect(r.differing.bars[0]?.booked.gross_milli_oz).toBe(
        (r.differing.bars[0]?.counted.gross_milli_oz ?? 0n) + 25n,
      );
    });
  });
});
