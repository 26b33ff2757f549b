// The London fixing: its chart, its table, and for the depository's operators the entry of one
// fixing and the import of the LBMA feed or a CSV.
import { type FormEvent, useState } from 'react';
import { parsePrice } from '../../../src/domain/money.ts';
import { call, query } from '../api.ts';
import { FixingChart } from '../components/FixingChart.tsx';
import { useDesk } from '../desk.ts';
import { showPrice } from '../format.ts';
import { describeError, useLoad } from '../hooks.ts';
import type { Currency, Fixing } from '../types.ts';

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
      const done = await call<{ added: number }>('POST', '/prices', body);
      onChange(done.added ? `fixing of ${date} recorded` : `the fixing of ${date} was already recorded`);
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
        Record the fixing
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

export function Fixings() {
  const desk = useDesk();
  const [currency, setCurrency] = useState<Currency>('GBP');
  const [message, setMessage] = useState<string>();
  const fixings = useLoad(() => call<Fixing[]>('GET', `/prices${query({ currency })}`), [currency]);
  const rows = fixings.data ?? [];
  const changed = (text: string) => {
    setMessage(text);
    fixings.reload();
  };
  return (
    <div className="fixings">
      <label>
        Currency{' '}
        <select value={currency} onChange={(e) => setCurrency(e.target.value as Currency)}>
          <option>GBP</option>
          <option>USD</option>
          <option>EUR</option>
        </select>
      </label>
      {fixings.error && <p className="error">{fixings.error}</p>}
      <FixingChart fixings={rows} />
      {message && <p className="notice">{message}</p>}
      {OPERATORS.includes(desk.session.user.role) && (
        <>
          <FixingEntry onChange={changed} />
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
