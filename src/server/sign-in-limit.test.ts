import { describe, expect, test } from 'vitest';
import { SIGN_IN_LIMITS, SignInLimiter } from './sign-in-limit.ts';

/** A limiter on a clock the test moves. */
function limiter(limits = {}) {
  const clock = { now: 1_000_000 };
  return { clock, limits: new SignInLimiter(limits, () => clock.now) };
}

describe('failed sign-ins are slowed, then refused', () => {
  test('the first failures are answered at once, the next ever more slowly, up to a bound', () => {
    const { limits } = limiter();
    const delays = Array.from({ length: 9 }, () => limits.failed('nbc-viewer', '10.0.0.1'));
    expect(delays).toEqual([0, 0, 0, 250, 500, 1000, 2000, 2000, 2000]);
  });

  test.each([
    ['an existing user id', 'nbc-viewer'],
    ['a user id nobody holds', 'nobody-at-all'],
  ])('%s is refused after its tenth failure, until the window has passed since the last', (_what, user) => {
    const { clock, limits } = limiter();
    for (let n = 0; n < SIGN_IN_LIMITS.user_failures_max - 1; n += 1) limits.failed(user, '10.0.0.1');
    expect(limits.check(user, '10.0.0.1')).toEqual({ refused: false });
    limits.failed(user, '10.0.0.1');
    expect(limits.check(user, '10.0.0.2')).toEqual({ refused: true, retry_after_s: 900 });
    clock.now += 899_001;
    expect(limits.check(user, '10.0.0.2')).toEqual({ refused: true, retry_after_s: 1 });
    clock.now += 1_000;
    expect(limits.check(user, '10.0.0.2')).toEqual({ refused: false });
    expect(limits.check('someone-else', '10.0.0.1')).toEqual({ refused: false });
  });

  test('one address trying many user ids is refused for all of them', () => {
    const { limits } = limiter({ address_failures_max: 5 });
    for (let n = 0; n < 5; n += 1) limits.failed(`guess-${n}`, '10.0.0.9');
    expect(limits.check('nbc-signatory', '10.0.0.9')).toMatchObject({ refused: true });
    expect(limits.check('nbc-signatory', '10.0.0.1')).toEqual({ refused: false });
  });

  test('a success forgets the user id’s failures, not the address’s', () => {
    const { limits } = limiter({ user_failures_max: 3, address_failures_max: 4 });
    for (let n = 0; n < 2; n += 1) limits.failed('nbc-viewer', '10.0.0.1');
    limits.succeeded('nbc-viewer');
    limits.failed('nbc-viewer', '10.0.0.1');
    expect(limits.check('nbc-viewer', '10.0.0.2')).toEqual({ refused: false });
    limits.failed('other', '10.0.0.1');
    expect(limits.check('nbc-viewer', '10.0.0.1')).toMatchObject({ refused: true });
  });

  test('failures older than the window are forgotten', () => {
    const { clock, limits } = limiter({ user_failures_max: 2 });
    limits.failed('nbc-viewer', '10.0.0.1');
    clock.now += SIGN_IN_LIMITS.window_ms + 1;
    limits.failed('nbc-viewer', '10.0.0.1');
    expect(limits.check('nbc-viewer', '10.0.0.1')).toEqual({ refused: false });
  });

  test('it remembers at most so many ids and addresses, the quietest forgotten first', () => {
    const { limits } = limiter({ entries_max: 4, user_failures_max: 1 });
    limits.failed('first', '10.0.0.1');
    limits.failed('second', '10.0.0.2');
    limits.failed('third', '10.0.0.3');
    expect(limits.check('first', '10.0.0.9')).toEqual({ refused: false });
    expect(limits.check('third', '10.0.0.9')).toMatchObject({ refused: true });
  });
});
