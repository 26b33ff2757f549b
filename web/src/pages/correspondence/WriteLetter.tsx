// Writing a letter (MT699) to a correspondent: to whom, at which classification, its subject and
// text, dated the business date. The confirmation shows the letter as it will go; once confirmed
// it is registered, signed and sealed into the outbox, and the bank's sync delivers it.
import { type FormEvent, useState } from 'react';
import { call, newKey } from '../../api.ts';
import type { ConfirmAnswer, ConfirmRequest } from '../../components/Confirm.tsx';
import { useDesk } from '../../desk.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { LetterQueued, Party } from '../../types.ts';

const CLASSIFICATIONS = ['confidential', 'secret', 'top_secret'] as const;
type Classification = (typeof CLASSIFICATIONS)[number];

/** The letter's fields one under another, the text as wide as a page of it. */
const COLUMN = {
  display: 'flex',
  flexDirection: 'column',
  alignItems: 'flex-start',
  gap: '8px',
  width: '100%',
  maxWidth: '760px',
} as const;

export function WriteLetter({
  ask,
  onDone,
}: {
  ask: (request: ConfirmRequest) => Promise<ConfirmAnswer>;
  onDone: (text: string, refused: boolean) => void;
}) {
  const desk = useDesk();
  const own = desk.session.user.party_id;
  const parties = useLoad(() => call<Party[]>('GET', '/parties'), []);
  const correspondents = (parties.data ?? []).filter((p) => p.id !== own);
  const [to, setTo] = useState('');
  const [classification, setClassification] = useState<Classification>('confidential');
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [key, setKey] = useState(newKey);
  const [busy, setBusy] = useState(false);
  const addressee = to || correspondents[0]?.id || '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const level = classification.replaceAll('_', ' ');
    const answer = await ask({
      title: `Send a letter to ${addressee}`,
      lines: [
        `From ${own} to ${addressee}, dated ${desk.date}, classified ${level}.`,
        `Subject: ${subject.trim()}`,
        '',
        ...text.trimEnd().split('\n'),
        '',
        "It is registered under the next number, signed and sealed with our keys, and goes with the bank's next sync; once sent it cannot be recalled.",
        `Only users cleared for ${level} may open it.`,
      ],
      verb: 'Send the letter',
    });
    if (!answer.confirmed) return;
    setBusy(true);
    try {
      const body = { to: addressee, classification, subject, text, date: desk.date };
      const letter = await call<LetterQueued>('POST', '/correspondence/letters', body, { key });
      const again = letter.replayed ? ' (already written: not sent twice)' : '';
      const place = `no. ${letter.number} to ${letter.correspondent}, reference ${letter.reference}`;
      onDone(`Letter ${place} is in the outbox${again}`, false);
      setKey(newKey());
      setSubject('');
      setText('');
    } catch (reason) {
      // A refused letter is not remembered: the same key carries the corrected one.
      onDone(`The letter was not sent: ${describeError(reason)}`, true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="write-letter" data-form="letter" style={COLUMN} onSubmit={submit}>
      <h4>Write a letter</h4>
      {parties.error && <p className="error">{parties.error}</p>}
      <label>
        To{' '}
        <select name="letter-to" value={addressee} onChange={(e) => setTo(e.target.value)}>
          {correspondents.map((p) => (
            <option key={p.id} value={p.id}>
              {p.id}: {p.name}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        Classification{' '}
        <select
          name="letter-classification"
          value={classification}
          onChange={(e) =>
            setClassification(CLASSIFICATIONS.find((c) => c === e.target.value) ?? classification)
          }
        >
          {CLASSIFICATIONS.map((c) => (
            <option key={c} value={c}>
              {c.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
      </label>
      <label>
        Subject{' '}
        <input
          name="letter-subject"
          value={subject}
          maxLength={200}
          onChange={(e) => setSubject(e.target.value)}
        />
      </label>
      <label style={COLUMN}>
        Text
        <textarea
          name="letter-text"
          rows={8}
          cols={72}
          style={{ maxWidth: '100%', boxSizing: 'border-box' }}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <button
        type="submit"
        disabled={busy || addressee === '' || subject.trim() === '' || text.trim() === ''}
      >
        Send…
      </button>
    </form>
  );
}
