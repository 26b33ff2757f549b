// The reads a bar's history is made of (history.ts): the bar, its receipt, moves, allocations,
// reservations, reweighings and the vault counts that saw it, and what they name.
import { sql } from 'kysely';
import type { EventDocument } from '../../domain/bar-history.ts';
import type { BarRow, EntryRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** A bar by its refiner's mark (as stored, upper case) and serial number. */
export function barByMark(db: Tx, refiner: string, serial: string): Promise<BarRow | undefined> {
  return db
    .selectFrom('bars')
    .selectAll()
    .where('refiner', '=', refiner)
    .where('serial', '=', serial)
    .executeTakeFirst();
}

/**
 * A bar by its mark if an account of the party holds it or ever held it (received into it, or moved
 * to or from it); else nothing, as for a bar that does not exist. One query, so a bar the party may
 * not see is refused as soon as a missing one, before any of its life is read.
 */
export function barSeenByParty(
  db: Tx,
  refiner: string,
  serial: string,
  partyId: string,
): Promise<BarRow | undefined> {
  const accountsOfParty = db.selectFrom('accounts').select('accounts.id').where('party_id', '=', partyId);
  return db
    .selectFrom('bars')
    .selectAll('bars')
    .where('refiner', '=', refiner)
    .where('serial', '=', serial)
    .where((eb) =>
      eb.or([
        eb('bars.owner_account_id', 'in', accountsOfParty),
        eb.exists(
          eb
            .selectFrom('bar_moves')
            .select('bar_moves.entry_id')
            .whereRef('bar_moves.bar_id', '=', 'bars.id')
            .where((move) =>
              move.or([
                move('bar_moves.source_account_id', 'in', accountsOfParty),
                move('bar_moves.target_account_id', 'in', accountsOfParty),
              ]),
            ),
        ),
      ]),
    )
    .executeTakeFirst();
}

/** The party of each of the accounts. */
export function partiesOfAccounts(
  db: Tx,
  accountIds: readonly string[],
): Promise<{ id: string; party_id: string }[]> {
  return db.selectFrom('accounts').select(['id', 'party_id']).where('id', 'in', accountIds).execute();
}

/** The kind of every account. */
export function accountKinds(db: Tx): Promise<{ id: string; kind: string }[]> {
  return db.selectFrom('accounts').select(['id', 'kind']).execute();
}

/** A reweighing of a bar: the weights before and after, its reason and entry. */
export interface ReweighOfBar {
  entry_id: bigint;
  reweigh_date: string;
  reason: string;
  gross_before: bigint;
  fineness_before: bigint;
  fine_before: bigint;
  gross_milli_oz: bigint;
  fineness: bigint;
  fine_milli_oz: bigint;
  recorded_at: string;
}

/** Each reweighing of a bar, in order, with when its entry was recorded. */
export async function reweighsOfBar(db: Tx, barId: bigint): Promise<ReweighOfBar[]> {
  const rows =
    await sql<ReweighOfBar>`select r.entry_id, r.reweigh_date, r.reason, r.gross_before, r.fineness_before, r.fine_before,
      r.gross_milli_oz, r.fineness, r.fine_milli_oz, e.recorded_at
    from bar_reweighs r join entries e on e.id = r.entry_id
    where r.bar_id = ${barId} order by r.number`.execute(db);
  return rows.rows;
}

/** A vault count, with what it found of one bar (nothing when it did not name the bar). */
export interface CountOfBar {
  id: bigint;
  entry_id: bigint;
  document_id: bigint;
  count_date: string;
  account_id: string | null;
  source: string;
  recorded_at: string;
  finding: string | null;
  gross_milli_oz: bigint | null;
  fineness: bigint | null;
  fine_milli_oz: bigint | null;
}

/**
 * The vault counts recorded after the bar was received, and any count that named it, in entry
 * order, each with its finding of the bar.
 */
export async function countsOfBar(
  db: Tx,
  bar: Pick<BarRow, 'refiner' | 'serial' | 'received_entry_id'>,
): Promise<CountOfBar[]> {
  const rows =
    await sql<CountOfBar>`select c.id, c.entry_id, c.document_id, c.count_date, c.account_id, c.source, c.recorded_at,
      f.finding, f.gross_milli_oz, f.fineness, f.fine_milli_oz
    from vault_counts c
    left join vault_count_findings f on f.count_id = c.id and f.refiner = ${bar.refiner} and f.serial = ${bar.serial}
    where c.entry_id > ${bar.received_entry_id} or f.finding is not null
    order by c.entry_id`.execute(db);
  return rows.rows;
}

/** A journal entry by its id. */
export function entryById(db: Tx, id: bigint): Promise<EntryRow | undefined> {
  return db.selectFrom('entries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The account a bar's first move took it from: the account that received it, if it ever moved. */
export function firstMoveOfBar(db: Tx, barId: bigint): Promise<{ source_account_id: string } | undefined> {
  return db
    .selectFrom('bar_moves')
    .select('source_account_id')
    .where('bar_id', '=', barId)
    .orderBy('entry_id')
    .executeTakeFirst();
}

/** Each move of a bar in entry order, with its entry and the instruction (and its body) behind it. */
export function movesOfBar(db: Tx, barId: bigint) {
  return db
    .selectFrom('bar_moves')
    .innerJoin('entries', 'entries.id', 'bar_moves.entry_id')
    .leftJoin('instruction_steps', 'instruction_steps.entry_id', 'entries.id')
    .leftJoin('instructions', 'instructions.id', 'instruction_steps.instruction_id')
    .select([
      'entries.id',
      'entries.kind',
      'entries.value_date',
      'entries.recorded_at',
      'entries.trade_id',
      'bar_moves.source_account_id',
      'bar_moves.target_account_id',
      'instructions.id as instruction_id',
      'instructions.body',
    ])
    .where('bar_moves.bar_id', '=', barId)
    .orderBy('entries.id')
    .execute();
}

/** A representative's stored body, if there is such a representative. */
export async function representativeBody(db: Tx, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('representatives').select('body').where('id', '=', id).executeTakeFirst();
  return row?.body;
}

/** The documents a journal entry produced, in id order. */
export function documentsOfEntry(db: Tx, entryId: bigint): Promise<EventDocument[]> {
  return db
    .selectFrom('documents')
    .select(['id', 'kind'])
    .where('entry_id', '=', entryId)
    .orderBy('id')
    .execute();
}

/** The trades a bar is allocated to, with their dates and the seller's account it was allocated in. */
export function tradesOfBar(db: Tx, barId: bigint) {
  return db
    .selectFrom('trade_bars')
    .innerJoin('trades', 'trades.id', 'trade_bars.trade_id')
    .innerJoin('offers', 'offers.id', 'trades.offer_id')
    .select([
      'trades.id',
      'trades.reference_date',
      'trades.accepted_on',
      'trades.created_at',
      'offers.seller_stock_account_id',
    ])
    .where('trade_bars.bar_id', '=', barId)
    .execute();
}

/**
 * Every step of each instruction that names a bar, by instruction then step, with its body and
 * its account (the books reserve for an instruction only bars its account holds).
 */
export function instructionStepsOfBar(db: Tx, barId: bigint) {
  return db
    .selectFrom('instruction_bars')
    .innerJoin('instruction_steps', 'instruction_steps.instruction_id', 'instruction_bars.instruction_id')
    .innerJoin('instructions', 'instructions.id', 'instruction_bars.instruction_id')
    .select([
      'instructions.body',
      'instructions.source_account_id',
      'instruction_steps.instruction_id',
      'instruction_steps.event',
      'instruction_steps.from_state',
      'instruction_steps.to_state',
      'instruction_steps.date',
      'instruction_steps.recorded_at',
    ])
    .where('instruction_bars.bar_id', '=', barId)
    .orderBy('instruction_steps.instruction_id')
    .orderBy('instruction_steps.number')
    .execute();
}
