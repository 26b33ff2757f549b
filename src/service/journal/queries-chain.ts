// What the hash chain reads and writes: an entry's header, postings and bar moves in the order they
// are hashed, the bars each entry received, and the hash that seals it. Each statement is prepared
// once (src/store/prepared.ts): sealing runs them for every entry written, verifying for every page.
import { type Kysely, sql } from 'kysely';
import type { ChainedBar } from '../../domain/custody/chain.ts';
import { prepare } from '../../store/prepared.ts';
import type { Database } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** Bars read per query while streaming them. */
export const BAR_STREAM_PAGE_ROWS = 5000;

/** A stored bar as the chain reads it, with the entry that received it. */
export interface ReceivedBarRow extends ChainedBar {
  readonly received_entry_id: bigint;
}

/** Entries read per page when the whole journal is walked. */
export const ENTRY_PAGE_ROWS = 1000;

/**
 * The columns the hash chain reads, one list for sealing and for verifying: an entry's header,
 * its postings in line order, its bar moves in bar order. A column left out here is not sealed.
 */
export const CHAINED_ENTRY_COLUMNS = ['id', 'kind', 'value_date', 'recorded_at', 'memo', 'hash'] as const;
export const CHAINED_POSTING_COLUMNS = ['line', 'account_id', 'unit', 'amount'] as const;
export const CHAINED_MOVE_COLUMNS = ['bar_id', 'source_account_id', 'target_account_id'] as const;

/**
 * A bar's weight as its receipt sealed it: a reweighed bar's first reweighing keeps the weights it
 * had before (src/service/vault/reweigh.ts), so the receipt's hash still verifies.
 */
function asReceived(column: 'gross_milli_oz' | 'fineness' | 'fine_milli_oz', before: string) {
  return sql<bigint>`coalesce((select r.${sql.ref(before)} from bar_reweighs r
    where r.bar_id = bars.id and r.number = 1), bars.${sql.ref(column)})`.as(column);
}

const barsFrom = prepare((db, $) =>
  db
    .selectFrom('bars')
    .select([
      'id',
      'refiner',
      'serial',
      'year',
      asReceived('gross_milli_oz', 'gross_before'),
      asReceived('fineness', 'fineness_before'),
      asReceived('fine_milli_oz', 'fine_before'),
      'external_bar_id',
      'received_entry_id',
    ])
    .where('id', '>=', $('from'))
    .orderBy('id')
    .limit(BAR_STREAM_PAGE_ROWS),
);
const lastBar = prepare((db) =>
  db.selectFrom('bars').select(['id', 'received_entry_id']).orderBy('id', 'desc').limit(1),
);
const firstBarOf = prepare((db, $) =>
  db
    .selectFrom('bars')
    .select((eb) => eb.fn.min('id').as('first'))
    .where('received_entry_id', '=', $('entry_id')),
);

/** A page of bars (BAR_STREAM_PAGE_ROWS) as their receipts sealed them, in id order from `from`. */
export function receivedBarsFrom(db: Kysely<Database>, from: bigint): Promise<ReceivedBarRow[]> {
  return barsFrom.run(db, { from }).then((result) => result.rows);
}

/** The newest bar's id and the entry that received it; undefined when there are no bars. */
export async function newestBar(tx: Tx): Promise<{ id: bigint; received_entry_id: bigint } | undefined> {
  const [row] = (await lastBar.run(tx, {})).rows;
  return row;
}

/** The first bar an entry received, or undefined when it received none. */
export async function firstBarReceivedBy(tx: Tx, entryId: bigint): Promise<bigint | undefined> {
  const [row] = (await firstBarOf.run(tx, { entry_id: entryId })).rows;
  return row?.first ?? undefined;
}

const entryAndPrevious = prepare((db, $) =>
  db
    .selectFrom('entries')
    .select(CHAINED_ENTRY_COLUMNS)
    .where('id', '>=', $('previous'))
    .where('id', '<=', $('id'))
    .orderBy('id'),
);
const postingsOf = prepare((db, $) =>
  db
    .selectFrom('postings')
    .select(CHAINED_POSTING_COLUMNS)
    .where('entry_id', '=', $('entry_id'))
    .orderBy('line'),
);
const movesOf = prepare((db, $) =>
  db
    .selectFrom('bar_moves')
    .select(CHAINED_MOVE_COLUMNS)
    .where('entry_id', '=', $('entry_id'))
    .orderBy('bar_id'),
);
const writeHash = prepare((db, $) =>
  db
    .updateTable('entries')
    .set({ hash: $('hash') })
    .where('id', '=', $('id'))
    .where('hash', 'is', null),
);

/** The chained headers of an entry and of the one before it (when written), in id order. */
export async function entryAndItsPrevious(tx: Tx, entryId: bigint) {
  return (await entryAndPrevious.run(tx, { previous: entryId - 1n, id: entryId })).rows;
}

/** An entry's postings as the chain reads them, in line order. */
export async function chainedPostingsOf(tx: Tx, entryId: bigint) {
  return (await postingsOf.run(tx, { entry_id: entryId })).rows;
}

/** An entry's bar moves as the chain reads them, in bar order. */
export async function chainedMovesOf(tx: Tx, entryId: bigint) {
  return (await movesOf.run(tx, { entry_id: entryId })).rows;
}

/** Stores an entry's hash unless it is sealed already; how many entries it sealed (1 or 0). */
export async function storeEntryHash(tx: Tx, entryId: bigint, hash: string): Promise<bigint> {
  return (await writeHash.run(tx, { id: entryId, hash })).changes;
}

const entryPage = prepare((db, $) =>
  db
    .selectFrom('entries')
    .select(CHAINED_ENTRY_COLUMNS)
    .where('id', '>', $('after'))
    .where('id', '<=', $('through'))
    .orderBy('id')
    .limit(ENTRY_PAGE_ROWS),
);
const lastEntryId = prepare((db) => db.selectFrom('entries').select((eb) => eb.fn.max('id').as('last')));
const postingsBetween = prepare((db, $) =>
  db
    .selectFrom('postings')
    .select(['entry_id', ...CHAINED_POSTING_COLUMNS])
    .where('entry_id', '>=', $('first'))
    .where('entry_id', '<=', $('last'))
    .orderBy('entry_id')
    .orderBy('line'),
);
const movesBetween = prepare((db, $) =>
  db
    .selectFrom('bar_moves')
    .select(['entry_id', ...CHAINED_MOVE_COLUMNS])
    .where('entry_id', '>=', $('first'))
    .where('entry_id', '<=', $('last'))
    .orderBy('entry_id')
    .orderBy('bar_id'),
);

/** The id of the journal's last entry; 0 when it is empty. */
export async function lastEntryIn(db: Kysely<Database>): Promise<bigint> {
  const [row] = (await lastEntryId.run(db, {})).rows;
  return row?.last ?? 0n;
}

/** A page of chained entry headers (ENTRY_PAGE_ROWS) after `after`, up to `through`, in id order. */
export async function chainedEntriesAfter(db: Kysely<Database>, after: bigint, through: bigint) {
  return (await entryPage.run(db, { after, through })).rows;
}

/** The chained postings of the entries `first` to `last`, by entry then line. */
export async function chainedPostingsBetween(db: Kysely<Database>, range: { first: bigint; last: bigint }) {
  return (await postingsBetween.run(db, range)).rows;
}

/** The chained bar moves of the entries `first` to `last`, by entry then bar. */
export async function chainedMovesBetween(db: Kysely<Database>, range: { first: bigint; last: bigint }) {
  return (await movesBetween.run(db, range)).rows;
}

/** The last entry each table refers to, named for what it is of the entry. */
const REFERENCES = `
  select max(entry_id) as id, 'its postings' as source from postings
  union all select max(entry_id), 'its bar moves' from bar_moves
  union all select max(received_entry_id), 'the bars it received' from bars
  union all select max(settlement_entry_id), 'the trade it settled' from trades
  union all select max(entry_id), 'its documents' from documents
  union all select max(entry_id), 'the instruction step it records' from instruction_steps`;

/** The last entry each table that refers to entries refers to: an entry removed leaves a reference past the journal's end. */
export async function lastReferences(db: Kysely<Database>): Promise<{ id: bigint | null; source: string }[]> {
  return (await sql.raw<{ id: bigint | null; source: string }>(REFERENCES).execute(db)).rows;
}
