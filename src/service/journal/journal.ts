// Writing to the append-only journal: one entry, its postings, the balances they change.

import { GENESIS_HASH, hashEntry, type ReceivedBars } from '../../domain/custody/chain.ts';
import {
  type Account,
  type AccountKind,
  applyPostings,
  type LedgerUnit,
  type Posting,
} from '../../domain/ledger.ts';
import { assert, type Outcome } from '../../domain/outcome.ts';
import type { AccountRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import { BarStream, chainedMove, chainedPosting, digestReceived } from './chain.ts';
import {
  chainedMovesOf,
  chainedPostingsOf,
  entryAndItsPrevious,
  firstBarReceivedBy,
  lastEntryIn,
  newestBar,
  storeEntryHash,
} from './queries-chain.ts';
import { accountRow, recordEntryHeader, recordPosting, storeBalance } from './queries-entries.ts';

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

/** Loads the named accounts, keyed by id; missing ones are simply absent. */
export async function loadAccounts(tx: Tx, ids: readonly string[]): Promise<Map<string, Account>> {
  const accounts = new Map<string, Account>();
  for (const id of new Set(ids)) {
    const row = await accountRow(tx, id);
    if (row) accounts.set(row.id, toAccount(row));
  }
  return accounts;
}

/** The next journal entry number. */
export async function nextEntryId(tx: Tx): Promise<bigint> {
  return (await lastEntryIn(tx)) + 1n;
}

export type EntryHeader = Omit<NewEntry, 'postings'>;

/** Writes an entry's header row; its postings follow with `addPostings`. */
export async function insertEntry(tx: Tx, entryId: bigint, entry: EntryHeader): Promise<void> {
  await recordEntryHeader(tx, {
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
    await recordPosting(tx, {
      entry_id: entryId,
      line: BigInt(index + 1),
      account_id: posting.account_id,
      unit: posting.unit,
      amount: posting.amount,
    });
  }
  for (const [id, balance] of applied.balances) {
    const changes = await storeBalance(tx, id, balance);
    assert(changes === 1n, `account ${id} balance not updated`);
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
  await sealEntry(tx, entryId);
  return { ok: true, entry_id: entryId };
}

/** What the writer of an entry already knows, so that sealing it need not read it back. */
export interface SealHints {
  /**
   * The digest of the bars the entry received, taken as they were written in this transaction (an
   * import digests each row it writes). `ingot verify` digests them from the books again, so a
   * digest that is not theirs is found there.
   */
  readonly received_bars?: ReceivedBars;
}

/**
 * Where the bars `entryId` received start, or undefined when it received none. Its bars are the
 * newest, so the last bar tells whether there are any; only then is the first one looked for.
 */
async function receivedFrom(tx: Tx, entryId: bigint): Promise<bigint | undefined> {
  const last = await newestBar(tx);
  if (!last || last.received_entry_id !== entryId) return undefined;
  return firstBarReceivedBy(tx, entryId);
}

/** The digest of the bars `entryId` received, as hinted or read back from the books. */
async function receivedBars(tx: Tx, entryId: bigint, hints: SealHints): Promise<ReceivedBars | undefined> {
  if (hints.received_bars) return hints.received_bars;
  const from = await receivedFrom(tx, entryId);
  return from === undefined ? undefined : digestReceived(new BarStream(tx, from), entryId);
}

/**
 * Seals an entry once everything it writes is written: hashes its header, postings, bar moves and
 * the bars it received on the previous entry's hash, and stores the hash. Call it last, in the
 * transaction that wrote the entry; entries are written in id order, so the previous is sealed.
 */
export async function sealEntry(tx: Tx, entryId: bigint, hints: SealHints = {}): Promise<void> {
  const rows = await entryAndItsPrevious(tx, entryId);
  const header = rows.at(-1);
  assert(header?.id === entryId, `entry ${entryId} cannot be sealed: it is not written`);
  const previous = entryId === 1n ? GENESIS_HASH : rows.length === 2 ? rows[0]?.hash : undefined;
  const why = rows.length === 2 ? 'not sealed' : 'missing';
  assert(previous, `entry ${entryId} cannot be sealed: entry ${entryId - 1n} is ${why}`);
  const postings = (await chainedPostingsOf(tx, entryId)).map(chainedPosting);
  const moves = (await chainedMovesOf(tx, entryId)).map(chainedMove);
  const received = await receivedBars(tx, entryId, hints);
  const hash = hashEntry(previous, {
    id: entryId,
    kind: header.kind,
    value_date: header.value_date,
    recorded_at: header.recorded_at,
    memo: header.memo,
    postings,
    bar_moves: moves,
    ...(received ? { received_bars: received } : {}),
  });
  const written = await storeEntryHash(tx, entryId, hash);
  assert(written === 1n, `entry ${entryId} is already sealed`);
}
