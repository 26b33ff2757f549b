// `ingot verify`, the journal's part: recomputes the hash chain page by page and names the first
// entry that was altered, removed or never sealed, and any bar no entry received.
import { CHAIN_START, type ChainStart, type HashedEntry, verifyChain } from '../../domain/custody/chain.ts';
import type { Ingot } from '../kernel/context.ts';
import { BarStream, digestReceived, journalPages, type StoredEntry } from './chain.ts';
import { lastReferences } from './queries-chain.ts';

/** Whether the chain holds, or why not, in words naming the first broken entry. */
export type ChainVerdict =
  | { readonly ok: true; readonly entries: bigint }
  | { readonly ok: false; readonly detail: string };

/** Where an entry is referenced from, so an entry removed from the end is found too. */
function following(previous: bigint): string {
  return previous === 0n ? 'the start of the journal' : `entry ${previous}`;
}

/** The entries of a page as the chain hashes them, each with the bars it received. */
async function hashedPage(page: readonly StoredEntry[], bars: BarStream): Promise<HashedEntry[]> {
  const hashed: HashedEntry[] = [];
  for (const entry of page) {
    const received = await digestReceived(bars, entry.id);
    hashed.push({ ...entry, hash: entry.hash ?? '', ...(received ? { received_bars: received } : {}) });
  }
  return hashed;
}

/** Checks one page on from `start`; a verdict when it breaks, else where the next page starts. */
function checkPage(page: readonly StoredEntry[], hashed: HashedEntry[], start: ChainStart) {
  const unsealed = page.find((entry) => entry.hash === null);
  const check = verifyChain(unsealed ? hashed.filter((entry) => entry.id < unsealed.id) : hashed, start);
  if (!check.ok) {
    const previous = hashed[hashed.findIndex((e) => e.id === check.entry_id) - 1]?.id ?? start.previous_id;
    if (check.code === 'journal_entry_missing') {
      const after = following(previous);
      return `entry ${previous + 1n} was removed: entry ${check.entry_id}'s hash does not follow ${after}`;
    }
    return `entry ${check.entry_id} was altered: its hash does not match its content`;
  }
  if (unsealed) return `entry ${unsealed.id} is not sealed: it has no hash`;
  return check.last;
}

/** The removal of entries from the end: the highest entry referenced anywhere must exist. */
async function checkTail(ingot: Ingot, last: bigint): Promise<string | null> {
  const rows = await lastReferences(ingot.store.db);
  for (const row of rows) {
    if (row.id !== null && BigInt(row.id) > last) {
      const shown =
        BigInt(row.id) === last + 1n ? `entry ${last + 1n} was` : `entries ${last + 1n} to ${row.id} were`;
      const ends = following(last);
      return `${shown} removed: the journal ends at ${ends}, yet entry ${row.id} has ${row.source}`;
    }
  }
  return null;
}

/** Recomputes the journal's hash chain a page at a time; names the first broken entry. */
export async function verifyJournalChain(ingot: Ingot): Promise<ChainVerdict> {
  const bars = new BarStream(ingot.store.db, 0n);
  let start = CHAIN_START;
  for await (const page of journalPages(ingot.store.db, { with_moves: true })) {
    const verdict = checkPage(page, await hashedPage(page, bars), start);
    if (typeof verdict === 'string') return { ok: false, detail: verdict };
    start = verdict;
  }
  const tail = await checkTail(ingot, start.previous_id);
  if (tail) return { ok: false, detail: tail };
  const stray = await bars.peek();
  if (stray) {
    const detail = `bar ${stray.id} says entry ${stray.received_entry_id} received it, but no entry did`;
    return { ok: false, detail };
  }
  return { ok: true, entries: start.previous_id };
}
