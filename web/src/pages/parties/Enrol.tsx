// Enrolment, reached from the sign-in page: a new user types its id, the one-time secret it was
// handed out of band, and its own password twice; from then on it signs in with that password,
// which nobody who registered it knows. A wrong secret counts as a failed sign-in.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { call } from '../../api.ts';
import { Notice, type NoticeText } from '../../components/Notice.tsx';
import { describeError } from '../../hooks.ts';
import type { Enrolled } from '../../types.ts';

/** The fields one under another, as on the sign-in page. */
const COLUMN = { display: 'flex', flexDirection: 'column', gap: '8px' } as const;

/** The route of the enrolment screen, so that it can be linked to. */
const ENROL_HASH = '#/enrol';
/** The shortest password the server takes (src/domain/custody/user-admin.ts says the rest). */
const PASSWORD_CHARACTERS_MINIMUM = 12;

/** The link on the sign-in page, and the enrolment screen over it while the route is #/enrol. */
export function EnrolLink() {
  const [open, setOpen] = useState(() => window.location.hash === ENROL_HASH);
  useEffect(() => {
    const onChange = () => setOpen(window.location.hash === ENROL_HASH);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const close = () => {
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    setOpen(false);
  };
  return (
    <>
      <a className="enrol-link" href={ENROL_HASH}>
        New user? Enrol with your one-time secret
      </a>
      {open && createPortal(<Enrol onClose={close} />, document.body)}
    </>
  );
}

/** Why the typed passwords cannot be sent yet, or undefined. */
function passwordProblem(password: string, repeated: string): string | undefined {
  if ([...password].length < PASSWORD_CHARACTERS_MINIMUM) {
    return `a password has ${PASSWORD_CHARACTERS_MINIMUM} characters at least`;
  }
  if (password !== repeated) return 'the two passwords differ';
  return undefined;
}

export function Enrol({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [userId, setUserId] = useState('');
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [notice, setNotice] = useState<NoticeText>();
  const [enrolled, setEnrolled] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const problem = passwordProblem(password, repeated);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    setBusy(true);
    try {
      const done = await call<Enrolled>('POST', '/enrolment', {
        user_id: userId.trim(),
        // The proposer's part, then the approver's, as the server joins them.
        secret: `${first.trim()}.${second.trim()}`,
        password,
      });
      setEnrolled(done.user_id);
      setNotice(undefined);
    } catch (reason) {
      setNotice({ text: `Enrolment refused: ${describeError(reason)}`, refused: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <dialog
      ref={dialog}
      className="confirm enrol"
      aria-labelledby="enrol-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id="enrol-title">Enrol</h2>
      {enrolled ? (
        <p role="status" className="notice">
          {enrolled} is enrolled: sign in with your new password.
        </p>
      ) : (
        <form className="enrol-form" style={COLUMN} onSubmit={submit}>
          <p>
            Type the user id and the two parts of the one-time secret you were handed (one by whoever proposed
            you, one by whoever approved you), and choose your password.
          </p>
          <label style={COLUMN}>
            User{' '}
            <input
              name="enrol-user"
              autoComplete="username"
              value={userId}
              onChange={(e) => setUserId(e.target.value)}
            />
          </label>
          <label style={COLUMN}>
            Secret, first part (from whoever proposed you){' '}
            <input
              name="enrol-secret-first"
              autoComplete="off"
              value={first}
              onChange={(e) => setFirst(e.target.value)}
            />
          </label>
          <label style={COLUMN}>
            Secret, second part (from whoever approved you){' '}
            <input
              name="enrol-secret-second"
              autoComplete="off"
              value={second}
              onChange={(e) => setSecond(e.target.value)}
            />
          </label>
          <label style={COLUMN}>
            New password{' '}
            <input
              name="enrol-password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <label style={COLUMN}>
            The same again{' '}
            <input
              name="enrol-repeated"
              type="password"
              autoComplete="new-password"
              value={repeated}
              onChange={(e) => setRepeated(e.target.value)}
            />
          </label>
          {password !== '' && problem && <p className="note">{problem}</p>}
          <Notice notice={notice} onDismiss={() => setNotice(undefined)} />
          <button
            type="submit"
            disabled={busy || userId === '' || first === '' || second === '' || problem !== undefined}
          >
            Enrol
          </button>
        </form>
      )}
      <div className="actions">
        <button type="button" onClick={onClose}>
          Back to sign in
        </button>
      </div>
    </dialog>
  );
}
