import { describe, expect, test } from 'vitest';
import { decideSignIn, SIGN_IN_LIMITS, type SignInCounts } from './sign-in.ts';

const NOW = 10_000_000;
const none: SignInCounts = { pair: 0, user_elsewhere: 0, address: 0, known_address: false, newest_at_ms: 0 };

describe('a sign-in attempt', () => {
  test('is answered at once for the first failures, then ever more slowly, up to a bound', () => {
    const delays = Array.from({ length: 9 }, (_, n) =>
      decideSignIn({ ...none, pair: n, address: n }, NOW, SIGN_IN_LIMITS),
    );
    expect(delays.map((d) => (d.refused ? 'refused' : d.delay_ms_if_failed))).toEqual([
      0, 0, 0, 250, 500, 1000, 2000, 2000, 2000,
    ]);
  });

  test.each([
    ['the pair of user id and address at its limit', { pair: 10, address: 10 }, true],
    ['the address at its limit, whatever the user id', { address: 50 }, true],
    ['the user id failing elsewhere, from an unknown address', { user_elsewhere: 10 }, true],
    [
      'the user id failing elsewhere, from its known address',
      { user_elsewhere: 10, known_address: true },
      false,
    ],
    ['below every limit', { pair: 9, address: 49, user_elsewhere: 9 }, false],
  ] as const)('is decided on %s', (_what, counts, refused) => {
    expect(decideSignIn({ ...none, ...counts, newest_at_ms: NOW - 1000 }, NOW, SIGN_IN_LIMITS).refused).toBe(
      refused,
    );
  });

  test('refused, waits until the window has passed since the newest failure', () => {
    const decided = decideSignIn(
      { ...none, pair: 10, address: 10, newest_at_ms: NOW - 60_000 },
      NOW,
      SIGN_IN_LIMITS,
    );
    expect(decided).toEqual({ refused: true, retry_after_s: 840 });
  });
});
