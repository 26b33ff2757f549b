import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type CurrencyCode, convert, type FxRate, type Money } from './money.ts';
import {
  balanceOn,
  type Correspondent,
  type CorrespondentBalance,
  checkBalance,
  checkCorrespondent,
  checkEarmark,
  closeTransfer,
  correspondentPosition,
  draftTransfer,
  type Earmark,
  earmarkActiveOn,
  type Places,
  releaseEarmark,
  setAsideFor,
  sterlingEquivalent,
  TREASURY_AMOUNT_MINOR_MAX,
  type TradeCommitment,
  type Transfer,
  transferStateOn,
  treasuryPosition,
} from './treasury.ts';

const USD = (minor: bigint): Money => ({ currency: 'USD', minor });
const GBP = (minor: bigint): Money => ({ currency: 'GBP', minor });
const DOLLARS = (major: bigint) => major * 100n;
const PARITY: FxRate = { base: 'GBP', quote: 'USD', quote_per_base_e10: 28_000_000_000n }; // USD 2.80 per £

const LONDON: Correspondent = {
  id: 'MNB-LONDON',
  bank: 'Moscow Narodny Bank, London',
  currency: 'USD',
  account_reference: '',
};
const MONTREAL: Correspondent = {
  id: 'MONTREAL',
  bank: 'A Montreal bank',
  currency: 'USD',
  account_reference: '',
};
const ZURICH: Correspondent = {
  id: 'ZURICH-GBP',
  bank: 'A Zurich bank',
  currency: 'GBP',
  account_reference: '',
};
const PLACES: Places = {
  correspondents: [LONDON, MONTREAL, ZURICH],
  depository_accounts: [{ id: 'NBC-GBP', currency: 'GBP' }],
};

/** A transfer of USD 8,000,000 under way from Montreal to London, sent on 16 January. */
const EIGHT: Transfer = {
  id: 'TRF-1',
  amount: USD(DOLLARS(8_000_000n)),
  source: { kind: 'correspondent', correspondent_id: 'MONTREAL' },
  target: { kind: 'correspondent', correspondent_id: 'MNB-LONDON' },
  sent_on: '1961-01-16',
  expected_on: '1961-01-24',
  state: 'under_way',
  closed_on: null,
};

function outcomeOf(outcome: { ok: boolean; code?: string }): string {
  return outcome.ok ? 'ok' : (outcome.code ?? '?');
}

describe('recording correspondents and their balances, refusals in precedence order', () => {
  test.each<[string, Partial<Correspondent>, string]>([
    ['a new account', { id: 'PARIS' }, 'ok'],
    ['no bank named', { id: 'PARIS', bank: '  ' }, 'invalid_input'],
    ['a name too long', { id: 'PARIS', bank: 'x'.repeat(121) }, 'invalid_input'],
    ['a reference too long', { id: 'PARIS', account_reference: 'x'.repeat(121) }, 'invalid_input'],
    ['an id taken', { id: 'MNB-LONDON' }, 'correspondent_exists'],
  ])('%s → %s', (_what, change, expected) => {
    expect(outcomeOf(checkCorrespondent({ ...LONDON, ...change }, [LONDON]))).toBe(expected);
  });

  test.each<[string, string, Money, string]>([
    ['a balance in the account’s currency', 'MNB-LONDON', USD(DOLLARS(25_000_000n)), 'ok'],
    ['an overdraft', 'MNB-LONDON', USD(-100n), 'ok'],
    ['zero', 'MNB-LONDON', USD(0n), 'ok'],
    ['an unknown account', 'PARIS', USD(1n), 'correspondent_not_found'],
    ['another currency', 'MNB-LONDON', GBP(4800n), 'currency_mismatch'],
    ['beyond the limit', 'MNB-LONDON', USD(TREASURY_AMOUNT_MINOR_MAX + 1n), 'invalid_input'],
    ['an overdraft beyond the limit', 'MNB-LONDON', USD(-TREASURY_AMOUNT_MINOR_MAX - 1n), 'invalid_input'],
  ])('%s → %s', (_what, correspondent_id, amount, expected) => {
    const outcome = checkBalance({ correspondent_id, as_of: '1961-01-17', amount }, PLACES.correspondents);
    expect(outcomeOf(outcome)).toBe(expected);
  });

  test('the balance of a date is the last stated on or before it; a later record corrects a date', () => {
    const balances: CorrespondentBalance[] = [
      { correspondent_id: 'MNB-LONDON', as_of: '1961-01-10', minor: 1n, sequence: 1n },
      { correspondent_id: 'MNB-LONDON', as_of: '1961-01-17', minor: 2n, sequence: 2n },
      { correspondent_id: 'MNB-LONDON', as_of: '1961-01-17', minor: 3n, sequence: 4n },
      { correspondent_id: 'MNB-LONDON', as_of: '1961-01-17', minor: 9n, sequence: 3n },
      { correspondent_id: 'MONTREAL', as_of: '1961-01-12', minor: 7n, sequence: 5n },
    ];
    const minorOn = (on: string) => balanceOn(balances, 'MNB-LONDON', on)?.minor;
    expect([
      minorOn('1961-01-09'),
      minorOn('1961-01-10'),
      minorOn('1961-01-16'),
      minorOn('1961-01-31'),
    ]).toEqual([undefined, 1n, 1n, 3n]);
  });
});

describe('transfers: drafted, arrived, cancelled', () => {
  const base = {
    id: 'TRF-2',
    amount: USD(100n),
    source: EIGHT.source,
    target: EIGHT.target,
    sent_on: '1961-01-16',
    expected_on: '1961-01-24',
  };
  test.each<[string, Partial<typeof base>, string]>([
    ['between two correspondents', {}, 'ok'],
    ['from outside', { source: { kind: 'outside', name: 'sugar buyers' } }, 'ok'],
    [
      'to the depository',
      {
        amount: GBP(4800n),
        source: { kind: 'correspondent', correspondent_id: 'ZURICH-GBP' },
        target: { kind: 'depository', account_id: 'NBC-GBP' },
      },
      'ok',
    ],
    ['expected the day it is sent', { expected_on: '1961-01-16' }, 'ok'],
    ['nothing', { amount: USD(0n) }, 'invalid_input'],
    ['less than nothing', { amount: USD(-1n) }, 'invalid_input'],
    ['beyond the limit', { amount: USD(TREASURY_AMOUNT_MINOR_MAX + 1n) }, 'invalid_input'],
    ['from an unnamed payer', { source: { kind: 'outside', name: ' ' } }, 'invalid_input'],
    [
      'from an unknown account',
      { source: { kind: 'correspondent', correspondent_id: 'PARIS' } },
      'correspondent_not_found',
    ],
    [
      'to an unknown account',
      { target: { kind: 'correspondent', correspondent_id: 'PARIS' } },
      'correspondent_not_found',
    ],
    [
      'to another bank’s cash account',
      { target: { kind: 'depository', account_id: 'BNB-GBP' } },
      'account_not_found',
    ],
    [
      'to where it comes from',
      { target: { kind: 'correspondent', correspondent_id: 'MONTREAL' } },
      'transfer_target_is_source',
    ],
    ['in a currency the source does not keep', { amount: GBP(4800n) }, 'currency_mismatch'],
    [
      'in a currency the target does not keep',
      { target: { kind: 'depository', account_id: 'NBC-GBP' } },
      'currency_mismatch',
    ],
    ['expected before it is sent', { expected_on: '1961-01-15' }, 'transfer_dated_before_sending'],
    // Precedence: the amount first, then the places, then the dates.
    [
      'nothing, to an unknown account',
      { amount: USD(0n), target: { kind: 'correspondent', correspondent_id: 'X' } },
      'invalid_input',
    ],
    [
      'to an unknown account, expected too early',
      { target: { kind: 'correspondent', correspondent_id: 'X' }, expected_on: '1961-01-01' },
      'correspondent_not_found',
    ],
  ])('%s → %s', (_what, change, expected) => {
    expect(outcomeOf(draftTransfer({ ...base, ...change }, PLACES))).toBe(expected);
  });

  test.each<[string, Transfer, 'arrive' | 'cancel', string, string]>([
    ['arrives', EIGHT, 'arrive', '1961-01-24', 'arrived'],
    ['arrives the day it was sent', EIGHT, 'arrive', '1961-01-16', 'arrived'],
    ['is cancelled', EIGHT, 'cancel', '1961-01-18', 'cancelled'],
    ['is called off before it leaves', EIGHT, 'cancel', '1961-01-10', 'cancelled'],
    ['cannot arrive before it leaves', EIGHT, 'arrive', '1961-01-15', 'transfer_dated_before_sending'],
    [
      'cannot arrive twice',
      { ...EIGHT, state: 'arrived', closed_on: '1961-01-20' },
      'arrive',
      '1961-01-24',
      'transfer_is_closed',
    ],
    [
      'cannot be cancelled once arrived',
      { ...EIGHT, state: 'arrived', closed_on: '1961-01-20' },
      'cancel',
      '1961-01-24',
      'transfer_is_closed',
    ],
    [
      'cannot arrive once cancelled',
      { ...EIGHT, state: 'cancelled', closed_on: '1961-01-20' },
      'arrive',
      '1961-01-24',
      'transfer_is_closed',
    ],
  ])('a transfer %s → %s', (_what, transfer, event, on, expected) => {
    const outcome = closeTransfer(transfer, event, on);
    expect(outcome.ok ? outcome.transfer.state : outcome.code).toBe(expected);
  });

  test.each<[Transfer, string, string]>([
    [EIGHT, '1961-01-15', 'not_yet_sent'],
    [EIGHT, '1961-01-16', 'under_way'],
    [EIGHT, '1961-12-31', 'under_way'], // overdue, but nobody said it arrived
    [{ ...EIGHT, state: 'arrived', closed_on: '1961-01-20' }, '1961-01-19', 'under_way'],
    [{ ...EIGHT, state: 'arrived', closed_on: '1961-01-20' }, '1961-01-20', 'arrived'],
    [{ ...EIGHT, state: 'cancelled', closed_on: '1961-01-18' }, '1961-01-17', 'under_way'],
    [{ ...EIGHT, state: 'cancelled', closed_on: '1961-01-18' }, '1961-01-18', 'cancelled'],
    [{ ...EIGHT, state: 'cancelled', closed_on: '1961-01-10' }, '1961-01-12', 'cancelled'],
  ])('%# on %s it is %s', (transfer, on, expected) => {
    expect(transferStateOn(transfer, on)).toBe(expected);
  });
});

describe('earmarks', () => {
  const base = {
    id: 'EAR-1',
    amount: USD(1n),
    purpose: 'imports of food',
    from: '1961-01-17',
    until: '1961-06-30',
  };
  test.each<[string, Partial<typeof base>, string]>([
    ['a sum for a need', {}, 'ok'],
    ['for one day', { until: '1961-01-17' }, 'ok'],
    ['nothing', { amount: USD(0n) }, 'invalid_input'],
    ['no purpose', { purpose: '' }, 'invalid_input'],
    ['a purpose too long', { purpose: 'x'.repeat(201) }, 'invalid_input'],
    ['ending before it starts', { until: '1961-01-16' }, 'earmark_ends_before_it_starts'],
  ])('%s → %s', (_what, change, expected) => {
    expect(outcomeOf(checkEarmark({ ...base, ...change }))).toBe(expected);
  });

  const held: Earmark = { ...base, released_on: null };
  test.each<[Earmark, string, string]>([
    [held, '1961-02-01', 'ok'],
    [held, '1961-01-17', 'ok'],
    [held, '1961-01-16', 'earmark_ends_before_it_starts'],
    [{ ...held, released_on: '1961-02-01' }, '1961-03-01', 'earmark_already_released'],
  ])('%# released on %s → %s', (earmark, on, expected) => {
    expect(outcomeOf(releaseEarmark(earmark, on))).toBe(expected);
  });

  test.each<[Earmark, string, boolean]>([
    [held, '1961-01-16', false],
    [held, '1961-01-17', true],
    [held, '1961-06-30', true],
    [held, '1961-07-01', false],
    [{ ...held, released_on: '1961-02-01' }, '1961-01-31', true],
    [{ ...held, released_on: '1961-02-01' }, '1961-02-01', false],
  ])('%# holds its sum on %s: %s', (earmark, on, expected) => {
    expect(earmarkActiveOn(earmark, on)).toBe(expected);
  });
});

describe('what an open trade sets aside', () => {
  const trade: TradeCommitment = {
    trade_id: 'TRADE-1',
    currency: 'GBP',
    state: 'accepted',
    accepted_on: '1961-01-17',
    budget_minor: null,
    fine_milli_oz: 1_000n, // one fine ounce
    settlement_date: null,
    consideration_minor: null,
  };
  const fixing = { date: '1961-01-16', minor_per_oz: 60_960n }; // 254s 0d
  const settled = {
    ...trade,
    state: 'settled' as const,
    settlement_date: '1961-01-31',
    consideration_minor: 60_960n,
  };
  test.each<[string, TradeCommitment, typeof fixing | undefined, string, string]>([
    ['before it was accepted', trade, fixing, '1961-01-16', 'nothing'],
    ['a weight, at the latest fixing', trade, fixing, '1961-01-17', 'estimate 60960 (1961-01-16)'],
    ['a weight with no fixing yet', trade, undefined, '1961-01-17', 'unpriced 0'],
    [
      'a sum accepted',
      { ...trade, budget_minor: 34_285_714_285n },
      fixing,
      '1961-01-17',
      'budget 34285714285',
    ],
    [
      'allocated, by amount',
      { ...trade, state: 'allocated', budget_minor: 5n },
      fixing,
      '1961-01-20',
      'budget 5',
    ],
    ['settled with a later value date', settled, fixing, '1961-01-30', 'price_paid 60960'],
    ['settled and paid', settled, fixing, '1961-01-31', 'nothing'],
    ['cancelled', { ...trade, state: 'cancelled' }, fixing, '1961-01-20', 'nothing'],
  ])('%s → %s', (_what, commitment, price, on, expected) => {
    const aside = setAsideFor(commitment, price, on);
    const shown = aside
      ? `${aside.basis} ${aside.amount.minor}${aside.price_date ? ` (${aside.price_date})` : ''}`
      : 'nothing';
    expect(shown).toBe(expected);
  });
});

describe('the position of 17 January 1961 (DOMAIN.md §1)', () => {
  // USD 25 million at Moscow Narodny Bank in London, USD 8 million more on the way, the sum over
  // USD 20 million needed for other expenses; TRADE-1 accepted for USD 20 million at USD 2.80.
  const budget = convert(USD(DOLLARS(20_000_000n)), PARITY, 'GBP', '1961-01-17');
  const books = {
    correspondents: [LONDON],
    balances: [
      { correspondent_id: 'MNB-LONDON', as_of: '1961-01-17', minor: DOLLARS(25_000_000n), sequence: 1n },
    ],
    transfers: [{ ...EIGHT, source: { kind: 'outside' as const, name: 'not named in the record' } }],
    earmarks: [
      {
        id: 'EAR-1',
        amount: USD(DOLLARS(13_000_000n)),
        purpose: 'other expenses',
        from: '1961-01-17',
        until: '1961-12-31',
        released_on: null,
      },
    ],
    depository: [{ account_id: 'NBC-GBP', currency: 'GBP' as const, minor: 0n }],
    set_aside: [{ trade_id: 'TRADE-1', amount: budget, basis: 'budget' as const, price_date: null }],
  };

  test('what is left for gold, per currency and in sterling', () => {
    const position = treasuryPosition(books, '1961-01-17');
    expect(position.currencies).toEqual([
      {
        currency: 'GBP',
        at_correspondents: 0n,
        at_depository: 0n,
        under_way: 0n,
        set_aside: budget.minor,
        earmarked: 0n,
        left: -budget.minor,
      },
      {
        currency: 'USD',
        at_correspondents: DOLLARS(25_000_000n),
        at_depository: 0n,
        under_way: DOLLARS(8_000_000n),
        set_aside: 0n,
        earmarked: DOLLARS(13_000_000n),
        left: DOLLARS(20_000_000n),
      },
    ]);
    expect(budget.minor).toBe(34_285_714_285n); // £7,142,857 2s 10¼d
    const sterling = sterlingEquivalent(position.currencies, { USD: PARITY }, '1961-01-17');
    // The USD 20 million left is exactly what the trade set aside: nothing more is free for gold.
    expect(sterling.ok && sterling.lines.map((l) => l.sterling_minor)).toEqual([
      -34_285_714_285n,
      34_285_714_285n,
    ]);
    expect(sterling.ok && sterling.total_minor).toBe(0n);
  });

  test('without a rate for dollars there is no sterling equivalent, and the refusal names the rate', () => {
    const position = treasuryPosition(books, '1961-01-17');
    const sterling = sterlingEquivalent(position.currencies, {}, '1961-01-17');
    expect(sterling).toMatchObject({ ok: false, code: 'rate_missing', field: 'usd_per_gbp' });
  });

  test('a week before, nothing was accepted, sent or earmarked yet', () => {
    const position = treasuryPosition({ ...books, set_aside: [] }, '1961-01-10');
    expect(position.currencies.map((c) => [c.currency, c.left])).toEqual([
      ['GBP', 0n],
      ['USD', 0n],
    ]);
  });

  test('the statement of London after the transfer arrived already holds it: counted once', () => {
    const arrived = { ...books.transfers[0], state: 'arrived', closed_on: '1961-01-19' } as Transfer;
    const later = [
      ...books.balances,
      { correspondent_id: 'MNB-LONDON', as_of: '1961-01-20', minor: DOLLARS(33_000_000n), sequence: 2n },
    ];
    for (const [on, balances] of [
      ['1961-01-18', books.balances],
      ['1961-01-19', books.balances],
      ['1961-01-20', later],
    ] as const) {
      const position = treasuryPosition({ ...books, transfers: [arrived], balances }, on);
      const usd = position.currencies.find((c) => c.currency === 'USD');
      expect(usd && usd.at_correspondents + usd.under_way, on).toBe(DOLLARS(33_000_000n));
    }
  });
});

/** Days of 1961 as dates, for generated histories. */
const day = fc.integer({ min: 1, max: 28 }).map((d) => `1961-02-${String(d).padStart(2, '0')}`);

/** A generated history of transfers between the bank's own places and from outside. */
const history = fc.record({
  initial: fc.tuple(fc.bigInt(0n, 10n ** 12n), fc.bigInt(0n, 10n ** 12n), fc.bigInt(0n, 10n ** 12n)),
  transfers: fc.array(
    fc.record({
      from: fc.integer({ min: 0, max: 3 }), // 0, 1: correspondents A, B; 2: the depository (never a source); 3: outside
      to: fc.integer({ min: 0, max: 2 }),
      minor: fc.bigInt(1n, 10n ** 10n),
      sent_on: day,
      fate: fc.constantFrom('under_way', 'arrived', 'cancelled'),
      closed_after_days: fc.integer({ min: 0, max: 10 }),
    }),
    { maxLength: 8 },
  ),
  statements: fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), day), { maxLength: 6 }),
  on: day,
});

function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('properties', () => {
  const A: Correspondent = { id: 'A', bank: 'A', currency: 'USD', account_reference: '' };
  const B: Correspondent = { id: 'B', bank: 'B', currency: 'USD', account_reference: '' };

  test('money moved between the bank’s own places is never lost nor counted twice, whenever statements were taken', () => {
    fc.assert(
      fc.property(history, (h) => {
        const transfers: Transfer[] = h.transfers
          .filter((t) => t.from !== 2 && !(t.from === t.to))
          .map((t, index) => ({
            id: `T${index}`,
            amount: USD(t.minor),
            source:
              t.from === 3
                ? { kind: 'outside', name: 'payer' }
                : { kind: 'correspondent', correspondent_id: t.from === 0 ? 'A' : 'B' },
            target:
              t.to === 2
                ? { kind: 'depository', account_id: 'DEP' }
                : { kind: 'correspondent', correspondent_id: t.to === 0 ? 'A' : 'B' },
            sent_on: t.sent_on,
            expected_on: t.sent_on,
            state: t.fate as Transfer['state'],
            closed_on: t.fate === 'under_way' ? null : plusDays(t.sent_on, t.closed_after_days),
          }));
        // An independent model: each place's true holdings at the end of a day, event by event.
        const holdings = (place: string, date: string): bigint => {
          const index = ['A', 'B', 'DEP'].indexOf(place);
          let minor = h.initial[index] ?? 0n;
          for (const t of transfers) {
            const left = t.sent_on <= date && !(t.state === 'cancelled' && (t.closed_on ?? '') <= date);
            const came = t.state === 'arrived' && (t.closed_on ?? '') <= date;
            const from = t.source.kind === 'correspondent' ? t.source.correspondent_id : 'outside';
            const to = t.target.kind === 'correspondent' ? t.target.correspondent_id : 'DEP';
            if (from === place && left) minor -= t.amount.minor;
            if (to === place && came) minor += t.amount.minor;
          }
          return minor;
        };
        // Each correspondent states its true holdings as of the dates it sent statements, and an
        // opening balance before anything happened.
        const balances: CorrespondentBalance[] = [
          { correspondent_id: 'A', as_of: '1961-01-31', minor: h.initial[0], sequence: 0n },
          { correspondent_id: 'B', as_of: '1961-01-31', minor: h.initial[1], sequence: 0n },
          ...h.statements.map(([which, as_of], index) => {
            const id = which === 0 ? 'A' : 'B';
            return { correspondent_id: id, as_of, minor: holdings(id, as_of), sequence: BigInt(index + 1) };
          }),
        ];
        const position = treasuryPosition(
          {
            correspondents: [A, B],
            balances,
            transfers,
            earmarks: [],
            depository: [{ account_id: 'DEP', currency: 'USD', minor: holdings('DEP', h.on) }],
            set_aside: [],
          },
          h.on,
        );
        const fromOutside = transfers
          .filter((t) => t.source.kind === 'outside')
          .reduce((sum, t) => {
            const live = t.sent_on <= h.on && !(t.state === 'cancelled' && (t.closed_on ?? '') <= h.on);
            return live ? sum + t.amount.minor : sum;
          }, 0n);
        const usd = position.currencies.find((c) => c.currency === 'USD');
        const total = h.initial.reduce((sum, minor) => sum + minor, 0n) + fromOutside;
        expect(usd && usd.at_correspondents + usd.at_depository + usd.under_way).toBe(total);
        // Each correspondent, whenever its statement was taken, holds what the model says it does.
        for (const line of position.correspondents) {
          expect(line.minor).toBe(holdings(line.correspondent.id, h.on));
        }
      }),
    );
  });

  test('what is left is the sum of its parts, whatever the books hold', () => {
    const money = (currency: CurrencyCode) => fc.bigInt(1n, 10n ** 12n).map((minor) => ({ currency, minor }));
    const currency = fc.constantFrom<CurrencyCode>('GBP', 'USD', 'EUR');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(currency, fc.bigInt(-(10n ** 12n), 10n ** 12n)), { maxLength: 4 }),
        fc.array(currency.chain(money), { maxLength: 4 }),
        fc.array(currency.chain(money), { maxLength: 4 }),
        (depository, earmarks, aside) => {
          const position = treasuryPosition(
            {
              correspondents: [],
              balances: [],
              transfers: [],
              earmarks: earmarks.map((amount, i) => ({
                id: `E${i}`,
                amount,
                purpose: 'p',
                from: '1961-01-01',
                until: '1961-12-31',
                released_on: null,
              })),
              depository: depository.map(([currency, minor], i) => ({
                account_id: `D${i}`,
                currency,
                minor,
              })),
              set_aside: aside.map((amount, i) => ({
                trade_id: `T${i}`,
                amount,
                basis: 'budget',
                price_date: null,
              })),
            },
            '1961-06-01',
          );
          for (const line of position.currencies) {
            const of = (items: { currency: string; minor: bigint }[]) =>
              items.filter((i) => i.currency === line.currency).reduce((s, i) => s + i.minor, 0n);
            const expected =
              of(depository.map(([c, minor]) => ({ currency: c, minor }))) - of(earmarks) - of(aside);
            expect(line.left).toBe(expected);
          }
        },
      ),
    );
  });

  test('the sterling equivalent never exceeds what the money fetches, and falls short by less than a farthing', () => {
    fc.assert(
      fc.property(
        fc.bigInt(-(10n ** 14n), 10n ** 14n),
        fc.bigInt(1_000_000_000n, 100_000_000_000n), // 0.1 to 10 units per £
        (left, rate) => {
          const usd = {
            currency: 'USD' as const,
            at_correspondents: left,
            at_depository: 0n,
            under_way: 0n,
            set_aside: 0n,
            earmarked: 0n,
            left,
          };
          const outcome = sterlingEquivalent(
            [usd],
            { USD: { base: 'GBP', quote: 'USD', quote_per_base_e10: rate } },
            '1961-01-17',
          );
          if (!outcome.ok) throw new Error(outcome.message);
          const sterling = outcome.total_minor; // in 1/4800 £
          // Exactly: sterling / 4800 £ × rate / 10^10 $ per £ ≤ left / 100 $, to a farthing (5 units).
          const fetched = sterling * rate * 100n; // ×(4800 × 10^10) scale
          const worth = left * 4800n * 10_000_000_000n;
          expect(fetched <= worth).toBe(true);
          expect(worth - fetched < 5n * rate * 100n).toBe(true);
          expect(sterling % 5n).toBe(0n);
        },
      ),
    );
  });

  test('a correspondent without a stated balance starts from zero', () => {
    const line = correspondentPosition(
      A,
      [],
      [
        {
          ...EIGHT,
          target: { kind: 'correspondent', correspondent_id: 'A' },
          state: 'arrived',
          closed_on: '1961-01-20',
        },
      ],
      '1961-01-20',
    );
    expect([line.stated, line.in_since_minor, line.minor]).toEqual([
      undefined,
      DOLLARS(8_000_000n),
      DOLLARS(8_000_000n),
    ]);
  });
});
