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
import type { Ingot } from '../kernel/context.ts';
import { toUser } from '../parties/users.ts';

/** A bar's identity, which never changes: what a history is of. */
export interface BarIdentity {
  readonly id: bigint;
  readonly refiner: string;
  readonly serial: string;
  readonly year: number;
  readonly gross_milli_oz: bigint;
  readonly fineness: bigint;
  readonly fine_milli_oz: bigint;
  readonly bar_id: string | null;
}

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
  const bar = await ingot.store.db
    .selectFrom('bars')
    .selectAll()
    .where('refiner', '=', request.refiner.toUpperCase())
    .where('serial', '=', request.serial)
    .executeTakeFirst();
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
  const row = await ingot.store.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!row) return undefined;
  const user = toUser(row);
  return isDepositoryRole(user.role) ? undefined : user.party_id;
}

function identityOf(bar: BarRow): BarIdentity {
  return {
    id: bar.id,
    refiner: bar.refiner,
    serial: bar.serial,
    year: Number(bar.year),
    gross_milli_oz: bar.gross_milli_oz,
    fineness: bar.fineness,
    fine_milli_oz: bar.fine_milli_oz,
    bar_id: bar.external_bar_id,
  };
}

async function partiesOf(ingot: Ingot, events: readonly BarEvent[]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const e of events) for (const id of [e.source_account_id, e.target_account_id]) if (id) ids.add(id);
  if (ids.size === 0) return new Map();
  const rows = await ingot.store.db
    .selectFrom('accounts')
    .select(['id', 'party_id'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((row) => [row.id, row.party_id]));
}

const NO_EXTRAS = { documents: [], handed_to: null, destination: null } as const;

/** Every event of the bar's life, in no particular order. */
async function eventsOf(ingot: Ingot, bar: BarRow): Promise<BarEvent[]> {
  return [
    ...(await received(ingot, bar)),
    ...(await moves(ingot, bar)),
    ...(await allocations(ingot, bar)),
    ...(await reservations(ingot, bar)),
  ];
}

/** The import that received the bar: into which account, from which weight list. */
async function received(ingot: Ingot, bar: BarRow): Promise<BarEvent[]> {
  const db = ingot.store.db;
  const entry = await db
    .selectFrom('entries')
    .selectAll()
    .where('id', '=', bar.received_entry_id)
    .executeTakeFirst();
  const first = await db
    .selectFrom('bar_moves')
    .select('source_account_id')
    .where('bar_id', '=', bar.id)
    .orderBy('entry_id')
    .executeTakeFirst();
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
  const db = ingot.store.db;
  const rows = await db
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
    .where('bar_moves.bar_id', '=', bar.id)
    .orderBy('entries.id')
    .execute();
  const events: BarEvent[] = [];
  for (const row of rows) {
    const details = row.body ? instructionDetails(row.body) : {};
    events.push({
      date: row.value_date,
      kind: MOVE_KINDS[row.kind] ?? 'owner_changed',
      entry_id: row.id,
      source_account_id: row.source_account_id,
      target_account_id: row.target_account_id,
      reference: row.trade_id ?? row.instruction_id,
      documents: await documentsOf(ingot, row.id),
      handed_to: details.representative_id ? await representative(ingot, details.representative_id) : null,
      destination: details.destination ?? null,
      recorded_at: row.recorded_at,
    });
  }
  return events;
}

/** The parts of a stored instruction's details a bar's history names. */
function instructionDetails(body: string): { representative_id?: string; destination?: string } {
  const parsed: unknown = JSON.parse(body);
  const details = (parsed as { details?: { representative_id?: unknown; destination?: unknown } }).details;
  return {
    ...(typeof details?.representative_id === 'string'
      ? { representative_id: details.representative_id }
      : {}),
    ...(typeof details?.destination === 'string' ? { destination: details.destination } : {}),
  };
}

async function representative(ingot: Ingot, id: string): Promise<HandedTo | null> {
  const row = await ingot.store.db
    .selectFrom('representatives')
    .select('body')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const body = JSON.parse(row.body) as { name?: unknown; identity_document?: unknown };
  return {
    representative_id: id,
    name: typeof body.name === 'string' ? body.name : id,
    identity_document: typeof body.identity_document === 'string' ? body.identity_document : 'not recorded',
  };
}

async function documentsOf(ingot: Ingot, entryId: bigint): Promise<EventDocument[]> {
  return ingot.store.db
    .selectFrom('documents')
    .select(['id', 'kind'])
    .where('entry_id', '=', entryId)
    .orderBy('id')
    .execute();
}

/** The trade the bar is allocated to (a trade's allocation is kept while it stands). */
async function allocations(ingot: Ingot, bar: BarRow): Promise<BarEvent[]> {
  const rows = await ingot.store.db
    .selectFrom('trade_bars')
    .innerJoin('trades', 'trades.id', 'trade_bars.trade_id')
    .select(['trades.id', 'trades.reference_date', 'trades.accepted_on', 'trades.created_at'])
    .where('trade_bars.bar_id', '=', bar.id)
    .execute();
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
  const rows = await ingot.store.db
    .selectFrom('instruction_bars')
    .innerJoin('instruction_steps', 'instruction_steps.instruction_id', 'instruction_bars.instruction_id')
    .innerJoin('instructions', 'instructions.id', 'instruction_bars.instruction_id')
    .select([
      'instructions.body',
      'instruction_steps.instruction_id',
      'instruction_steps.event',
      'instruction_steps.from_state',
      'instruction_steps.to_state',
      'instruction_steps.date',
      'instruction_steps.recorded_at',
    ])
    .where('instruction_bars.bar_id', '=', bar.id)
    .orderBy('instruction_steps.instruction_id')
    .orderBy('instruction_steps.number')
    .execute();
  const events: BarEvent[] = [];
  let reserved = false;
  let instruction = '';
  for (const row of rows) {
    if (row.instruction_id !== instruction) reserved = false;
    instruction = row.instruction_id;
    const changed = row.from_state !== row.to_state;
    let kind: BarEvent['kind'] | null = null;
    if (!reserved && changed && reserving(row.to_state, row.body)) kind = 'reserved';
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
function reserving(state: string, body: string): boolean {
  if (state === 'signed') {
    const parsed = JSON.parse(body) as { selection?: { kind?: unknown } };
    return parsed.selection?.kind === 'bars';
  }
  return ['accepted', 'quoted', 'quote_declined', 'quote_accepted'].includes(state);
}

/** A history as both edges show it: each event with its sentence. */
export function barHistoryView(history: BarHistory) {
  return {
    bar: history.bar,
    events: history.events.map((event) => ({ ...event, description: describeBarEvent(event) })),
  };
}
