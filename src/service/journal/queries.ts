// Small reads of the journal that the edges need: whether the books are empty, how long they are,
// and whether the store answers at all.
import type { Ingot } from '../kernel/context.ts';

/** Whether the journal has no entry yet: books that were never loaded. */
export async function booksEmpty(ingot: Ingot): Promise<boolean> {
  const row = await ingot.store.db.selectFrom('entries').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/** How many entries the journal holds. */
export async function journalSize(ingot: Ingot): Promise<bigint> {
  const row = await ingot.store.db
    .selectFrom('entries')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .executeTakeFirst();
  return BigInt(row?.n ?? 0);
}

/** Reads one row of the books' metadata: throws when the store does not answer. */
export async function checkBooksAnswer(ingot: Ingot): Promise<void> {
  await ingot.store.db.selectFrom('meta').select('key').limit(1).execute();
}
