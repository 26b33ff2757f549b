// A client bank's treasury records as stored, read back into the domain's terms, and what the books
// say of its cash at the depository and of its open trades on a date.

import type { CurrencyCode } from '../../domain/money.ts';
import type {
  Correspondent,
  CorrespondentBalance,
  DepositoryCash,
  Earmark,
  TradeCommitment,
  Transfer,
  TransferSource,
  TransferTarget,
} from '../../domain/treasury.ts';
import type {
  TreasuryBalanceRow,
  TreasuryCorrespondentRow,
  TreasuryEarmarkRow,
  TreasuryTransferRow,
} from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import {
  balanceOn,
  balancesOf,
  cashAccountsOf,
  correspondentsInOrder,
  earmarksOf,
  openTradesOf,
  transfersOf,
} from './queries.ts';

/** Read here by the server's demo; the one function is in queries.ts. */
export { keepsTreasury } from './queries.ts';

export function toCorrespondent(row: TreasuryCorrespondentRow): Correspondent {
  return {
    id: row.id,
    bank: row.bank,
    currency: row.currency as CurrencyCode,
    account_reference: row.account_reference,
  };
}

export function toBalance(row: TreasuryBalanceRow): CorrespondentBalance {
  return { correspondent_id: row.correspondent_id, as_of: row.as_of, minor: row.minor, sequence: row.id };
}

export function toTransfer(row: TreasuryTransferRow): Transfer {
  const source: TransferSource =
    row.source_kind === 'correspondent'
      ? { kind: 'correspondent', correspondent_id: row.source }
      : { kind: 'outside', name: row.source };
  const target: TransferTarget =
    row.target_kind === 'correspondent'
      ? { kind: 'correspondent', correspondent_id: row.target }
      : { kind: 'depository', account_id: row.target };
  return {
    id: row.id,
    amount: { currency: row.currency as CurrencyCode, minor: row.minor },
    source,
    target,
    sent_on: row.sent_on,
    expected_on: row.expected_on,
    state: row.state as Transfer['state'],
    closed_on: row.closed_on,
  };
}

/** The columns of a transfer's ends. */
export function transferEnds(transfer: Transfer) {
  return {
    source_kind: transfer.source.kind,
    source:
      transfer.source.kind === 'correspondent' ? transfer.source.correspondent_id : transfer.source.name,
    target_kind: transfer.target.kind,
    target:
      transfer.target.kind === 'correspondent'
        ? transfer.target.correspondent_id
        : transfer.target.account_id,
  };
}

export function toEarmark(row: TreasuryEarmarkRow): Earmark {
  return {
    id: row.id,
    amount: { currency: row.currency as CurrencyCode, minor: row.minor },
    purpose: row.purpose,
    from: row.from_date,
    until: row.until,
    released_on: row.released_on,
  };
}

/** Everything a bank recorded of its treasury, with who recorded what. */
export interface TreasuryRecords {
  readonly correspondents: TreasuryCorrespondentRow[];
  readonly balances: TreasuryBalanceRow[];
  readonly transfers: TreasuryTransferRow[];
  readonly earmarks: TreasuryEarmarkRow[];
}

/** Reads a bank's treasury records. */
export async function loadRecords(db: Tx, party_id: string): Promise<TreasuryRecords> {
  const [correspondents, balances, transfers, earmarks] = await Promise.all([
    correspondentsInOrder(db, party_id),
    balancesOf(db, party_id),
    transfersOf(db, party_id),
    earmarksOf(db, party_id),
  ]);
  return { correspondents, balances, transfers, earmarks };
}

/** The bank's cash accounts at the depository, each at its balance at the end of a value date. */
export async function depositoryCashOn(db: Tx, party_id: string, on: string): Promise<DepositoryCash[]> {
  const accounts = await cashAccountsOf(db, party_id);
  const cash: DepositoryCash[] = [];
  for (const account of accounts) {
    const minor = await balanceOn(db, account.id, on);
    cash.push({ account_id: account.id, currency: account.unit as CurrencyCode, minor });
  }
  return cash;
}

/** The bank's trades that may hold money back on a date: accepted by then, not paid before it. */
export async function tradesOpenOn(db: Tx, party_id: string, on: string): Promise<TradeCommitment[]> {
  const rows = await openTradesOf(db, party_id, on);
  return rows.map((row) => ({
    trade_id: row.id,
    currency: row.currency as CurrencyCode,
    state: row.state as TradeCommitment['state'],
    accepted_on: row.accepted_on,
    budget_minor: row.budget_minor,
    fine_milli_oz: row.allocated_fine_milli_oz ?? row.asked_fine_milli_oz,
    settlement_date: row.settlement_date,
    consideration_minor: row.consideration_minor,
  }));
}
