// A bar's chain of custody, read from what the books already record: the import that received it,
// its moves (each a journal entry, under a trade or an instruction's step), the trade it was
// allocated to and the instructions that reserved it. One function, which the API and the command
// line both call, so both answer the same.

import {
  type BarEvent,
  describeBarEvent,
  type EventDocument,
  type HandedTo,
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
 * client bank's user the span while its accounts owned the bar. A bar it never owned is answered
 * exactly as one that does not exist; then the reader must be cleared for bar lists.
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
  const bar = await barByMark(ingot.store.db, request.refiner.toUpperCase(), request.serial);
  const party = await readerParty(ingot, request.reader_user_id);
  if (!bar) return notFound;
  let events = orderBarEvents(await eventsOf(ingot, bar));
  if (party !== undefined) {
    const parties = await partiesOf(ingot, events);
    events = visibleSpan(events, (account) => parties.get(account) === party);
    if (events.length === 0) return notFound;
  }
  if (request.reader_user_id !== null) {
    const cleared = await mayRead(ingot, { user_id: request.reader_user_id, kind: 'barlist' });
    if (!cleared.ok) return cleared;
  }
  return { ok: true, bar: identityOf(bar), events };
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

async function partiesOf(ingot: Ingot, events: readonly BarEvent[]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const e of events) for (const id of [e.source_account_id, e.target_account_id]) if (id) ids.add(id);
  if (ids.size === 0) return new Map();
  const rows = await partiesOfAccounts(ingot.store.db, [...ids]);
  return new Map(rows.map((row) => [row.id, row.party_id]));
}

const NO_EXTRAS = { documents: [], handed_to: null, destination: null } as const;

/** Every event of the bar's life, in no particular order. */
async function eventsOf(ingot: Ingot, bar: BarRow): Promise<BarEvent[]> {
  const arrived = await received(ingot, bar);
  const moved = await moves(ingot, bar);
  return [
    ...arrived,
    ...moved,
    ...(await allocations(ingot, bar)),
    ...(await reservations(ingot, bar)),
    ...(await reweighings(ingot, bar)),
    ...(await counts(ingot, bar, [...arrived, ...moved])),
  ];
}

/** Each reweighing of the bar under four eyes: the weights before and after, and its entry. */
async function reweighings(ingot: Ingot, bar: BarRow): Promise<BarEvent[]> {
  const rows = await reweighsOfBar(ingot.store.db, bar.id);
  const events: BarEvent[] = [];
  for (const row of rows) {
    const entry = BigInt(row.entry_id);
    events.push({
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
    });
  }
  return events;
}

/**
 * The vault counts recorded since the bar was received whose scope held it (every custody
 * account, or the account counted): seen, or missing where the count's findings say so; and any
 * count that found the bar where the books did not hold it. A count records only its findings, so
 * "seen" is every bar in its scope that it does not name (see docs/BAR-REPORTING.md).
 */
async function counts(ingot: Ingot, bar: BarRow, movesInOrder: readonly BarEvent[]): Promise<BarEvent[]> {
  const db = ingot.store.db;
  const rows = await countsOfBar(db, bar);
  if (rows.length === 0) return [];
  const steps = [...movesInOrder]
    .filter((e) => e.entry_id !== null && e.target_account_id !== null)
    .sort((a, b) => (BigInt(a.entry_id ?? 0n) < BigInt(b.entry_id ?? 0n) ? -1 : 1));
  const kinds = new Map((await accountKinds(db)).map((a) => [a.id, a.kind]));
  const events: BarEvent[] = [];
  for (const row of rows) {
    const entry = BigInt(row.entry_id);
    let holder: string | null = null;
    for (const step of steps) if (BigInt(step.entry_id ?? 0n) < entry) holder = step.target_account_id;
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
    events.push({
      date: row.count_date,
      kind,
      entry_id: entry,
      // The account the bar was counted in (or missed from), so a client sees its own counts only.
      source_account_id: null,
      target_account_id: null,
      reference: row.source,
      ...NO_EXTRAS,
      documents: [{ id: BigInt(row.document_id), kind: 'vault_count' }],
      weights,
      recorded_at: row.recorded_at,
    });
  }
  return events;
}

/** The import that received the bar: into which account, from which weight list. */
async function received(ingot: Ingot, bar: BarRow): Promise<BarEvent[]> {
  const db = ingot.store.db;
  const entry = await entryById(db, bar.received_entry_id);
  const first = await firstMoveOfBar(db, bar.id);
  if (!entry) return [];
  const list = /from bar list (.*)$/.exec(entry.memo)?.[1] ?? null;
  return [
    {
      date: entry.value_date,
      kind: 'received',
      entry_id: entry.id,
      source_account_id: null,
      target_account_id: first?.source_account_id ?? bar.owner_account_id,
      reference: list,
      ...NO_EXTRAS,
      recorded_at: entry.recorded_at,
    },
  ];
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
async function moves(ingot: Ingot, bar: BarRow): Promise<BarEvent[]> {
  const rows = await movesOfBar(ingot.store.db, bar.id);
  const events: BarEvent[] = [];
  for (const row of rows) {
    const details =
      row.body !== null && row.instruction_id !== null
        ? storedInstruction(row.body, row.instruction_id).details
        : undefined;
    events.push({
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
    });
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

/** The trade the bar is allocated to (a trade's allocation is kept while it stands). */
async function allocations(ingot: Ingot, bar: BarRow): Promise<BarEvent[]> {
  const rows = await tradesOfBar(ingot.store.db, bar.id);
  return rows.map((row) => ({
    date: row.reference_date ?? row.accepted_on,
    kind: 'allocated',
    entry_id: null,
    source_account_id: null,
    target_account_id: null,
    reference: row.id,
    ...NO_EXTRAS,
    recorded_at: row.created_at,
  }));
}

/** Instruction steps that reserved the bar, or released its reservation without moving it. */
async function reservations(ingot: Ingot, bar: BarRow): Promise<BarEvent[]> {
  const rows = await instructionStepsOfBar(ingot.store.db, bar.id);
  const events: BarEvent[] = [];
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
    events.push({
      date: row.date,
      kind,
      entry_id: null,
      source_account_id: null,
      target_account_id: null,
      reference: row.instruction_id,
      ...NO_EXTRAS,
      recorded_at: row.recorded_at,
    });
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
