// The signed-in user's own API tokens, for the bank's programs: listed (never the token itself),
// created with the password asked again, shown once, and revoked after a confirmation. A token
// acts as its user, with the user's role, until it expires, is revoked or the user is disabled.
import { useState } from 'react';
import { call } from '../../api.ts';
import { useConfirm } from '../../components/Confirm.tsx';
import { Notice, type NoticeText } from '../../components/Notice.tsx';
import { useDesk } from '../../desk.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { TokenCreated, TokenView } from '../../types.ts';

function stateOf(token: TokenView, now: string): string {
  if (token.revoked_at) return `revoked ${token.revoked_at.slice(0, 16).replace('T', ' ')}`;
  return token.expires_at <= now ? 'expired' : 'live';
}

export function ApiTokens() {
  const desk = useDesk();
  const me = desk.session.user;
  const [round, setRound] = useState(0);
  const tokens = useLoad(() => call<TokenView[]>('GET', '/tokens'), [round]);
  const [label, setLabel] = useState('');
  const [password, setPassword] = useState('');
  const [created, setCreated] = useState<TokenCreated>();
  const [notice, setNotice] = useState<NoticeText>();
  const [dialog, ask] = useConfirm();
  const create = async () => {
    setCreated(undefined);
    try {
      const made = await call<TokenCreated>('POST', '/tokens', { label: label.trim(), password });
      setCreated(made);
      setNotice({
        text: `token ${made.id} (${made.label}) created; copy it now, it is not shown again`,
        refused: false,
      });
      setLabel('');
      setRound((r) => r + 1);
    } catch (reason) {
      setNotice({ text: `no token created: ${describeError(reason)}`, refused: true });
    } finally {
      // The password is asked again for every new credential, never kept in the form.
      setPassword('');
    }
  };
  const revoke = async (token: TokenView) => {
    const answer = await ask({
      title: `Revoke token ${token.id}`,
      lines: [
        `Revoke the API token ${token.id} (${token.label}) of ${me.id}, created ${token.created_at.slice(0, 10)}.`,
        'A program using it is refused from now on; this cannot be undone.',
      ],
      verb: 'Revoke the token',
    });
    if (!answer.confirmed) return;
    try {
      await call('DELETE', `/tokens/${token.id}`);
      setNotice({ text: `token ${token.id} (${token.label}) revoked`, refused: false });
      if (created?.id === token.id) setCreated(undefined);
      setRound((r) => r + 1);
    } catch (reason) {
      setNotice({ text: `token ${token.id}: not revoked: ${describeError(reason)}`, refused: true });
    }
  };
  const now = new Date().toISOString();
  const rows = tokens.data ?? [];
  return (
    <section className="api-tokens" aria-labelledby="api-tokens">
      <h2 id="api-tokens">Your API tokens</h2>
      {dialog}
      <Notice notice={notice} onDismiss={() => setNotice(undefined)} />
      {created && (
        <p className="notice" data-token-created={created.id}>
          Token for {created.label}, valid until {created.expires_at.slice(0, 10)}:{' '}
          <code className="secret">{created.token}</code>. It acts as {me.id}; keep it as a password.
        </p>
      )}
      {tokens.error && <p className="error">{tokens.error}</p>}
      {rows.length > 0 && (
        <table className="grid" aria-label="Your API tokens">
          <thead>
            <tr>
              <th>Token</th>
              <th>Label</th>
              <th>Created</th>
              <th>Expires</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((token) => {
              const state = stateOf(token, now);
              return (
                <tr key={token.id} data-token={token.id}>
                  <td>{token.id}</td>
                  <td>{token.label}</td>
                  <td>{token.created_at.slice(0, 10)}</td>
                  <td>{token.expires_at.slice(0, 10)}</td>
                  <td>{state}</td>
                  <td>
                    {state === 'live' && (
                      <button
                        type="button"
                        aria-label={`Revoke token ${token.id}`}
                        onClick={() => revoke(token)}
                      >
                        Revoke…
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <form className="inline" onSubmit={(event) => event.preventDefault()}>
        <label>
          Label <input name="token_label" value={label} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <label>
          Your password{' '}
          <input
            name="token_password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="button" onClick={create} disabled={label.trim() === '' || password === ''}>
          Create a token
        </button>
      </form>
    </section>
  );
}
