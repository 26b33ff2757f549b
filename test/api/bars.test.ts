// The bar list a page at a time: every bar exactly once whatever the order, filters and search.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type Served, servedWorld } from './support.ts';

interface BarView {
  id: string;
  serial: string;
  refiner: string;
  fine_milli_oz: string;
  fineness: string;
  year: number;
}
interface BarPage {
  items: BarView[];
  next_cursor: string | null;
  total?: number;
}

let served: Served;
let operator: Client;

beforeAll(async () => {
  served = await servedWorld(300);
  operator = await served.signIn('operator');
});
afterAll(() => served.close());

async function allPages(
  query: string,
  limit: number,
): Promise<{ bars: BarView[]; total: number | undefined }> {
  const bars: BarView[] = [];
  let cursor: string | null = null;
  let total: number | undefined;
  do {
    const suffix: string = cursor ? `&cursor=${cursor}` : '';
    const answer = await operator.get(`/accounts/GOSBANK-VAULT/bars?limit=${limit}&${query}${suffix}`);
    expect(answer.status, answer.text).toBe(200);
    const page = answer.body as BarPage;
    if (!cursor) total = page.total;
    bars.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return { bars, total };
}

describe('bar list paging', () => {
  it('pages through every bar once in custody order, as the CSV export lists them', async () => {
    const { bars, total } = await allPages('', 37);
    expect(total).toBe(300);
    expect(new Set(bars.map((b) => b.id)).size).toBe(300);
    const csv = (await operator.get('/accounts/GOSBANK-VAULT/bars.csv')).text.trim().split('\n').slice(1);
    expect(csv.map((line) => line.split(',')[0])).toEqual(bars.map((b) => b.serial));
    const jump = (await operator.get('/accounts/GOSBANK-VAULT/bars?offset=250&limit=10')).body as BarPage;
    expect(jump.items.map((b) => b.id)).toEqual(bars.slice(250, 260).map((b) => b.id));
  });

  it.each([
    ['fine_weight', 'desc', (b: BarView) => BigInt(b.fine_milli_oz)],
    ['fineness', 'asc', (b: BarView) => BigInt(b.fineness)],
    ['year', 'desc', (b: BarView) => BigInt(b.year)],
    ['serial', 'asc', (b: BarView) => b.serial],
  ] as const)('sorts by %s %s across pages, ties broken by id', async (sort, order, key) => {
    const { bars } = await allPages(`sort=${sort}&order=${order}`, 23);
    expect(bars).toHaveLength(300);
    expect(new Set(bars.map((b) => b.id)).size).toBe(300);
    for (let index = 1; index < bars.length; index += 1) {
      const [a, b] = [key(bars[index - 1] as BarView), key(bars[index] as BarView)];
      expect(order === 'asc' ? a <= b : a >= b).toBe(true);
    }
  });

  it('filters by refiner, fineness and year, and searches serial numbers', async () => {
    const refiner = await allPages('refiner=msk', 50);
    expect(refiner.total).toBe(60);
    expect(refiner.bars.every((b) => b.refiner === 'MSK')).toBe(true);
    const fine = await allPages('min_fineness=9990', 50);
    expect(fine.bars.every((b) => BigInt(b.fineness) >= 9990n)).toBe(true);
    expect(fine.total).toBe(fine.bars.length);
    const search = await allPages('search=10010', 50);
    expect(search.bars.map((b) => b.serial).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `10010${i}`),
    );
    const none = await allPages('search=%25_', 50);
    expect(none.total).toBe(0);
  });
});
