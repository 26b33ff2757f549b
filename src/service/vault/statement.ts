// Statements of an account: opening balance, movements, closing balance, and the bars behind it.
import type { Account } from '../../domain/ledger.ts';
import { InvariantError, type Outcome } from '../../domain/outcome.ts';
import type { BarRow } from '../../store/schema.ts';
import type { Ingot } from '../kernel/context.ts';
import { inSnapshot, streamInSnapshot } from '../kernel/snapshot.ts';
import { findAccount } from '../parties/parties.ts';
import { lastValueDate } from './queries.ts';
import { balanceBefore, barsHeldOn, barsOwnedBy, postingsBetween } from './queries-reports.ts';

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
  const opening = await balanceBefore(db, account.id, request.from);
  const rows = await postingsBetween(db, account.id, request.from, request.to);
  let balance = opening;
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
    statement: { account, from, to, opening, lines, closing: balance },
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
  const latest = await lastValueDate(ingot.store.db);
  const current = !latest || date >= latest;
  let after = 0n;
  for (;;) {
    const page = current
      ? await barsOwnedBy(ingot.store.db, accountId, { after, limit: STATEMENT_BAR_PAGE })
      : await barsHeldOn(ingot.store.db, accountId, date, { after, limit: STATEMENT_BAR_PAGE });
    for (const bar of page) yield bar;
    const last = page.at(-1);
    if (!last || page.length < STATEMENT_BAR_PAGE) return;
    after = last.id;
  }
}
