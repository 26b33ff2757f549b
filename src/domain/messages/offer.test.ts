import { describe, expect, test } from 'vitest';
import { fromOfferJson, type OfferMessage, parseOfferText, renderOfferText, toOfferJson } from './offer.ts';

/** The offer of January 1961: up to 30 t (964,522.397 oz) at 990‰ or better, priced at the fixing. */
const OFFER_1961: OfferMessage = {
  type: 'INGOT-OFFER',
  reference: 'OFFER-1',
  seller: { option: 'D', identifier: null, lines: ['STATE BANK OF THE USSR', 'MOSCOW'] },
  buyer: { option: 'D', identifier: null, lines: ['BANCO NACIONAL DE CUBA', 'LA HABANA'] },
  metal: {
    delivery: null,
    location: 'MOSCOW',
    allocation: 'ALLOC',
    commodity: 'GOLD',
    denomination: null,
    form: 'BARS',
  },
  maximum_fine_milli_oz: 964_522_397n,
  minimum_fineness_per10k: 9900n,
  pricing: { currency: 'GBP', rule: 'london_fixing_of_payment_day' },
  custody_fee_per_year_per10k: 0n,
  valid_from: '1961-01-11',
  valid_until: '1961-03-31',
  terms: 'Custody in the depository, at the client’s disposal, free of charge.',
};

const OFFER_1961_TEXT = `INGOT-OFFER
:20:OFFER-1
:82D:STATE BANK OF THE USSR
MOSCOW
:87D:BANCO NACIONAL DE CUBA
LA HABANA
:26C:/MOSCOW/ALLOCGOLD//BARS
:32F:FOZ964522,397
:36F:990,0
:33P:GBP/FIXPAYDAY
:71F:0,
:31C:610111
:31E:610331
:79:Custody in the depository, at the client’s disposal, free of charge.
`;

describe('INGOT-OFFER', () => {
  test('renders the 1961 offer; parse → render gives the same text', () => {
    const text = renderOfferText(OFFER_1961);
    expect(text).toBe(OFFER_1961_TEXT);
    const parsed = parseOfferText(text);
    expect(parsed).toEqual({ ok: true, message: OFFER_1961, ignored_fields: [] });
  });

  test('JSON round trip', () => {
    const json = JSON.parse(JSON.stringify(toOfferJson(OFFER_1961)));
    expect(json).toMatchObject({ minimum_fineness_per10k: '9900', custody_fee_per_year_per10k: '0' });
    expect(fromOfferJson(json)).toEqual({ ok: true, message: OFFER_1961 });
  });

  test('reads an offer written by hand: fields in another order, a fee, CRLF', () => {
    const text = [
      'Ingot-Offer',
      ':20:OFFER-9',
      ':31C:240101',
      ':31E:240131',
      ':26C:/LONDON/ALLOCGOLD',
      ':33P:USD/FIXPAYDAY',
      ':36F:995,',
      ':71F:0,12',
      ':32F:FOZ4000,',
      ':82A:GOSBSUMM',
      ':87A:BNCUCUHH',
      '-',
    ].join('\r\n');
    const parsed = parseOfferText(text);
    expect(parsed.ok && parsed.message).toMatchObject({
      minimum_fineness_per10k: 9950n,
      custody_fee_per_year_per10k: 12n,
      pricing: { currency: 'USD' },
      terms: null,
    });
  });

  test.each([
    [
      'validity ending before it starts',
      [':31E:610331', ':31E:610110'],
      '31E',
      'validity ends 1961-01-10 before it starts',
    ],
    ['a fineness above 1000‰', [':36F:990,0', ':36F:1000,5'], '36F', 'at most 1000,0‰'],
    ['an unknown pricing rule', ['GBP/FIXPAYDAY', 'GBP/AVERAGE'], '33P', 'pricing rule "AVERAGE"'],
    ['no maximum', [':32F:FOZ964522,397\n', ''], '32F', 'field 32F is missing'],
  ] as const)('%s is refused naming the field', (_case, [from, to], field, reason) => {
    const parsed = parseOfferText(OFFER_1961_TEXT.replace(from, to));
    expect(parsed.ok ? 'ok' : parsed.field).toBe(field);
    expect(parsed.ok ? '' : parsed.message).toContain(reason);
  });
});
