import { describe, expect, it } from 'vitest';
import { feeSchedule1961 } from './charges.ts';
import type { InstructionDetails } from './instruction.ts';
import { type InstructionFacts, instructionAccountLines, stepAccountLines } from './instruction-account.ts';
import { instruction, RELEASE, SHIPMENT } from './test-fixtures.ts';
import { namesBar, withheldLines } from './withheld.ts';

const NOTICE = 'sig-9 (no clearance) may not read a document classified confidential';

/** The facts of an instruction naming two bars of serials no other line could hold. */
function facts(details: InstructionDetails = RELEASE): InstructionFacts {
  // Asserted, not declared: the facts gain fields as the accounts do, and none of them names a bar.
  return {
    instruction: instruction(details, 'signed'),
    client_name: 'National Bank of Cuba',
    bars: [
      { id: 71n, refiner: 'SVR', serial: 'S-100018', fine_milli_oz: 400_123n },
      { id: 72n, refiner: 'Moscow Bar', serial: 'S-100019', fine_milli_oz: 399_877n },
    ],
    representative: undefined,
    target_owner: null,
    schedule: feeSchedule1961('NBC-fees'),
    cash: { account_id: 'NBC-GBP', balance: { currency: 'GBP', minor: 4_800_000n } },
    transit_account_id: 'NBC-TRANSIT',
    gold_balances: new Map([['NBC-GOLD', 1_600_000n]]),
  } as InstructionFacts;
}

describe('an account withheld from a reader not cleared for a bar list', () => {
  it.each([
    ['a release signed', () => instructionAccountLines(facts())],
    ['a shipment quoted', () => instructionAccountLines(facts(SHIPMENT))],
    [
      'a depository step on it',
      () => stepAccountLines(facts(), { event: { kind: 'execute' }, date: '1961-02-02', handover: null }),
    ],
  ])('names no bar of %s, and says so', (_what, lines) => {
    const composed = lines();
    expect(composed.filter(namesBar)).toHaveLength(2);
    const shown = withheldLines(composed, 'bar_lines', NOTICE).lines.join('\n');
    for (const named of ['S-100018', 'S-100019', 'bar id 71', 'bar id 72', '400.123', 'SVR'])
      expect(shown).not.toContain(named);
    expect(shown).toContain('Gold: 2 bars, 800.000 fine oz');
    expect(shown).toMatch(/2 lines naming bars withheld: sig-9 \(no clearance\)/);
  });

  it('keeps an account naming no bar whole, with no notice', () => {
    const lines = ['Approval 1: set signing rule for NBC', 'Signing rule of account NBC-GOLD'];
    expect(withheldLines(lines, 'bar_lines', NOTICE)).toEqual({ lines, withheld: 0 });
  });

  it('keeps only the header of an account that is all about one bar', () => {
    const lines = ['Approval 3: reweigh bar for GOSBANK', 'Reweigh bar SVR 100018 (1955) on 1961-03-01'];
    expect(withheldLines(lines, 'all_but_header', NOTICE)).toEqual({
      lines: ['Approval 3: reweigh bar for GOSBANK', `1 line naming bars withheld: ${NOTICE}`],
      withheld: 1,
    });
  });
});
