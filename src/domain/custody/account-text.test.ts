import { describe, expect, test } from 'vitest';
import { accountOf, amountText, balanceLine, firstDifference, goldBalanceLine } from './account-text.ts';

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
