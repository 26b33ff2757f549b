import { describe, expect, test } from 'vitest';
import {
  type AcceptanceMessage,
  fromAcceptanceJson,
  parseAcceptanceText,
  renderAcceptanceText,
  toAcceptanceJson,
} from './acceptance.ts';

/** The client's decision of 17 January 1961: buy for USD 20 million, at USD 2.80 to the pound. */
const ACCEPTANCE_1961: AcceptanceMessage = {
  type: 'INGOT-ACCEPTANCE',
  reference: 'ACCEPT-1',
  offer_reference: 'OFFER-1',
  accepted_on: '1961-01-17',
  quantity_fine_milli_oz: null,
  amount: { currency: 'USD', minor: 2_000_000_000n },
  exchange_rate: { base: 'GBP', quote: 'USD', quote_per_base_e10: 28_000_000_000n },
  narrative: 'Approximately 20 tons.',
};

const ACCEPTANCE_1961_TEXT = `INGOT-ACCEPTANCE
:20:ACCEPT-1
:21:OFFER-1
:30:610117
:32B:USD20000000,
:36:GBPUSD2,8
:79:Approximately 20 tons.
`;

describe('INGOT-ACCEPTANCE', () => {
  test('renders the 1961 acceptance; parse → render gives the same text', () => {
    const text = renderAcceptanceText(ACCEPTANCE_1961);
    expect(text).toBe(ACCEPTANCE_1961_TEXT);
    expect(parseAcceptanceText(text)).toEqual({ ok: true, message: ACCEPTANCE_1961, ignored_fields: [] });
  });

  test('JSON round trip', () => {
    const json = JSON.parse(JSON.stringify(toAcceptanceJson(ACCEPTANCE_1961)));
    expect(json.exchange_rate).toEqual({ base: 'GBP', quote: 'USD', quote_per_base_e10: '28000000000' });
    expect(fromAcceptanceJson(json)).toEqual({ ok: true, message: ACCEPTANCE_1961 });
  });

  test('reads an acceptance of a quantity written by hand', () => {
    const parsed = parseAcceptanceText(
      'INGOT-ACCEPTANCE\n:21:OFFER-1\n:20:ACCEPT-2\n:32F:FOZ10000,\n:30:610120\n',
    );
    expect(parsed.ok && parsed.message).toMatchObject({ quantity_fine_milli_oz: 10_000_000n, amount: null });
  });

  test.each([
    ['both a quantity and an amount', [':32B:', ':32F:FOZ1,\n:32B:'], '32F', 'exactly one of them'],
    ['neither', [':32B:USD20000000,\n', ''], '32F', 'exactly one of them'],
    [
      'a rate not converting the amount',
      [':36:GBPUSD2,8', ':36:GBPEUR2,8'],
      '36',
      'does not convert the amount',
    ],
    ['a rate with a quantity', [':32B:USD20000000,', ':32F:FOZ1,'], '36', 'goes with an amount'],
    ['an amount finer than the cent', [':32B:USD20000000,', ':32B:USD20000000,001'], '32B', 'the cent'],
  ] as const)('%s is refused naming the field', (_case, [from, to], field, reason) => {
    const parsed = parseAcceptanceText(ACCEPTANCE_1961_TEXT.replace(from, to));
    expect(parsed.ok ? 'ok' : parsed.field).toBe(field);
    expect(parsed.ok ? '' : parsed.message).toContain(reason);
  });

  test('from JSON, the fields are named by their JSON names', () => {
    const json = { ...toAcceptanceJson(ACCEPTANCE_1961), quantity_fine_milli_oz: '1000' };
    const read = fromAcceptanceJson(json);
    expect(read.ok ? 'ok' : read.field).toBe('quantity_fine_milli_oz');
  });
});
