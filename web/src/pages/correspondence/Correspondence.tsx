// The register of correspondence: every message exchanged with the bank, by number; a letter is
// opened only by a user cleared for its classification, and every opening (or refusal) is logged.
import { useState } from 'react';
import { call } from '../../api.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { RegisterEntry } from '../../types.ts';

export function Correspondence() {
  const register = useLoad(() => call<RegisterEntry[]>('GET', '/correspondence'), []);
  const [opened, setOpened] = useState<{ id: string; text: string | null; error?: string }>();
  const open = async (id: string) => {
    try {
      const done = await call<{ text: string | null }>('POST', `/correspondence/${id}/open`);
      setOpened({ id, text: done.text });
    } catch (reason) {
      setOpened({ id, text: null, error: describeError(reason) });
    }
  };
  return (
    <div className="correspondence">
      <h3>Register of correspondence</h3>
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
                <button type="button" onClick={() => open(m.id)}>
                  Open
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {opened && (
        <section className="letter" data-opened={opened.id}>
          {opened.error ? <p className="error">{opened.error}</p> : <pre>{opened.text}</pre>}
        </section>
      )}
    </div>
  );
}
