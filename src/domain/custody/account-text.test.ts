import { describe, expect, test } from 'vitest';
import {
  accountOf,
  accountsMoved,
  amountText,
  balanceLine,
  balancesShown,
  firstDifference,
  goldBalanceLine,
  voidedBy,
} from './account-text.ts';

describe('the account of an approval', () => {
  test('its digest covers every line, in order, and nothing else', () => {
    const one = accountOf(['a', 'b']);
    expect(one.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(accountOf(['a', 'b']).digest).toBe(one.digest);
    expect(accountOf(['b', 'a']).digest).not.toBe(one.digest);
    expect(accountOf(['a b']).digest).not.toBe(accountOf(['a', 'b']).digest);
    expect(() => accountOf(['a\nb'])).toThrow();
  });

  test('names the first line that changed', () => {
    expect(firstDifference(['a', 'b'], ['a', 'b'])).toBeUndefined();
    expect(firstDifference(['a', 'b'], ['a', 'c'])).toBe('line 2 was "b" and is now "c"');
    expect(firstDifference(['a'], ['a', 'c'])).toBe('line 2 is new: "c"');
  });

  test('shows amounts as their date wrote them, with their minor units, and the cash after a charge', () => {
    const pounds = { currency: 'GBP' as const, minor: 17_760_000n };
    expect(amountText(pounds, '1961-02-20')).toBe('£3,700 0s 0d (17760000 of 1/4800 £)');
    expect(amountText({ currency: 'USD', minor: 150n })).toBe('USD 1.50 (150 of cents)');
    const cash = { account_id: 'NBC-GBP', balance: { currency: 'GBP' as const, minor: 4800n } };
    expect(balanceLine(cash, pounds, '1961-02-20')).toContain('insufficient funds: nothing would move');
    expect(balanceLine(null, pounds, '1961-02-20')).toBe('Cash: no GBP account to bear the charges');
  });

  test('shows a gold account before and after a move, in fine ounces, and one the move opens', () => {
    expect(goldBalanceLine('NBC-GOLD', 1_200_000n, -400_125n)).toBe(
      'Gold NBC-GOLD: balance before 1,200.000 fine oz (0.037 t), after 799.875 fine oz (0.025 t)',
    );
    expect(goldBalanceLine('PNB-DISPOSAL-1', undefined, 400_125n)).toBe(
      'Gold PNB-DISPOSAL-1: balance before 0.000 fine oz (0.000 t) (the move opens it), after 400.125 fine oz (0.012 t)',
    );
  });
});

describe('the balances an account shows', () => {
  const pounds = (minor: bigint) => ({ currency: 'GBP' as const, minor });
  const cash = (minor: bigint) => ({ account_id: 'NBC-GBP', balance: pounds(minor) });

  test('are read back from the lines that wrote them, moved or not', () => {
    const lines = [
      'Release of 1 bar to Señor Castro',
      goldBalanceLine('NBC-GOLD', 1_200_000n, -400_125n),
      goldBalanceLine('PNB-DISPOSAL-1', undefined, 400_125n),
      balanceLine(cash(48_000n), pounds(0n), '1971-03-01'),
    ];
    expect(balancesShown(lines)).toEqual([
      { account_id: 'NBC-GOLD', moved: true },
      { account_id: 'PNB-DISPOSAL-1', moved: true },
      // No charge: shown, not moved.
      { account_id: 'NBC-GBP', moved: false },
    ]);
    expect([...accountsMoved(lines)]).toEqual(['NBC-GOLD', 'PNB-DISPOSAL-1']);
  });

  test('move nothing where the step would be refused for want of cash', () => {
    const gold = goldBalanceLine('NBC-GOLD', 1_200_000n, -400_125n);
    for (const short of [
      balanceLine(cash(4_800n), pounds(9_600n), '1971-03-01'),
      balanceLine(null, pounds(4_800n), '1971-03-01'),
    ]) {
      const lines = [gold, short];
      expect(balancesShown(lines).map((b) => b.moved)).toEqual(
        short.startsWith('Cash NBC-GBP') ? [false, false] : [false],
      );
      expect(accountsMoved(lines).size).toBe(0);
    }
  });

  test('count both ends of a move between accounts, another bank’s named without its balance', () => {
    const lines = ['Gold moves: NBC-GOLD → BNB-GOLD', goldBalanceLine('NBC-GOLD', 1_200_000n, -400_000n)];
    expect([...accountsMoved(lines)].sort()).toEqual(['BNB-GOLD', 'NBC-GOLD']);
    const dispatch = ['Gold moves: NBC-GOLD → NBC-GOLD-TRANSIT (in transit)'];
    expect([...accountsMoved(dispatch)].sort()).toEqual(['NBC-GOLD', 'NBC-GOLD-TRANSIT']);
    // Gold leaving the books, and no move at all, name no account of the move line.
    for (const out of [
      'Gold moves: NBC-GOLD → delivered out to representative REP-1',
      'Gold moves: NBC-GOLD-TRANSIT → delivered out at the destination',
      'Gold moves: none',
    ]) {
      expect(accountsMoved([out]).size).toBe(0);
    }
    // BNB's own approval shows BNB-GOLD's balance: NBC's transfer into it voids it.
    const bnb = { id: 2n, account: [goldBalanceLine('BNB-GOLD', 100_000n, -100_000n)] };
    expect(voidedBy([{ id: 1n, account: lines }, bnb]).get(1n)).toEqual([2n]);
  });

  test('say which waiting approvals approving each would void', () => {
    const dispatch = { id: 11n, account: [goldBalanceLine('NBC-GOLD', 1_200_000n, -400_000n)] };
    const release = { id: 12n, account: [goldBalanceLine('NBC-GOLD', 1_200_000n, -800_000n)] };
    const charged = { id: 13n, account: [balanceLine(cash(96_000n), pounds(4_800n), '1971-03-01')] };
    const other = { id: 14n, account: [goldBalanceLine('BNB-GOLD', 100_000n, -100_000n)] };
    const fixing = { id: 15n, account: ['Fixing of 1971-03-01: £10.00 a fine ounce'] };
    const voided = voidedBy([dispatch, release, charged, other, fixing]);
    expect([...voided]).toEqual([
      [11n, [12n]],
      [12n, [11n]],
      [13n, []],
      [14n, []],
      [15n, []],
    ]);
    // A charge of nothing moves no cash, and voids no other account showing that cash.
    const free = { id: 16n, account: [balanceLine(cash(96_000n), pounds(0n), '1971-03-01')] };
    expect(voidedBy([free, charged]).get(16n)).toEqual([]);
    expect(voidedBy([free, charged]).get(13n)).toEqual([16n]);
  });
});
