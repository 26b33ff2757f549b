// What the tests check of any books after they move gold or money, and the list helpers they feed
// services with.
import type { Store } from '../../src/store/store.ts';

/** Each unit's balances summed over every account: all zero when gold and money are conserved. */
export async function unitSums(store: Store): Promise<Record<string, bigint>> {
  const rows = await store.db
    .selectFrom('accounts')
    .select(['unit', (eb) => eb.fn.sum<bigint>('balance').as('total')])
    .groupBy('unit')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.unit, BigInt(row.total)]));
}

/** The lines of a bar list as a service reads them. */
export async function* linesFrom(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}

/** Every line a service's stream gives, gathered. */
export async function linesOf(lines: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const line of lines) all.push(line);
  return all;
}
