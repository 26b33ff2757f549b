import { describe, expect, test } from 'vitest';
import { type DraftContext, type DraftRequest, draftInstruction } from './draft.ts';
import type { InstructionDetails, ReleaseDetails, ShipmentDetails } from './instruction.ts';
import type { Representative } from './representatives.ts';
import {
  accounts,
  BARS,
  DEPOSITORY,
  QUANTITY,
  RELEASE,
  SHIPMENT,
  TRANSFER,
  USERS,
  type UserName,
} from './test-fixtures.ts';

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

const CONTEXT: DraftContext = {
  depository_party_id: DEPOSITORY,
  currency: 'GBP',
  accounts: accounts(),
  representative: REPRESENTATIVE,
  selected_fine_milli_oz: 800_000n,
  representative_received_fine_milli_oz: 0n,
};

function draft(
  details: InstructionDetails,
  change: Partial<DraftRequest> = {},
  maker: UserName = 'signatory',
  context: Partial<DraftContext> = {},
): string {
  const request: DraftRequest = {
    id: 'I-1',
    source_account_id: 'NBC-GOLD',
    selection: BARS,
    details,
    date: '1961-02-01',
    ...change,
  };
  const outcome = draftInstruction(request, USERS[maker], { ...CONTEXT, ...context });
  return outcome.ok ? outcome.instruction.state : outcome.code;
}

const release = (change: Partial<ReleaseDetails>): ReleaseDetails => ({ ...RELEASE, ...change });
const shipment = (change: Partial<ShipmentDetails>): ShipmentDetails => ({ ...SHIPMENT, ...change });
const to = (account_id: string): InstructionDetails => ({
  kind: 'transfer',
  target: { kind: 'existing_account', account_id },
});
const disposal = (account_id: string, party: string, name = 'Banco X'): InstructionDetails => ({
  kind: 'transfer',
  target: { kind: 'disposal_account', account_id, beneficiary_party_id: party, beneficiary_name: name },
});
const NO_BARS: Partial<DraftRequest> = { selection: { kind: 'bars', bar_ids: [] } };
const ZERO: Partial<DraftRequest> = { selection: { kind: 'quantity', fine_milli_oz: 0n } };
const BY_QUANTITY: Partial<DraftRequest> = { selection: QUANTITY };
const representative = (change: Partial<Representative>): Partial<DraftContext> => ({
  representative: { ...REPRESENTATIVE, ...change },
});
const BNB_REP = representative({ client_party_id: 'BNB' });
const PAST = release({ release_on: '1961-01-31' });
const LATER = representative({ authority_valid_from: '1961-03-01' });
const ELSEWHERE = representative({ account_ids: ['NBC-OTHER'] });
const OVER: Partial<DraftContext> = { selected_fine_milli_oz: 1_000_001n };
const USED: Partial<DraftContext> = { representative_received_fine_milli_oz: 200_001n };
const USD_1 = { currency: 'USD', minor: 1n } as const;
const GBP_0 = { currency: 'GBP', minor: 0n } as const;

describe('draftInstruction, refusals in precedence order', () => {
  test.each<[string, InstructionDetails, Partial<DraftRequest>, UserName, Partial<DraftContext>, string]>([
    ['no id', RELEASE, { id: '' }, 'signatory', {}, 'invalid_input'],
    ['unknown account', RELEASE, { source_account_id: 'NBC-NONE' }, 'foreign', {}, 'account_not_found'],
    ['bank B on bank A', RELEASE, {}, 'foreign', {}, 'user_acts_for_another_party'],
    ['a viewer', RELEASE, {}, 'viewer', {}, 'role_may_not_perform_action'],
    ['staff for a client', RELEASE, {}, 'operator', {}, 'role_may_not_perform_action'],
    ['from cash', RELEASE, { source_account_id: 'NBC-GBP' }, 'signatory', {}, 'source_account_not_custody'],
    ['no bars', RELEASE, NO_BARS, 'signatory', {}, 'selection_is_empty'],
    ['zero', RELEASE, ZERO, 'signatory', {}, 'invalid_input'],
    ['unknown', release({ representative_id: 'REP-9' }), {}, 'signatory', {}, 'representative_not_found'],
    ['none loaded', RELEASE, {}, 'signatory', { representative: undefined }, 'representative_not_found'],
    ['BNB’s, past', PAST, {}, 'signatory', BNB_REP, 'representative_not_found'], // as if none
    ['past date', release({ release_on: '1961-01-31' }), {}, 'signatory', {}, 'invalid_input'],
    ['lapsed', release({ release_on: '1961-04-01' }), {}, 'signatory', {}, 'authority_lapsed'],
    ['too soon', RELEASE, {}, 'signatory', LATER, 'authority_not_yet_valid'],
    ['other account', RELEASE, {}, 'signatory', ELSEWHERE, 'representative_not_registered_for_account'],
    ['over limit', RELEASE, {}, 'signatory', OVER, 'exceeds_representative_limit'],
    ['limit used', RELEASE, {}, 'signatory', USED, 'exceeds_representative_limit'],
    ['release', RELEASE, {}, 'signatory', {}, 'drafted'],
    ['release by quantity', RELEASE, BY_QUANTITY, 'signatory2', {}, 'drafted'],
    ['to nowhere', to('NBP-NONE'), {}, 'signatory', {}, 'account_not_found'],
    ['to itself', to('NBC-GOLD'), {}, 'signatory', {}, 'target_is_source_account'],
    ['to its own cash', to('NBC-GBP'), {}, 'signatory', {}, 'target_account_not_custody'],
    // Another party's account that cannot take gold: as one that does not exist.
    ['to another bank’s cash', to('NBP-GBP'), {}, 'signatory', {}, 'account_not_found'],
    ['to the depository’s fees', to('GOSBANK-FEES'), {}, 'signatory', {}, 'account_not_found'],
    ['to external', to('EXTERNAL-XAU'), {}, 'signatory', {}, 'account_not_found'],
    ['transfer', TRANSFER, {}, 'signatory', {}, 'drafted'],
    ['disposal exists', disposal('NBP-GOLD', 'NBP'), {}, 'signatory', {}, 'account_exists'],
    ['disposal unnamed', disposal('BX-GOLD', 'BX', ' '), {}, 'signatory', {}, 'invalid_input'],
    ['disposal for self', disposal('NBC-DISPOSAL', 'NBC'), {}, 'signatory', {}, 'invalid_input'],
    ['disposal', disposal('BX-GOLD', 'BX'), {}, 'signatory', {}, 'drafted'],
    ['no destination', shipment({ destination: '' }), {}, 'signatory', {}, 'invalid_input'],
    ['no carrier', shipment({ carrier: ' ' }), {}, 'signatory', {}, 'invalid_input'],
    ['insured in USD', shipment({ insurance_value: USD_1 }), {}, 'signatory', {}, 'currency_mismatch'],
    ['uninsured', shipment({ insurance_value: GBP_0 }), {}, 'signatory', {}, 'invalid_input'],
    ['shipment', SHIPMENT, {}, 'signatory', {}, 'drafted'],
  ])('%s → %s', (_label, details, change, maker, context, expected) => {
    expect(draft(details, change, maker, context)).toBe(expected);
  });

  test('a draft belongs to the source account’s owner, unsigned, dated the day it is drafted', () => {
    const outcome = draftInstruction(
      {
        id: 'I-7',
        source_account_id: 'NBC-GOLD',
        selection: QUANTITY,
        details: TRANSFER,
        date: '1961-02-03',
      },
      USERS.signatory2,
      CONTEXT,
    );
    expect(outcome.ok && outcome.instruction).toEqual({
      id: 'I-7',
      client_party_id: 'NBC',
      source_account_id: 'NBC-GOLD',
      selection: QUANTITY,
      details: TRANSFER,
      state: 'drafted',
      drafted_by: 'sig-2',
      drafted_on: '1961-02-03',
      last_step_on: '1961-02-03',
      signatures: [],
      quote: null,
      quote_signatures: [],
    });
  });
});
