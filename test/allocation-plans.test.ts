// Allocation reads the free stock through three queries; each must walk one index range of the
// seller's bars, whatever other indexes the bars gain (an index on fineness once made SQLite sort a
// million-bar vault for the lightest bar: 1.3 s per allocation instead of 60 ms). Checked on
// SQLite, whose planner chooses without statistics; the benchmark shows PostgreSQL's at scale.
import type { Compilable } from 'kysely';
import { describe, expect, test } from 'vitest';
import { ingotOver } from '../src/service/kernel/context.ts';
import { barPoolQueries } from '../src/service/trading/queries-trades.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/store.ts';
import { world } from './support/desk.ts';

async function plan(store: Store, query: Compilable): Promise<string> {
  const compiled = query.compile();
  const result = await store.db.executeQuery<{ detail: string }>({
    ...compiled,
    sql: `explain query plan ${compiled.sql}`,
  });
  return result.rows.map((row) => row.detail).join('\n');
}

describe('allocation’s queries on SQLite', () => {
  test('each reads one range of an index on the seller’s free bars, never sorting the stock', async () => {
    const store = await openSqliteStore(':memory:');
    try {
      await world(ingotOver(store, 'plans'), 50, 4800n);
      const queries = barPoolQueries(store.db, 'DEP-VAULT', 9950n);
      const after = { id: 10n, fine_milli_oz: 400_000n };
      for (const [query, index] of [
        [queries.inOrder(0n, 500), 'bars_in_custody_order'],
        [queries.heaviestBetween(350_000n, 430_000n, 20), 'bars_for_allocation'],
        [queries.heaviestBetween(350_000n, 430_000n, 20, after), 'bars_for_allocation'],
        [queries.lightest(), 'bars_for_allocation'],
      ] as const) {
        const steps = await plan(store, query);
        expect(steps).toContain(`USING INDEX ${index} (owner_account_id=? AND state=?`);
        expect(steps).not.toContain('USE TEMP B-TREE FOR ORDER BY');
        expect(steps).not.toMatch(/SCAN bars/);
      }
    } finally {
      await store.close();
    }
  });
});
