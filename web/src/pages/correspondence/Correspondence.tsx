// The register of correspondence: every message exchanged with the bank, by number; a letter is
// opened only by a user cleared for its classification, and every opening (or refusal) is logged.
// The depository's operators and a client's signatories write letters (MT699) here, confirmed
// first; the bank's sync delivers them.
import { useState } from 'react';
import { call } from '../../api.ts';
import { useConfirm } from '../../components/Confirm.tsx';
import { Notice, type NoticeText } from '../../components/Notice.tsx';
import { useDesk } from '../../desk.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { LetterOpened, RegisterEntry, Role } from '../../types.ts';
import { WriteLetter } from './WriteLetter.tsx';

/** Who writes letters (the server's `send_letter`). */
const WRITERS: readonly Role[] = ['depository_operator', 'depository_supervisor', 'client_signatory'];

/** A message opened: its text, or the refusal in words. */
type Opened = LetterOpened & { readonly refusal?: string };

export function Correspondence() {
  const desk = useDesk();
  const [round, setRound] = useState(0);
  const register = useLoad(() => call<RegisterEntry[]>('GET', '/correspondence'), [round]);
  const [opened, setOpened] = useState<Opened>();
  const [notice, setNotice] = useState<NoticeText>();
  const [dialog, ask] = useConfirm();
  const open = async (entry: RegisterEntry) => {
    try {
      setOpened(await call<LetterOpened>('POST', `/correspondence/${entry.id}/open`));
    } catch (reason) {
      setOpened({ entry, text: null, refusal: describeError(reason) });
    }
  };
  const written = (text: string, refused: boolean) => {
    setNotice({ text, refused });
    if (!refused) setRound((r) => r + 1);
  };
  return (
    <div className="correspondence">
      {dialog}
      <h3>Register of correspondence</h3>
      <Notice notice={notice} onDismiss={() => setNotice(undefined)} />
      {register.error && <p className="error">{register.error}</p>}
      <table className="grid">
        <thead>
          <tr>
            <th>No.</th>
            <th>Date</th>
            <th>In/out</th>
            <th>Correspondent</th>
            <th>Type</th>
            <th>Subject</th>
            <th>Classification</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(register.data ?? []).map((m) => (
            <tr key={m.id} data-message={m.id}>
              <td>{m.number}</td>
              <td>{m.date}</td>
              <td>{m.direction}</td>
              <td>{m.correspondent}</td>
              <td>{m.message_type ?? '—'}</td>
              <td>{m.subject}</td>
              <td>{m.classification.replaceAll('_', ' ')}</td>
              <td>{m.state}</td>
              <td>
                <button type="button" onClick={() => open(m)}>
                  Open
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {opened && <OpenedLetter opened={opened} onClose={() => setOpened(undefined)} />}
      {WRITERS.includes(desk.session.user.role) && <WriteLetter ask={ask} onDone={written} />}
    </div>
  );
}

function OpenedLetter({ opened, onClose }: { opened: Opened; onClose: () => void }) {
  const { entry } = opened;
  const heading = `No. ${entry.number} ${entry.direction === 'in' ? 'from' : 'to'} ${entry.correspondent}`;
  return (
    <section className="letter" data-opened={entry.id} aria-label={`Message ${heading}`}>
      <h4>
        {heading}, {entry.date}: {entry.subject} ({entry.classification.replaceAll('_', ' ')})
      </h4>
      {opened.refusal !== undefined ? (
        <div className="error-notice" role="alert">
          <span>Not opened: {opened.refusal}</span>
        </div>
      ) : (
        <pre>{opened.text ?? '(this message has no text)'}</pre>
      )}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </section>
  );
}
