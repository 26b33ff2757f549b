// Reconciliation as a streamed merge, on both stores: a count in no particular order, sorted in
// runs of 7 bars spilled to files and merged back, against the books' bars in identity order. It
// names the same bars missing, unknown and differing as a count in one run; refuses a bar counted
// twice (in two runs) naming both rows; and, recorded, writes one entry, one document and only
// the findings, the books still sound and gold conserved (a count moves none).
import { describe, expect, test } from 'vitest';
import { generateStock } from '../src/scenario/stock.ts';
import { verifyStore } from '../src/service/journal/verify.ts';
import { ingotOver } from '../src/service/kernel/context.ts';
import { reconcile } from '../src/service/vault/reconcile.ts';
import { linesFrom, unitSums } from './support/books.ts';
import { world } from './support/desk.ts';
import { STORE_KINDS } from './support/stores.ts';

const BARS = 40;

/** The stock's lines, less the 3rd bar, the 10th 0.025 oz lighter, an unknown bar, shuffled. */
async function countLines(extra: readonly string[] = []): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of generateStock(BARS, 7)) lines.push(line);
  const [header = '', ...bars] = lines;
  const kept = bars.filter((_, i) => i !== 2);
  kept[8] = lighter(kept[8] ?? '');
  kept.push('X1,ABC,2020,400.000,999.9,399.960,,,', ...extra);
  // A fixed shuffle: every 7th bar from each start, so no run is in order.
  const shuffled: string[] = [];
  for (let start = 6; start >= 0; start -= 1)
    for (let i = start; i < kept.length; i += 7) shuffled.push(kept[i] ?? '');
  return [header, ...shuffled];
}

function lighter(line: string): string {
  const fields = line.split(',');
  const gross = BigInt(fields[3]?.replace('.', '') ?? '0') - 25n;
  const fine = (gross * BigInt(fields[4]?.replace('.', '') ?? '0')) / 10_000n;
  const oz = (milli: bigint) => `${milli / 1000n}.${(milli % 1000n).toString().padStart(3, '0')}`;
  return [fields[0], fields[1], fields[2], oz(gross), fields[4], oz(fine), ...fields.slice(6)].join(',');
}

describe.each(STORE_KINDS)('reconciliation as a merge on $name', (kind) => {
  test.skipIf(kind.unavailable)(
    'runs spilled and merged name what one run names; a recorded count keeps its findings',
    async () => {
      const store = await kind.open();
      try {
        const ingot = ingotOver(store, 'counter');
        await world(ingot, BARS, 4800n);
        const lines = await countLines();
        const spilled = await reconcile(ingot, { lines: linesFrom(lines), run_bars: 7 });
        const whole = await reconcile(ingot, { lines: linesFrom(lines) });
        if (!spilled.ok || !whole.ok) throw new Error('the count did not reconcile');
        expect(spilled.reconciliation).toEqual(whole.reconciliation);
        const r = spilled.reconciliation;
        expect([r.counted, r.booked, r.matched]).toEqual([BigInt(BARS), BigInt(BARS), BigInt(BARS - 2)]);
        expect([r.missing.count, r.unexpected.count, r.differing.count]).toEqual([1n, 1n, 1n]);
        expect(r.unexpected.bars[0]).toMatchObject({
          refiner: 'ABC',
          serial: 'X1',
          gross_milli_oz: 400_000n,
        });
        expect(r.differing.bars[0]?.booked.gross_milli_oz).toBe(
          (r.differing.bars[0]?.counted.gross_milli_oz ?? 0n) + 25n,
        );

        const sums = await unitSums(ingot.store);
        const recorded = await reconcile(ingot, {
          lines: linesFrom(lines),
          run_bars: 7,
          record: { date: '1961-02-01', source: 'count-1961-02-01.csv' },
        });
        if (!recorded.ok) throw new Error(recorded.message);
        const kept = recorded.reconciliation.recorded;
        expect(kept?.date).toBe('1961-02-01');
        const entry = await store.db
          .selectFrom('entries')
          .selectAll()
          .where('id', '=', kept?.entry_id ?? 0n)
          .executeTakeFirstOrThrow();
        expect(entry.kind).toBe('vault_count');
        expect(entry.memo).toContain('missing 1, unknown 1, differing 1');
        const document = await store.db
          .selectFrom('documents')
          .selectAll()
          .where('entry_id', '=', entry.id)
          .execute();
        expect(document.map((d) => d.kind)).toEqual(['vault_count']);
        const findings = await store.db
          .selectFrom('vault_count_findings' as never)
          .select(['finding' as never, 'serial' as never, 'bar_id' as never])
          .execute();
        const found = (findings as { finding: string; serial: string; bar_id: unknown }[])
          .map((f) => `${f.finding} ${f.serial} ${f.bar_id === null ? 'unbooked' : 'booked'}`)
          .sort();
        expect(found).toHaveLength(3);
        expect(found).toContain('unknown X1 unbooked');
        expect(found.filter((f) => f.endsWith(' booked'))).toHaveLength(2);
        expect(await unitSums(ingot.store)).toEqual(sums);
        expect((await verifyStore(ingot)).breaches).toEqual([]);
      } finally {
        await store.close();
      }
    },
  );

  test.skipIf(kind.unavailable)('a bar counted twice, in two runs, is refused naming both rows', async () => {
    const store = await kind.open();
    try {
      const ingot = ingotOver(store, 'counter');
      await world(ingot, BARS, 4800n);
      const lines = await countLines();
      const twice = [...lines, lines[5] ?? ''];
      const outcome = await reconcile(ingot, {
        lines: linesFrom(twice),
        run_bars: 7,
        record: { date: '1961-02-01', source: 'c' },
      });
      expect(outcome.ok).toBe(false);
      if (outcome.ok || !('problems' in outcome)) throw new Error('the count was taken');
      expect(outcome.problems).toEqual([
        expect.objectContaining({
          row: twice.length,
          reason: expect.stringContaining('counted twice (also row 6)'),
        }),
      ]);
      const counts = await store.db
        .selectFrom('entries')
        .selectAll()
        .where('kind', '=', 'vault_count')
        .execute();
      expect(counts).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
