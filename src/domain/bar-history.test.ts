import { describe, expect, test } from 'vitest';
import {
  type BarEvent,
  type BarEventKind,
  describeBarEvent,
  orderBarEvents,
  visibleSpan,
} from './bar-history.ts';

function event(
  kind: BarEventKind,
  date: string,
  move: [string, string] | null = null,
  reference: string | null = null,
): BarEvent {
  return {
    date,
    kind,
    entry_id: move ? 1n : null,
    source_account_id: kind === 'received' ? null : (move?.[0] ?? null),
    target_account_id: kind === 'received' ? 'VAULT' : (move?.[1] ?? null),
    reference,
    documents: [],
    handed_to: null,
    destination: null,
    recorded_at: 'T',
  };
}

/** A bar received into the vault, sold to A, reserved and sent by A to B, then shipped by B. */
const LIFE = [
  event('received', '1961-01-02', null, 'list.csv'),
  event('allocated', '1961-01-31', null, 'TRADE-1'),
  event('owner_changed', '1961-01-31', ['VAULT', 'A-GOLD'], 'TRADE-1'),
  event('reserved', '1961-02-10', null, 'INS-1'),
  event('owner_changed', '1961-02-15', ['A-GOLD', 'B-GOLD'], 'INS-1'),
  event('reserved', '1961-02-16', null, 'INS-2'),
  event('dispatched', '1961-03-01', ['B-GOLD', 'B-TRANSIT'], 'INS-2'),
  event('delivered', '1961-03-20', ['B-TRANSIT', 'EXTERNAL'], 'INS-2'),
];
const kinds = (events: readonly BarEvent[]) => events.map((e) => `${e.kind} ${e.reference}`);

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
    expect(visibleSpan(LIFE, owns)).toHaveLength(count);
  });

  test('A sees the bar arrive, reserved, and leave; nothing before or after', () => {
    expect(kinds(visibleSpan(LIFE, (account) => account.startsWith('A-')))).toEqual([
      'owner_changed TRADE-1',
      'reserved INS-1',
      'owner_changed INS-1',
    ]);
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
