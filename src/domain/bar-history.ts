// A bar's chain of custody: the events of its life in order, each said in a sentence, and the part
// of it a client bank may see (only what was recorded while one of its accounts held the bar).
import { formatFineness, formatOunces } from './weight.ts';

/** Every kind of event in a bar's life that the books record. */
export const BAR_EVENT_KINDS = [
  'received',
  'allocated',
  'owner_changed',
  'reserved',
  'reservation_released',
  'released_to_representative',
  'dispatched',
  'delivered',
  'returned',
  'seen_in_count',
  'missing_in_count',
  'found_in_count',
  'reweighed',
] as const;
export type BarEventKind = (typeof BAR_EVENT_KINDS)[number];

/** The representative a bar was handed to, as registered: who, and the identity document shown. */
export interface HandedTo {
  readonly representative_id: string;
  readonly name: string;
  readonly identity_document: string;
}

/** A document behind an event, as the books number it. */
export interface EventDocument {
  readonly id: bigint;
  readonly kind: string;
}

/** A bar's weights as an event states them: counted, or found on reweighing. */
export interface EventWeights {
  readonly gross_milli_oz: bigint;
  readonly fineness: bigint;
  readonly fine_milli_oz: bigint;
}

/** One event of a bar's life. An event that moves the bar names both owners; others name neither. */
export interface BarEvent {
  readonly date: string;
  readonly kind: BarEventKind;
  /** The journal entry that records it; null for a reservation, which moves nothing. */
  readonly entry_id: bigint | null;
  readonly source_account_id: string | null;
  readonly target_account_id: string | null;
  /** The trade or instruction it was done under, or the weight list it arrived with. */
  readonly reference: string | null;
  readonly documents: readonly EventDocument[];
  readonly handed_to: HandedTo | null;
  /** Where a shipment went, for a dispatch, delivery or return. */
  readonly destination: string | null;
  /**
   * Weights the event states: for a reweighing the new ones (and `weights_before` the old); for a
   * count the counted ones where they differed from the books; else null.
   */
  readonly weights?: EventWeights | null;
  readonly weights_before?: EventWeights | null;
  /** When the books recorded it: orders events of one date. */
  readonly recorded_at: string;
}

/** Events of one date and time come in the order a bar's life allows. */
const RANK: Record<BarEventKind, number> = {
  received: 0,
  allocated: 1,
  reserved: 2,
  reservation_released: 3,
  owner_changed: 4,
  released_to_representative: 5,
  dispatched: 6,
  delivered: 7,
  returned: 8,
  reweighed: 9,
  seen_in_count: 10,
  missing_in_count: 11,
  found_in_count: 12,
};

/** The events in the order they happened: by date, then as recorded, then by the life's order. */
export function orderBarEvents(events: readonly BarEvent[]): BarEvent[] {
  const ordered = [...events].sort(
    (a, b) =>
      compare(a.date, b.date) ||
      compare(a.recorded_at, b.recorded_at) ||
      RANK[a.kind] - RANK[b.kind] ||
      compare(String(a.entry_id ?? ''), String(b.entry_id ?? '')),
  );
  return ordered;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True for an event that moves the bar from one account to another. */
export function isMove(event: BarEvent): boolean {
  return event.source_account_id !== null && event.target_account_id !== null;
}

/**
 * An event with the account that held the bar when the books recorded it: for a move its source,
 * for a receipt the account received into. Null where no account held the bar (a count that found
 * it before it was received). Only the books' own order decides it, never a date someone typed.
 */
export interface HeldBarEvent {
  readonly event: BarEvent;
  readonly holder_account_id: string | null;
}

/**
 * The account that held the bar when the journal entry `entry_id` was recorded: where the last
 * receipt or move recorded before it (the lower entry id) put the bar. Entry ids are the journal's
 * order; the dates on entries are business dates and say nothing of it. Events without an entry
 * or a target (reservations, reweighings, counts) are passed over, so any events may be given.
 */
export function holderWhenRecorded(events: readonly BarEvent[], entry_id: bigint): string | null {
  let holder: string | null = null;
  let latest: bigint | null = null;
  for (const event of events) {
    const placed = event.entry_id;
    if (placed === null || event.target_account_id === null || placed >= entry_id) continue;
    if (latest !== null && placed <= latest) continue;
    latest = placed;
    holder = event.target_account_id;
  }
  return holder;
}

/**
 * The events a client bank sees: those recorded while one of its accounts held the bar, as if the
 * rest of the bar's life did not exist; a move also when it brings the bar to the bank. `owns`
 * says whether an account is the bank's. The order is kept, and does not matter: each event says
 * who held the bar, so a date typed out of order cannot carry one bank's event into another's span.
 */
export function visibleSpan(
  events: readonly HeldBarEvent[],
  owns: (account_id: string) => boolean,
): BarEvent[] {
  const seen: BarEvent[] = [];
  for (const { event, holder_account_id } of events) {
    const target = isMove(event) ? event.target_account_id : null;
    const held = holder_account_id !== null && owns(holder_account_id);
    if (held || (target !== null && owns(target))) seen.push(event);
  }
  return seen;
}

/** An event as a sentence, for people. */
export function describeBarEvent(event: BarEvent): string {
  const from = event.source_account_id ?? '';
  const to = event.target_account_id ?? '';
  const under = event.reference ? ` under ${event.reference}` : '';
  switch (event.kind) {
    case 'received':
      return `received into ${to} from outside the depository, weight list ${event.reference ?? 'unnamed'}`;
    case 'allocated':
      return `allocated to ${event.reference ?? 'a trade'} and reserved for it`;
    case 'owner_changed':
      return `owner changed from ${from} to ${to}${under}`;
    case 'reserved':
      return `reserved${under}`;
    case 'reservation_released':
      return `reservation released${under}`;
    case 'released_to_representative': {
      const who = event.handed_to;
      const whom = who
        ? ` to ${who.name} (${who.representative_id}), identity: ${who.identity_document}`
        : '';
      return `released from ${from}${whom}${under}; leaves custody`;
    }
    case 'dispatched':
      return `dispatched from ${from}${toward(event)}${under}`;
    case 'delivered':
      return `delivered${toward(event)}${under}; leaves custody`;
    case 'returned':
      return `returned to ${to}${under}`;
    case 'seen_in_count': {
      const w = event.weights;
      const differing = w ? `, weighing differently from the books: ${weightsText(w)}` : '';
      return `seen in vault count ${event.reference ?? ''}${differing}`;
    }
    case 'missing_in_count':
      return `MISSING in vault count ${event.reference ?? ''}: booked, not counted`;
    case 'found_in_count':
      return `found in vault count ${event.reference ?? ''} though the books did not hold it there`;
    case 'reweighed': {
      const before = event.weights_before ? `${weightsText(event.weights_before)} → ` : '';
      const after = event.weights ? weightsText(event.weights) : '';
      return `reweighed: ${before}${after}${under}`;
    }
  }
}

function weightsText(w: EventWeights): string {
  return `${formatOunces(w.gross_milli_oz)} oz gross at ${formatFineness(w.fineness)}‰, ${formatOunces(w.fine_milli_oz)} oz fine`;
}

function toward(event: BarEvent): string {
  return event.destination ? ` to ${event.destination}` : '';
}

/** An event as one line: its date, entry, sentence and documents. */
export function formatBarEventLine(event: BarEvent): string {
  const entry = event.entry_id === null ? '    ' : `#${event.entry_id}`;
  const documents = event.documents.map((d) => `${d.kind} ${d.id}`).join(', ');
  return `${event.date}  ${entry.padEnd(5)} ${describeBarEvent(event)}${documents ? ` [${documents}]` : ''}`;
}
