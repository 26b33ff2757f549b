// A client bank's treasury as stored: its correspondents, their stated balances, transfers under
// way and earmarks, read and written; and what the books say of its cash at the depository, its
// open trades and the fixings. Each function runs on the executor it is given (the store's handle
// or a transaction), so it runs where its caller's statements run.
import type { CurrencyCode } from '../../domain/money.ts';
import { ZERO } from '../../store/prepared.ts';
import type {
  TreasuryBalanceRow,
  TreasuryCorrespondentRow,
  TreasuryEarmarkRow,
  TreasuryTransferRow,
} from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';

/** Whether a party keeps a treasury here: at least one correspondent recorded. */
export async function keepsTreasury(ingot: Ingot, party_id: string): Promise<boolean> {
  const row = await ingot.store.db
    .selectFrom('treasury_correspondents')
    .select('id')
    .where('party_id', '=', party_id)
    .executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Correspondents and their balances

/** A bank's correspondents, as stored, in no particular order. */
export function correspondentRows(tx: Tx, party_id: string): Promise<TreasuryCorrespondentRow[]> {
  return tx.selectFrom('treasury_correspondents').selectAll().where('party_id', '=', party_id).execute();
}

/** A bank's correspondents, as stored, in id order. */
export function correspondentsInOrder(db: Tx, party_id: string): Promise<TreasuryCorrespondentRow[]> {
  return db
    .selectFrom('treasury_correspondents')
    .selectAll()
    .where('party_id', '=', party_id)
    .orderBy('id')
    .execute();
}

/** Records a correspondent. */
export async function recordCorrespondentRow(tx: Tx, row: TreasuryCorrespondentRow): Promise<void> {
  await tx.insertInto('treasury_correspondents').values(row).execute();
}

/** The highest id of any stated balance of any bank (0 before the first). */
export async function lastBalanceId(tx: Tx): Promise<bigint> {
  const last = await tx
    .selectFrom('treasury_balances')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return last?.id ?? 0n;
}

/** Records a balance a correspondent stated. */
export async function recordBalanceRow(tx: Tx, row: TreasuryBalanceRow): Promise<void> {
  await tx.insertInto('treasury_balances').values(row).execute();
}

/** A bank's stated balances, in the order they were recorded. */
export function balancesOf(db: Tx, party_id: string): Promise<TreasuryBalanceRow[]> {
  return db
    .selectFrom('treasury_balances')
    .selectAll()
    .where('party_id', '=', party_id)
    .orderBy('id')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Transfers under way

/** A bank's transfers, by the day sent, then when recorded. */
export function transfersOf(db: Tx, party_id: string): Promise<TreasuryTransferRow[]> {
  return db
    .selectFrom('treasury_transfers')
    .selectAll()
    .where('party_id', '=', party_id)
    .orderBy('sent_on')
    .orderBy('recorded_at')
    .execute();
}

/** One transfer of a bank, if it has one of that id. */
export function transferOf(tx: Tx, party_id: string, id: string): Promise<TreasuryTransferRow | undefined> {
  return tx
    .selectFrom('treasury_transfers')
    .selectAll()
    .where('party_id', '=', party_id)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Records a transfer under way. */
export async function recordTransferRow(tx: Tx, row: TreasuryTransferRow): Promise<void> {
  await tx.insertInto('treasury_transfers').values(row).execute();
}

/** Closes a bank's transfer: its new state, when, by whom, and its note. */
export async function closeTransferRow(
  tx: Tx,
  party_id: string,
  id: string,
  closed: Pick<TreasuryTransferRow, 'state' | 'closed_on' | 'closed_by' | 'closed_at' | 'note'>,
): Promise<void> {
  await tx
    .updateTable('treasury_transfers')
    .set(closed)
    .where('party_id', '=', party_id)
    .where('id', '=', id)
    .execute();
}

/** The currency of each of a bank's cash accounts at the depository, the places it may send to. */
export function cashAccountCurrencies(tx: Tx, party_id: string): Promise<{ id: string; currency: string }[]> {
  return tx
    .selectFrom('accounts')
    .select(['id', 'unit as currency'])
    .where('party_id', '=', party_id)
    .where('kind', '=', 'cash')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Earmarks

/** A bank's earmarks, by the day they start, then when recorded. */
export function earmarksOf(db: Tx, party_id: string): Promise<TreasuryEarmarkRow[]> {
  return db
    .selectFrom('treasury_earmarks')
    .selectAll()
    .where('party_id', '=', party_id)
    .orderBy('from_date')
    .orderBy('recorded_at')
    .execute();
}

/** One earmark of a bank, if it has one of that id. */
export function earmarkOf(tx: Tx, party_id: string, id: string): Promise<TreasuryEarmarkRow | undefined> {
  return tx
    .selectFrom('treasury_earmarks')
    .selectAll()
    .where('party_id', '=', party_id)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Records an earmark. */
export async function recordEarmarkRow(tx: Tx, row: TreasuryEarmarkRow): Promise<void> {
  await tx.insertInto('treasury_earmarks').values(row).execute();
}

/** Releases a bank's earmark: from when, by whom, recorded when. */
export async function releaseEarmarkRow(
  tx: Tx,
  party_id: string,
  id: string,
  released: Pick<TreasuryEarmarkRow, 'released_on' | 'released_by' | 'released_at'>,
): Promise<void> {
  await tx
    .updateTable('treasury_earmarks')
    .set(released)
    .where('party_id', '=', party_id)
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// What the books say

/** A bank's cash accounts at the depository with their currency (unit), in id order. */
export function cashAccountsOf(db: Tx, party_id: string): Promise<{ id: string; unit: string }[]> {
  return db
    .selectFrom('accounts')
    .select(['id', 'unit'])
    .where('party_id', '=', party_id)
    .where('kind', '=', 'cash')
    .orderBy('id')
    .execute();
}

/** An account's balance at the end of a value date. */
export async function balanceOn(db: Tx, account_id: string, on: string): Promise<bigint> {
  const total = await db
    .selectFrom('postings')
    .innerJoin('entries', 'entries.id', 'postings.entry_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<bigint>('postings.amount'), ZERO).as('sum'))
    .where('postings.account_id', '=', account_id)
    .where('entries.value_date', '<=', on)
    .executeTakeFirstOrThrow();
  return BigInt(total.sum);
}

/**
 * The trades a bank buys that are accepted by `on` and either not settled or settled after it, in
 * id order, with their offer's currency.
 */
export function openTradesOf(db: Tx, party_id: string, on: string) {
  return db
    .selectFrom('trades')
    .innerJoin('offers', 'offers.id', 'trades.offer_id')
    .select([
      'trades.id',
      'trades.state',
      'trades.accepted_on',
      'trades.budget_minor',
      'trades.allocated_fine_milli_oz',
      'trades.asked_fine_milli_oz',
      'trades.settlement_date',
      'trades.consideration_minor',
      'offers.currency',
    ])
    .where('offers.buyer_party_id', '=', party_id)
    .where('trades.accepted_on', '<=', on)
    .where((eb) =>
      eb.or([
        eb('trades.state', 'in', ['accepted', 'allocated']),
        eb.and([eb('trades.state', '=', 'settled'), eb('trades.settlement_date', '>', on)]),
      ]),
    )
    .orderBy('trades.id')
    .execute();
}

/** The latest fixing in a currency on or before a date. */
export function fixingOn(
  db: Tx,
  currency: CurrencyCode,
  on: string,
): Promise<{ date: string; minor_per_oz: bigint } | undefined> {
  return db
    .selectFrom('fixings')
    .select(['date', 'minor_per_oz'])
    .where('currency', '=', currency)
    .where('date', '<=', on)
    .orderBy('date', 'desc')
    .limit(1)
    .executeTakeFirst();
}
