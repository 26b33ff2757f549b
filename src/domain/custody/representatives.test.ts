import { describe, expect, test } from 'vitest';
import type { CustodyOutcome } from './refusal.ts';
import {
  checkAuthority,
  checkHandOver,
  checkRepresentativeTerms,
  type HandOver,
  type Representative,
} from './representatives.ts';

function code(outcome: CustodyOutcome<object>): string {
  return outcome.ok ? 'ok' : outcome.code;
}

const REPRESENTATIVE: Representative = {
  id: 'REP-1',
  client_party_id: 'NBC',
  name: 'Representative One',
  identity_document: 'diplomatic passport D-0001',
  authority_valid_from: '1961-02-01',
  authority_valid_until: '1961-03-31',
  revoked_on: null,
  account_ids: ['NBC-GOLD'],
  limit_fine_milli_oz: 1_000_000n, // 1,000 oz in all
};

const HAND_OVER: HandOver = {
  client_party_id: 'NBC',
  account_id: 'NBC-GOLD',
  date: '1961-02-10',
  fine_milli_oz: 400_000n,
  received_fine_milli_oz: 0n,
  identity_document_checked: true,
};

describe('checkHandOver, refusals in precedence order', () => {
  test.each<[Partial<Representative>, Partial<HandOver>, string]>([
    [{}, { client_party_id: 'NBP', date: '1962-01-01' }, 'representative_not_found'], // as if none
    [{}, { account_id: 'NBC-OTHER', date: '1962-01-01' }, 'representative_not_registered_for_account'],
    [{}, { date: '1961-01-31', fine_milli_oz: 9_000_000n }, 'authority_not_yet_valid'],
    [{}, { date: '1961-04-01', identity_document_checked: false }, 'authority_lapsed'],
    [{ revoked_on: '1961-02-10' }, { fine_milli_oz: 9_000_000n }, 'authority_revoked'], // void from that day
    [{}, { fine_milli_oz: 1_000_001n, identity_document_checked: false }, 'exceeds_representative_limit'],
    [{}, { fine_milli_oz: 400_000n, received_fine_milli_oz: 600_001n }, 'exceeds_representative_limit'],
    [{}, { identity_document_checked: false }, 'identity_not_checked'],
    [{}, {}, 'ok'],
    [{}, { date: '1961-02-01' }, 'ok'], // first day of authority
    [{}, { date: '1961-03-31' }, 'ok'], // last day of authority
    [{ revoked_on: '1961-02-11' }, {}, 'ok'], // revoked only from the next day
    [{}, { fine_milli_oz: 400_000n, received_fine_milli_oz: 600_000n }, 'ok'], // exactly the limit
    [{ limit_fine_milli_oz: null }, { fine_milli_oz: 10n ** 12n }, 'ok'],
  ])('%o receives %o → %s', (change, handOver, expected) => {
    const outcome = checkHandOver({ ...REPRESENTATIVE, ...change }, { ...HAND_OVER, ...handOver });
    expect(code(outcome)).toBe(expected);
  });

  test('the authority alone does not need the identity check', () => {
    expect(code(checkAuthority(REPRESENTATIVE, HAND_OVER))).toBe('ok');
  });
});

describe('checkRepresentativeTerms', () => {
  test.each<[Partial<Representative>, string]>([
    [{}, 'ok'],
    [{ name: ' ' }, 'invalid_input'],
    [{ identity_document: '' }, 'invalid_input'],
    [{ authority_valid_until: '1961-01-31' }, 'invalid_input'],
    [{ account_ids: [] }, 'invalid_input'],
    [{ limit_fine_milli_oz: 0n }, 'invalid_input'],
    [{ authority_valid_until: '1961-02-01' }, 'ok'], // a one-day authority
  ])('%o → %s', (change, expected) => {
    expect(code(checkRepresentativeTerms({ ...REPRESENTATIVE, ...change }))).toBe(expected);
  });
});
