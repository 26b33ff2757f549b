import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Account, sumsByUnit } from '../ledger.ts';
import { type FeeSchedule, feeSchedule1961 } from './charges.ts';
import type { Instruction } from './instruction.ts';
import {
  type HandOverRecord,
  type PlanInput,
  planDelivery,
  planDispatch,
  planRelease,
  planReturn,
  planShipmentCharge,
  planTransfer,
} from './movement.ts';
import type { CustodyOutcome } from './refusal.ts';
import type { Representative } from './representatives.ts';
import type { CustodyBar } from './reservation.ts';
import { account, accounts, instruction, RELEASE, SHIPMENT, TRANSFER } from './test-fixtures.ts';

const POUND = 4800n;
const SCHEDULE: FeeSchedule = { ...feeSchedule1961('OFFER-1'), handling_per_release_minor: 5n * POUND };
const CHARGE_ACCOUNTS = { client_cash_account_id: 'NBC-GBP', fee_income_account_id: 'GOSBANK-FEES' };
const REPRESENTATIVE: Representative = {
  id: 'REP-1',
  client_party_id: 'NBC',
  name: 'Representative One',
  identity_document: 'diplomatic passport D-0001',
  authority_valid_from: '1961-02-01',
  authority_valid_until: '1961-03-31',
  revoked_on: null,
  account_ids: ['NBC-GOLD'],
  limit_fine_milli_oz: 1_000_000n,
};
const CHECKED: HandOverRecord = { representative_id: 'REP-1', identity_document_checked: true };

const reserved = (id: bigint, fine: bigint, owner = 'NBC-GOLD', by: string | null = 'I-1'): CustodyBar => ({
  id,
  fine_milli_oz: fine,
  owner_account_id: owner,
  reserved_for: by,
});
const TWO_BARS = [reserved(1n, 400_000n), reserved(2n, 399_440n)];
const IN_TRANSIT = [reserved(1n, 400_000n, 'NBC-TRANSIT'), reserved(2n, 399_440n, 'NBC-TRANSIT')];

function input(subject: Instruction, change: Partial<PlanInput> = {}): PlanInput {
  return {
    instruction: subject,
    bars: TWO_BARS,
    accounts: accounts(),
    schedule: SCHEDULE,
    charge_accounts: CHARGE_ACCOUNTS,
    date: '1961-02-10',
    ...change,
  };
}

function code(outcome: CustodyOutcome<object>): string {
  return outcome.ok ? 'ok' : outcome.code;
}

describe('planRelease, refusals in precedence order', () => {
  const releasing = instruction(RELEASE, 'accepted');
  const OTHER: Partial<Representative> = { id: 'REP-2' };
  const AT_VAULT: Partial<HandOverRecord> = { representative_id: 'REP-2' };
  const ELSEWHERE: Partial<Representative> = { account_ids: ['NBC-OTHER'] };
  test.each<[string, Partial<PlanInput>, Partial<Representative>, Partial<HandOverRecord>, bigint, string]>([
    ['someone else', {}, OTHER, AT_VAULT, 0n, 'representative_not_named_in_instruction'],
    ['too early', { date: '1961-02-09' }, {}, {}, 0n, 'release_date_not_reached'],
    ['lapsed', { date: '1961-04-01' }, {}, {}, 0n, 'authority_lapsed'], // expired representative
    ['not for the account', {}, ELSEWHERE, {}, 0n, 'representative_not_registered_for_account'],
    ['over the limit', {}, {}, {}, 200_561n, 'exceeds_representative_limit'],
    ['no identity check', {}, {}, { identity_document_checked: false }, 0n, 'identity_not_checked'],
    ['no money for the fee', { accounts: accounts(5n * POUND - 5n) }, {}, {}, 0n, 'insufficient_funds'],
    ['on the day', {}, {}, {}, 200_560n, 'ok'],
    ['later', { date: '1961-03-31' }, {}, {}, 0n, 'ok'],
  ])('%s → %s', (_label, change, representative, handOver, received, expected) => {
    const outcome = planRelease(
      input(releasing, change),
      { ...REPRESENTATIVE, ...representative },
      { ...CHECKED, ...handOver },
      received,
    );
    expect(code(outcome)).toBe(expected);
  });

  test('the bars leave custody to the outside world and the fee is charged, in one balanced entry', () => {
    const outcome = planRelease(input(releasing), REPRESENTATIVE, CHECKED, 0n);
    expect(outcome.ok && outcome.postings).toEqual([
      { account_id: 'NBC-GOLD', unit: 'XAU', amount: -799_440n },
      { account_id: 'EXTERNAL-XAU', unit: 'XAU', amount: 799_440n },
      { account_id: 'NBC-GBP', unit: 'GBP', amount: -24_000n },
      { account_id: 'GOSBANK-FEES', unit: 'GBP', amount: 24_000n },
    ]);
    expect(outcome.ok && outcome.bar_moves.map((m) => [m.bar_id, m.target_account_id])).toEqual([
      [1n, 'EXTERNAL-XAU'],
      [2n, 'EXTERNAL-XAU'],
    ]);
    expect(outcome.ok && outcome.memo).toBe(
      'release I-1 to Representative One (diplomatic passport D-0001): 2 bars, 799.440 fine oz (0.025 t)',
    );
    expect(outcome.ok && outcome.balances.get('NBC-GOLD')).toBe(800_560n);
  });

  test('bars not reserved for the instruction are a bug in the store, not a refusal', () => {
    const stray = [reserved(1n, 400_000n, 'NBC-GOLD', 'I-2')];
    expect(() => planRelease(input(releasing, { bars: stray }), REPRESENTATIVE, CHECKED, 0n)).toThrow(
      'not reserved',
    );
    const wrong = [reserved(1n, 400_000n, 'NBP-GOLD')];
    expect(() => planRelease(input(releasing, { bars: wrong }), REPRESENTATIVE, CHECKED, 0n)).toThrow(
      'is not in',
    );
    const short = [reserved(1n, 400_000n)]; // the instruction names bars 1 and 2
    expect(() => planRelease(input(releasing, { bars: short }), REPRESENTATIVE, CHECKED, 0n)).toThrow(
      'differ',
    );
  });
});

describe('planTransfer', () => {
  test('to a third party’s existing account, by book entry', () => {
    const outcome = planTransfer(input(instruction(TRANSFER, 'accepted')));
    expect(outcome.ok && outcome.postings).toEqual([
      { account_id: 'NBC-GOLD', unit: 'XAU', amount: -799_440n },
      { account_id: 'NBP-GOLD', unit: 'XAU', amount: 799_440n },
    ]);
    expect(outcome.ok && outcome.balances.get('NBP-GOLD')).toBe(799_440n);
  });

  test('to a disposal account opened for the third party in the same transaction', () => {
    const subject = instruction(
      {
        kind: 'transfer',
        target: {
          kind: 'disposal_account',
          account_id: 'BX-GOLD',
          beneficiary_party_id: 'BX',
          beneficiary_name: 'Banco X',
        },
      },
      'accepted',
    );
    const opened = accounts();
    opened.set('BX-GOLD', account('BX-GOLD', 'BX', 'custody', 'XAU'));
    const outcome = planTransfer(input(subject, { accounts: opened }));
    expect(outcome.ok && outcome.balances.get('BX-GOLD')).toBe(799_440n);
    expect(() => planTransfer(input(subject))).toThrow('not loaded or not opened');
  });
});

describe('shipments: the charge on acceptance, then transit, delivery or return', () => {
  const quoted = instruction(SHIPMENT, 'quote_accepted');
  test.each<[bigint, string]>([
    [200n * POUND - 5n, 'insufficient_funds'], // a farthing short: the shipment waits, nothing moves
    [200n * POUND, 'ok'],
  ])('with %s in cash the £200 charge → %s', (cash, expected) => {
    expect(code(planShipmentCharge(input(quoted, { bars: [], accounts: accounts(cash) })))).toBe(expected);
  });

  test('the client bears transport and insurance: £150 + £50', () => {
    const outcome = planShipmentCharge(input(quoted, { bars: [] }));
    expect(outcome.ok && outcome.postings).toEqual([
      { account_id: 'NBC-GBP', unit: 'GBP', amount: -960_000n },
      { account_id: 'GOSBANK-FEES', unit: 'GBP', amount: 960_000n },
    ]);
  });

  test('dispatch, delivery and return move the bars between custody, transit and the outside world', () => {
    const moved = (outcome: ReturnType<typeof planDispatch>) =>
      outcome.ok ? outcome.postings.map((p) => `${p.account_id} ${p.amount}`) : outcome.code;
    expect(moved(planDispatch(input(quoted), 'NBC-TRANSIT'))).toEqual([
      'NBC-GOLD -799440',
      'NBC-TRANSIT 799440',
    ]);
    const transit = accounts();
    transit.set('NBC-TRANSIT', account('NBC-TRANSIT', 'NBC', 'custody', 'XAU', 799_440n));
    const travelling = input(instruction(SHIPMENT, 'in_transit'), { bars: IN_TRANSIT, accounts: transit });
    expect(moved(planDelivery(travelling, 'NBC-TRANSIT'))).toEqual([
      'NBC-TRANSIT -799440',
      'EXTERNAL-XAU 799440',
    ]);
    expect(moved(planReturn(travelling, 'NBC-TRANSIT'))).toEqual(['NBC-TRANSIT -799440', 'NBC-GOLD 799440']);
  });
});

describe('property: every plan conserves gold and money, and custody stays the sum of its bars', () => {
  test('random bars, fees and cash', () => {
    const arbitraryBars = fc.uniqueArray(
      fc.record({ id: fc.bigInt(1n, 50n), fine: fc.bigInt(350_000n, 430_000n) }),
      {
        minLength: 1,
        maxLength: 8,
        selector: (b) => b.id,
      },
    );
    fc.assert(
      fc.property(arbitraryBars, fc.bigInt(0n, 10_000n), fc.bigInt(0n, 10_000n), (drawn, fee, cash) => {
        const bars = drawn.map((b) => reserved(b.id, b.fine));
        const held = bars.reduce((sum, b) => sum + b.fine_milli_oz, 0n);
        const books = new Map<string, Account>([
          ['NBC-GOLD', account('NBC-GOLD', 'NBC', 'custody', 'XAU', held)],
          ['NBP-GOLD', account('NBP-GOLD', 'NBP', 'custody', 'XAU')],
          ['NBC-GBP', account('NBC-GBP', 'NBC', 'cash', 'GBP', cash)],
          ['GOSBANK-FEES', account('GOSBANK-FEES', 'GOSBANK', 'cash', 'GBP')],
        ]);
        const subject = instruction(TRANSFER, 'accepted', { kind: 'bars', bar_ids: bars.map((b) => b.id) });
        const schedule = { ...SCHEDULE, handling_per_transfer_minor: fee };
        const outcome = planTransfer(input(subject, { bars, accounts: books, schedule }));
        expect(outcome.ok).toBe(fee <= cash);
        if (!outcome.ok) {
          expect(outcome.code).toBe('insufficient_funds');
          return;
        }
        for (const sum of sumsByUnit(outcome.postings).values()) expect(sum).toBe(0n);
        expect(outcome.balances.get('NBC-GOLD')).toBe(0n);
        expect(outcome.balances.get('NBP-GOLD')).toBe(held);
        expect(outcome.bar_moves.length).toBe(bars.length);
        expect((outcome.balances.get('NBC-GBP') ?? cash) + (outcome.balances.get('GOSBANK-FEES') ?? 0n)).toBe(
          cash,
        );
      }),
    );
  });
});
