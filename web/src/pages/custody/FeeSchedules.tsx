// Fee schedules: the terms in force for each client bank (agreed under four eyes, or the 1961
// terms until then); the depository's operators propose new terms here, after a confirmation
// stating them, and a supervisor approves them (here or on the Approvals tab).
import { useState } from 'react';
import { call, query } from '../../api.ts';
import { useConfirm } from '../../components/Confirm.tsx';
import { useDesk } from '../../desk.ts';
import { showAmount } from '../../format.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Approval, FeeScheduleInForce as InForce, Items, Pending } from '../../types.ts';
import { ApprovalRow } from './ApprovalRow.tsx';
import {
  type Currency,
  custodyFeeText,
  type FeeFields,
  type Schedule,
  scheduleLines,
  scheduleOf,
} from './fee-schedule-text.ts';
import { RowNotice, type RowNotices, useRowNotices } from './notices.tsx';
import './custody.css';

const NOTICE = 'fee-schedule';

function ScheduleTable({ items, date }: { items: readonly InForce[]; date: string }) {
  const money = (s: Schedule, minor: string) => showAmount(s.currency, minor, date);
  return (
    <table className="grid fee-schedules">
      <thead>
        <tr>
          <th>Bank</th>
          <th>Agreement</th>
          <th>Custody fee</th>
          <th>Handling: release, transfer, shipment</th>
          <th>Shipment costs</th>
          <th>Agreed</th>
        </tr>
      </thead>
      <tbody>
        {items.map(({ party_id, party_name, source, schedule, made_by, checked_by }) => (
          <tr key={party_id} data-party={party_id}>
            <td>
              {party_id}
              <br />
              <small>{party_name}</small>
            </td>
            <td>
              {schedule.agreement_id} ({schedule.currency})
            </td>
            <td>{custodyFeeText(schedule, date)}</td>
            <td>
              {money(schedule, schedule.handling_per_release_minor)},{' '}
              {money(schedule, schedule.handling_per_transfer_minor)},{' '}
              {money(schedule, schedule.handling_per_shipment_minor)}
            </td>
            <td>the {schedule.shipment_costs_payer}</td>
            <td className="source">
              {source === 'agreed'
                ? `by ${made_by}, approved by ${checked_by ?? '—'}`
                : 'the 1961 terms, until a schedule is agreed'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ProposeForm({
  parties,
  notices,
  ask,
  onProposed,
}: {
  parties: readonly string[];
  notices: RowNotices;
  ask: ReturnType<typeof useConfirm>[1];
  onProposed: () => void;
}) {
  const desk = useDesk();
  const blank: FeeFields = {
    party: parties[0] ?? '',
    agreement: '',
    currency: 'GBP',
    custody: 'none',
    custody_value: '',
    release: '',
    transfer: '',
    shipment: '',
    payer: 'client',
  };
  const [fields, setFields] = useState<FeeFields>(blank);
  const set = (change: Partial<FeeFields>) => setFields((now) => ({ ...now, ...change }));
  const read = scheduleOf(fields);
  const propose = async () => {
    if (!read.ok) return notices.refuse(NOTICE, `Not proposed: ${read.reason}`);
    const answer = await ask({
      title: `Propose a fee schedule for ${fields.party}`,
      lines: [
        ...scheduleLines(fields.party, read.schedule, desk.date),
        'It replaces the schedule in force once a supervisor approves it; charges already made stay.',
      ],
      verb: 'Propose',
    });
    if (!answer.confirmed) return;
    try {
      const done = await call<Pending>('POST', '/fee-schedules', {
        party_id: fields.party,
        ...read.schedule,
      });
      notices.succeed(
        NOTICE,
        `Fee schedule of ${fields.party} proposed: approval #${done.pending_approval} waits for a supervisor`,
      );
      setFields(blank);
    } catch (reason) {
      notices.refuse(NOTICE, `Not proposed: ${describeError(reason)}`);
    }
    onProposed();
  };
  const text = (name: keyof FeeFields, label: string, placeholder: string) => (
    <label>
      {label}{' '}
      <input
        name={`fee_${name}`}
        value={fields[name]}
        placeholder={placeholder}
        onChange={(e) => set({ [name]: e.target.value })}
      />
    </label>
  );
  return (
    <form className="custody-form fee-form" onSubmit={(e) => e.preventDefault()}>
      <h3>Propose a fee schedule</h3>
      <label>
        Bank{' '}
        <select name="fee_party" value={fields.party} onChange={(e) => set({ party: e.target.value })}>
          {parties.map((party) => (
            <option key={party}>{party}</option>
          ))}
        </select>
      </label>
      {text('agreement', 'Agreement', 'custody agreement of 1962')}
      <label>
        Currency{' '}
        <select
          name="fee_currency"
          value={fields.currency}
          onChange={(e) => set({ currency: e.target.value as Currency })}
        >
          <option>GBP</option>
          <option>USD</option>
          <option>EUR</option>
        </select>
      </label>
      <br />
      <label>
        Custody fee{' '}
        <select
          name="fee_custody"
          value={fields.custody}
          onChange={(e) => set({ custody: e.target.value as FeeFields['custody'] })}
        >
          <option value="none">none</option>
          <option value="rate_of_value">a rate of the value, per 10,000 a year</option>
          <option value="per_bar">a sum per bar a year</option>
        </select>
      </label>
      {fields.custody !== 'none' &&
        text('custody_value', fields.custody === 'per_bar' ? 'Per bar a year' : 'Per 10,000 a year', '')}
      <br />
      {text('release', 'Handling a release', '£0')}
      {text('transfer', 'a transfer', '£0')}
      {text('shipment', 'a shipment', '£0')}
      <label>
        Shipment costs borne by{' '}
        <select
          name="fee_payer"
          value={fields.payer}
          onChange={(e) => set({ payer: e.target.value === 'depository' ? 'depository' : 'client' })}
        >
          <option value="client">the client</option>
          <option value="depository">the depository</option>
        </select>
      </label>
      <br />
      <button type="button" onClick={propose}>
        Propose…
      </button>
      {!read.ok && fields.agreement !== '' && <span className="note"> {read.reason}</span>}
    </form>
  );
}

export function FeeSchedules() {
  const desk = useDesk();
  const [dialog, ask] = useConfirm();
  const notices = useRowNotices();
  const [round, setRound] = useState(0);
  const done = () => setRound((r) => r + 1);
  const listed = useLoad(() => call<Items<InForce>>('GET', '/fee-schedules'), [round]);
  const pending = useLoad(
    () => call<Approval[]>('GET', `/approvals${query({ status: 'pending' })}`),
    [round],
  );
  const proposals = (pending.data ?? []).filter((a) => a.action === 'set_fee_schedule');
  const operator = desk.session.user.role === 'depository_operator';
  const items = listed.data?.items ?? [];
  return (
    <div className="fee-schedules-page">
      {dialog}
      {listed.error && <p className="error">{listed.error}</p>}
      <ScheduleTable items={items} date={desk.date} />
      {desk.depository && (
        <>
          <h3>Waiting for a supervisor</h3>
          {proposals.length === 0 && <p>Nothing waits.</p>}
          <table className="grid">
            <tbody>
              {proposals.map((a) => (
                <ApprovalRow
                  key={a.id}
                  approval={a}
                  notices={notices}
                  ask={ask}
                  onDecided={(text) => {
                    notices.succeed(NOTICE, text);
                    done();
                  }}
                />
              ))}
            </tbody>
          </table>
        </>
      )}
      {operator && listed.data && (
        <ProposeForm
          parties={items.map((item) => item.party_id)}
          notices={notices}
          ask={ask}
          onProposed={done}
        />
      )}
      <RowNotice notices={notices} of={NOTICE} />
    </div>
  );
}
