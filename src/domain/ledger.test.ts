import { describe, expect, test } from 'vitest';
import { type Account, applyPostings, type Posting } from './ledger.ts';
import { MINOR_MAX } from './money.ts';

const account = (id: string, kind: Account['kind'], balance: bigint): Account => ({
  id,
  party_id: kind === 'external' ? 'EXTERNAL' : 'NBC',
  kind,
  unit: 'GBP',
  balance,
});

/** A deposit of `amount` from the outside world into NBC-GBP, on balances given. */
function deposit(amount: bigint, cash: bigint, outside: bigint): string {
  const accounts = new Map([
    ['NBC-GBP', account('NBC-GBP', 'cash', cash)],
    ['EXTERNAL-GBP', account('EXTERNAL-GBP', 'external', outside)],
  ]);
  const postings: Posting[] = [
    { account_id: 'EXTERNAL-GBP', unit: 'GBP', amount: -amount },
    { account_id: 'NBC-GBP', unit: 'GBP', amount },
  ];
  const applied = applyPostings(postings, accounts);
  return applied.ok
    ? `${applied.balances.get('NBC-GBP')}`
    : `${applied.code} ${applied.field}: ${applied.message}`;
}

describe('balances stay within ±MINOR_MAX (18 digits of the minor unit)', () => {
  test.each([
    ['up to the limit', MINOR_MAX - 1n, 1n, -(MINOR_MAX - 1n), `${MINOR_MAX}`],
    [
      'one past it',
      MINOR_MAX,
      1n,
      0n,
      `balance_exceeds_limit amount: account NBC-GBP would hold ${MINOR_MAX + 1n} GBP minor units, beyond the limit of ±${MINOR_MAX}`,
    ],
    [
      'the outside world past it',
      0n,
      1n,
      -MINOR_MAX,
      `balance_exceeds_limit amount: account EXTERNAL-GBP would hold ${-MINOR_MAX - 1n} GBP minor units, beyond the limit of ±${MINOR_MAX}`,
    ],
    [
      'one posting past it',
      0n,
      MINOR_MAX + 1n,
      MINOR_MAX,
      `balance_exceeds_limit amount: account EXTERNAL-GBP would move ${-MINOR_MAX - 1n} GBP minor units, beyond the limit of ±${MINOR_MAX}`,
    ],
  ])('%s', (_what, cash, amount, outside, expected) => {
    expect(deposit(amount, cash, outside)).toBe(expected);
  });
});
