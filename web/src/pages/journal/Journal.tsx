// The journal, newest entry first, each with its postings: what moved, between which accounts.
// Above it, the check of every invariant of the books (GET /verify), run when asked, and the whole
// journal as hledger text for the auditors' own tools.
import { useState } from 'react';
import { call, query } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { Download } from '../../components/Download.tsx';
import { describeError } from '../../hooks.ts';
import type { JournalEntry, Page, Verification } from '../../types.ts';
import { usePaged } from '../paged.ts';

type Verdict = { readonly at: string; readonly verified: Verification } | { readonly refused: string };

/** Verifies the books when asked: every check's name and every breach found, with the time. */
function Verify() {
  const [verdict, setVerdict] = useState<Verdict>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const verified = await call<Verification>('GET', '/verify');
      setVerdict({ at: new Date().toLocaleTimeString('en-GB'), verified });
    } catch (reason) {
      setVerdict({ refused: describeError(reason) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="verify" aria-labelledby="verify">
      <h2 id="verify">The books</h2>
      <p className="downloads">
        <button type="button" onClick={run} disabled={busy}>
          {busy ? 'Verifying…' : 'Verify the books'}
        </button>{' '}
        <Download label="Journal for hledger" path="/journal.hledger" />
      </p>
      <div aria-live="polite">
        {verdict && 'refused' in verdict && <p className="error">Not verified: {verdict.refused}</p>}
        {verdict && 'verified' in verdict && verdict.verified.breaches.length === 0 && (
          <p className="notice" data-verified="sound">
            Sound at {verdict.at}: {verdict.verified.checks} checks, no breach.
          </p>
        )}
        {verdict && 'verified' in verdict && verdict.verified.breaches.length > 0 && (
          <div className="error" data-verified="breached">
            <p>
              Unsound at {verdict.at}: {verdict.verified.breaches.length} breaches in{' '}
              {verdict.verified.checks} checks.
            </p>
            <ul>
              {verdict.verified.breaches.map((b) => (
                <li key={`${b.rule} ${b.detail}`}>
                  {b.rule}: {b.detail}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}

export function Journal() {
  const paged = usePaged(
    (cursor) => call<Page<JournalEntry>>('GET', `/journal${query({ cursor, limit: 50 })}`),
    [],
  );
  return (
    <div className="journal">
      <Verify />
      <h2>Entries, newest first</h2>
      {paged.error && <p className="error">{paged.error}</p>}
      <table className="grid">
        <thead>
          <tr>
            <th>Entry</th>
            <th>Value date</th>
            <th>Kind</th>
            <th>Narrative and postings</th>
          </tr>
        </thead>
        <tbody>
          {paged.items.map((entry) => (
            <tr key={entry.id}>
              <td>#{entry.id}</td>
              <td>{entry.value_date}</td>
              <td>{entry.kind.replaceAll('_', ' ')}</td>
              <td>
                {entry.memo}
                <ul className="postings">
                  {entry.postings.map((p) => (
                    <li key={p.line}>
                      {p.account_id} <Amount unit={p.unit} minor={p.amount} date={entry.value_date} />
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {paged.more && (
        <button type="button" onClick={paged.loadMore}>
          Older entries
        </button>
      )}
    </div>
  );
}
