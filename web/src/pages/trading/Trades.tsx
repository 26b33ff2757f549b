// Trades: what each bank accepted, its allocation and settlement, and for those awaiting settlement
// the reason they wait. The depository's operators allocate, settle and cancel from here.
import { useState } from 'react';
import { call, query } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { Download } from '../../components/Download.tsx';
import { useDesk } from '../../desk.ts';
import { showPrice, showWeight } from '../../format.ts';
import { describeError } from '../../hooks.ts';
import type { Page, Trade } from '../../types.ts';
import { usePaged } from '../paged.ts';

const OPERATORS = ['depository_operator', 'depository_supervisor'];

function asked(trade: Trade): string {
  if (trade.asked_kind === 'quantity' && trade.asked_fine_milli_oz)
    return showWeight(trade.asked_fine_milli_oz);
  return trade.budget_stated ?? '';
}

function Actions({ trade, onDone }: { trade: Trade; onDone: (message: string) => void }) {
  const desk = useDesk();
  const [busy, setBusy] = useState(false);
  const run = async (label: string, work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
      onDone(`${trade.id}: ${label} done`);
    } catch (reason) {
      onDone(`${trade.id}: ${label} refused: ${describeError(reason)}`);
    } finally {
      setBusy(false);
    }
  };
  const post = (path: string, body: unknown, key?: string) =>
    call('POST', `/trades/${trade.id}/${path}`, body, key ? { key } : {});
  if (!OPERATORS.includes(desk.session.user.role)) return null;
  return (
    <span className="actions">
      {trade.state === 'accepted' && (
        <button
          type="button"
          disabled={busy}
          onClick={() => run('allocation', () => post('allocate', { reference_date: desk.date }))}
        >
          Allocate
        </button>
      )}
      {trade.state === 'allocated' && (
        <>
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              run('settlement', () => post('settle', { date: desk.date }, `settle:${trade.id}:${desk.date}`))
            }
          >
            Settle {desk.date}
          </button>
          <button type="button" disabled={busy} onClick={() => run('release', () => post('unallocate', {}))}>
            Release bars
          </button>
        </>
      )}
      {(trade.state === 'accepted' || trade.state === 'allocated') && (
        <button type="button" disabled={busy} onClick={() => run('cancellation', () => post('cancel', {}))}>
          Cancel
        </button>
      )}
    </span>
  );
}

function TradeRow({ trade, onDone }: { trade: Trade; onDone: (message: string) => void }) {
  const settled = trade.state === 'settled';
  return (
    <tr data-trade={trade.id} className={trade.pending_reason ? 'waiting' : ''}>
      <td>{trade.id}</td>
      <td>{trade.offer_id}</td>
      <td>{trade.accepted_on}</td>
      <td>{asked(trade)}</td>
      <td className="state">{trade.state}</td>
      <td>{trade.allocated_fine_milli_oz ? showWeight(trade.allocated_fine_milli_oz) : '—'}</td>
      <td>
        {settled && trade.consideration_minor && trade.settlement_date ? (
          <>
            {trade.settlement_date} at{' '}
            {showPrice('GBP', trade.price_minor_per_oz ?? '0', trade.settlement_date)}:{' '}
            <Amount unit="GBP" minor={trade.consideration_minor} date={trade.settlement_date} />
          </>
        ) : (
          <span className="why">
            {trade.pending_reason ?? (trade.state === 'accepted' ? 'awaiting allocation' : '')}
          </span>
        )}
      </td>
      <td>
        {trade.allocated_fine_milli_oz && <Download label="Bars CSV" path={`/trades/${trade.id}/bars.csv`} />}{' '}
        {settled && <Download label="Confirmation PDF" path={`/trades/${trade.id}/confirmation.pdf`} />}{' '}
        {settled && <Download label="Documents CSV" path={`/documents.csv${query({ trade: trade.id })}`} />}{' '}
        <Actions trade={trade} onDone={onDone} />
      </td>
    </tr>
  );
}

export function Trades() {
  const [state, setState] = useState('');
  const [message, setMessage] = useState<string>();
  const paged = usePaged(
    (cursor) => call<Page<Trade>>('GET', `/trades${query({ state, cursor, limit: 50 })}`),
    [state],
  );
  const onDone = (text: string) => {
    setMessage(text);
    paged.reload();
  };
  return (
    <div className="trades">
      <p className="filters">
        <label>
          State{' '}
          <select value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">all</option>
            <option value="accepted">accepted, awaiting allocation</option>
            <option value="allocated">allocated, awaiting settlement</option>
            <option value="settled">settled</option>
            <option value="cancelled">cancelled</option>
          </select>
        </label>{' '}
        <Download label="All confirmations and advices (CSV)" path="/documents.csv" />
      </p>
      {message && <p className="notice">{message}</p>}
      {paged.error && <p className="error">{paged.error}</p>}
      <table className="grid">
        <thead>
          <tr>
            <th>Trade</th>
            <th>Offer</th>
            <th>Accepted</th>
            <th>Asked</th>
            <th>State</th>
            <th>Allocated</th>
            <th>Settlement, or why it waits</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {paged.items.map((trade) => (
            <TradeRow key={trade.id} trade={trade} onDone={onDone} />
          ))}
        </tbody>
      </table>
      {paged.more && (
        <button type="button" onClick={paged.loadMore}>
          More trades
        </button>
      )}
    </div>
  );
}
