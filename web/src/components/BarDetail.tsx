// One bar and its chain of custody (GET /bars/{refiner}/{serial}/history): every event of its life
// with its date, the accounts it went between, the trade or instruction, the documents. A client
// bank is shown only the part while its accounts owned the bar; the server decides what that is.
// Opening takes the focus to the detail's heading; Close gives it back to the list.
import { useEffect, useRef } from 'react';
import { call } from '../api.ts';
import { showFineness, showOunces } from '../format.ts';
import { useLoad } from '../hooks.ts';
import type { BarEvent, BarHistory } from '../types.ts';

/** A bar as the desk names it and asks for its history. */
export interface BarKey {
  readonly refiner: string;
  readonly serial: string;
}

function path(bar: BarKey): string {
  return `/bars/${encodeURIComponent(bar.refiner)}/${encodeURIComponent(bar.serial)}/history`;
}

function Events({ events }: { events: readonly BarEvent[] }) {
  if (events.length === 0) return <p>No event of this bar is yours to see.</p>;
  return (
    <table className="grid bar-events">
      <thead>
        <tr>
          <th>Date</th>
          <th>Event</th>
          <th>From</th>
          <th>To</th>
          <th>Trade or instruction</th>
          <th>Documents</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event, index) => (
          // Events have no id of their own; their order is the bar's history.
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is read whole and never reordered
          <tr key={index} data-event={event.kind}>
            <td>{event.date}</td>
            <td>{event.description}</td>
            <td>{event.source_account_id ?? ''}</td>
            <td>{event.target_account_id ?? ''}</td>
            <td>{event.reference ?? ''}</td>
            <td>{event.documents.map((document) => `${document.kind} #${document.id}`).join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The detail of one bar, under the list it was opened from. */
export function BarDetail({ bar, onClose }: { bar: BarKey; onClose: () => void }) {
  const history = useLoad(() => call<BarHistory>('GET', path(bar)), [bar.refiner, bar.serial]);
  const heading = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new bar takes the focus again
  useEffect(() => heading.current?.focus(), [bar.refiner, bar.serial]);
  const shown = history.data?.bar;
  return (
    <section
      className="bar-detail"
      data-bar={`${bar.refiner}/${bar.serial}`}
      aria-labelledby="bar-detail-title"
    >
      <h3 id="bar-detail-title" tabIndex={-1} ref={heading}>
        Bar {bar.refiner}/{bar.serial}
      </h3>
      <button type="button" onClick={onClose}>
        Close the bar
      </button>
      {history.error && <p className="error">Its history cannot be shown: {history.error}</p>}
      {shown && (
        <p className="bar-facts">
          {shown.year}, {showOunces(shown.gross_milli_oz)} gross oz at {showFineness(shown.fineness)}:{' '}
          {showOunces(shown.fine_milli_oz)} fine oz{shown.bar_id ? `; bar id ${shown.bar_id}` : ''}
        </p>
      )}
      {history.data && <Events events={history.data.events} />}
      {!history.data && !history.error && <p>Reading its history…</p>}
    </section>
  );
}
