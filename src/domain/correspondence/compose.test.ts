import { describe, expect, test } from 'vitest';
import { checkMessage } from '../messages/index.ts';
import { type BookBar, composeSettlement, composeStatement, partyOf, referenceOf } from './compose.ts';

const BARS: BookBar[] = [
  {
    refiner: 'MSK',
    serial: '100000',
    year: 1955,
    gross_milli_oz: 416_600n,
    fineness: 9990n,
    fine_milli_oz: 416_183n,
    vault: 'Moscow',
  },
  {
    refiner: 'NSK',
    serial: '100001',
    year: 1960,
    gross_milli_oz: 405_200n,
    fineness: 9991n,
    fine_milli_oz: 404_835n,
    vault: 'Moscow',
  },
];

describe('messages from the books', () => {
  test('references keep to 16 characters', () => {
    expect(referenceOf('TRADE-1', '-CR')).toBe('TRADE-1-CR');
    expect(referenceOf('TRADE-123456789012', '-BL')).toBe('123456789012-BL');
  });

  test('a long name is wrapped into lines of 35 characters', () => {
    const party = partyOf('Union of Soviet Socialist Republics State Bank, Neglinnaya 12, Moscow', 'GOSBANK');
    expect(party.identifier).toBe('/GOSBANK');
    expect(party.lines.every((line) => line.length <= 35)).toBe(true);
    expect(party.lines.join(' ')).toBe(
      'Union of Soviet Socialist Republics State Bank, Neglinnaya 12, Moscow',
    );
  });

  test("a settlement's four messages are each valid, the bar list adding up to the credit", () => {
    const messages = composeSettlement({
      trade_id: 'TRADE-1',
      accepted_on: '1961-01-17',
      settlement_date: '1961-01-31',
      seller: { id: 'GOSBANK', name: 'State Bank of the USSR' },
      buyer: { id: 'NBC', name: 'National Bank of Cuba' },
      seller_cash_account_id: 'GOSBANK-GBP',
      buyer_custody_account_id: 'NBC-GOLD',
      buyer_cash_account_id: 'NBC-GBP',
      fine_milli_oz: 821_018n,
      price: { currency: 'GBP', minor_per_oz: 60_960n },
      consideration: { currency: 'GBP', minor: 50_049_257n },
      bars: BARS,
    });
    expect(messages.map(({ message }) => message.type)).toEqual(['MT600', 'MT607', 'MT699', 'INGOT-BARLIST']);
    for (const { message } of messages) expect(checkMessage(message)).toEqual({ ok: true });
    const [, credit, , list] = messages.map(({ message }) => message);
    expect(credit?.type === 'MT607' && credit.bar_numbers).toEqual(['MSK/100000/1955', 'NSK/100001/1960']);
    expect(list?.type === 'INGOT-BARLIST' && list.total_fine_milli_oz).toBe(821_018n);
    expect(credit?.type === 'MT607' && credit.metal.location).toBe('MOSCOW');
  });

  test('a statement adds up from opening to closing', () => {
    const statement = composeStatement({
      reference: 'ST610331-1',
      account_id: 'NBC-GOLD',
      statement_number: 1,
      location: 'MOSCOW',
      from: '1961-01-01',
      to: '1961-03-31',
      opening: 0n,
      movements: [
        {
          entry_id: 5n,
          value_date: '1961-01-31',
          amount: 821_018n,
          owner_reference: 'TRADE-1',
          advised_by: 'MT607',
        },
        {
          entry_id: 9n,
          value_date: '1961-02-15',
          amount: -416_183n,
          owner_reference: 'REL-1',
          advised_by: 'MT606',
        },
      ],
      closing: 404_835n,
    });
    expect(checkMessage(statement)).toEqual({ ok: true });
    expect(
      statement.lines.map((line) => `${line.mark} ${line.transaction_type} ${line.owner_reference}`),
    ).toEqual(['C S607 TRADE-1', 'D S606 REL-1']);
  });
});
