// Generators of valid messages of every type, for property tests. Each value is one a bank could
// send: whatever it generates, the text and JSON forms must carry it there and back unchanged.
import fc from 'fast-check';
import type { CurrencyCode, FxRate, Money } from '../money.ts';
import { fineWeight } from '../weight.ts';
import type { AcceptanceMessage } from './acceptance.ts';
import type { BarListMessage, ListedBar } from './barlist.ts';
import type { Consideration } from './codecs.ts';
import type { Message } from './index.ts';
import type { Metal } from './metal.ts';
import type { FunctionCode, TradeConfirmation } from './mt600.ts';
import type { TransferOrder } from './mt604.ts';
import type { MetalStatement } from './mt608.ts';
import type { OfferMessage } from './offer.ts';
import type { Party } from './party.ts';
import type { Balance } from './statement-fields.ts';
import type { LineMark, StatementLine } from './statement-line.ts';
import { checkFreeText } from './text.ts';

const CURRENCIES: readonly CurrencyCode[] = ['GBP', 'USD', 'EUR'];

/** A reference: 16x without "/" (the slash rules are tested by table). */
export const referenceArbitrary = fc.stringMatching(
  /^[A-Za-z0-9](?:[A-Za-z0-9.\-?():,'+ ]{0,14}[A-Za-z0-9])?$/,
);

/** A date that YYMMDD can hold. */
export const dateArbitrary = fc
  .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2049-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

/** Two dates, the first not after the second. */
const datePairArbitrary = fc.tuple(dateArbitrary, dateArbitrary).map(([a, b]) => (a <= b ? [a, b] : [b, a]));

/** Fine gold above zero, up to a billion ounces, to the milli-ounce. */
export const quantityArbitrary = fc.bigInt({ min: 1n, max: 10n ** 12n });

const currencyArbitrary = fc.constantFrom(...CURRENCIES);

/** Money above zero in any currency; sterling of any 1/4800 £, with or without a decimal form. */
export function moneyArbitrary(
  currency: fc.Arbitrary<CurrencyCode> = currencyArbitrary,
): fc.Arbitrary<Money> {
  return fc.record({ currency, minor: fc.bigInt({ min: 1n, max: 10n ** 14n }) });
}

/** Free text of a few lines in any script, as it reads back (line ends trimmed). */
export const narrativeArbitrary = fc
  .array(fc.string({ unit: 'grapheme', maxLength: 60 }), { minLength: 1, maxLength: 6 })
  .map((lines) => checkFreeText(lines.join('\n'), null, 'narrative'))
  .filter((checked) => checked.ok)
  .map((checked) => (checked.ok ? checked.value : ''));

const nameLine = fc.stringMatching(/^[A-Za-zÁÉÍÓÚÑáéíóúñ][A-Za-zÁÉÍÓÚÑáéíóúñ0-9 .,'()-]{0,33}[A-Za-z.]$/);

/** A party of any option. */
export const partyArbitrary: fc.Arbitrary<Party> = fc.oneof(
  fc.record({
    option: fc.constant('A' as const),
    identifier: fc.option(fc.stringMatching(/^\/[A-Z0-9-]{1,20}$/), { nil: null }),
    lines: fc.stringMatching(/^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/).map((bic) => [bic]),
  }),
  fc.record({
    option: fc.constant('B' as const),
    identifier: fc.stringMatching(/^\/[A-Z0-9-]{1,20}$/),
    lines: fc.array(fc.stringMatching(/^[A-Z][A-Z ]{0,20}[A-Z]$/), { maxLength: 1 }),
  }),
  fc.record({
    option: fc.constant('D' as const),
    identifier: fc.option(fc.stringMatching(/^\/[A-Z]\/[A-Z0-9-]{1,20}$/), { nil: null }),
    lines: fc.array(nameLine, { minLength: 1, maxLength: 4 }),
  }),
);

/** The gold and its account. */
export const metalArbitrary: fc.Arbitrary<Metal> = fc.record({
  delivery: fc.option(fc.stringMatching(/^[A-Z]{3}$/), { nil: null }),
  location: fc.stringMatching(/^[A-Z][A-Z ]{0,13}[A-Z]$/),
  allocation: fc.constantFrom('ALLOC' as const, 'UNALL' as const),
  commodity: fc.constant('GOLD' as const),
  denomination: fc.option(fc.stringMatching(/^[A-Z0-9]{1,4}$/), { nil: null }),
  form: fc.option(fc.stringMatching(/^[A-Z]{1,8}$/), { nil: null }),
});

const optionalReference = fc.option(referenceArbitrary, { nil: null });
const optionalNarrative = fc.option(narrativeArbitrary, { nil: null });
const barNumbersArbitrary = fc.option(
  fc.array(fc.stringMatching(/^[A-Z]{2,5}\/[0-9]{3,8}\/(?:19|20)[0-9]{2}$/), { minLength: 1, maxLength: 8 }),
  { nil: null },
);

/** An MT600 whose consideration is in the price's currency. */
export const tradeConfirmationArbitrary: fc.Arbitrary<TradeConfirmation> = currencyArbitrary.chain(
  (currency) =>
    fc.record({
      type: fc.constant('MT600' as const),
      reference: referenceArbitrary,
      related_reference: optionalReference,
      function: fc.record({
        code: fc.constantFrom<FunctionCode>(
          'NEW',
          'AMEND',
          'CANCEL',
          'CORRECT',
          'COMPLETE',
          'EXOPTION',
          'NOTICE',
        ),
        common_reference: fc.option(fc.stringMatching(/^[A-Z0-9]{1,16}$/), { nil: null }),
      }),
      party_a: partyArbitrary,
      party_b: partyArbitrary,
      trade_date: dateArbitrary,
      metal: metalArbitrary,
      quantity_fine_milli_oz: quantityArbitrary,
      price: moneyArbitrary(fc.constant(currency)).map((m) => ({ currency, minor_per_oz: m.minor })),
      consideration: fc.record<Consideration>({
        direction: fc.constantFrom('paid' as const, 'received' as const),
        value_date: dateArbitrary,
        amount: moneyArbitrary(fc.constant(currency)),
      }),
      settlement_institution: fc.option(partyArbitrary, { nil: null }),
      sender_to_receiver: optionalNarrative,
    }),
);

/** The fields MT604 and MT605 share. */
function transferRecord<T extends 'MT604' | 'MT605'>(type: T) {
  return {
    type: fc.constant(type),
    reference: referenceArbitrary,
    related_reference: optionalReference,
    further_identification: fc.constantFrom('TRANSFER', 'DELIVERY', 'RELEASE', 'SHIPMENT'),
    metal: metalArbitrary,
    account: fc.option(fc.stringMatching(/^[A-Z][A-Z0-9-]{0,33}[A-Z0-9]$/), { nil: null }),
    value_date: dateArbitrary,
    bar_numbers: barNumbersArbitrary,
    quantity_fine_milli_oz: quantityArbitrary,
    instructing_party: fc.option(partyArbitrary, { nil: null }),
    sender_to_receiver: optionalNarrative,
  };
}

/** An MT604. */
export const transferOrderArbitrary: fc.Arbitrary<TransferOrder> = fc.record({
  ...transferRecord('MT604'),
  receiver: fc.option(partyArbitrary, { nil: null }),
  beneficiary: partyArbitrary,
});

/** An MT605. */
export const noticeToReceiveArbitrary = fc.record({
  ...transferRecord('MT605'),
  deliverer: fc.option(partyArbitrary, { nil: null }),
  beneficiary: fc.option(partyArbitrary, { nil: null }),
});

/** An MT606 or MT607. */
function adviceArbitrary<T extends 'MT606' | 'MT607'>(type: T) {
  return fc.record({
    type: fc.constant(type),
    reference: referenceArbitrary,
    related_reference: referenceArbitrary,
    account: fc.option(fc.stringMatching(/^[A-Z][A-Z0-9-]{0,33}[A-Z0-9]$/), { nil: null }),
    metal: metalArbitrary,
    value_date: dateArbitrary,
    bar_numbers: barNumbersArbitrary,
    quantity_fine_milli_oz: quantityArbitrary,
    sender_to_receiver: optionalNarrative,
  });
}

const entryDateArbitrary = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2000-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(5, 10).replace('-', ''));

/** A statement line. */
export const statementLineArbitrary: fc.Arbitrary<StatementLine> = fc.record({
  value_date: dateArbitrary,
  entry_date: fc.option(entryDateArbitrary, { nil: null }),
  mark: fc.constantFrom<LineMark>('C', 'D', 'RC', 'RD'),
  funds_code: fc.option(fc.stringMatching(/^[A-Z]$/), { nil: null }),
  fine_milli_oz: fc.bigInt({ min: 0n, max: 10n ** 10n }),
  transaction_type: fc.stringMatching(/^(?:S\d{3}|[NF][A-Z0-9]{3})$/),
  owner_reference: referenceArbitrary,
  servicer_reference: fc.option(fc.stringMatching(/^[A-Z0-9][A-Z0-9 -]{0,14}[A-Z0-9]$/), { nil: null }),
  details: fc.option(fc.stringMatching(/^[A-Z0-9][A-Z0-9 /.-]{0,32}[A-Z0-9]$/), { nil: null }),
});

/** A balance from its signed value. */
function balanceOf(signed: bigint, date: string, intermediate: boolean): Balance {
  return { intermediate, mark: signed < 0n ? 'D' : 'C', date, fine_milli_oz: signed < 0n ? -signed : signed };
}

/** An MT608 that adds up: the closing balance is the opening one plus its lines. */
export const metalStatementArbitrary: fc.Arbitrary<MetalStatement> = fc
  .record({
    reference: referenceArbitrary,
    account: fc.stringMatching(/^[A-Z][A-Z0-9-]{0,33}[A-Z0-9]$/),
    statement_number: fc.record({
      statement_number: fc.integer({ min: 1, max: 99999 }),
      page_number: fc.option(fc.integer({ min: 1, max: 99999 }), { nil: null }),
    }),
    metal: metalArbitrary,
    opening: fc.bigInt({ min: -(10n ** 10n), max: 10n ** 11n }),
    intermediate: fc.tuple(fc.boolean(), fc.boolean()),
    dates: datePairArbitrary,
    lines: fc.array(statementLineArbitrary, { maxLength: 12 }),
  })
  .map(({ opening, intermediate, dates, lines, ...rest }) => {
    const [from = '', to = ''] = dates;
    const closing = lines.reduce(
      (sum, line) =>
        sum + (line.mark === 'C' || line.mark === 'RD' ? line.fine_milli_oz : -line.fine_milli_oz),
      opening,
    );
    return {
      type: 'MT608' as const,
      ...rest,
      opening: balanceOf(opening, from, intermediate[0]),
      lines,
      closing: balanceOf(closing, to, intermediate[1]),
    };
  });

/** An MT699. */
export const freeFormatArbitrary = fc.record({
  type: fc.constant('MT699' as const),
  reference: referenceArbitrary,
  related_reference: optionalReference,
  narrative: narrativeArbitrary,
});

/** An offer open from one date to a later one. */
export const offerArbitrary: fc.Arbitrary<OfferMessage> = fc
  .record({
    reference: referenceArbitrary,
    seller: partyArbitrary,
    buyer: partyArbitrary,
    metal: metalArbitrary,
    maximum_fine_milli_oz: quantityArbitrary,
    minimum_fineness_per10k: fc.bigInt({ min: 1n, max: 10000n }),
    pricing: fc.record({
      currency: currencyArbitrary,
      rule: fc.constant('london_fixing_of_payment_day' as const),
    }),
    custody_fee_per_year_per10k: fc.bigInt({ min: 0n, max: 10000n }),
    dates: datePairArbitrary,
    terms: optionalNarrative,
  })
  .map(({ dates, ...rest }) => ({
    type: 'INGOT-OFFER' as const,
    ...rest,
    valid_from: dates[0] ?? '',
    valid_until: dates[1] ?? '',
  }));

/** A rate converting `currency` into another, either way round. */
function rateFor(currency: CurrencyCode): fc.Arbitrary<FxRate> {
  const other = fc.constantFrom(...CURRENCIES.filter((code) => code !== currency));
  return fc
    .record({ other, baseIsAmount: fc.boolean(), rate: fc.bigInt({ min: 1n, max: 10n ** 12n }) })
    .map(({ other: code, baseIsAmount, rate }) => ({
      base: baseIsAmount ? currency : code,
      quote: baseIsAmount ? code : currency,
      quote_per_base_e10: rate,
    }));
}

/** An acceptance for a quantity, or for an amount with or without a rate. */
export const acceptanceArbitrary: fc.Arbitrary<AcceptanceMessage> = fc
  .record({
    reference: referenceArbitrary,
    offer_reference: referenceArbitrary,
    accepted_on: dateArbitrary,
    asked: fc.oneof(
      quantityArbitrary.map((milli) => ({ quantity: milli, amount: null, rate: null })),
      moneyArbitrary().chain((money) =>
        fc
          .option(rateFor(money.currency), { nil: null })
          .map((rate) => ({ quantity: null, amount: money, rate })),
      ),
    ),
    narrative: optionalNarrative,
  })
  .map(({ asked, ...rest }) => ({
    type: 'INGOT-ACCEPTANCE' as const,
    ...rest,
    quantity_fine_milli_oz: asked.quantity,
    amount: asked.amount,
    exchange_rate: asked.rate,
  }));

/** A bar as a list states it: its fine weight follows from gross × fineness. */
const listedBarArbitrary: fc.Arbitrary<ListedBar> = fc
  .record({
    refiner: fc.stringMatching(/^[A-Z][A-Z0-9]{0,7}$/),
    serial: fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,10}[A-Z0-9]$/),
    year: fc.integer({ min: 1900, max: 2049 }),
    gross_milli_oz: fc.bigInt({ min: 1n, max: 10n ** 7n }),
    fineness: fc.bigInt({ min: 1n, max: 10000n }),
  })
  .map((bar) => ({ ...bar, fine_milli_oz: fineWeight(bar.gross_milli_oz, bar.fineness) }));

/** A bar list whose count and total agree with its bars, none listed twice. */
export const barListArbitrary: fc.Arbitrary<BarListMessage> = fc
  .record({
    reference: referenceArbitrary,
    related_reference: optionalReference,
    account: fc.stringMatching(/^[A-Z][A-Z0-9-]{0,33}[A-Z0-9]$/),
    date: dateArbitrary,
    custodian: fc.option(partyArbitrary, { nil: null }),
    owner: fc.option(partyArbitrary, { nil: null }),
    metal: metalArbitrary,
    bars: fc.uniqueArray(listedBarArbitrary, {
      minLength: 1,
      maxLength: 6,
      selector: (bar) => `${bar.refiner.toUpperCase()}/${bar.serial}`,
    }),
    sender_to_receiver: optionalNarrative,
  })
  .filter((list) => list.bars.some((bar) => bar.fine_milli_oz > 0n))
  .map((list) => ({
    type: 'INGOT-BARLIST' as const,
    ...list,
    count: list.bars.length,
    total_fine_milli_oz: list.bars.reduce((sum, bar) => sum + bar.fine_milli_oz, 0n),
  }));

/** A message of any type. */
export const messageArbitrary: fc.Arbitrary<Message> = fc.oneof(
  tradeConfirmationArbitrary,
  transferOrderArbitrary,
  noticeToReceiveArbitrary,
  adviceArbitrary('MT606'),
  adviceArbitrary('MT607'),
  metalStatementArbitrary,
  freeFormatArbitrary,
  offerArbitrary,
  acceptanceArbitrary,
  barListArbitrary,
);
