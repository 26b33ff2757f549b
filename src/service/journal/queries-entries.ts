// What writing an entry to the journal reads and writes: the accounts it posts to, its header row,
// its postings and the balances they change. Each statement is prepared once
// (src/store/prepared.ts): every entry written runs them.
import { prepare } from '../../store/prepared.ts';
import type { AccountRow, EntryRow, PostingRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

const accountById = prepare((db, $) => db.selectFrom('accounts').selectAll().where('id', '=', $('id')));
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

/** An account's row, or undefined when there is no such account. */
export async function accountRow(tx: Tx, id: string): Promise<AccountRow | undefined> {
  const [row] = (await accountById.run(tx, { id })).rows;
  return row;
}

/** Writes an entry's header row, not yet sealed. */
export async function recordEntryHeader(tx: Tx, entry: Omit<EntryRow, 'hash'>): Promise<void> {
  await insertEntryRow.run(tx, {
    id: entry.id,
    kind: entry.kind,
    value_date: entry.value_date,
    recorded_at: entry.recorded_at,
    memo: entry.memo,
    trade_id: entry.trade_id,
    idempotency_key: entry.idempotency_key,
  });
}

/** Writes one posting of an entry. */
export async function recordPosting(tx: Tx, posting: PostingRow): Promise<void> {
  await insertPosting.run(tx, {
    entry_id: posting.entry_id,
    line: posting.line,
    account_id: posting.account_id,
    unit: posting.unit,
    amount: posting.amount,
  });
}

/** Stores an account's new balance; how many accounts it changed (1, or 0 for no such account). */
export async function storeBalance(tx: Tx, id: string, balance: bigint): Promise<bigint> {
  return (await updateBalance.run(tx, { id, balance })).changes;
}
