// The journal, newest entry first, each with its postings: what moved, between which accounts.
import { call, query } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import type { JournalEntry, Page } from '../../types.ts';
import { usePaged } from '../paged.ts';

export function Journal() {
  const paged = usePaged(
    (cursor) => call<Page<JournalEntry>>('GET', `/journal${query({ cursor, limit: 50 })}`),
    [],
  );
  return (
    <div className="journal">
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
