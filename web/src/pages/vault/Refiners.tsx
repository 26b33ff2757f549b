// The Good Delivery List of refiners as Ingot keeps it: current and former, with the dates they
// were listed and removed; an operator replaces it with the LBMA's list (CSV), after a
// confirmation, and is told what changed. Imports check each bar's brand against it.
import { useState } from 'react';
import { call, query } from '../../api.ts';
import { useConfirm } from '../../components/Confirm.tsx';
import type { NoticeText } from '../../components/Notice.tsx';
import { useDesk } from '../../desk.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Refiner, RefinersImported } from '../../types.ts';

const OPERATORS = ['depository_operator', 'depository_supervisor'];

function RefinerImport({ onChange }: { onChange: (notice: NoticeText) => void }) {
  const desk = useDesk();
  const [dialog, ask] = useConfirm();
  const upload = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    const answer = await ask({
      title: `Replace the list of refiners with ${file.name}`,
      lines: [
        `Replace the Good Delivery List of refiners with ${file.name} (${file.size.toLocaleString('en-GB')} bytes).`,
        `A refiner it leaves out is kept as former, removed on ${desk.date}. A faulty list changes nothing.`,
      ],
      verb: 'Replace the list',
    });
    // The same file may be chosen again, after a Cancel or a refusal.
    input.value = '';
    if (!answer.confirmed) return;
    try {
      const done = await call<RefinersImported>(
        'POST',
        `/refiners/import${query({ date: desk.date })}`,
        file,
        {
          contentType: 'text/csv',
        },
      );
      const removed = done.removed.length > 0 ? `; now former: ${done.removed.join(', ')}` : '';
      onChange({
        text: done.unchanged
          ? `${file.name}: the list is the present list; nothing changed`
          : `${file.name}: ${done.current} current, ${done.former} former refiners${removed}`,
        refused: false,
      });
    } catch (reason) {
      onChange({ text: `${file.name}: refused: ${describeError(reason)}`, refused: true });
    }
  };
  return (
    <p>
      <label>
        Replace with the LBMA’s list (CSV){' '}
        <input type="file" name="refiners" accept=".csv,text/csv" onChange={(e) => upload(e.target)} />
      </label>
      {dialog}
    </p>
  );
}

export function Refiners({ round, onChange }: { round: number; onChange: (notice: NoticeText) => void }) {
  const desk = useDesk();
  const listed = useLoad(() => call<Refiner[]>('GET', '/refiners'), [round]);
  const [filter, setFilter] = useState('');
  const wanted = filter.trim().toLowerCase();
  const rows = (listed.data ?? []).filter(
    (r) =>
      wanted === '' ||
      r.brand_code.toLowerCase().includes(wanted) ||
      r.name.toLowerCase().includes(wanted) ||
      r.country.toLowerCase().includes(wanted),
  );
  return (
    <section className="refiners" aria-labelledby="refiners">
      <h2 id="refiners">Refiners on the Good Delivery List</h2>
      {OPERATORS.includes(desk.session.user.role) && <RefinerImport onChange={onChange} />}
      {listed.error && <p className="error">{listed.error}</p>}
      {listed.data && listed.data.length === 0 && (
        <p className="note">No list imported yet: bars are received without a check of their brand.</p>
      )}
      {listed.data && listed.data.length > 0 && (
        <>
          <label>
            Find{' '}
            <input
              type="search"
              name="refiner_filter"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
          </label>{' '}
          <span className="note">
            {rows.length} of {listed.data.length}
          </span>
          <table className="grid" aria-label="Refiners">
            <thead>
              <tr>
                <th>Brand</th>
                <th>Name</th>
                <th>Country</th>
                <th>Status</th>
                <th>Listed</th>
                <th>Removed</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.brand_code} data-refiner={r.brand_code}>
                  <td>{r.brand_code}</td>
                  <td>{r.name}</td>
                  <td>{r.country}</td>
                  <td>{r.status}</td>
                  <td>{r.listed_on ?? ''}</td>
                  <td>{r.removed_on ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
