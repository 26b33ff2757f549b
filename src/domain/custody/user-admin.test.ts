import { describe, expect, test } from 'vitest';
import type { Role, User } from './controls.ts';
import {
  authorizeUserChange,
  checkEnrolment,
  checkUserAdministrator,
  passwordWeakness,
  type UserAdminFacts,
  type UserChange,
} from './user-admin.ts';

const user = (id: string, party_id: string, role: Role, active = true): User => ({
  id,
  name: id,
  party_id,
  role,
  active,
});
const USERS = {
  operator: user('operator', 'GOSBANK', 'depository_operator'),
  supervisor: user('supervisor', 'GOSBANK', 'depository_supervisor'),
  supervisor2: user('supervisor2', 'GOSBANK', 'depository_supervisor'),
  auditor: user('auditor', 'GOSBANK', 'auditor'),
  nbc1: user('nbc1', 'NBC', 'client_signatory'),
  nbc2: user('nbc2', 'NBC', 'client_signatory'),
  viewer: user('viewer', 'NBC', 'client_viewer'),
  bnb: user('bnb', 'BNB', 'client_signatory'),
  gone: user('gone', 'NBC', 'client_signatory', false),
};
type Name = keyof typeof USERS;

const newUser = (party_id: string, role: Role): UserChange => ({
  kind: 'register_user',
  user: { id: 'new', name: 'New', party_id, role },
});
const ONBOARDING: UserAdminFacts = { depository_party_id: 'GOSBANK', party_has_enrolled_user: false };
const RUNNING: UserAdminFacts = { depository_party_id: 'GOSBANK', party_has_enrolled_user: true };

describe('who may change a bank’s users', () => {
  test.each([
    [
      'staff, by an operator and a supervisor',
      newUser('GOSBANK', 'auditor'),
      'operator',
      'supervisor',
      RUNNING,
      'ok',
    ],
    [
      'staff, checked by an operator',
      newUser('GOSBANK', 'auditor'),
      'supervisor',
      'operator',
      RUNNING,
      'role_may_not_approve_action',
    ],
    [
      'staff, by the auditor',
      newUser('GOSBANK', 'auditor'),
      'auditor',
      'supervisor',
      RUNNING,
      'role_may_not_perform_action',
    ],
    [
      'staff, made and checked by one',
      newUser('GOSBANK', 'auditor'),
      'supervisor',
      'supervisor',
      RUNNING,
      'checker_is_maker',
    ],
    [
      'a client’s first signatory',
      newUser('NBC', 'client_signatory'),
      'operator',
      'supervisor',
      ONBOARDING,
      'ok',
    ],
    [
      'a client’s first viewer, by the depository',
      newUser('NBC', 'client_viewer'),
      'operator',
      'supervisor',
      ONBOARDING,
      'user_acts_for_another_party',
    ],
    [
      'a client’s signatory once it runs itself',
      newUser('NBC', 'client_signatory'),
      'operator',
      'supervisor',
      RUNNING,
      'user_acts_for_another_party',
    ],
    ['a client’s viewer, by its signatories', newUser('NBC', 'client_viewer'), 'nbc1', 'nbc2', RUNNING, 'ok'],
    [
      'a client’s viewer, checked by the depository',
      newUser('NBC', 'client_viewer'),
      'nbc1',
      'supervisor',
      RUNNING,
      'user_acts_for_another_party',
    ],
    [
      'another bank’s user',
      newUser('BNB', 'client_signatory'),
      'nbc1',
      'nbc2',
      RUNNING,
      'user_acts_for_another_party',
    ],
    [
      'by a viewer',
      newUser('NBC', 'client_viewer'),
      'viewer',
      'nbc2',
      RUNNING,
      'role_may_not_perform_action',
    ],
    ['by a disabled user', newUser('NBC', 'client_viewer'), 'gone', 'nbc2', RUNNING, 'user_not_active'],
    [
      'a change of the checker itself',
      { kind: 'disable_user', user_id: 'nbc2', party_id: 'NBC' },
      'nbc1',
      'nbc2',
      RUNNING,
      'checker_is_maker',
    ],
    [
      'a client’s role, by the depository',
      { kind: 'change_user_role', user_id: 'viewer', party_id: 'NBC', role: 'client_signatory' },
      'operator',
      'supervisor',
      ONBOARDING,
      'user_acts_for_another_party',
    ],
  ] as const)('%s', (_what, change: UserChange, maker: Name, checker: Name, facts, code) => {
    const decided = authorizeUserChange(change, { maker: USERS[maker], checker: USERS[checker] }, facts);
    expect(decided.ok ? 'ok' : decided.code).toBe(code);
  });
});

describe('a client’s onboarding', () => {
  test('the depository proposes only the client’s administrators, and names the role refused', () => {
    const viewer = checkUserAdministrator(
      newUser('NBC', 'client_viewer'),
      USERS.operator,
      'maker',
      ONBOARDING,
    );
    expect(viewer).toMatchObject({ ok: false, code: 'user_acts_for_another_party', field: 'role' });
    if (!viewer.ok) expect(viewer.message).toContain('registers a client_viewer itself');
    const signatory = newUser('NBC', 'client_signatory');
    expect(checkUserAdministrator(signatory, USERS.operator, 'maker', ONBOARDING).ok).toBe(true);
  });
});

describe('an enrolment', () => {
  const facts = (party_administrators: number) => ({ depository_party_id: 'GOSBANK', party_administrators });
  test.each([
    ['the depository’s staff, whatever the clients have', 'GOSBANK', 0, 'ok'],
    ['a client’s user, its bank having no administrator', 'NBC', 0, 'enrolment_needs_second_administrator'],
    ['a client’s user, its bank having one administrator', 'NBC', 1, 'enrolment_needs_second_administrator'],
    ['a client’s user, its bank having two administrators', 'NBC', 2, 'ok'],
    ['a client’s user, its bank having three administrators', 'NBC', 3, 'ok'],
  ])('%s', (_what, party_id, administrators, code) => {
    const checked = checkEnrolment({ party_id }, facts(administrators));
    expect(checked.ok ? 'ok' : checked.code).toBe(code);
  });
});

describe('a password', () => {
  const common = (text: string) => text === 'correcthorsebattery';
  test.each([
    ['short', 'gold-1961', 'at least 12 characters'],
    ['of too few characters', 'aaaaaaaaaaaaaab', 'more than three different'],
    ['holding the user id', 'my-ivanov-password', 'may not contain the user id'],
    ['on the common list', 'correcthorsebattery', 'list of common passwords'],
    ['good', 'a vault in Moscow, 1961', undefined],
  ])('%s', (_what, password, weakness) => {
    const found = passwordWeakness(password, 'ivanov', common);
    if (weakness === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(weakness);
  });
});
