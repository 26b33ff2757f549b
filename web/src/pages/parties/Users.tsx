// The bank's users, each bank master of its own: an administrator proposes a new user, another
// role or disabling one, and a second administrator of the bank approves it on the Approvals page
// (its proposer and its approver are each shown one part of the new user's enrolment secret). Ending a user's
// sessions takes access away at once. A client's signatories also propose the signing rules of its
// accounts here, which a second signatory of the bank approves (the depository has no part in
// them). Each user keeps its own API tokens here.
import { useState } from 'react';
import { call } from '../../api.ts';
import { useConfirm } from '../../components/Confirm.tsx';
import { Notice, type NoticeText } from '../../components/Notice.tsx';
import { useDesk } from '../../desk.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Pending, Role, SessionsEnded, User } from '../../types.ts';
import { ApiTokens } from './ApiTokens.tsx';
import { ProposeUser, rolesFor, roleText, SigningRules } from './users-forms.tsx';

/** Who administers a bank's users (the server's `administer_users`). */
const ADMINISTRATORS: readonly Role[] = ['depository_operator', 'depository_supervisor', 'client_signatory'];
/** Who proposes a client's signing rule (the server's `set_signing_rule`): its own signatories. */
const RULE_MAKERS: readonly Role[] = ['client_signatory'];

/** What one of the user actions says it does, and how it is asked of the server. */
interface UserAction {
  readonly title: string;
  readonly lines: readonly string[];
  readonly verb: string;
  readonly path: string;
  readonly body?: unknown;
}

/** Said under every proposal: nothing happens until a second administrator approves it. */
function secondAdministrator(party: string): string {
  return `Nothing changes until a second administrator of ${party} approves it on the Approvals page.`;
}

export function Users() {
  const desk = useDesk();
  const me = desk.session.user;
  const [round, setRound] = useState(0);
  const users = useLoad(() => call<User[]>('GET', '/users'), [round]);
  const [notice, setNotice] = useState<NoticeText>();
  const [dialog, ask] = useConfirm();
  const administers = ADMINISTRATORS.includes(me.role);
  const done = (text: string, refused: boolean) => {
    setNotice({ text, refused });
    if (!refused) setRound((r) => r + 1);
  };
  const act = async (action: UserAction) => {
    const answer = await ask({ title: action.title, lines: action.lines, verb: action.verb });
    if (!answer.confirmed) return;
    try {
      const result = await call<Pending | SessionsEnded>('POST', action.path, action.body ?? {});
      const said =
        'pending_approval' in result
          ? `${action.title}: proposed as approval #${result.pending_approval}, waiting for a second administrator`
          : `${action.title}: done, sessions and API tokens ended: ${result.ended}`;
      done(said, false);
    } catch (reason) {
      done(`${action.title} refused: ${describeError(reason)}`, true);
    }
  };
  const rows = users.data ?? [];
  return (
    <div className="users">
      {dialog}
      <h3>{desk.depository ? 'Users of every bank' : `Users of ${me.party_id}`}</h3>
      <Notice notice={notice} onDismiss={() => setNotice(undefined)} />
      {users.error && <p className="error">{users.error}</p>}
      <table className="grid">
        <thead>
          <tr>
            <th>User</th>
            <th>Name</th>
            <th>Bank</th>
            <th>Role</th>
            <th>State</th>
            {administers && <th />}
          </tr>
        </thead>
        <tbody>
          {rows.map((user) => (
            <tr key={user.id} data-user={user.id}>
              <td>{user.id}</td>
              <td>{user.name}</td>
              <td>{user.party_id}</td>
              <td>{roleText(user.role)}</td>
              <td>{user.active ? 'active' : 'disabled'}</td>
              {administers && (
                <td>
                  {user.party_id === me.party_id && user.id !== me.id && user.active && (
                    <UserActions user={user} depository={desk.depository} act={act} />
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {administers && <ProposeUser me={me} depository={desk.depository} ask={ask} onDone={done} />}
      {RULE_MAKERS.includes(me.role) && <SigningRules me={me} users={rows} ask={ask} onDone={done} />}
      <ApiTokens />
    </div>
  );
}

function UserActions({
  user,
  depository,
  act,
}: {
  user: User;
  depository: boolean;
  act: (action: UserAction) => void;
}) {
  const roles = rolesFor(depository).filter((role) => role !== user.role);
  const [role, setRole] = useState<Role | ''>('');
  const who = `${user.id} (${user.name}) of ${user.party_id}`;
  const proposeRole = () => {
    if (role === '') return;
    act({
      title: `Make ${user.id} a ${roleText(role)}`,
      lines: [
        `${who}: ${roleText(user.role)} → ${roleText(role)}.`,
        'Its sessions and API tokens end when the change is approved.',
        secondAdministrator(user.party_id),
      ],
      verb: 'Propose the role',
      path: `/users/${encodeURIComponent(user.id)}/role`,
      body: { role },
    });
  };
  const disable = () =>
    act({
      title: `Disable ${user.id}`,
      lines: [
        `${who} will no longer sign in or act; its sessions and API tokens end.`,
        secondAdministrator(user.party_id),
      ],
      verb: 'Propose disabling',
      path: `/users/${encodeURIComponent(user.id)}/disable`,
    });
  const endSessions = () =>
    act({
      title: `End the sessions of ${user.id}`,
      lines: [
        `Every session and API token of ${who} ends now; it must sign in again.`,
        'This only takes access away, so it is done at once, without a second administrator.',
      ],
      verb: 'End sessions now',
      path: `/users/${encodeURIComponent(user.id)}/end-sessions`,
    });
  return (
    <span className="user-actions">
      <select
        name="role"
        aria-label={`New role for ${user.id}`}
        value={role}
        onChange={(e) => setRole(roles.find((r) => r === e.target.value) ?? '')}
      >
        <option value="">another role…</option>
        {roles.map((r) => (
          <option key={r} value={r}>
            {roleText(r)}
          </option>
        ))}
      </select>{' '}
      <button type="button" disabled={role === ''} onClick={proposeRole}>
        Propose role
      </button>{' '}
      <button type="button" onClick={disable}>
        Disable…
      </button>{' '}
      <button type="button" onClick={endSessions}>
        End sessions
      </button>
    </span>
  );
}
