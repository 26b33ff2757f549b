// Bars: the depository's work on the bars themselves rather than on accounts. A count of the vault
// against the books (and its record), the reweighing of a bar under four eyes, the bar-level
// reports the LBMA's Gold Bar Integrity programme asks of a custodian, and the list of refiners the
// imports check brands against. For the depository's staff; the server refuses anyone else.
import { useState } from 'react';
import { query } from '../../api.ts';
import { Download } from '../../components/Download.tsx';
import type { NoticeText } from '../../components/Notice.tsx';
import { NoticeList, useNotices } from '../../components/Notices.tsx';
import { useDesk } from '../../desk.ts';
import { Refiners } from './Refiners.tsx';
import { Reweigh } from './Reweigh.tsx';
import { VaultCount } from './VaultCount.tsx';

const OPERATORS = ['depository_operator', 'depository_supervisor'];

/** Bar-level reports: every bar in custody at the business date, every bar's events in a period. */
function BarReports() {
  const desk = useDesk();
  const [from, setFrom] = useState(`${desk.date.slice(0, 4)}-01-01`);
  return (
    <section className="bar-reports" aria-labelledby="bar-reports">
      <h2 id="bar-reports">Bar-level reports</h2>
      <p>
        Holdings: every bar in custody at the end of {desk.date}, the business date, by its five identifiers
        and its owner.
      </p>
      <p className="downloads">
        <Download label="Holdings CSV" path={`/reports/holdings${query({ date: desk.date })}`} />{' '}
        <Download
          label="Holdings JSON Lines"
          path={`/reports/holdings${query({ date: desk.date, format: 'jsonl' })}`}
        />
      </p>
      <p>
        <label>
          Events from{' '}
          <input
            type="date"
            name="events_from"
            value={from}
            max={desk.date}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>{' '}
        to the end of {desk.date}: every bar received, sold, released, shipped or returned.
      </p>
      {from !== '' && from <= desk.date ? (
        <p className="downloads">
          <Download label="Events CSV" path={`/reports/events${query({ from, to: desk.date })}`} />{' '}
          <Download
            label="Events JSON Lines"
            path={`/reports/events${query({ from, to: desk.date, format: 'jsonl' })}`}
          />
        </p>
      ) : (
        <p className="error">The first day must be on or before the business date {desk.date}.</p>
      )}
    </section>
  );
}

export function Bars() {
  const desk = useDesk();
  const notices = useNotices();
  const [round, setRound] = useState(0);
  const changed = (notice: NoticeText) => {
    notices.add(notice);
    if (!notice.refused) setRound((r) => r + 1);
  };
  const operator = OPERATORS.includes(desk.session.user.role);
  return (
    <div className="bars">
      <p className="page-date">
        Counts, reweighings and reports as of <strong>{desk.date}</strong>, the business date.
      </p>
      <NoticeList notices={notices.shown} onDismiss={notices.dismiss} />
      <VaultCount onChange={changed} />
      {operator && <Reweigh onChange={changed} />}
      <BarReports />
      <Refiners round={round} onChange={changed} />
    </div>
  );
}
