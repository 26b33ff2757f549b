// Small reads of the journal that the edges need: whether the books are empty, how long they are,
// and whether the store answers at all; and the reads of its pages and its export.
import type { AccountRow, EntryRow, PostingRow } from '../../store/schema.ts';
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

/** Entries newest first, before entry `before` when given; at most `rows` of them. */
export async function entriesNewestFirst(
  ingot: Ingot,
  before: bigint | undefined,
  rows: number,
): Promise<EntryRow[]> {
  let select = ingot.store.db.selectFrom('entries').selectAll();
  if (before !== undefined) select = select.where('id', '<', before);
  return select.orderBy('id', 'desc').limit(rows).execute();
}

/** The postings of the given entries (at least one), by entry then line. */
export async function postingsOfEntries(ingot: Ingot, ids: readonly bigint[]): Promise<PostingRow[]> {
  return ingot.store.db
    .selectFrom('postings')
    .selectAll()
    .where('entry_id', 'in', ids)
    .orderBy('entry_id')
    .orderBy('line')
    .execute();
}

/** Every account's id, party, kind and unit, in id order. */
export async function accountsInIdOrder(
  ingot: Ingot,
): Promise<Pick<AccountRow, 'id' | 'party_id' | 'kind' | 'unit'>[]> {
  return ingot.store.db
    .selectFrom('accounts')
    .select(['id', 'party_id', 'kind', 'unit'])
    .orderBy('id')
    .execute();
}
