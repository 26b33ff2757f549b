import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { CustodyOutcome } from './refusal.ts';
import { type CustodyBar, checkBarSelection, checkProposal, checkQuantity } from './reservation.ts';
import { instruction, QUANTITY, TRANSFER } from './test-fixtures.ts';

function code(outcome: CustodyOutcome<object>): string {
  return outcome.ok ? 'ok' : outcome.code;
}

const bar = (
  id: bigint,
  fine: bigint,
  owner = 'NBC-GOLD',
  reserved_for: string | null = null,
): CustodyBar => ({
  id,
  fine_milli_oz: fine,
  owner_account_id: owner,
  reserved_for,
});
const VAULT = new Map<bigint, CustodyBar>(
  [
    bar(1n, 400_000n),
    bar(2n, 399_440n),
    bar(3n, 401_000n, 'NBC-GOLD', 'I-2'), // reserved for another instruction
    bar(4n, 400_500n, 'NBC-GOLD', 'I-1'), // reserved for this one
    bar(5n, 398_000n, 'NBP-GOLD'), // another client's
    bar(6n, 350_000n, 'NBC-GOLD', 'T-0001'), // reserved for a trade
  ].map((b) => [b.id, b]),
);

describe('checkBarSelection, refusals in precedence order', () => {
  test.each<[bigint[], string]>([
    [[], 'selection_is_empty'],
    [[1n, 2n, 1n], 'bar_listed_twice'],
    [[1n, 99n], 'bar_not_in_account'], // a bar that does not exist is answered as another's
    [[1n, 5n], 'bar_not_in_account'], // a bar the client does not own
    [[1n, 3n], 'bar_reserved_by_another_instruction'],
    [[6n], 'bar_reserved_by_another_instruction'],
    [[1n, 2n], 'ok'],
    [[4n, 1n], 'ok'], // already reserved for this instruction: checking again is harmless
  ])('%o → %s', (ids, expected) => {
    expect(code(checkBarSelection('I-1', 'NBC-GOLD', ids, VAULT))).toBe(expected);
  });

  test('returns the bars in the order named and their fine weight', () => {
    const outcome = checkBarSelection('I-1', 'NBC-GOLD', [2n, 1n], VAULT);
    expect(outcome.ok && [outcome.bars.map((b) => b.id), outcome.fine_milli_oz]).toEqual([
      [2n, 1n],
      799_440n,
    ]);
  });
});

describe('checkQuantity', () => {
  test.each<[bigint, bigint, bigint, string]>([
    [0n, 1_000n, 0n, 'invalid_input'],
    [1_001n, 1_000n, 0n, 'quantity_exceeds_holdings'], // above holdings
    [1_001n, 1_000n, 500n, 'quantity_exceeds_holdings'],
    [501n, 1_000n, 500n, 'quantity_exceeds_free_gold'], // the rest is reserved
    [500n, 1_000n, 500n, 'ok'],
    [1_000n, 1_000n, 0n, 'ok'],
  ])('%s asked of %s held, %s reserved → %s', (asked, held, reserved, expected) => {
    expect(code(checkQuantity(asked, { held_fine_milli_oz: held, reserved_fine_milli_oz: reserved }))).toBe(
      expected,
    );
  });

  test('property: a quantity passes exactly when it is positive and within the free gold', () => {
    fc.assert(
      fc.property(
        fc.bigInt(-5n, 2_000n),
        fc.bigInt(0n, 2_000n),
        fc.bigInt(0n, 2_000n),
        (asked, held, extra) => {
          const reserved = extra > held ? held : extra;
          const outcome = checkQuantity(asked, {
            held_fine_milli_oz: held,
            reserved_fine_milli_oz: reserved,
          });
          expect(outcome.ok).toBe(asked > 0n && asked <= held - reserved);
        },
      ),
    );
  });
});

describe('checkProposal: bars the depository proposes for a quantity (rule A1)', () => {
  const asking = (fine: bigint) => instruction(TRANSFER, 'signed', { kind: 'quantity', fine_milli_oz: fine });
  test.each<[bigint, bigint[], string]>([
    [800_000n, [1n, 5n], 'bar_not_in_account'],
    [800_000n, [1n, 2n, 4n], 'proposal_exceeds_quantity'],
    [799_439n, [1n, 2n], 'proposal_exceeds_quantity'],
    [1_229_441n, [1n, 2n], 'proposal_short_of_quantity'], // short by 430.001 oz
    [1_229_440n, [1n, 2n], 'ok'], // short by exactly one Good Delivery bar
    [799_440n, [1n, 2n], 'ok'],
    [QUANTITY.fine_milli_oz, [1n, 2n], 'ok'],
  ])('asking %s, proposing %o → %s', (asked, ids, expected) => {
    expect(code(checkProposal(asking(asked), ids, VAULT))).toBe(expected);
  });
});
