import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  ACTIONS,
  type Action,
  authorize,
  authorizeChecker,
  authorizeMaker,
  canSee,
  checkUser,
  checkVisibility,
  needsFourEyes,
  PERMISSIONS,
  ROLES,
  visibleAccounts,
} from './controls.ts';
import type { CustodyOutcome } from './refusal.ts';
import { account, CLIENT, DEPOSITORY, OTHER_CLIENT, USERS, type UserName } from './test-fixtures.ts';

function code(outcome: CustodyOutcome<object>): string {
  return outcome.ok ? 'ok' : outcome.code;
}

const scope = (owner: string) => ({ depository_party_id: DEPOSITORY, owner_party_id: owner });

describe('authorize: maker, then four eyes, in precedence order', () => {
  test.each<[Action, UserName, UserName | null, string, string]>([
    ['execute_instruction', 'inactive', null, CLIENT, 'user_not_active'],
    ['execute_instruction', 'rogue', 'supervisor', CLIENT, 'role_not_for_party'], // client, staff role
    ['sign_instruction', 'foreign', null, CLIENT, 'user_acts_for_another_party'], // bank B on bank A
    ['accept_quote', 'foreign', null, CLIENT, 'user_acts_for_another_party'],
    ['sign_instruction', 'viewer', null, CLIENT, 'role_may_not_perform_action'],
    ['sign_instruction', 'operator', null, CLIENT, 'role_may_not_perform_action'], // staff never sign
    ['execute_instruction', 'signatory', 'signatory2', CLIENT, 'role_may_not_perform_action'],
    ['execute_instruction', 'auditor', 'supervisor', CLIENT, 'role_may_not_perform_action'],
    ['execute_instruction', 'operator', null, CLIENT, 'second_user_approval_required'],
    ['execute_instruction', 'supervisor', 'supervisor', CLIENT, 'checker_is_maker'], // approving oneself
    ['record_fixing', 'operator', 'operator', DEPOSITORY, 'checker_is_maker'],
    ['execute_instruction', 'operator', 'operator2', CLIENT, 'role_may_not_approve_action'],
    ['execute_instruction', 'operator', 'inactive', CLIENT, 'user_not_active'],
    ['register_representative', 'signatory', 'foreign', CLIENT, 'user_acts_for_another_party'],
    ['register_representative', 'signatory', 'signatory', CLIENT, 'checker_is_maker'],
    ['register_representative', 'signatory', 'viewer', CLIENT, 'role_may_not_approve_action'],
    ['set_signing_rule', 'operator', 'supervisor', CLIENT, 'role_may_not_perform_action'],
    ['set_signing_rule', 'supervisor', 'operator', CLIENT, 'role_may_not_perform_action'],
    ['set_signing_rule', 'signatory', 'supervisor', CLIENT, 'role_may_not_approve_action'],
    ['set_signing_rule', 'signatory', 'foreign', CLIENT, 'user_acts_for_another_party'],
    ['set_signing_rule', 'foreign', 'signatory', CLIENT, 'user_acts_for_another_party'],
    ['set_signing_rule', 'signatory', 'viewer', CLIENT, 'role_may_not_approve_action'],
    ['view_journal', 'signatory', null, CLIENT, 'role_may_not_perform_action'],
    ['execute_instruction', 'operator', 'supervisor', CLIENT, 'ok'],
    ['execute_instruction', 'supervisor', 'supervisor2', CLIENT, 'ok'],
    ['register_representative', 'signatory', 'signatory2', CLIENT, 'ok'],
    ['set_signing_rule', 'signatory', 'signatory2', CLIENT, 'ok'],
    ['record_fixing', 'operator', 'supervisor', DEPOSITORY, 'ok'],
    ['sign_instruction', 'signatory', null, CLIENT, 'ok'],
    ['view_account', 'viewer', null, CLIENT, 'ok'],
    ['view_account', 'foreignViewer', null, CLIENT, 'user_acts_for_another_party'],
    ['view_journal', 'auditor', null, CLIENT, 'ok'],
    ['add_remark', 'operator', null, CLIENT, 'ok'],
    ['add_remark', 'viewer', null, CLIENT, 'role_may_not_perform_action'],
  ])('%s by %s checked by %s on %s → %s', (action, maker, checker, owner, expected) => {
    const actors = { maker: USERS[maker], checker: checker === null ? undefined : USERS[checker] };
    expect(code(authorize(action, actors, scope(owner)))).toBe(expected);
  });

  test.each<[Action, UserName, string, string]>([
    ['execute_instruction', 'supervisor', CLIENT, 'ok'],
    ['execute_instruction', 'operator2', CLIENT, 'role_may_not_approve_action'],
    ['set_signing_rule', 'signatory2', CLIENT, 'ok'],
    ['set_signing_rule', 'supervisor', CLIENT, 'role_may_not_approve_action'],
    ['set_signing_rule', 'foreign', CLIENT, 'user_acts_for_another_party'],
    ['record_fixing', 'foreign', DEPOSITORY, 'user_acts_for_another_party'],
    ['sign_instruction', 'signatory', CLIENT, 'role_may_not_approve_action'], // one user suffices
    ['execute_instruction', 'inactive', CLIENT, 'user_not_active'],
  ])('the checker alone: %s checked by %s on %s → %s', (action, checker, owner, expected) => {
    expect(code(authorizeChecker(action, USERS[checker], scope(owner)))).toBe(expected);
  });

  test('the maker alone can be checked before the checker comes', () => {
    expect(code(authorizeMaker('execute_instruction', USERS.operator, scope(CLIENT)))).toBe('ok');
    expect(code(authorizeMaker('execute_instruction', USERS.viewer, scope(CLIENT)))).toBe(
      'role_may_not_perform_action',
    );
  });
});

describe('the permission table', () => {
  test('four eyes on every step that moves value or changes reference data', () => {
    const guarded = ACTIONS.filter(needsFourEyes);
    expect(guarded).toEqual([
      'execute_instruction',
      'quote_shipment',
      'dispatch_shipment',
      'confirm_delivery',
      'report_return',
      'record_fixing',
      'register_representative',
      'revoke_representative',
      'set_signing_rule',
      'register_user',
      'change_user_role',
      'disable_user',
      'set_fee_schedule',
      'reweigh_bar',
    ]);
  });

  test('the auditor only reads, the viewer only views accounts', () => {
    const doable = (role: string) => ACTIONS.filter((a) => PERMISSIONS[a].makers.some((r) => r === role));
    expect(doable('auditor')).toEqual(['view_account', 'view_journal', 'export_journal', 'verify_journal']);
    expect(doable('client_viewer')).toEqual(['view_account']);
  });

  test('property: whatever the users, no four-eyes action passes with the maker as checker', () => {
    const users = Object.values(USERS);
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTIONS.filter(needsFourEyes)),
        fc.constantFrom(...users),
        fc.constantFrom(CLIENT, OTHER_CLIENT, DEPOSITORY),
        (action, maker, owner) => {
          const outcome = authorize(action, { maker, checker: maker }, scope(owner));
          expect(outcome.ok).toBe(false);
        },
      ),
    );
  });
});

describe('users and visibility', () => {
  test.each<[UserName, string]>([
    ['operator', 'ok'],
    ['auditor', 'ok'],
    ['signatory', 'ok'],
    ['rogue', 'role_not_for_party'],
  ])('registering %s → %s', (name, expected) => {
    expect(code(checkUser(USERS[name], DEPOSITORY))).toBe(expected);
  });

  test.each([
    [{ ...USERS.operator, party_id: CLIENT }, 'role_not_for_party'], // staff role outside the depository
    [{ ...USERS.signatory, party_id: DEPOSITORY }, 'role_not_for_party'], // client role inside it
    [{ ...USERS.signatory, id: ' ' }, 'invalid_input'],
    [{ ...USERS.signatory, name: '' }, 'invalid_input'],
  ])('registering %o → %s', (candidate, expected) => {
    expect(code(checkUser(candidate, DEPOSITORY))).toBe(expected);
  });

  const nbcGold = account('NBC-GOLD', CLIENT, 'custody', 'XAU');
  const nbpGold = account('NBP-GOLD', OTHER_CLIENT, 'custody', 'XAU');
  test.each<[UserName, string, string]>([
    ['viewer', 'NBC-GOLD', 'ok'],
    ['signatory', 'NBP-GOLD', 'account_not_visible_to_party'],
    ['foreign', 'NBC-GOLD', 'account_not_visible_to_party'],
    ['foreignViewer', 'NBP-GOLD', 'ok'],
    ['operator', 'NBP-GOLD', 'ok'],
    ['auditor', 'NBC-GOLD', 'ok'],
    ['rogue', 'NBP-GOLD', 'account_not_visible_to_party'], // a staff role does not open a client's eyes
  ])('%s looks at %s → %s', (name, id, expected) => {
    const target = id === 'NBC-GOLD' ? nbcGold : nbpGold;
    expect(code(checkVisibility(USERS[name], target, DEPOSITORY))).toBe(expected);
  });

  test('a party sees only its own accounts; the depository sees all', () => {
    const all = [nbcGold, nbpGold];
    expect(visibleAccounts(USERS.viewer, all, DEPOSITORY)).toEqual([nbcGold]);
    expect(visibleAccounts(USERS.foreign, all, DEPOSITORY)).toEqual([nbpGold]);
    expect(visibleAccounts(USERS.auditor, all, DEPOSITORY)).toEqual(all);
  });

  test('property: a client user sees an account exactly when its party owns it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ROLES.filter((r) => r.startsWith('client'))),
        fc.constantFrom(CLIENT, OTHER_CLIENT),
        fc.constantFrom(CLIENT, OTHER_CLIENT, DEPOSITORY),
        (role, party, owner) => {
          const viewer = { id: 'u', name: 'u', party_id: party, role, active: true };
          expect(canSee(viewer, account('A', owner, 'cash', 'GBP'), DEPOSITORY)).toBe(party === owner);
        },
      ),
    );
  });
});
