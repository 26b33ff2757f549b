// The proposals of the Users page: a new user of one's bank (the depository: also a new client's
// first administrators), and a client's signing rule for one of its accounts. Each is confirmed in words first, and
// waits for a second user to approve it.
import { type FormEvent, useState } from 'react';
import { call } from '../../api.ts';
import type { ConfirmAnswer, ConfirmRequest } from '../../components/Confirm.tsx';
import { describeError, useLoad } from '../../hooks.ts';
import type { Account, Party, Pending, Role, User, UserProposed } from '../../types.ts';

type Ask = (request: ConfirmRequest) => Promise<ConfirmAnswer>;
type Done = (text: string, refused: boolean) => void;

const DEPOSITORY_ROLES: readonly Role[] = ['depository_operator', 'depository_supervisor', 'auditor'];
const CLIENT_ROLES: readonly Role[] = ['client_signatory', 'client_viewer'];
/** What the depository registers for a client at its onboarding: the client's administrators. */
const ONBOARDING_ROLES: readonly Role[] = ['client_signatory'];

/** The roles a user of the depository, or of a client bank, may hold. */
export function rolesFor(depository: boolean): readonly Role[] {
  return depository ? DEPOSITORY_ROLES : CLIENT_ROLES;
}

/** A role in words: "depository supervisor". */
export function roleText(role: Role): string {
  return role.replaceAll('_', ' ');
}

/** Confirms, then posts a proposal; says which approval it waits as, or why it was refused. */
async function propose(ask: Ask, onDone: Done, request: ConfirmRequest, path: string, body: unknown) {
  const answer = await ask(request);
  if (!answer.confirmed) return false;
  try {
    // POST /users answers a UserProposed, the other proposals a Pending.
    const answer = await call<Pending & Partial<UserProposed>>('POST', path, body);
    const part = answer.enrolment_secret_part;
    // The first part of a new user's secret: shown here once, its approver is shown the second.
    const handOver =
      part === undefined
        ? ''
        : `. Hand the new user the first part of its enrolment secret, out of band (shown once; the approver hands over the second): ${part}`;
    onDone(`${request.title}: proposed as approval #${answer.pending_approval}${handOver}`, false);
    return true;
  } catch (reason) {
    onDone(`${request.title} refused: ${describeError(reason)}`, true);
    return false;
  }
}

/** A new user of one's bank; the depository may also choose a client bank at its onboarding. */
export function ProposeUser({
  me,
  depository,
  ask,
  onDone,
}: {
  me: User;
  depository: boolean;
  ask: Ask;
  onDone: Done;
}) {
  const parties = useLoad(() => (depository ? call<Party[]>('GET', '/parties') : Promise.resolve([])), []);
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [party, setParty] = useState(me.party_id);
  const ofDepository = depository && party === me.party_id;
  const roles = depository && !ofDepository ? ONBOARDING_ROLES : rolesFor(ofDepository);
  const [role, setRole] = useState<Role>(roles[0] ?? 'client_viewer');
  const chosen = roles.includes(role) ? role : (roles[0] ?? role);
  const clients = (parties.data ?? []).filter((p) => p.role === 'client');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const user = { id: id.trim(), name: name.trim(), party_id: party, role: chosen };
    const lines = [
      `${user.id} (${user.name}) becomes a ${roleText(chosen)} of ${party}.`,
      party === me.party_id
        ? `Nothing happens until a second administrator of ${party} approves it on the Approvals page.`
        : `Nothing happens until a supervisor of ${me.party_id} approves it on the Approvals page.`,
      'You are shown the first part of a one-time enrolment secret (good for 7 days once approved), ' +
        'the approver the second; each hands its part to the new user, who joins them at "Enrol" on ' +
        'the sign-in page and sets its own password, so neither of you knows the whole secret.',
    ];
    if (party !== me.party_id) {
      lines.push(
        `The depository registers ${party}'s first administrators only until one of them has enrolled,`,
        'and none of them may enrol before two are registered: register two, so that one can approve the other.',
        `From then on ${party}'s administrators register its other users, and the signing rules of its accounts, themselves.`,
      );
    }
    const title = `Register ${user.id}`;
    if (await propose(ask, onDone, { title, lines, verb: 'Propose the user' }, '/users', user)) {
      setId('');
      setName('');
    }
  };
  return (
    <form className="inline propose-user" data-form="propose-user" onSubmit={submit}>
      <h4>Propose a user</h4>
      <label>
        User id <input name="user-id" value={id} onChange={(e) => setId(e.target.value)} required />
      </label>{' '}
      <label>
        Name <input name="user-name" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>{' '}
      {depository && (
        <label>
          Bank{' '}
          <select name="user-party" value={party} onChange={(e) => setParty(e.target.value)}>
            <option value={me.party_id}>{me.party_id} (ours)</option>
            {clients.map((p) => (
              <option key={p.id} value={p.id}>
                {p.id}: {p.name} (its first administrators)
              </option>
            ))}
          </select>
        </label>
      )}{' '}
      <label>
        Role{' '}
        <select
          name="user-role"
          value={chosen}
          onChange={(e) => setRole(roles.find((r) => r === e.target.value) ?? chosen)}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {roleText(r)}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="submit" disabled={id.trim() === '' || name.trim() === ''}>
        Propose…
      </button>
    </form>
  );
}

/**
 * The signing rule of one of the bank's own custody accounts, proposed by one of its signatories
 * and approved by a second: who signs for a client is the client's own business.
 */
export function SigningRules({
  me,
  users,
  ask,
  onDone,
}: {
  me: User;
  users: readonly User[];
  ask: Ask;
  onDone: Done;
}) {
  const accounts = useLoad(() => call<Account[]>('GET', '/accounts'), []);
  const custody = (accounts.data ?? []).filter((a) => a.kind === 'custody' && a.party_id === me.party_id);
  const [accountId, setAccountId] = useState('');
  const account = custody.find((a) => a.id === accountId);
  const signatories = users.filter(
    (u) => u.active && u.role === 'client_signatory' && u.party_id === account?.party_id,
  );
  const [chosen, setChosen] = useState<readonly string[]>([]);
  const picked = chosen.filter((id) => signatories.some((u) => u.id === id));
  const [required, setRequired] = useState('1');
  const count = Number.parseInt(required, 10);
  const valid = account !== undefined && picked.length > 0 && count >= 1 && count <= picked.length;
  const toggle = (id: string) =>
    setChosen((now) => (now.includes(id) ? now.filter((x) => x !== id) : [...now, id]));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!account || !valid) return;
    const lines = [
      `Account ${account.id} of ${account.party_id}: ${count} of these ${picked.length} signatories must sign each of its instructions:`,
      ...picked.map((id) => `  ${id}`),
      'It replaces the account’s present rule once approved.',
      `Nothing changes until a second signatory of ${account.party_id} approves it on the Approvals page.`,
    ];
    const title = `Signing rule of ${account.id}`;
    const body = { account_id: account.id, required_signatures: count, signatory_user_ids: picked };
    if (await propose(ask, onDone, { title, lines, verb: 'Propose the rule' }, '/signing-rules', body)) {
      setChosen([]);
    }
  };
  return (
    <form className="inline signing-rules" data-form="signing-rule" onSubmit={submit}>
      <h4>Signing rules</h4>
      {accounts.error && <p className="error">{accounts.error}</p>}
      <label>
        Account{' '}
        <select name="rule-account" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
          <option value="">choose…</option>
          {custody.map((a) => (
            <option key={a.id} value={a.id}>
              {a.id} ({a.party_id})
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        Signatures required{' '}
        <input
          name="rule-required"
          type="number"
          min={1}
          max={Math.max(1, picked.length)}
          value={required}
          onChange={(e) => setRequired(e.target.value)}
        />
      </label>{' '}
      <fieldset className="signatories">
        <legend>Signatories</legend>
        {account && signatories.length === 0 && <span>{account.party_id} has no active signatory.</span>}
        {signatories.map((u) => (
          <label key={u.id}>
            <input type="checkbox" checked={picked.includes(u.id)} onChange={() => toggle(u.id)} /> {u.id}
          </label>
        ))}
      </fieldset>{' '}
      <button type="submit" disabled={!valid}>
        Propose…
      </button>
    </form>
  );
}
