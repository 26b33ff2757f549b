// The reads and writes of a reconciliation (reconcile.ts): the books' bars in the order of their
// identity index, a page at a time, and a count recorded with its document, totals and findings.
import { sql } from 'kysely';
import { prepare } from '../../store/prepared.ts';
import type { Tx } from '../../store/store.ts';

/** Bars of the books read per query. */
export const BOOK_PAGE_ROWS = 5000;

const BOOK_COLUMNS = ['refiner', 'serial', 'owner_account_id'] as const;

/** Weights as one string, made by the database: no number per column to build for each bar. */
const WEIGHTS = sql<string>`gross_milli_oz || '/' || fineness || '/' || fine_milli_oz`.as('weights');

const booksPageFrom = prepare((db, $) =>
  db
    .selectFrom('bars')
    .select([...BOOK_COLUMNS, WEIGHTS])
    .where((eb) => eb(eb.refTuple('refiner', 'serial'), '>', eb.tuple($('refiner'), $('serial'))))
    .orderBy('refiner')
    .orderBy('serial')
    .limit(BOOK_PAGE_ROWS),
);
const booksFirstPage = prepare((db) =>
  db
    .selectFrom('bars')
    .select([...BOOK_COLUMNS, WEIGHTS])
    .orderBy('refiner')
    .orderBy('serial')
    .limit(BOOK_PAGE_ROWS),
);

/** A bar of the books as the merge reads it: its identity, owner and weights as one string. */
export type BookRow = Awaited<ReturnType<typeof booksFirstPage.run>>['rows'][number];

/**
 * A page of the books' bars (BOOK_PAGE_ROWS) in (refiner, serial) order: the first, or the one
 * after a bar's refiner and serial.
 */
export async function booksPage(
  db: Tx,
  after: { readonly refiner: string; readonly serial: string } | undefined,
): Promise<BookRow[]> {
  const page = after
    ? booksPageFrom.run(db, { refiner: after.refiner, serial: after.serial })
    : booksFirstPage.run(db, {});
  return (await page).rows;
}

/** The highest entry id: the books as they are now (0 when empty). */
export async function lastEntryId(db: Tx): Promise<bigint> {
  const row = await db
    .selectFrom('entries')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return BigInt(row?.id ?? 0);
}

/** The ids of every custody account. */
export async function custodyAccountIds(db: Tx): Promise<string[]> {
  const rows = await db.selectFrom('accounts').select('id').where('kind', '=', 'custody').execute();
  return rows.map((row) => row.id);
}

/** The depository's party (the first, by id, should there be more than one). */
export async function depositoryParty(tx: Tx): Promise<string | undefined> {
  const depository = await tx
    .selectFrom('parties')
    .select('id')
    .where('role', '=', 'depository')
    .orderBy('id')
    .executeTakeFirst();
  return depository?.id;
}

/**
 * The next id of a table: the next after the highest. PostgreSQL's are plain bigint keys, written
 * under the store's one writer as every other id.
 */
export async function nextIdOf(tx: Tx, table: 'documents' | 'vault_counts'): Promise<bigint> {
  const result = await sql<{ id: bigint | null }>`select max(id) as id from ${sql.table(table)}`.execute(tx);
  return BigInt(result.rows[0]?.id ?? 0) + 1n;
}

/** Records a count's document, its body as JSON text. */
export async function recordCountDocument(
  tx: Tx,
  document: { id: bigint; entry_id: bigint; party_id: string; created_at: string; body: string },
): Promise<void> {
  await tx
    .insertInto('documents')
    .values({
      id: document.id,
      kind: 'vault_count',
      trade_id: null,
      entry_id: document.entry_id,
      party_id: document.party_id,
      created_at: document.created_at,
      body: document.body,
    })
    .execute();
}

/** A count's totals as recorded. */
export interface VaultCountTotals {
  readonly id: bigint;
  readonly entry_id: bigint;
  readonly document_id: bigint;
  readonly count_date: string;
  readonly account_id: string | null;
  readonly source: string;
  readonly counted: bigint;
  readonly booked: bigint;
  readonly missing: bigint;
  readonly unknown: bigint;
  readonly differing: bigint;
  readonly recorded_by: string;
  readonly recorded_at: string;
}

/** Records a count's totals. */
export async function recordVaultCount(tx: Tx, count: VaultCountTotals): Promise<void> {
  await sql`insert into vault_counts (id, entry_id, document_id, count_date,
      account_id, source, counted, booked, missing, unknown, differing, recorded_by, recorded_at)
      values (${count.id}, ${count.entry_id}, ${count.document_id}, ${count.count_date}, ${count.account_id}, ${count.source},
      ${count.counted}, ${count.booked}, ${count.missing}, ${count.unknown}, ${count.differing},
      ${count.recorded_by}, ${count.recorded_at})`.execute(tx);
}

/** A finding of a count: a bar missing (no weights), unknown or differing (the weights counted). */
export interface CountFinding {
  readonly finding: string;
  readonly refiner: string;
  readonly serial: string;
  readonly gross_milli_oz: bigint | null;
  readonly fineness: bigint | null;
  readonly fine_milli_oz: bigint | null;
}

/** Records findings of a count in one INSERT, each with the id of the bar it names, if known. */
export async function recordFindings(
  tx: Tx,
  countId: bigint,
  findings: readonly CountFinding[],
): Promise<void> {
  const rows = findings.map(
    (f) =>
      sql`(${countId}, ${f.finding}, ${f.refiner}, ${f.serial},
        (select id from bars where refiner = ${f.refiner} and serial = ${f.serial}),
        cast(${f.gross_milli_oz} as bigint), cast(${f.fineness} as bigint), cast(${f.fine_milli_oz} as bigint))`,
  );
  await sql`insert into vault_count_findings (count_id, finding, refiner, serial, bar_id,
      gross_milli_oz, fineness, fine_milli_oz) values ${sql.join(rows)}`.execute(tx);
}
