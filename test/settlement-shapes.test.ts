// Settlement batches of every size write through queries compiled once per shape and reused
// (src/store/shaped.ts): batches of different sizes, one after another and mixed with a replay and
// a refusal, settle each trade exactly once and leave books that verify, on every store.
import { describe, expect, test } from 'vitest';
import { verifyStore } from '../src/service/journal/verify.ts';
import { ingotOver } from '../src/service/kernel/context.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { unitSums } from './support/books.ts';
import { allocatedTrades } from './support/desk.ts';
import { STORE_KINDS } from './support/stores.ts';

/** Batches settled one after another: each wave's requests arrive together and share a batch. */
const WAVES = [1, 3, 1, 5, 2, 3];

describe.each(STORE_KINDS)('settlement batches of every shape on $name', (kind) => {
  if (kind.unavailable) {
    test.skip(`skipped: ${kind.unavailable}`, () => undefined);
    return;
  }

  test('batches of 1 to 5, a replay and an unknown trade: each settles once, the books verify', async () => {
    const store = await kind.open();
    try {
      const ingot = ingotOver(store, 'shapes');
      const trades = await allocatedTrades(
        ingot,
        WAVES.reduce((sum, size) => sum + size, 0),
      );
      const request = (trade_id: string) => ({ trade_id, date: '1961-01-31', key: `settle-${trade_id}` });
      let next = 0;
      for (const [wave, size] of WAVES.entries()) {
        const ids = trades.slice(next, next + size);
        next += size;
        // After the first wave, the first trade's key again (a replay) and a trade that is not there.
        const extra = wave === 0 ? [] : [request(trades[0] ?? ''), request('TRADE-NONE')];
        const outcomes = await Promise.all([...ids.map(request), ...extra].map((r) => settleTrade(ingot, r)));
        const codes = outcomes.map((o) => (o.ok ? (o.replayed ? 'replayed' : 'settled') : o.code));
        expect(codes).toEqual([
          ...ids.map(() => 'settled'),
          ...(wave === 0 ? [] : ['replayed', 'trade_not_found']),
        ]);
      }
      const rows = await store.db
        .selectFrom('trades')
        .select(['id', 'state', 'settlement_entry_id'])
        .where('id', 'in', trades)
        .execute();
      expect(rows.every((row) => row.state === 'settled' && row.settlement_entry_id !== null)).toBe(true);
      // One settlement entry per trade, no more.
      const entries = await store.db
        .selectFrom('entries')
        .select('trade_id')
        .where('kind', '=', 'settlement')
        .execute();
      expect(entries.map((entry) => entry.trade_id).sort()).toEqual([...trades].sort());
      const gold = await store.db
        .selectFrom('bars')
        .select((eb) => eb.fn.sum<bigint>('fine_milli_oz').as('fine'))
        .where('owner_account_id', '=', 'CLI-GOLD')
        .executeTakeFirstOrThrow();
      const account = await store.db
        .selectFrom('accounts')
        .select('balance')
        .where('id', '=', 'CLI-GOLD')
        .executeTakeFirstOrThrow();
      expect(BigInt(gold.fine)).toBe(account.balance);
      expect((await verifyStore(ingot)).breaches).toEqual([]);
      expect(await unitSums(store)).toEqual({
        GBP: 0n,
        XAU: 0n,
      });
    } finally {
      await store.close();
    }
  });
});
