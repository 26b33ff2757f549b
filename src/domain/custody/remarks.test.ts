import { describe, expect, test } from 'vitest';
import { appendRemark, REMARK_LENGTH_MAX, type Remark } from './remarks.ts';
import { DEPOSITORY, instruction, SHIPMENT, USERS, type UserName } from './test-fixtures.ts';

const SHIPPING = instruction(SHIPMENT, 'quoted');
const FIRST: Remark = {
  instruction_id: 'I-1',
  sequence: 1n,
  author_user_id: 'op-1',
  author_party_id: DEPOSITORY,
  written_on: '1961-02-03',
  text: 'Aeroflot can fly on 20 February; insurance with Ingosstrakh.',
};

function remark(
  author: UserName,
  written_on: string,
  text: string,
  thread: readonly Remark[] = [FIRST],
): string {
  const outcome = appendRemark(SHIPPING, thread, { author: USERS[author], written_on, text }, DEPOSITORY);
  return outcome.ok ? `#${outcome.remark.sequence}` : outcome.code;
}

describe('appendRemark, refusals in precedence order', () => {
  test.each<[UserName, string, string, string]>([
    ['foreign', '1961-02-04', 'not your shipment', 'user_acts_for_another_party'],
    ['viewer', '1961-02-04', 'a viewer only reads', 'role_may_not_perform_action'],
    ['auditor', '1961-02-04', 'an auditor only reads', 'role_may_not_perform_action'],
    ['signatory', '1961-02-04', '   ', 'remark_is_empty'],
    ['signatory', '1961-02-04', 'x'.repeat(REMARK_LENGTH_MAX + 1), 'remark_too_long'],
    ['signatory', '1961-02-02', 'before the last remark', 'remark_dated_before_previous'],
    ['signatory', '1961-02-03', 'Agreed; we prefer the 21st.', '#2'], // the same day is fine
    ['operator', '1961-02-05', 'The 21st it is.', '#2'],
    ['signatory', '1961-02-04', '🥇'.repeat(REMARK_LENGTH_MAX), '#2'], // counted in characters, not code units
  ])('%s on %s writes %s → %s', (author, date, text, expected) => {
    expect(remark(author, date, text)).toBe(expected);
  });

  test('the first remark may not be dated before the instruction was drafted', () => {
    expect(remark('signatory', '1961-01-31', 'too early', [])).toBe('remark_dated_before_previous');
    expect(remark('signatory', '1961-02-01', 'first', [])).toBe('#1');
  });

  test('the thread grows at its end and the given thread is left as it was', () => {
    const thread: readonly Remark[] = [FIRST];
    const outcome = appendRemark(
      SHIPPING,
      thread,
      { author: USERS.signatory, written_on: '1961-02-04', text: '  Agreed.  ' },
      DEPOSITORY,
    );
    expect(outcome.ok && outcome.thread.map((r) => [r.sequence, r.author_party_id, r.text])).toEqual([
      [1n, DEPOSITORY, FIRST.text],
      [2n, 'NBC', 'Agreed.'],
    ]);
    expect(thread).toHaveLength(1);
  });

  test('a thread out of sequence is a bug, not a refusal', () => {
    expect(() => remark('signatory', '1961-02-04', 'x', [{ ...FIRST, sequence: 2n }])).toThrow(
      'out of sequence',
    );
  });
});
