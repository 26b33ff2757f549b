// A bar's chain of custody, read from what the books already record: the import that received it,
// its moves (each a journal entry, under a trade or an instruction's step), the trade it was
// allocated to and the instructions that reserved it. One function, which the API and the command
// line both call, so both answer the same.

import {
  type BarEvent,
  describeBarEvent,
  type EventDocument,
  type HandedTo,
  type HeldBarEvent,
  holderWhenRecorded,
  orderBarEvents,
  visibleSpan,
} from '../../domain/bar-history.ts';
import { isDepositoryRole } from '../../domain/custody/controls.ts';
import { type Outcome, refuse } from '../../domain/outcome.ts';
import type { BarRow } from '../../store/schema.ts';
import { mayRead } from '../correspondence/clearance.ts';
import { storedInstruction, storedRepresentative } from '../custody/stored.ts';
import type { Ingot } from '../kernel/context.ts';
import { toUser } from '../parties/users.ts';
import { type BarView, barView } from './bar-view.ts';
import { userById } from './queries.ts';
import {
  accountKinds,
  barByMark,
  barSeenByParty,
  countsOfBar,
  documentsOfEntry,
  entryById,
  firstMoveOfBar,
  instructionStepsOfBar,
  movesOfBar,
  partiesOfAccounts,
  representativeBody,
  reweighsOfBar,
  tradesOfBar,
} from './queries-history.ts';

/** A bar's identity, which never changes: its view without where it lies and who holds it. */
export type BarIdentity = Pick<
  BarView,
  'id' | 'refiner' | 'serial' | 'year' | 'gross_milli_oz' | 'fineness' | 'fine_milli_oz' | 'bar_id'
>;

export interface BarHistory {
  readonly bar: BarIdentity;
  readonly events: readonly BarEvent[];
}

export interface BarHistoryRequest {
  readonly refiner: string;
  readonly serial: string;
  /** Who asks: a registered user is limited to its party's span and must be cleared; null: the keeper. */
  readonly reader_user_id: string | null;
}

/**
 * A bar's history as the reader may see it: the depository's staff (and the keeper) all of it, a
 * client bank's user what was recorded while its accounts held the bar. A bar it never held is
 * answered exactly as one that does not exist, and as soon: one query decides, before any of the
 * bar's life is read. Then the reader must be cleared for bar lists.
 */
export async function barHistory(
  ingot: Ingot,
  request: BarHistoryRequest,
): Promise<Outcome<BarHistory, string>> {
  const notFound = refuse(
    'bar_not_found',
    `no bar ${request.refiner} ${request.serial} is visible to you`,
    'bar',
  );
  const db = ingot.store.db;
  const refiner = request.refiner.toUpperCase();
  const party = await readerParty(ingot, request.reader_user_id);
  const bar =
    party === undefined
      ? await barByMark(db, refiner, request.serial)
      : await barSeenByParty(db, refiner, request.serial, party);
  if (!bar) return notFound;
  if (request.reader_user_id !== null) {
    const cleared = await mayRead(ingot, { user_id: request.reader_user_id, kind: 'barlist' });
    if (!cleared.ok) return cleared;
  }
  const held = await eventsOf(ingot, bar);
  let events = held.map((h) => h.event);
  if (party !== undefined) {
    const parties = await partiesOf(ingot, held);
    events = visibleSpan(held, (account) => parties.get(account) === party);
    if (events.length === 0) return notFound;
  }
  return { ok: true, bar: identityOf(bar), events: orderBarEvents(events) };
}

/** The party a reader is limited to; undefined for the depository's staff or the keeper. */
async function readerParty(ingot: Ingot, userId: string | null): Promise<string | undefined> {
  if (userId === null) return undefined;
  const row = await userById(ingot.store.db, userId);
  if (!row) return undefined;
  const user = toUser(row);
  return isDepositoryRole(user.role) ? undefined : user.party_id;
}

/** The bar's identity, taken from the one view of a stored bar. */
function identityOf(bar: BarRow): BarIdentity {
  const { id, refiner, serial, year, gross_milli_oz, fineness, fine_milli_oz, bar_id } = barView(bar);
  return { id, refiner, serial, year, gross_milli_oz, fineness, fine_milli_oz, bar_id };
}

/** The party of every account the events name or were recorded in. */
async function partiesOf(ingot: Ingot, events: readonly HeldBarEvent[]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const { event, holder_account_id } of events) {
    for (const id of [holder_account_id, event.source_account_id, event.target_account_id]) {
      if (id) ids.add(id);
    }
  }
  if (ids.size === 0) return new Map();
  const rows = await partiesOfAccounts(ingot.store.db, [...ids]);
  return new Map(rows.map((row) => [row.id, row.party_id]));
}

const NO_EXTRAS = { documents: [], handed_to: null, destination: null } as const;

/**
 * Every event of the bar's life, in no particular order, each with the account that held the bar
 * when the books recorded it: for what has a journal entry, the journal's order decides (entry
 * ids); a reservation is its instruction's account's and an allocation the seller's, as the books
 * reserve only bars those accounts hold. No date typed by a user decides whose an event is.
 */
async function eventsOf(ingot: Ingot, bar: BarRow): Promise<HeldBarEvent[]> {
  const placed = [...(await received(ingot, bar)), ...(await moves(ingot, bar))];
  const placings = placed.map((h) => h.event);
  return [
    ...placed,
    ...(await allocations(ingot, bar)),
    ...(await reservations(ingot, bar)),
    ...(await reweighings(ingot, bar, placings)),
    ...(await counts(ingot, bar, placings)),
  ];
}

/** Each reweighing of the bar under four eyes: the weights before and after, and its entry. */
async function reweighings(
  ingot: Ingot,
  bar: BarRow,
  placings: readonly BarEvent[],
): Promise<HeldBarEvent[]> {
  const rows = await reweighsOfBar(ingot.store.db, bar.id);
  const events: HeldBarEvent[] = [];
  for (const row of rows) {
    const entry = BigInt(row.entry_id);
    const event: BarEvent = {
      date: row.reweigh_date,
      kind: 'reweighed',
      entry_id: entry,
      source_account_id: null,
      target_account_id: null,
      reference: row.reason,
      ...NO_EXTRAS,
      documents: await documentsOf(ingot, entry),
      weights_before: {
        gross_milli_oz: BigInt(row.gross_before),
        fineness: BigInt(row.fineness_before),
        fine_milli_oz: BigInt(row.fine_before),
      },
      weights: {
        gross_milli_oz: BigInt(row.gross_milli_oz),
        fineness: BigInt(row.fineness),
        fine_milli_oz: BigInt(row.fine_milli_oz),
      },
      recorded_at: row.recorded_at,
    };
    events.push({ event, holder_account_id: holderWhenRecorded(placings, entry) });
  }
  return events;
}

/**
 * The vault counts recorded since the bar was received whose scope held it (every custody
 * account, or the account counted): seen, or missing where the count's findings say so; and any
 * count that found the bar where the books did not hold it. A count records only its findings, so
 * "seen" is every bar in its scope that it does not name (see docs/BAR-REPORTING.md).
 */
async function counts(ingot: Ingot, bar: BarRow, placings: readonly BarEvent[]): Promise<HeldBarEvent[]> {
  const db = ingot.store.db;
  const rows = await countsOfBar(db, bar);
  if (rows.length === 0) return [];
  const kinds = new Map((await accountKinds(db)).map((a) => [a.id, a.kind]));
  const events: HeldBarEvent[] = [];
  for (const row of rows) {
    const entry = BigInt(row.entry_id);
    const holder = holderWhenRecorded(placings, entry);
    const inScope =
      holder !== null &&
      (row.account_id === null ? kinds.get(holder) === 'custody' : holder === row.account_id);
    const finding = row.finding;
    let kind: BarEvent['kind'] | null = null;
    if (finding === 'missing') kind = 'missing_in_count';
    else if (finding === 'unknown') kind = 'found_in_count';
    else if (finding === 'differing' || inScope) kind = 'seen_in_count';
    if (kind === null) continue;
    const weights =
      finding !== 'missing' &&
      row.gross_milli_oz !== null &&
      row.fineness !== null &&
      row.fine_milli_oz !== null
        ? {
            gross_milli_oz: BigInt(row.gross_milli_oz),
            fineness: BigInt(row.fineness),
            fine_milli_oz: BigInt(row.fine_milli_oz),
          }
        : null;
    const event: BarEvent = {
      date: row.count_date,
      kind,
      entry_id: entry,
      source_account_id: null,
      target_account_id: null,
      reference: row.source,
      ...NO_EXTRAS,
      documents: [{ id: BigInt(row.document_id), kind: 'vault_count' }],
      weights,
      recorded_at: row.recorded_at,
    };
    // The account the books held the bar in when the count was recorded: a client sees its own.
    events.push({ event, holder_account_id: holder });
  }
  return events;
}

/** The import that received the bar: into which account, from which weight list. */
async function received(ingot: Ingot, bar: BarRow): Promise<HeldBarEvent[]> {
  const db = ingot.store.db;
  const entry = await entryById(db, bar.received_entry_id);
  const first = await firstMoveOfBar(db, bar.id);
  if (!entry) return [];
  const list = /from bar list (.*)$/.exec(entry.memo)?.[1] ?? null;
  const into = first?.source_account_id ?? bar.owner_account_id;
  const event: BarEvent = {
    date: entry.value_date,
    kind: 'received',
    entry_id: entry.id,
    source_account_id: null,
    target_account_id: into,
    reference: list,
    ...NO_EXTRAS,
    recorded_at: entry.recorded_at,
  };
  return [{ event, holder_account_id: into }];
}

/** Entry kinds that move a bar, and the event each is. */
const MOVE_KINDS: Record<string, BarEvent['kind']> = {
  settlement: 'owner_changed',
  instruction_transfer: 'owner_changed',
  instruction_release: 'released_to_representative',
  instruction_dispatch: 'dispatched',
  instruction_delivery: 'delivered',
  instruction_return: 'returned',
};

/** Each move of the bar, with the trade or instruction behind it and the documents it produced. */
async function moves(ingot: Ingot, bar: BarRow): Promise<HeldBarEvent[]> {
  const rows = await movesOfBar(ingot.store.db, bar.id);
  const events: HeldBarEvent[] = [];
  for (const row of rows) {
    const details =
      row.body !== null && row.instruction_id !== null
        ? storedInstruction(row.body, row.instruction_id).details
        : undefined;
    const event: BarEvent = {
      date: row.value_date,
      kind: MOVE_KINDS[row.kind] ?? 'owner_changed',
      entry_id: row.id,
      source_account_id: row.source_account_id,
      target_account_id: row.target_account_id,
      reference: row.trade_id ?? row.instruction_id,
      documents: await documentsOf(ingot, row.id),
      handed_to: details?.kind === 'release' ? await representative(ingot, details.representative_id) : null,
      destination: details?.kind === 'shipment' ? details.destination : null,
      recorded_at: row.recorded_at,
    };
    events.push({ event, holder_account_id: row.source_account_id });
  }
  return events;
}

/** The representative a bar was handed to, from its stored body (checked: corrupt is an error). */
async function representative(ingot: Ingot, id: string): Promise<HandedTo | null> {
  const body = await representativeBody(ingot.store.db, id);
  if (body === undefined) return null;
  const stored = storedRepresentative(body, id);
  return { representative_id: id, name: stored.name, identity_document: stored.identity_document };
}

async function documentsOf(ingot: Ingot, entryId: bigint): Promise<EventDocument[]> {
  return documentsOfEntry(ingot.store.db, entryId);
}

/**
 * The trade the bar is allocated to (a trade's allocation is kept while it stands): the seller's,
 * as a trade is allocated only bars of the seller's stock account.
 */
async function allocations(ingot: Ingot, bar: BarRow): Promise<HeldBarEvent[]> {
  const rows = await tradesOfBar(ingot.store.db, bar.id);
  return rows.map((row) => ({
    event: {
      date: row.reference_date ?? row.accepted_on,
      kind: 'allocated',
      entry_id: null,
      source_account_id: null,
      target_account_id: null,
      reference: row.id,
      ...NO_EXTRAS,
      recorded_at: row.created_at,
    },
    holder_account_id: row.seller_stock_account_id,
  }));
}

/**
 * Instruction steps that reserved the bar, or released its reservation without moving it: the
 * instruction's account's, as the books reserve for an instruction only bars its account holds
 * (the step's date is the one the client gave, and says nothing of who held the bar).
 */
async function reservations(ingot: Ingot, bar: BarRow): Promise<HeldBarEvent[]> {
  const rows = await instructionStepsOfBar(ingot.store.db, bar.id);
  const events: HeldBarEvent[] = [];
  let reserved = false;
  let instruction = '';
  for (const row of rows) {
    if (row.instruction_id !== instruction) reserved = false;
    instruction = row.instruction_id;
    const changed = row.from_state !== row.to_state;
    let kind: BarEvent['kind'] | null = null;
    if (!reserved && changed && reserving(row.to_state, row.body, row.instruction_id)) kind = 'reserved';
    else if (reserved && changed && ['cancel', 'reject', 'fail'].includes(row.event))
      kind = 'reservation_released';
    if (kind === null) continue;
    reserved = kind === 'reserved';
    const event: BarEvent = {
      date: row.date,
      kind,
      entry_id: null,
      source_account_id: null,
      target_account_id: null,
      reference: row.instruction_id,
      ...NO_EXTRAS,
      recorded_at: row.recorded_at,
    };
    events.push({ event, holder_account_id: row.source_account_id });
  }
  return events;
}

/** States in which an instruction holds its bars (a signed one only bars chosen by name). */
function reserving(state: string, body: string, instructionId: string): boolean {
  if (state === 'signed') return storedInstruction(body, instructionId).selection.kind === 'bars';
  return ['accepted', 'quoted', 'quote_declined', 'quote_accepted'].includes(state);
}

/** A history as both edges show it: each event with its sentence. */
export function barHistoryView(history: BarHistory) {
  return {
    bar: history.bar,
    events: history.events.map((event) => ({ ...event, description: describeBarEvent(event) })),
  };
}
