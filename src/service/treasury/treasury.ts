// A client bank's treasury: its correspondents and their balances, transfers under way, earmarks,
// each recorded in one transaction under the core's rules; and its position on a date. Planning
// data of the bank's own: nothing here moves money or gold in the books.
import type { CurrencyCode, FxRate, Money } from '../../domain/money.ts';
import {
  type Correspondent,
  checkBalance,
  checkCorrespondent,
  checkEarmark,
  closeTransfer,
  draftTransfer,
  refuseTreasury,
  releaseEarmark,
  type SetAside,
  type SterlingLine,
  setAsideFor,
  sterlingEquivalent,
  type TransferSource,
  type TransferTarget,
  type TreasuryOutcome,
  type TreasuryPosition,
  type TreasuryRefusal,
  treasuryPosition,
} from '../../domain/treasury.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { atomically, idempotent, type ReplayableOf } from '../kernel/idempotency.ts';
import { nextInSequence } from '../kernel/sequence.ts';
import {
  cashAccountCurrencies,
  closeTransferRow,
  correspondentRows,
  earmarkOf,
  fixingOn,
  lastBalanceId,
  recordBalanceRow,
  recordCorrespondentRow,
  recordEarmarkRow,
  recordTransferRow,
  releaseEarmarkRow,
  transferOf,
} from './queries.ts';
import {
  depositoryCashOn,
  loadRecords,
  type TreasuryRecords,
  toBalance,
  toCorrespondent,
  toEarmark,
  toTransfer,
  tradesOpenOn,
  transferEnds,
} from './treasury-rows.ts';

/** The treasury on a date: the position, how it was found, and the sterling equivalent if it can be. */
export interface TreasuryView {
  readonly party_id: string;
  readonly position: TreasuryPosition;
  readonly depository: readonly { account_id: string; currency: CurrencyCode; minor: bigint }[];
  readonly set_aside: readonly SetAside[];
  readonly sterling: TreasuryOutcome<{ lines: SterlingLine[]; total_minor: bigint }>;
  readonly records: TreasuryRecords;
}

/** The bank's treasury on a date, with what is left in sterling at the rates stated (units per £). */
export async function treasuryView(
  ingot: Ingot,
  party_id: string,
  on: string,
  rates: Partial<Record<CurrencyCode, FxRate>>,
): Promise<TreasuryView> {
  const db = ingot.store.db;
  const [records, depository, trades] = await Promise.all([
    loadRecords(db, party_id),
    depositoryCashOn(db, party_id, on),
    tradesOpenOn(db, party_id, on),
  ]);
  const fixings = new Map<CurrencyCode, Awaited<ReturnType<typeof fixingOn>>>();
  for (const currency of new Set(trades.map((t) => t.currency)))
    fixings.set(currency, await fixingOn(db, currency, on));
  const set_aside = trades.flatMap((trade) => setAsideFor(trade, fixings.get(trade.currency), on) ?? []);
  const position = treasuryPosition(
    {
      correspondents: records.correspondents.map(toCorrespondent),
      balances: records.balances.map(toBalance),
      transfers: records.transfers.map(toTransfer),
      earmarks: records.earmarks.map(toEarmark),
      depository,
      set_aside,
    },
    on,
  );
  const sterling = sterlingEquivalent(position.currencies, rates, on);
  return { party_id, position, depository, set_aside, sterling, records };
}

async function correspondentsOf(tx: Tx, party_id: string): Promise<Correspondent[]> {
  const rows = await correspondentRows(tx, party_id);
  return rows.map(toCorrespondent);
}

/** Registers an account the bank holds at a correspondent bank. */
export async function addCorrespondent(
  ingot: Ingot,
  party_id: string,
  input: Correspondent,
): Promise<TreasuryOutcome<{ id: string }>> {
  return atomically(ingot, async (tx): Promise<TreasuryOutcome<{ id: string }>> => {
    const checked = checkCorrespondent(input, await correspondentsOf(tx, party_id));
    if (!checked.ok) return checked;
    const { correspondent } = checked;
    await recordCorrespondentRow(tx, {
      party_id,
      ...correspondent,
      created_by: ingot.user,
      created_at: ingot.now(),
    });
    return { ok: true, id: correspondent.id };
  });
}

type Recorded<T> = Promise<ReplayableOf<TreasuryOutcome<T>> | TreasuryRefusal>;

/** Records a balance a correspondent stated; a later record for the same date corrects it. */
export async function recordBalance(
  ingot: Ingot,
  party_id: string,
  input: { correspondent_id: string; as_of: string; amount: Money },
  key: string,
): Recorded<{ id: string }> {
  return idempotent(ingot, key, 'treasury.balance', { party_id, ...input }, async (tx) => {
    const checked = checkBalance(input, await correspondentsOf(tx, party_id));
    if (!checked.ok) return checked;
    const id = (await lastBalanceId(tx)) + 1n;
    await recordBalanceRow(tx, {
      id,
      party_id,
      correspondent_id: input.correspondent_id,
      as_of: input.as_of,
      minor: input.amount.minor,
      recorded_by: ingot.user,
      recorded_at: ingot.now(),
    });
    return { ok: true, id: id.toString() };
  });
}

export interface TransferInput {
  readonly amount: Money;
  readonly source: TransferSource;
  readonly target: TransferTarget;
  readonly sent_on: string;
  readonly expected_on: string;
  readonly note: string | null;
}

/** Records a transfer under way to one of the bank's places. */
export async function recordTransfer(
  ingot: Ingot,
  party_id: string,
  input: TransferInput,
  key: string,
): Recorded<{ id: string }> {
  return idempotent(ingot, key, 'treasury.transfer', { party_id, ...input }, async (tx) => {
    const accounts = await cashAccountCurrencies(tx, party_id);
    const places = { correspondents: await correspondentsOf(tx, party_id), depository_accounts: accounts };
    const id = `TRF-${await nextInSequence(tx, `treasury_transfer:${party_id}`)}`;
    const drafted = draftTransfer({ id, ...input }, places);
    if (!drafted.ok) return drafted;
    const { transfer } = drafted;
    await recordTransferRow(tx, {
      party_id,
      id,
      currency: transfer.amount.currency,
      minor: transfer.amount.minor,
      ...transferEnds(transfer),
      sent_on: transfer.sent_on,
      expected_on: transfer.expected_on,
      state: transfer.state,
      closed_on: null,
      closed_by: null,
      closed_at: null,
      note: input.note,
      recorded_by: ingot.user,
      recorded_at: ingot.now(),
    });
    return { ok: true, id };
  });
}

/** Runs `work` under the key when one is given (a retry replays), otherwise refused by state. */
function keyed<T extends object>(
  ingot: Ingot,
  key: string | undefined,
  command: string,
  request: unknown,
  work: (tx: Tx) => Promise<TreasuryOutcome<T>>,
): Recorded<T> {
  if (key !== undefined) return idempotent(ingot, key, command, request, work);
  return atomically(ingot, async (tx) => {
    const outcome = await work(tx);
    return outcome.ok ? { ...outcome, replayed: false } : outcome;
  });
}

/** Marks a transfer under way as arrived or cancelled on a date. */
export async function closeTransferOf(
  ingot: Ingot,
  party_id: string,
  request: { id: string; event: 'arrive' | 'cancel'; on: string; note: string | null },
  key?: string,
): Recorded<{ id: string; state: string }> {
  return keyed(ingot, key, `treasury.transfer.${request.event}`, { party_id, ...request }, async (tx) => {
    const row = await transferOf(tx, party_id, request.id);
    if (!row) return refuseTreasury('transfer_not_found', `no transfer ${request.id} of yours`, 'transfer');
    const closed = closeTransfer(toTransfer(row), request.event, request.on);
    if (!closed.ok) return closed;
    const note = [row.note, request.note].filter((n) => n).join('; ') || null;
    await closeTransferRow(tx, party_id, request.id, {
      state: closed.transfer.state,
      closed_on: request.on,
      closed_by: ingot.user,
      closed_at: ingot.now(),
      note,
    });
    return { ok: true, id: request.id, state: closed.transfer.state };
  });
}

/** Earmarks a sum for another need, from a date until another. */
export async function recordEarmark(
  ingot: Ingot,
  party_id: string,
  input: { amount: Money; purpose: string; from: string; until: string },
  key: string,
): Recorded<{ id: string }> {
  return idempotent(ingot, key, 'treasury.earmark', { party_id, ...input }, async (tx) => {
    const id = `EAR-${await nextInSequence(tx, `treasury_earmark:${party_id}`)}`;
    const checked = checkEarmark({ id, ...input });
    if (!checked.ok) return checked;
    const { earmark } = checked;
    await recordEarmarkRow(tx, {
      party_id,
      id,
      currency: earmark.amount.currency,
      minor: earmark.amount.minor,
      purpose: earmark.purpose,
      from_date: earmark.from,
      until: earmark.until,
      recorded_by: ingot.user,
      recorded_at: ingot.now(),
      released_on: null,
      released_by: null,
      released_at: null,
    });
    return { ok: true, id };
  });
}

/** Releases an earmark from a date on. */
export async function releaseEarmarkOf(
  ingot: Ingot,
  party_id: string,
  request: { id: string; on: string },
  key?: string,
): Recorded<{ id: string }> {
  return keyed(ingot, key, 'treasury.earmark.release', { party_id, ...request }, async (tx) => {
    const row = await earmarkOf(tx, party_id, request.id);
    if (!row) return refuseTreasury('earmark_not_found', `no earmark ${request.id} of yours`, 'earmark');
    const released = releaseEarmark(toEarmark(row), request.on);
    if (!released.ok) return released;
    await releaseEarmarkRow(tx, party_id, request.id, {
      released_on: request.on,
      released_by: ingot.user,
      released_at: ingot.now(),
    });
    return { ok: true, id: request.id };
  });
}
