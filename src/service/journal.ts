// Writing to the append-only journal: one entry, its postings, the balances they change.
import {
  type Account,
  type AccountKind,
  applyPostings,
  type LedgerUnit,
  type Posting,
} from '../domain/ledger.ts';
import { assert, type Outcome } from '../domain/outcome.ts';
import { prepare } from '../store/prepared.ts';
import type { AccountRow } from '../store/schema.ts';
import type { Tx } from '../store/store.ts';

export interface NewEntry {
  readonly kind: string;
  readonly value_date: string;
  readonly memo: string;
  readonly recorded_at: string;
  readonly trade_id?: string | null;
  readonly idempotency_key?: string | null;
  readonly postings: readonly Posting[];
}

/** Maps a stored account row to the domain's account. */
export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    party_id: row.party_id,
    kind: row.kind as AccountKind,
    unit: row.unit as LedgerUnit,
    balance: row.balance,
  };
}

const accountById = prepare((db, $) => db.selectFrom('accounts').selectAll().where('id', '=', $('id')));
const lastEntry = prepare((db) => db.selectFrom('entries').select((eb) => eb.fn.max('id').as('last')));

/** Loads the named accounts, keyed by id; missing ones are simply absent. */
export async function loadAccounts(tx: Tx, ids: readonly string[]): Promise<Map<string, Account>> {
  const accounts = new Map<string, Account>();
  for (const id of new Set(ids)) {
    const [row] = (await accountById.run(tx, { id })).rows;
    if (row) accounts.set(row.id, toAccount(row));
  }
  return accounts;
}

/** The next journal entry number. */
export async function nextEntryId(tx: Tx): Promise<bigint> {
  const [row] = (await lastEntry.run(tx, {})).rows;
  return (row?.last ?? 0n) + 1n;
}

export type EntryHeader = Omit<NewEntry, 'postings'>;

const insertEntryRow = prepare((db, $) =>
  db.insertInto('entries').values({
    id: $('id'),
    kind: $('kind'),
    value_date: $('value_date'),
    recorded_at: $('recorded_at'),
    memo: $('memo'),
    trade_id: $('trade_id'),
    idempotency_key: $('idempotency_key'),
  }),
);
const insertPosting = prepare((db, $) =>
  db.insertInto('postings').values({
    entry_id: $('entry_id'),
    line: $('line'),
    account_id: $('account_id'),
    unit: $('unit'),
    amount: $('amount'),
  }),
);
const updateBalance = prepare((db, $) =>
  db
    .updateTable('accounts')
    .set({ balance: $('balance') })
    .where('id', '=', $('id')),
);

/** Writes an entry's header row; its postings follow with `addPostings`. */
export async function insertEntry(tx: Tx, entryId: bigint, entry: EntryHeader): Promise<void> {
  await insertEntryRow.run(tx, {
    id: entryId,
    kind: entry.kind,
    value_date: entry.value_date,
    recorded_at: entry.recorded_at,
    memo: entry.memo,
    trade_id: entry.trade_id ?? null,
    idempotency_key: entry.idempotency_key ?? null,
  });
}

/**
 * Checks postings against their accounts and writes them with the new balances, or writes nothing
 * and returns the refusal. Pass `accounts` when the caller already loaded them in this transaction.
 */
export async function addPostings(
  tx: Tx,
  entryId: bigint,
  postings: readonly Posting[],
  accounts?: ReadonlyMap<string, Account>,
): Promise<Outcome<object>> {
  const known =
    accounts ??
    (await loadAccounts(
      tx,
      postings.map((p) => p.account_id),
    ));
  const applied = applyPostings(postings, known);
  if (!applied.ok) return applied;
  for (const [index, posting] of postings.entries()) {
    await insertPosting.run(tx, {
      entry_id: entryId,
      line: BigInt(index + 1),
      account_id: posting.account_id,
      unit: posting.unit,
      amount: posting.amount,
    });
  }
  for (const [id, balance] of applied.balances) {
    const result = await updateBalance.run(tx, { id, balance });
    assert(result.changes === 1n, `account ${id} balance not updated`);
  }
  return { ok: true };
}

/** Checks and writes a whole entry, or writes nothing and returns the refusal. */
export async function postEntry(
  tx: Tx,
  entry: NewEntry,
  accounts?: ReadonlyMap<string, Account>,
): Promise<Outcome<{ entry_id: bigint }>> {
  const known =
    accounts ??
    (await loadAccounts(
      tx,
      entry.postings.map((p) => p.account_id),
    ));
  const checked = applyPostings(entry.postings, known);
  if (!checked.ok) return checked;
  const entryId = await nextEntryId(tx);
  await insertEntry(tx, entryId, entry);
  const posted = await addPostings(tx, entryId, entry.postings, known);
  assert(posted.ok, 'postings refused after they were checked');
  return { ok: true, entry_id: entryId };
}
