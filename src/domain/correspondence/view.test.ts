import { describe, expect, test } from 'vitest';
import type { DebitAdvice } from '../messages/mt606.ts';
import type { CreditAdvice } from '../messages/mt607.ts';
import { metalAt } from './compose.ts';
import { planBarList, planCredit, planDebit, readBarNumber, type ViewBar, viewKey } from './view.ts';

const CREDIT: CreditAdvice = {
  type: 'MT607',
  reference: 'TRADE-1-CR',
  related_reference: 'TRADE-1',
  account: 'NBC-GOLD',
  metal: metalAt('MOSCOW'),
  value_date: '1961-01-31',
  bar_numbers: ['MSK/100000/1955', 'NSK/100001/1960'],
  quantity_fine_milli_oz: 821_018n,
  sender_to_receiver: null,
};
const DEBIT: DebitAdvice = {
  ...CREDIT,
  type: 'MT606',
  reference: 'INS-1-DR',
  bar_numbers: ['MSK/100000/1955'],
};

function held(...bars: [string, string, bigint | null][]): Map<string, ViewBar> {
  return new Map(
    bars.map(([refiner, serial, fine]) => [
      viewKey({ refiner, serial }),
      {
        account_id: 'NBC-GOLD',
        refiner,
        serial,
        year: 1955,
        gross_milli_oz: null,
        fineness: null,
        fine_milli_oz: fine,
      },
    ]),
  );
}

describe("a client's view", () => {
  test('reads bar numbers REFINER/SERIAL/YEAR', () => {
    expect(readBarNumber('MSK/100000/1955')).toEqual({
      ok: true,
      value: { refiner: 'MSK', serial: '100000', year: 1955 },
    });
    expect(readBarNumber('MSK 100000').ok).toBe(false);
  });

  test('a credit advice brings its bars in', () => {
    const planned = planCredit(CREDIT, held());
    expect(planned.ok && planned.plan).toMatchObject({
      mark: 'C',
      fine_milli_oz: 821_018n,
      account_id: 'NBC-GOLD',
    });
    expect(planned.ok && planned.plan.bars.length).toBe(2);
  });

  test.each([
    ['a bar already held', CREDIT, held(['MSK', '100000', null]), '26D'],
    ['no account', { ...CREDIT, account: null }, held(), '25'],
    ['no bar numbers', { ...CREDIT, bar_numbers: null }, held(), '26D'],
    ['a bar named twice', { ...CREDIT, bar_numbers: ['MSK/1/1955', 'msk/1/1955'] }, held(), '26D'],
  ])('a credit advice with %s is not applied', (_name, advice, bars, field) => {
    expect(planCredit(advice, bars)).toMatchObject({ ok: false, code: 'message_invalid', field });
  });

  test('a debit advice takes held bars out, and notes weights that do not add up', () => {
    const planned = planDebit(DEBIT, held(['MSK', '100000', 416_183n]));
    expect(planned.ok && planned.plan.mark).toBe('D');
    expect(planned.ok && planned.plan.notes).toEqual([
      'the bars weigh 416,183 FOZ fine, the advice says 821,018',
    ]);
    expect(planDebit(DEBIT, held())).toMatchObject({ ok: false, field: '26D' });
  });

  test('a bar list weighs the bars held and notes the ones it lists that are not', () => {
    const list = {
      type: 'INGOT-BARLIST' as const,
      reference: 'BL-1',
      related_reference: null,
      account: 'NBC-GOLD',
      date: '1961-01-31',
      custodian: null,
      owner: null,
      metal: metalAt('MOSCOW'),
      count: 2,
      bars: [
        {
          refiner: 'MSK',
          serial: '100000',
          year: 1955,
          gross_milli_oz: 416_600n,
          fineness: 9990n,
          fine_milli_oz: 416_183n,
        },
        {
          refiner: 'XYZ',
          serial: '9',
          year: 1955,
          gross_milli_oz: 400_000n,
          fineness: 9990n,
          fine_milli_oz: 399_600n,
        },
      ],
      total_fine_milli_oz: 815_783n,
      sender_to_receiver: null,
    };
    const plan = planBarList(list, held(['MSK', '100000', null]));
    expect(plan.weighed.map((bar) => bar.serial)).toEqual(['100000']);
    expect(plan.notes).toEqual(['1 listed bars are not held in NBC-GOLD by the advices (first XYZ/9)']);
  });
});
