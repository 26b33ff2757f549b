// Choosing bars by serial from the account's own bar list: the holder searches its free bars by a
// serial's start (or a refiner's mark) and ticks them; the desk keeps the ids the API needs and
// never asks anyone to type one.
import { useEffect, useRef, useState } from 'react';
import { call, query } from '../../api.ts';
import { showOunces, showWeight } from '../../format.ts';
import { describeError } from '../../hooks.ts';
import type { Bar, Page } from '../../types.ts';

/** Rows a page of the picker shows; more come by "More bars". */
const PICKER_ROWS = 25;

/** A bar as the desk names it to people: refiner and serial. */
export function barName(bar: Bar): string {
  return `${bar.refiner}/${bar.serial}`;
}

/** The fine weight of some bars, in milli-oz. */
export function fineWeightOf(bars: readonly Bar[]): bigint {
  return bars.reduce((sum, bar) => sum + BigInt(bar.fine_milli_oz), 0n);
}

export function BarPicker({
  account,
  chosen,
  onChange,
}: {
  account: string;
  chosen: readonly Bar[];
  onChange: (bars: readonly Bar[]) => void;
}) {
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<readonly Bar[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  // Each list asked for is numbered: only the latest one's answer is shown, so an answer to an
  // earlier search that comes back late cannot replace the bars found.
  const asked = useRef(0);
  const load = async (cursor: string | null, before: readonly Bar[]) => {
    asked.current += 1;
    const number = asked.current;
    const path = `/accounts/${encodeURIComponent(account)}/bars${query({
      state: 'held',
      sort: 'serial',
      search: search.trim() || undefined,
      limit: PICKER_ROWS,
      cursor: cursor ?? undefined,
    })}`;
    try {
      const page = await call<Page<Bar>>('GET', path);
      if (number !== asked.current) return;
      setRows([...before, ...page.items]);
      setNext(page.next_cursor);
      setError(undefined);
    } catch (reason) {
      if (number !== asked.current) return;
      setRows([]);
      setError(describeError(reason));
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new account or search starts over
  useEffect(() => {
    const timer = setTimeout(() => load(null, []), 250);
    return () => clearTimeout(timer);
  }, [account, search]);
  const ids = new Set(chosen.map((bar) => bar.id));
  const toggle = (bar: Bar) =>
    onChange(ids.has(bar.id) ? chosen.filter((b) => b.id !== bar.id) : [...chosen, bar]);
  return (
    <fieldset className="bar-picker">
      <legend>Bars of {account}, by serial</legend>
      <label>
        Serial starts with{' '}
        <input
          name="bar_search"
          value={search}
          placeholder="100200"
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.preventDefault();
          }}
        />
      </label>
      {error && <p className="error">Your bar list cannot be shown: {error}. Ask for a quantity instead.</p>}
      <div className="choices">
        <table className="grid">
          <tbody>
            {rows.map((bar) => (
              <tr key={bar.id} data-serial={bar.serial}>
                <td>
                  <label>
                    <input type="checkbox" checked={ids.has(bar.id)} onChange={() => toggle(bar)} />{' '}
                    {barName(bar)}
                  </label>
                </td>
                <td className="num">{showOunces(bar.fine_milli_oz)} fine oz</td>
                <td>{bar.location ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && !error && <p className="note">No free bar matches.</p>}
        {next && (
          <button type="button" onClick={() => load(next, rows)}>
            More bars
          </button>
        )}
      </div>
      <p className="chosen" data-chosen={chosen.map((bar) => bar.serial).join(',')}>
        {chosen.length === 0
          ? 'No bar chosen.'
          : `${chosen.length} bar${chosen.length === 1 ? '' : 's'} chosen: ${chosen.map(barName).join(', ')}; ` +
            `${showWeight(fineWeightOf(chosen).toString())}`}
      </p>
    </fieldset>
  );
}
