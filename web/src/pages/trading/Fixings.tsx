// The London fixing: its chart, its table, and for the depository's operators the entry of one
// fixing and the import of the LBMA feed or a CSV.
import { type FormEvent, useState } from 'react';
import { parsePrice } from '../../../../src/domain/money.ts';
import { call, query } from '../../api.ts';
import { FixingChart } from '../../components/FixingChart.tsx';
import { useDesk } from '../../desk.ts';
import { showPrice } from '../../format.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Approval, Currency, Fixing } from '../../types.ts';

const OPERATORS = ['depository_operator', 'depository_supervisor'];

function FixingEntry({ onChange }: { onChange: (message: string) => void }) {
  const desk = useDesk();
  const [date, setDate] = useState(desk.date);
  const [price, setPrice] = useState('');
  const [source, setSource] = useState('');
  const enter = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parsePrice(price, 'GBP');
    if (!parsed.ok) return onChange(parsed.reason);
    const body = {
      date,
      currency: parsed.value.currency,
      minor_per_oz: parsed.value.minor_per_oz.toString(),
      source,
    };
    try {
      const done = await call<{ pending_approval: string }>('POST', '/prices', body);
      onChange(`fixing of ${date} proposed (#${done.pending_approval}); a supervisor approves it below`);
    } catch (reason) {
      onChange(describeError(reason));
    }
  };
  return (
    <form className="inline" onSubmit={enter}>
      <label>
        Date <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
      </label>
      <label>
        Price per fine oz{' '}
        <input
          placeholder='"254s 0d" or "1850.35"'
          value={price}
          onChange={(e) => setPrice(e.target.value)}
        />
      </label>
      <label>
        Source <input value={source} onChange={(e) => setSource(e.target.value)} />
      </label>
      <button type="submit" disabled={price === '' || source === ''}>
        Propose the fixing
      </button>
    </form>
  );
}

function FixingImport({ onChange }: { onChange: (message: string) => void }) {
  const upload = async (file: File | undefined) => {
    if (!file) return;
    const json = file.name.toLowerCase().endsWith('.json');
    try {
      const done = await call<{ added: number; unchanged: number }>(
        'POST',
        `/prices/import${query({ format: json ? 'lbma' : 'csv', currency: 'GBP', source: file.name })}`,
        await file.text(),
        { contentType: json ? 'application/json' : 'text/csv' },
      );
      onChange(`${file.name}: ${done.added} fixings added, ${done.unchanged} already recorded`);
    } catch (reason) {
      onChange(`${file.name}: ${describeError(reason)}`);
    }
  };
  return (
    <p>
      <label>
        Import the LBMA feed (JSON) or a CSV (date,currency,price){' '}
        <input
          type="file"
          accept=".json,.csv,text/csv,application/json"
          onChange={(e) => upload(e.target.files?.[0])}
        />
      </label>
    </p>
  );
}

/** Fixings entered by hand wait here for a second user (four eyes). */
function PendingFixings({ round, onChange }: { round: number; onChange: (message: string) => void }) {
  const desk = useDesk();
  const pending = useLoad(
    () => call<Approval[]>('GET', `/approvals${query({ status: 'pending' })}`),
    [round],
  );
  const fixings = (pending.data ?? []).filter((a) => a.action === 'record_fixing');
  const decide = async (approval: Approval, verdict: 'approve' | 'decline') => {
    try {
      // An approval names the digest of the account shown, so only what was seen is approved.
      const body =
        verdict === 'decline'
          ? { reason: `declined by ${desk.session.user.id}` }
          : { digest: approval.digest };
      await call('POST', `/approvals/${approval.id}/${verdict}`, body);
      onChange(
        `#${approval.id} ${approval.subject}: ${verdict === 'approve' ? 'approved and recorded' : 'declined'}`,
      );
    } catch (reason) {
      onChange(`#${approval.id}: ${describeError(reason)}`);
    }
  };
  if (fixings.length === 0) return null;
  return (
    <table className="grid">
      <tbody>
        {fixings.map((a) => (
          <tr key={a.id} data-approval={a.id}>
            <td>#{a.id}</td>
            <td>
              {a.subject}
              {/* What the approval will do, as the books state it: the supervisor approves this. */}
              <pre className="account" data-digest={a.digest ?? ''}>
                {a.account.join('\n')}
              </pre>
            </td>
            <td>proposed by {a.maker_user_id}</td>
            <td>
              {desk.session.user.role === 'depository_supervisor' && (
                <button type="button" onClick={() => decide(a, 'approve')}>
                  Approve
                </button>
              )}{' '}
              <button type="button" onClick={() => decide(a, 'decline')}>
                Decline
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Fixings() {
  const desk = useDesk();
  const [currency, setCurrency] = useState<Currency>('GBP');
  const [message, setMessage] = useState<string>();
  const fixings = useLoad(() => call<Fixing[]>('GET', `/prices${query({ currency })}`), [currency]);
  const rows = fixings.data ?? [];
  const [round, setRound] = useState(0);
  const changed = (text: string) => {
    setMessage(text);
    fixings.reload();
    setRound((r) => r + 1);
  };
  return (
    <div className="fixings">
      <p>
        <label>
          Currency{' '}
          <select value={currency} onChange={(e) => setCurrency(e.target.value as Currency)}>
            <option>GBP</option>
            <option>USD</option>
            <option>EUR</option>
          </select>
        </label>
      </p>
      {fixings.error && <p className="error">{fixings.error}</p>}
      <FixingChart fixings={rows} />
      {message && <p className="notice">{message}</p>}
      {OPERATORS.includes(desk.session.user.role) && (
        <>
          <FixingEntry onChange={changed} />
          <PendingFixings round={round} onChange={changed} />
          <FixingImport onChange={changed} />
        </>
      )}
      <table className="grid">
        <thead>
          <tr>
            <th>Date</th>
            <th className="num">Per fine oz</th>
            <th>Source</th>
            <th>Entered by</th>
          </tr>
        </thead>
        <tbody>
          {[...rows]
            .reverse()
            .slice(0, 200)
            .map((f) => (
              <tr key={`${f.date}-${f.currency}`}>
                <td>{f.date}</td>
                <td className="num">{showPrice(f.currency, f.minor_per_oz, f.date)}</td>
                <td>{f.source}</td>
                <td>{f.entered_by}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
