// Reading the journal back as the hash chain sees it: an entry's content, and the bars it received
// streamed in id order, so neither sealing nor verifying ever holds a whole bar list in memory.
import type { Kysely } from 'kysely';
import {
  type ChainedBarMove,
  type ChainedPosting,
  type ReceivedBars,
  ReceivedBarsDigest,
} from '../../domain/custody/chain.ts';
import type { LedgerUnit } from '../../domain/ledger.ts';
import type { Database } from '../../store/schema.ts';
import {
  BAR_STREAM_PAGE_ROWS,
  chainedEntriesAfter,
  chainedMovesBetween,
  chainedPostingsBetween,
  ENTRY_PAGE_ROWS,
  type ReceivedBarRow,
  receivedBarsFrom,
} from './queries-chain.ts';

/**
 * Bars in id order from a starting id, read a page at a time; `peek` looks, `take` moves on. The
 * next page is asked for as soon as a full one arrives, so the database reads it (PostgreSQL,
 * across the network) while this one is being digested.
 */
export class BarStream {
  #page: ReceivedBarRow[] = [];
  #index = 0;
  #next: Promise<ReceivedBarRow[]> | undefined;
  #from: bigint | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    from: bigint,
  ) {
    this.#from = from;
  }

  #read(from: bigint): Promise<ReceivedBarRow[]> {
    const page = receivedBarsFrom(this.db, from);
    // Awaited when the stream gets there; a stream left before then must not leave it unobserved.
    page.catch(() => undefined);
    return page;
  }

  /** The next bar, or undefined at the end of the bars. */
  async peek(): Promise<ReceivedBarRow | undefined> {
    if (this.#from !== undefined) {
      this.#next = this.#read(this.#from);
      this.#from = undefined;
    }
    if (this.#index >= this.#page.length && this.#next) {
      this.#page = await this.#next;
      this.#index = 0;
      const last = this.#page.at(-1);
      const full = last !== undefined && this.#page.length === BAR_STREAM_PAGE_ROWS;
      this.#next = full ? this.#read(last.id + 1n) : undefined;
    }
    return this.#page[this.#index];
  }

  /** Moves past the bar `peek` returned. */
  take(): void {
    this.#index += 1;
  }
}

/**
 * Digests the run of bars at the head of the stream that `entryId` received: an import writes its
 * bars with consecutive ids above every bar before it, so an entry's bars are one run, in order.
 * Undefined when the entry received none.
 */
export async function digestReceived(stream: BarStream, entryId: bigint): Promise<ReceivedBars | undefined> {
  let digest: ReceivedBarsDigest | undefined;
  for (let bar = await stream.peek(); bar?.received_entry_id === entryId; bar = await stream.peek()) {
    digest ??= new ReceivedBarsDigest();
    digest.add(bar);
    stream.take();
  }
  return digest?.finish();
}

/** A stored posting as the chain reads it. */
export function chainedPosting(row: {
  line: bigint;
  account_id: string;
  unit: string;
  amount: bigint;
}): ChainedPosting {
  return { line: row.line, account_id: row.account_id, unit: row.unit as LedgerUnit, amount: row.amount };
}

/** A stored bar move as the chain reads it. */
export function chainedMove(row: ChainedBarMove): ChainedBarMove {
  return {
    bar_id: row.bar_id,
    source_account_id: row.source_account_id,
    target_account_id: row.target_account_id,
  };
}

/** A stored entry with its postings in line order and, when asked for, its bar moves. */
export interface StoredEntry {
  readonly id: bigint;
  readonly kind: string;
  readonly value_date: string;
  readonly recorded_at: string;
  readonly memo: string;
  readonly hash: string | null;
  readonly postings: ChainedPosting[];
  readonly bar_moves: ChainedBarMove[];
}

/** Groups rows under the entry each belongs to. */
function byEntry<Row extends { entry_id: bigint }, Item>(rows: Row[], map: (row: Row) => Item) {
  const grouped = new Map<bigint, Item[]>();
  for (const row of rows) {
    const list = grouped.get(row.entry_id);
    if (list) list.push(map(row));
    else grouped.set(row.entry_id, [map(row)]);
  }
  return grouped;
}

/**
 * Walks the journal in id order, a page of entries at a time with their postings (and bar moves
 * when `with_moves`), so the journal is never held whole; up to entry `through` if given.
 */
export async function* journalPages(
  db: Kysely<Database>,
  options: { with_moves: boolean; through?: bigint },
): AsyncGenerator<StoredEntry[]> {
  const through = options.through ?? 2n ** 62n;
  let after = 0n;
  for (;;) {
    const headers = await chainedEntriesAfter(db, after, through);
    const first = headers[0];
    const last = headers.at(-1);
    if (!first || !last) return;
    const range = { first: first.id, last: last.id };
    const postings = byEntry(await chainedPostingsBetween(db, range), chainedPosting);
    const moves = options.with_moves ? byEntry(await chainedMovesBetween(db, range), chainedMove) : null;
    yield headers.map((header) => ({
      ...header,
      postings: postings.get(header.id) ?? [],
      bar_moves: moves?.get(header.id) ?? [],
    }));
    if (headers.length < ENTRY_PAGE_ROWS) return;
    after = last.id;
  }
}
