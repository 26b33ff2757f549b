// Statements of an account: opening balance, movements, closing balance, and the bars behind it.
import type { Account } from '../../domain/ledger.ts';
import { InvariantError, type Outcome } from '../../domain/outcome.ts';
import { ZERO } from '../../store/prepared.ts';
import type { BarRow } from '../../store/schema.ts';
import type { Ingot } from '../kernel/context.ts';
import { inSnapshot, streamInSnapshot } from '../kernel/snapshot.ts';
import { findAccount } from '../parties/parties.ts';

export interface StatementLine {
  readonly entry_id: bigint;
  readonly value_date: string;
  readonly kind: string;
  readonly memo: string;
  readonly amount: bigint;
  readonly balance: bigint;
}

export interface Statement {
  readonly account: Account;
  readonly from: string;
  readonly to: string;
  readonly opening: bigint;
  readonly lines: readonly StatementLine[];
  readonly closing: bigint;
}

/** Which account's statement, for which value dates (both included). */
export interface StatementRequest {
  readonly account_id: string;
  readonly from: string;
  readonly to: string;
}

/**
 * The statement of an account for the value dates `from`..`to` (both included): its opening
 * balance, movements and closing balance, read in one snapshot of the books. A custody account's
 * bar list behind the closing balance is read with `statementBars`, a page at a time, never
 * gathered: a vault holds millions of bars. For the bars to be those of this closing balance while
 * settlements commit, read both in one snapshot: `inSnapshot(ingot, async (reading) => …)`
 * (src/service/kernel/snapshot.ts); `statementJson` does so itself.
 */
export function statement(
  ingot: Ingot,
  request: StatementRequest,
): Promise<Outcome<{ statement: Statement }>> {
  return inSnapshot(ingot, (reading) => statementRead(reading, request));
}

async function statementRead(
  ingot: Ingot,
  request: StatementRequest,
): Promise<Outcome<{ statement: Statement }>> {
  const db = ingot.store.db;
  const found = await findAccount(db, request.account_id);
  if (!found.ok) return found;
  const { account } = found;
  const opening = await db
    .selectFrom('postings')
    .innerJoin('entries', 'entries.id', 'postings.entry_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<bigint>('postings.amount'), ZERO).as('sum'))
    .where('postings.account_id', '=', account.id)
    .where('entries.value_date', '<', request.from)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('postings')
    .innerJoin('entries', 'entries.id', 'postings.entry_id')
    .select(['entries.id', 'entries.value_date', 'entries.kind', 'entries.memo', 'postings.amount'])
    .where('postings.account_id', '=', account.id)
    .where('entries.value_date', '>=', request.from)
    .where('entries.value_date', '<=', request.to)
    .orderBy('entries.value_date')
    .orderBy('entries.id')
    .execute();
  let balance = BigInt(opening.sum);
  const lines = rows.map((row) => {
    balance += row.amount;
    return {
      entry_id: row.id,
      value_date: row.value_date,
      kind: row.kind,
      memo: row.memo,
      amount: row.amount,
      balance,
    };
  });
  const { from, to } = request;
  return {
    ok: true,
    statement: { account, from, to, opening: BigInt(opening.sum), lines, closing: balance },
  };
}

/** The bars of a custody account do not add up to its balance: the books are unsound. */
export class StatementBarsDiffer extends InvariantError {
  override name = 'StatementBarsDiffer';
}

/**
 * The bars behind a custody statement's closing balance, in custody order, a page at a time, all
 * pages read in one snapshot (the caller's, when it made `st` in one: see `statement`).
 * Once the last is read their fine weights must add up to the closing balance; if they do not,
 * the generator throws StatementBarsDiffer, so a bar list that does not match its balance never
 * ends as if it were whole. A statement of any other account has no bars.
 */
export function statementBars(ingot: Ingot, st: Statement): AsyncGenerator<BarRow> {
  return streamInSnapshot(ingot, (reading) => barsBehind(reading, st));
}

async function* barsBehind(ingot: Ingot, st: Statement): AsyncGenerator<BarRow> {
  if (st.account.kind !== 'custody') return;
  let fine = 0n;
  for await (const bar of barsAtDate(ingot, st.account.id, st.to)) {
    fine += bar.fine_milli_oz;
    yield bar;
  }
  if (fine !== st.closing) {
    throw new StatementBarsDiffer(
      `${st.account.id}: the bars of ${st.to} sum to ${fine}, the books say ${st.closing}`,
    );
  }
}

/** Bars per page when a bar list is walked. */
export const STATEMENT_BAR_PAGE = 5000;

/**
 * The bars an account held at the end of a value date, a page at a time in custody order, so a
 * vault of millions of bars is never held whole; every page read in one snapshot of the books (the
 * caller's, if it holds one), so a bar moved meanwhile is listed once, where it was. On or after
 * the last value date in the books the owner column says it; for an earlier date the bars'
 * receipts and moves are replayed.
 */
export function barsAtDate(ingot: Ingot, accountId: string, date: string): AsyncGenerator<BarRow> {
  return streamInSnapshot(ingot, (reading) => barPages(reading, accountId, date));
}

async function* barPages(ingot: Ingot, accountId: string, date: string): AsyncGenerator<BarRow> {
  const latest = await ingot.store.db
    .selectFrom('entries')
    .select((eb) => eb.fn.max('value_date').as('date'))
    .executeTakeFirst();
  const current = !latest?.date || date >= latest.date;
  let after = 0n;
  for (;;) {
    const page = current
      ? await ingot.store.db
          .selectFrom('bars')
          .selectAll()
          .where('owner_account_id', '=', accountId)
          .where('id', '>', after)
          .orderBy('id')
          .limit(STATEMENT_BAR_PAGE)
          .execute()
      : await barsAt(ingot, accountId, date, after);
    for (const bar of page) yield bar;
    const last = page.at(-1);
    if (!last || page.length < STATEMENT_BAR_PAGE) return;
    after = last.id;
  }
}

/** One page of the bars an account held at the end of a past value date, replayed from history. */
async function barsAt(ingot: Ingot, accountId: string, date: string, after: bigint): Promise<BarRow[]> {
  const db = ingot.store.db;
  // A bar's owner on a date is the target of its last move up to that date, or, with no move, the
  // account that received it (when received by then).
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
    .where('bars.id', '>', after)
    .where((eb) =>
      eb.or([
        eb('move.target_account_id', '=', accountId),
        eb.and([eb('last.bar_id', 'is', null), eb('bars.received_entry_id', 'in', receiptsInto(accountId))]),
      ]),
    )
    .orderBy('bars.id')
    .limit(STATEMENT_BAR_PAGE)
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
