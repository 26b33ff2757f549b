// The London fixing: its chart, its table, and for the depository's operators the entry of one
// fixing and the import of the LBMA feed or a CSV. Reference data changes only after a
// confirmation stating what will be proposed; a fixing entered by hand, or a list imported, waits
// for a supervisor other than its maker.
import { useState } from 'react';
import { parsePrice } from '../../../../src/domain/money.ts';
import { call, query } from '../../api.ts';
import { useConfirm } from '../../components/Confirm.tsx';
import type { NoticeText } from '../../components/Notice.tsx';
import { NoticeList, useNotices } from '../../components/Notices.tsx';
import { useDesk } from '../../desk.ts';
import { showPrice } from '../../format.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Approval, Currency, Fixing, FixingsProposed, Pending } from '../../types.ts';
import { FixingChart } from './FixingChart.tsx';
import './trading.css';

const OPERATORS = ['depository_operator', 'depository_supervisor'];

type Changed = (notice: NoticeText) => void;

function FixingEntry({ onChange }: { onChange: Changed }) {
  const desk = useDesk();
  const [date, setDate] = useState(desk.date);
  const [price, setPrice] = useState('');
  const [source, setSource] = useState('');
  const [dialog, ask] = useConfirm();
  const enter = async () => {
    const parsed = parsePrice(price, 'GBP');
    if (!parsed.ok) return onChange({ text: parsed.reason, refused: true });
    const shown = showPrice(parsed.value.currency, parsed.value.minor_per_oz.toString(), date);
    const answer = await ask({
      title: `Propose the fixing of ${date}`,
      lines: [
        `Propose the London fixing of ${date}: ${shown} per fine oz, from ${source}.`,
        'It counts only once a supervisor other than you approves it.',
      ],
      verb: 'Propose the fixing',
    });
    if (!answer.confirmed) return;
    const body = {
      date,
      currency: parsed.value.currency,
      minor_per_oz: parsed.value.minor_per_oz.toString(),
      source,
    };
    try {
      const done = await call<Pending>('POST', '/prices', body);
      onChange({
        text: `fixing of ${date} proposed (#${done.pending_approval}); a supervisor approves it below`,
        refused: false,
      });
    } catch (reason) {
      onChange({ text: `the fixing of ${date} was refused: ${describeError(reason)}`, refused: true });
    }
  };
  return (
    <form className="inline" onSubmit={(event) => event.preventDefault()}>
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
      <button type="button" onClick={enter} disabled={price === '' || source === ''}>
        Propose the fixing
      </button>
      {dialog}
    </form>
  );
}

function FixingImport({ onChange }: { onChange: Changed }) {
  const [dialog, ask] = useConfirm();
  const upload = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    const json = file.name.toLowerCase().endsWith('.json');
    const answer = await ask({
      title: `Import ${file.name}`,
      lines: [
        `Propose the GBP fixings of ${file.name} (${file.size.toLocaleString('en-GB')} bytes,`,
        `${json ? 'the LBMA feed' : 'a CSV of date,currency,price'}); fixings already recorded are left as they are.`,
        'They count only once a supervisor other than you approves them.',
      ],
      verb: 'Propose the fixings',
    });
    // The same file may be chosen again, after a Cancel or a refusal.
    input.value = '';
    if (!answer.confirmed) return;
    try {
      const done = await call<FixingsProposed>(
        'POST',
        `/prices/import${query({ format: json ? 'lbma' : 'csv', currency: 'GBP', source: file.name })}`,
        await file.text(),
        { contentType: json ? 'application/json' : 'text/csv' },
      );
      const waiting =
        done.pending_approval === null
          ? 'nothing to propose'
          : `${done.proposed} fixings proposed (#${done.pending_approval}), waiting for a supervisor’s approval`;
      onChange({ text: `${file.name}: ${waiting}, ${done.unchanged} already recorded`, refused: false });
    } catch (reason) {
      onChange({ text: `${file.name}: refused: ${describeError(reason)}`, refused: true });
    }
  };
  return (
    <div>
      <label>
        Import the LBMA feed (JSON) or a CSV (date,currency,price){' '}
        <input type="file" accept=".json,.csv,text/csv,application/json" onChange={(e) => upload(e.target)} />
      </label>
      {dialog}
    </div>
  );
}

/** Fixings entered by hand or imported wait here for a second user (four eyes). */
function PendingFixings({ round, onChange }: { round: number; onChange: Changed }) {
  const desk = useDesk();
  const [dialog, ask] = useConfirm();
  const pending = useLoad(
    () => call<Approval[]>('GET', `/approvals${query({ status: 'pending' })}`),
    [round],
  );
  const fixings = (pending.data ?? []).filter((a) => a.action === 'record_fixing');
  const me = desk.session.user.id;
  const supervisor = desk.session.user.role === 'depository_supervisor';
  const decide = async (approval: Approval, verdict: 'approve' | 'decline') => {
    const approving = verdict === 'approve';
    const answer = await ask({
      title: `${approving ? 'Approve' : 'Decline'} #${approval.id}: ${approval.subject}`,
      lines: [
        ...approval.account,
        approving
          ? 'Approving records these fixings: acceptances and settlements are priced by them.'
          : 'Declining records nothing; the proposer is told the reason.',
      ],
      verb: approving ? 'Approve' : 'Decline',
      ...(approving ? {} : { reason: 'Reason for declining' }),
    });
    if (!answer.confirmed) return;
    try {
      // An approval names the digest of the account shown, so only what was seen is approved.
      const body = approving ? { digest: approval.digest } : { reason: answer.reason };
      await call('POST', `/approvals/${approval.id}/${verdict}`, body);
      onChange({
        text: `#${approval.id} ${approval.subject}: ${approving ? 'approved and recorded' : 'declined'}`,
        refused: false,
      });
    } catch (reason) {
      onChange({ text: `#${approval.id}: ${verdict} refused: ${describeError(reason)}`, refused: true });
    }
  };
  if (fixings.length === 0) return null;
  return (
    <>
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
                {supervisor && a.maker_user_id !== me && (
                  <button type="button" onClick={() => decide(a, 'approve')}>
                    Approve
                  </button>
                )}{' '}
                {/* Its maker withdraws it, a supervisor declines it; other operators have no say. */}
                {(supervisor || a.maker_user_id === me) && (
                  <button type="button" onClick={() => decide(a, 'decline')}>
                    {a.maker_user_id === me ? 'Withdraw' : 'Decline'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dialog}
    </>
  );
}

export function Fixings() {
  const desk = useDesk();
  const [currency, setCurrency] = useState<Currency>('GBP');
  const notices = useNotices();
  const fixings = useLoad(() => call<Fixing[]>('GET', `/prices${query({ currency })}`), [currency]);
  const rows = fixings.data ?? [];
  const [round, setRound] = useState(0);
  const changed = (notice: NoticeText) => {
    notices.add(notice);
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
      <NoticeList notices={notices.shown} onDismiss={notices.dismiss} />
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
