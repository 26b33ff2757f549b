// Pages of the journal, newest entry first, each entry with its postings.
import type { EntryRow, PostingRow } from '../../store/schema.ts';
import type { Ingot } from '../kernel/context.ts';
import { cursorInteger, decodeCursor, encodeCursor, pageOf } from '../kernel/paging.ts';
import { entriesNewestFirst, postingsOfEntries } from './queries.ts';

export interface JournalEntry extends EntryRow {
  readonly postings: readonly Omit<PostingRow, 'entry_id'>[];
}

/** One page of the journal, newest entry first, each entry with its postings. */
export async function journalPage(
  ingot: Ingot,
  query: { cursor?: string | undefined; limit: number },
): Promise<{ items: JournalEntry[]; next_cursor: string | null }> {
  let before: bigint | undefined;
  if (query.cursor) {
    const [id = ''] = decodeCursor(query.cursor, 1);
    before = cursorInteger(id);
  }
  const rows = await entriesNewestFirst(ingot, before, query.limit + 1);
  const { items, more } = pageOf(rows, query.limit);
  const ids = items.map((entry) => entry.id);
  const postings = ids.length === 0 ? [] : await postingsOfEntries(ingot, ids);
  const byEntry = new Map<bigint, Omit<PostingRow, 'entry_id'>[]>();
  for (const { entry_id, ...posting } of postings) {
    const list = byEntry.get(entry_id) ?? [];
    list.push(posting);
    byEntry.set(entry_id, list);
  }
  const last = items.at(-1);
  return {
    items: items.map((entry) => ({ ...entry, postings: byEntry.get(entry.id) ?? [] })),
    next_cursor: more && last ? encodeCursor([last.id.toString()]) : null,
  };
}
