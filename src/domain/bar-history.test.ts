import { describe, expect, test } from 'vitest';
import {
  type BarEvent,
  type BarEventKind,
  describeBarEvent,
  type HeldBarEvent,
  holderWhenRecorded,
  orderBarEvents,
  visibleSpan,
} from './bar-history.ts';

/** An event recorded in `holder`'s time: with a journal entry when it moves the bar or receives it. */
function held(
  holder: string,
  kind: BarEventKind,
  date: string,
  move: [string, string, bigint] | null = null,
  reference: string | null = null,
): HeldBarEvent {
  const event: BarEvent = {
    date,
    kind,
    entry_id: kind === 'received' ? 1n : (move?.[2] ?? null),
    source_account_id: kind === 'received' ? null : (move?.[0] ?? null),
    target_account_id: kind === 'received' ? 'VAULT' : (move?.[1] ?? null),
    reference,
    documents: [],
    handed_to: null,
    destination: null,
    recorded_at: 'T',
  };
  return { event, holder_account_id: holder };
}

/** A bar received into the vault, sold to A, reserved and sent by A to B, then shipped by B. */
const HELD = [
  held('VAULT', 'received', '1961-01-02', null, 'list.csv'),
  held('VAULT', 'allocated', '1961-01-31', null, 'TRADE-1'),
  held('VAULT', 'owner_changed', '1961-01-31', ['VAULT', 'A-GOLD', 2n], 'TRADE-1'),
  held('A-GOLD', 'reserved', '1961-02-10', null, 'INS-1'),
  held('A-GOLD', 'owner_changed', '1961-02-15', ['A-GOLD', 'B-GOLD', 3n], 'INS-1'),
  held('B-GOLD', 'reserved', '1961-02-16', null, 'INS-2'),
  held('B-GOLD', 'dispatched', '1961-03-01', ['B-GOLD', 'B-TRANSIT', 4n], 'INS-2'),
  held('B-TRANSIT', 'delivered', '1961-03-20', ['B-TRANSIT', 'EXTERNAL', 5n], 'INS-2'),
];
const LIFE = HELD.map((h) => h.event);
const kinds = (events: readonly BarEvent[]) => events.map((e) => `${e.kind} ${e.reference}`);
const ofA = (account: string) => account.startsWith('A-');
const ofB = (account: string) => account.startsWith('B-');

describe('a bar’s history', () => {
  test('orders by date, and events of one moment as a bar’s life allows', () => {
    const shuffled = [...LIFE].reverse();
    expect(kinds(orderBarEvents(shuffled))).toEqual(kinds(LIFE));
  });

  test.each([
    ['the depository', () => true, 8],
    ['A', (account: string) => account.startsWith('A-'), 3],
    ['B', (account: string) => account.startsWith('B-'), 4],
    ['another bank', (account: string) => account.startsWith('C-'), 0],
  ])('%s sees its span only', (_who, owns, count) => {
    expect(visibleSpan(HELD, owns)).toHaveLength(count);
  });

  test('A sees the bar arrive, reserved, and leave; nothing before or after', () => {
    expect(kinds(visibleSpan(HELD, ofA))).toEqual([
      'owner_changed TRADE-1',
      'reserved INS-1',
      'owner_changed INS-1',
    ]);
  });

  test('an event dated before the move that brought the bar is still its new holder’s', () => {
    // B reserves the bar under INS-3, dating it before A sent it: it stays B's, never A's.
    const backdated = held('B-GOLD', 'reserved', '1961-02-01', null, 'INS-3');
    const life = [...HELD, backdated];
    const ordered = orderBarEvents(life.map((h) => h.event));
    expect(ordered.indexOf(backdated.event)).toBeLessThan(ordered.indexOf(LIFE[4] as BarEvent));
    expect(kinds(visibleSpan(life, ofA))).not.toContain('reserved INS-3');
    expect(kinds(visibleSpan(life, ofB))).toContain('reserved INS-3');
    expect(kinds(visibleSpan([...life].reverse(), ofA))).toEqual(kinds(visibleSpan(HELD, ofA)).reverse());
  });

  test.each([
    ['before its receipt', 1n, null],
    ['just after its receipt', 2n, 'VAULT'],
    ['after the sale to A', 3n, 'A-GOLD'],
    ['after A sent it to B', 4n, 'B-GOLD'],
    ['after it left custody', 99n, 'EXTERNAL'],
  ])('the journal’s order says who held the bar %s', (_when, entry, holder) => {
    // The dates on the events are shuffled: only the entry ids may decide.
    const misdated = [...LIFE].reverse().map((e, i) => ({ ...e, date: `1961-0${1 + (i % 9)}-01` }));
    expect(holderWhenRecorded(misdated, entry)).toBe(holder);
  });

  test('says each event in a sentence', () => {
    expect(LIFE.map(describeBarEvent)).toEqual([
      'received into VAULT from outside the depository, weight list list.csv',
      'allocated to TRADE-1 and reserved for it',
      'owner changed from VAULT to A-GOLD under TRADE-1',
      'reserved under INS-1',
      'owner changed from A-GOLD to B-GOLD under INS-1',
      'reserved under INS-2',
      'dispatched from B-GOLD under INS-2',
      'delivered under INS-2; leaves custody',
    ]);
  });
});
