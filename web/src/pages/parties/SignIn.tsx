// Signing in to the desk: the session comes back as an HttpOnly cookie.
import { type FormEvent, useState } from 'react';
import { call } from '../../api.ts';
import { describeError } from '../../hooks.ts';
import type { Session, SignedIn } from '../../types.ts';
import { EnrolLink } from './Enrol.tsx';

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [userId, setUserId] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await call<SignedIn>('POST', '/session', { user_id: userId, password });
      onSignedIn(await call<Session>('GET', '/session'));
    } catch (reason) {
      setError(describeError(reason));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="signin" onSubmit={submit}>
      <h1>Ingot</h1>
      <p>Gold sale and allocated custody between central banks.</p>
      <label>
        User
        <input
          name="user"
          autoComplete="username"
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
        />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error && <p className="error">{error}</p>}
      <button type="submit" disabled={busy || userId === '' || password === ''}>
        Sign in
      </button>
      <EnrolLink />
    </form>
  );
}
