// The reads of the books at a date and over a period: an account's statement and the bars behind
// it (statement.ts), and bar-level reporting's holdings and events (bar-report.ts). Bars are read
// a page at a time, after the last bar id of the page before.
import { sql } from 'kysely';
import { ZERO } from '../../store/prepared.ts';
import type { BarRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** A page of bars: those after a bar id, at most `limit` of them. */
export interface BarPage {
  readonly after: bigint;
  readonly limit: number;
}

// ---------------------------------------------------------------------------------------------
// Statements

/** An account's balance from every entry valued before `from`. */
export async function balanceBefore(db: Tx, accountId: string, from: string): Promise<bigint> {
  const opening = await db
    .selectFrom('postings')
    .innerJoin('entries', 'entries.id', 'postings.entry_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<bigint>('postings.amount'), ZERO).as('sum'))
    .where('postings.account_id', '=', accountId)
    .where('entries.value_date', '<', from)
    .executeTakeFirstOrThrow();
  return BigInt(opening.sum);
}

/** An account's postings valued `from`..`to` (both included), by value date then entry. */
export function postingsBetween(db: Tx, accountId: string, from: string, to: string) {
  return db
    .selectFrom('postings')
    .innerJoin('entries', 'entries.id', 'postings.entry_id')
    .select(['entries.id', 'entries.value_date', 'entries.kind', 'entries.memo', 'postings.amount'])
    .where('postings.account_id', '=', accountId)
    .where('entries.value_date', '>=', from)
    .where('entries.value_date', '<=', to)
    .orderBy('entries.value_date')
    .orderBy('entries.id')
    .execute();
}

/** A page of the bars an account owns now, in custody (id) order. */
export function barsOwnedBy(db: Tx, accountId: string, page: BarPage): Promise<BarRow[]> {
  return db
    .selectFrom('bars')
    .selectAll()
    .where('owner_account_id', '=', accountId)
    .where('id', '>', page.after)
    .orderBy('id')
    .limit(page.limit)
    .execute();
}

/**
 * A page of the bars an account held at the end of a past value date, in custody order: a bar's
 * owner on a date is the target of its last move up to that date, or, with no move, the account
 * that received it (when received by then).
 */
export function barsHeldOn(db: Tx, accountId: string, date: string, page: BarPage): Promise<BarRow[]> {
  const lastMove = db
    .selectFrom('bar_moves')
    .innerJoin('entries', 'entries.id', 'bar_moves.entry_id')
    .select(['bar_moves.bar_id', (eb) => eb.fn.max('bar_moves.entry_id').as('entry_id')])
    .where('entries.value_date', '<=', date)
    .groupBy('bar_moves.bar_id');
  return db
    .selectFrom('bars')
    .innerJoin('entries as received', 'received.id', 'bars.received_entry_id')
    .leftJoin(lastMove.as('last'), 'last.bar_id', 'bars.id')
    .leftJoin('bar_moves as move', (join) =>
      join.onRef('move.bar_id', '=', 'last.bar_id').onRef('move.entry_id', '=', 'last.entry_id'),
    )
    .selectAll('bars')
    .where('received.value_date', '<=', date)
    .where('bars.id', '>', page.after)
    .where((eb) =>
      eb.or([
        eb('move.target_account_id', '=', accountId),
        eb.and([eb('last.bar_id', 'is', null), eb('bars.received_entry_id', 'in', receiptsInto(accountId))]),
      ]),
    )
    .orderBy('bars.id')
    .limit(page.limit)
    .execute();

  function receiptsInto(id: string) {
    return db
      .selectFrom('postings')
      .innerJoin('entries', 'entries.id', 'postings.entry_id')
      .select('postings.entry_id')
      .where('postings.account_id', '=', id)
      .where('entries.kind', '=', 'bars_received');
  }
}

// ---------------------------------------------------------------------------------------------
// Bar-level reporting

/** Every account with its party and kind. */
export function accountsWithParties(db: Tx): Promise<{ id: string; party_id: string; kind: string }[]> {
  return db.selectFrom('accounts').select(['id', 'party_id', 'kind']).execute();
}

/**
 * A page of the bars received by the end of `date`, in id order, each with the target of its last
 * move up to the date (`moved_to`) and the source of its first move (`received_into`).
 */
export function barsReceivedByWithMoves(db: Tx, date: string, page: BarPage) {
  return db
    .selectFrom('bars')
    .innerJoin('entries as received', 'received.id', 'bars.received_entry_id')
    .selectAll('bars')
    .select((eb) => [
      eb
        .selectFrom('bar_moves as m')
        .innerJoin('entries as e', 'e.id', 'm.entry_id')
        .select('m.target_account_id')
        .whereRef('m.bar_id', '=', 'bars.id')
        .where('e.value_date', '<=', date)
        .orderBy('m.entry_id', 'desc')
        .limit(1)
        .as('moved_to'),
      eb
        .selectFrom('bar_moves as f')
        .select('f.source_account_id')
        .whereRef('f.bar_id', '=', 'bars.id')
        .orderBy('f.entry_id')
        .limit(1)
        .as('received_into'),
    ])
    .where('received.value_date', '<=', date)
    .where('bars.id', '>', page.after)
    .orderBy('bars.id')
    .limit(page.limit)
    .execute();
}

/** The weights before each reweighing after `date` of the bars with ids `first`..`last`, in order. */
export async function reweighsAfter(
  db: Tx,
  bars: { readonly first: bigint; readonly last: bigint },
  date: string,
): Promise<{ bar_id: bigint; gross_before: bigint; fineness_before: bigint; fine_before: bigint }[]> {
  const rows = await sql<{
    bar_id: bigint;
    gross_before: bigint;
    fineness_before: bigint;
    fine_before: bigint;
  }>`
    select bar_id, gross_before, fineness_before, fine_before from bar_reweighs
    where bar_id >= ${bars.first} and bar_id <= ${bars.last} and reweigh_date > ${date}
    order by bar_id, number`.execute(db);
  return rows.rows;
}

/** The custody accounts' balances at the end of `date`, added up. */
export async function custodyBalanceAt(db: Tx, date: string): Promise<bigint> {
  const row = await db
    .selectFrom('postings')
    .innerJoin('entries', 'entries.id', 'postings.entry_id')
    .innerJoin('accounts', 'accounts.id', 'postings.account_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<bigint>('postings.amount'), ZERO).as('sum'))
    .where('accounts.kind', '=', 'custody')
    .where('entries.value_date', '<=', date)
    .executeTakeFirstOrThrow();
  return BigInt(row.sum);
}

/** A page of the entries of some kinds valued `from`..`to` (both included), in id order. */
export function entriesOfPeriod(
  db: Tx,
  period: { readonly from: string; readonly to: string; readonly kinds: readonly string[] },
  page: BarPage,
) {
  return db
    .selectFrom('entries')
    .select(['id', 'kind', 'value_date', 'trade_id', 'memo'])
    .where('value_date', '>=', period.from)
    .where('value_date', '<=', period.to)
    .where('kind', 'in', period.kinds)
    .where('id', '>', page.after)
    .orderBy('id')
    .limit(page.limit)
    .execute();
}

/** The accounts an entry's postings credit. */
export function accountsCreditedBy(db: Tx, entryId: bigint): Promise<{ account_id: string }[]> {
  return db
    .selectFrom('postings')
    .select('account_id')
    .where('entry_id', '=', entryId)
    .where('amount', '>', 0n)
    .execute();
}

/** A page of the bars an entry received, in id order. */
export function barsReceivedIn(db: Tx, entryId: bigint, page: BarPage): Promise<BarRow[]> {
  return db
    .selectFrom('bars')
    .selectAll()
    .where('received_entry_id', '=', entryId)
    .where('id', '>', page.after)
    .orderBy('id')
    .limit(page.limit)
    .execute();
}

/** The instruction whose step made an entry, if one did. */
export async function instructionOfEntry(db: Tx, entryId: bigint): Promise<string | undefined> {
  const row = await db
    .selectFrom('instruction_steps')
    .select('instruction_id')
    .where('entry_id', '=', entryId)
    .executeTakeFirst();
  return row?.instruction_id;
}

/** A page of the bars an entry moved, in bar id order, each with the accounts it left and entered. */
export function barsMovedIn(db: Tx, entryId: bigint, page: BarPage) {
  return db
    .selectFrom('bar_moves')
    .innerJoin('bars', 'bars.id', 'bar_moves.bar_id')
    .selectAll('bars')
    .select(['bar_moves.source_account_id', 'bar_moves.target_account_id'])
    .where('bar_moves.entry_id', '=', entryId)
    .where('bar_moves.bar_id', '>', page.after)
    .orderBy('bar_moves.bar_id')
    .limit(page.limit)
    .execute();
}
