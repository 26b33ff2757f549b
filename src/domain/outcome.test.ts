import { describe, expect, test } from 'vitest';
import { type CorrespondenceRefusal, refuseCorrespondence } from './correspondence/refusal.ts';
import { type CustodyOutcome, type CustodyRefusal, refuseCustody } from './custody/refusal.ts';
import { type Outcome, type Refusal, refuse } from './outcome.ts';
import { refuseTreasury, type TreasuryRefusal } from './treasury.ts';

describe('one refusal type', () => {
  test('a refusal names its field only when there is one', () => {
    expect(refuse('invalid_input', 'the amount must be above zero')).toStrictEqual({
      ok: false,
      code: 'invalid_input',
      message: 'the amount must be above zero',
    });
    expect(refuse('invalid_input', 'the amount must be above zero', 'amount')).toStrictEqual({
      ok: false,
      code: 'invalid_input',
      message: 'the amount must be above zero',
      field: 'amount',
    });
  });

  test("every feature's builder makes the same shape", () => {
    const custody: CustodyRefusal = refuseCustody('quote_expired', 'the quote has expired', 'quote');
    const correspondence: CorrespondenceRefusal = refuseCorrespondence('relay_refused', 'refused');
    const treasury: TreasuryRefusal = refuseTreasury('rate_missing', 'no rate for USD', 'rates');
    expect(custody).toStrictEqual({
      ok: false,
      code: 'quote_expired',
      message: 'the quote has expired',
      field: 'quote',
    });
    expect(correspondence).toStrictEqual({ ok: false, code: 'relay_refused', message: 'refused' });
    expect(treasury).toStrictEqual({
      ok: false,
      code: 'rate_missing',
      message: 'no rate for USD',
      field: 'rates',
    });
    expect(refuse<'quote_expired'>('quote_expired', 'the quote has expired', 'quote')).toStrictEqual(custody);
  });

  test("a core refusal is every feature's refusal, with no conversion", () => {
    const core: Refusal = refuse('insufficient_funds', 'not enough money', 'amount');
    const custody: CustodyOutcome<{ id: string }> = core;
    const correspondence: CorrespondenceRefusal = core;
    const any: Outcome<{ id: string }, string> = custody;
    expect([custody, correspondence, any]).toStrictEqual([core, core, core]);
  });

  test('a code outside the list does not compile', () => {
    // @ts-expect-error: not one of the core's codes
    const core = refuse('quote_expired', 'the quote has expired');
    // @ts-expect-error: not one of the custody codes
    const custody = refuseCustody('no_such_code', 'nothing');
    expect([core.code, custody.code]).toStrictEqual(['quote_expired', 'no_such_code']);
  });
});
