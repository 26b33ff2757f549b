import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { CustodyOutcome } from './refusal.ts';
import {
  addSignature,
  checkSignatures,
  checkSigningRule,
  type Signature,
  type SigningRule,
} from './signing.ts';
import { CLIENT, OTHER_CLIENT, RULE, USER_MAP } from './test-fixtures.ts';

function code(outcome: CustodyOutcome<object>): string {
  return outcome.ok ? 'ok' : outcome.code;
}

const signed = (...ids: string[]): Signature[] =>
  ids.map((user_id) => ({ user_id, signed_on: '1961-02-01' }));

describe('checkSignatures: any two of sig-1, sig-2, sig-3', () => {
  test.each([
    [signed('sig-1', 'sig-2'), 'ok'],
    [signed('sig-3', 'sig-1'), 'ok'],
    [signed('sig-1', 'sig-2', 'sig-3'), 'ok'],
    [signed('nbp-sig-1', 'sig-1'), 'signer_not_on_signatory_list'], // bank B's signatory on bank A's account
    [signed('sig-1', 'op-1'), 'signer_not_on_signatory_list'],
    [signed('sig-1', 'sig-1'), 'signatory_already_signed'], // one person cannot make two
    [signed('sig-1'), 'too_few_signatures'],
    [signed(), 'too_few_signatures'],
  ])('%o → %s', (signatures, expected) => {
    expect(code(checkSignatures(RULE, signatures))).toBe(expected);
  });

  test('addSignature completes the rule only at the second signatory', () => {
    const first = addSignature(RULE, [], signed('sig-1')[0] ?? { user_id: '', signed_on: '' });
    expect(first.ok && first.complete).toBe(false);
    if (!first.ok) return;
    const second = addSignature(RULE, first.signatures, { user_id: 'sig-3', signed_on: '1961-02-02' });
    expect(second.ok && second.complete).toBe(true);
  });

  test.each<[string | undefined, string | undefined, string]>([
    ['a1', 'a1', 'ok'],
    ['a1', 'b2', 'approval_changed'], // the second signs other terms than the first
    [undefined, 'b2', 'approval_changed'], // the first signed before signatures kept what they signed
    ['a1', undefined, 'approval_changed'],
  ])('a first signature over %s, a second over %s → %s', (first, second, expected) => {
    const earlier: Signature[] = [
      { user_id: 'sig-1', signed_on: '1961-02-01', ...(first ? { digest: first } : {}) },
    ];
    const later = { user_id: 'sig-2', signed_on: '1961-02-02', ...(second ? { digest: second } : {}) };
    expect(code(addSignature(RULE, earlier, later))).toBe(expected);
  });

  test('property: signatures pass exactly when enough distinct listed signatories signed, each once', () => {
    const names = ['sig-1', 'sig-2', 'sig-3', 'sig-9', 'nbp-sig-1'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...names), { maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        (ids, n) => {
          const rule: SigningRule = { ...RULE, required_signatures: n };
          const listed = ids.every((id) => rule.signatory_user_ids.includes(id));
          const distinct = new Set(ids).size === ids.length;
          const model = listed && distinct && ids.length >= n;
          expect(checkSignatures(rule, signed(...ids)).ok).toBe(model);
        },
      ),
    );
  });
});

describe('checkSigningRule', () => {
  test.each<[Partial<SigningRule>, string, string]>([
    [{}, CLIENT, 'ok'],
    [{ required_signatures: 3 }, CLIENT, 'ok'],
    [{ required_signatures: 0 }, CLIENT, 'signing_rule_invalid'],
    [{ required_signatures: 4 }, CLIENT, 'signing_rule_invalid'],
    [{ required_signatures: 1.5 }, CLIENT, 'signing_rule_invalid'],
    [{ signatory_user_ids: ['sig-1', 'sig-1'] }, CLIENT, 'signing_rule_invalid'],
    [{ signatory_user_ids: ['sig-1', 'view-1'] }, CLIENT, 'signing_rule_invalid'], // a viewer cannot sign
    [{ signatory_user_ids: ['sig-1', 'sig-4'] }, CLIENT, 'signing_rule_invalid'], // inactive
    [{ signatory_user_ids: ['sig-1', 'nobody'] }, CLIENT, 'signing_rule_invalid'],
    [{}, OTHER_CLIENT, 'signing_rule_invalid'], // another bank's people on its list
    [{ signatory_user_ids: Array.from({ length: 65 }, () => 'sig-1') }, CLIENT, 'signing_rule_invalid'],
  ])('%o for %s → %s', (change, owner, expected) => {
    expect(code(checkSigningRule({ ...RULE, ...change }, owner, USER_MAP))).toBe(expected);
  });
});
