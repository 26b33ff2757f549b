// Reweighing a bar: an operator finds the bar by refiner and serial, sees its weights as booked,
// enters what the scale (and the assay) found and why, and proposes it; a supervisor other than
// the operator approves it under Approvals, where the account states the change in figures.
import { useState } from 'react';
import {
  formatOunces,
  parseFineness,
  parseOunces,
  reweighChangeLines,
} from '../../../../src/domain/weight.ts';
import { call } from '../../api.ts';
import { useConfirm } from '../../components/Confirm.tsx';
import type { NoticeText } from '../../components/Notice.tsx';
import { useDesk } from '../../desk.ts';
import { showFineness, showOunces } from '../../format.ts';
import { describeError } from '../../hooks.ts';
import type { BarHistory, Pending } from '../../types.ts';

type Booked = BarHistory['bar'];

const barPath = (refiner: string, serial: string) =>
  `/bars/${encodeURIComponent(refiner)}/${encodeURIComponent(serial)}`;

/** What the reweighing changes, or why the figures typed cannot be proposed. */
export function reweighLines(
  bar: Booked,
  grossText: string,
  finenessText: string,
): { ok: true; lines: string[]; gross: string; fineness?: string } | { ok: false; reason: string } {
  const gross = parseOunces(grossText, 'gross weight');
  if (!gross.ok) return gross;
  const fineness = finenessText.trim() === '' ? null : parseFineness(finenessText);
  if (fineness && !fineness.ok) return fineness;
  const booked = {
    gross_milli_oz: BigInt(bar.gross_milli_oz),
    fineness: BigInt(bar.fineness),
    fine_milli_oz: BigInt(bar.fine_milli_oz),
  };
  const lines = reweighChangeLines(booked, {
    gross_milli_oz: gross.value,
    fineness: fineness ? fineness.value : booked.fineness,
  });
  return {
    ok: true,
    lines,
    gross: formatOunces(gross.value),
    ...(fineness ? { fineness: finenessText.trim() } : {}),
  };
}

export function Reweigh({ onChange }: { onChange: (notice: NoticeText) => void }) {
  const desk = useDesk();
  const [refiner, setRefiner] = useState('');
  const [serial, setSerial] = useState('');
  const [bar, setBar] = useState<Booked>();
  const [gross, setGross] = useState('');
  const [fineness, setFineness] = useState('');
  const [date, setDate] = useState(desk.date);
  const [reason, setReason] = useState('');
  const [dialog, ask] = useConfirm();
  const find = async () => {
    setBar(undefined);
    try {
      const found = await call<BarHistory>('GET', `${barPath(refiner.trim(), serial.trim())}/history`);
      setBar(found.bar);
      setGross(showOunces(found.bar.gross_milli_oz));
      setFineness('');
    } catch (reason) {
      onChange({ text: `bar ${refiner} ${serial}: ${describeError(reason)}`, refused: true });
    }
  };
  const figures = bar ? reweighLines(bar, gross, fineness) : undefined;
  const propose = async () => {
    if (!bar || !figures) return;
    if (!figures.ok) return onChange({ text: `Not proposed: ${figures.reason}`, refused: true });
    const answer = await ask({
      title: `Reweigh bar ${bar.refiner} ${bar.serial}`,
      lines: [
        `Propose on ${date} the weights found on reweighing bar ${bar.refiner} ${bar.serial} (${bar.year}):`,
        ...figures.lines,
        `Reason: ${reason.trim()}`,
        'A change of fine weight is journalled against the owner’s custody account once a supervisor other than you approves it.',
      ],
      verb: 'Propose the reweighing',
    });
    if (!answer.confirmed) return;
    try {
      const body = {
        gross_oz: figures.gross,
        date,
        reason: reason.trim(),
        ...(figures.fineness ? { fineness: figures.fineness } : {}),
      };
      const done = await call<Pending>('POST', `${barPath(bar.refiner, bar.serial)}/reweigh`, body);
      onChange({
        text: `reweighing of ${bar.refiner} ${bar.serial} proposed (#${done.pending_approval}); a supervisor approves it under Approvals`,
        refused: false,
      });
    } catch (refusal) {
      onChange({
        text: `reweighing of ${bar.refiner} ${bar.serial} refused: ${describeError(refusal)}`,
        refused: true,
      });
    }
  };
  return (
    <section className="reweigh" aria-labelledby="reweigh">
      <h2 id="reweigh">Reweigh a bar</h2>
      <form className="inline" onSubmit={(event) => event.preventDefault()}>
        <label>
          Refiner{' '}
          <input name="reweigh_refiner" value={refiner} onChange={(e) => setRefiner(e.target.value)} />
        </label>
        <label>
          Serial <input name="reweigh_serial" value={serial} onChange={(e) => setSerial(e.target.value)} />
        </label>
        <button type="button" onClick={find} disabled={refiner.trim() === '' || serial.trim() === ''}>
          Find the bar
        </button>
      </form>
      {bar && (
        <form
          className="inline"
          onSubmit={(event) => event.preventDefault()}
          data-bar={`${bar.refiner} ${bar.serial}`}
        >
          <p>
            Booked: {showOunces(bar.gross_milli_oz)} oz gross × {showFineness(bar.fineness)} ={' '}
            {showOunces(bar.fine_milli_oz)} oz fine ({bar.year})
          </p>
          <label>
            Gross weight found (oz){' '}
            <input name="reweigh_gross" value={gross} onChange={(e) => setGross(e.target.value)} />
          </label>
          <label>
            Fineness found (‰, blank: unchanged){' '}
            <input
              name="reweigh_fineness"
              placeholder={showFineness(bar.fineness)}
              value={fineness}
              onChange={(e) => setFineness(e.target.value)}
            />
          </label>
          <label>
            Date{' '}
            <input type="date" name="reweigh_date" value={date} onChange={(e) => setDate(e.target.value)} />
          </label>
          <label>
            Reason <input name="reweigh_reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          {figures && !figures.ok && <p className="error">{figures.reason}</p>}
          {figures?.ok && <p className="note">{figures.lines[2]}</p>}
          <button type="button" onClick={propose} disabled={!figures?.ok || reason.trim() === ''}>
            Propose the reweighing…
          </button>
        </form>
      )}
      {dialog}
    </section>
  );
}
