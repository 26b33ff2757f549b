// The authorized representatives who may collect a bank's gold: their authority and limits, the
// proposals (to register or revoke one) waiting for a second signatory, and the forms to propose.
import { useState } from 'react';
import { call, query } from '../../api.ts';
import { useConfirm } from '../../components/Confirm.tsx';
import { useDesk } from '../../desk.ts';
import { showWeight } from '../../format.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Approval, Pending } from '../../types.ts';
import { ApprovalRow } from './ApprovalRow.tsx';
import { RowNotice, useRowNotices } from './notices.tsx';
import { RepresentativeForm } from './RepresentativeForm.tsx';
import { representativeLines } from './representative-lines.ts';
import { remainingOf, useRepresentatives } from './representatives-read.ts';
import type { RepresentativeShown } from './terms.ts';
import './custody.css';

const ACTIONS = ['register_representative', 'revoke_representative'];

export function Representatives() {
  const desk = useDesk();
  const [dialog, ask] = useConfirm();
  const notices = useRowNotices();
  const [round, setRound] = useState(0);
  const done = () => setRound((r) => r + 1);
  const listed = useRepresentatives(round);
  const pending = useLoad(
    () => call<Approval[]>('GET', `/approvals${query({ status: 'pending' })}`),
    [round],
  );
  const proposals = (pending.data ?? []).filter((a) => ACTIONS.includes(a.action));
  const signatory = desk.session.user.role === 'client_signatory';
  const revoke = async (representative: RepresentativeShown) => {
    const answer = await ask({
      title: `Revoke ${representative.id}`,
      lines: [
        ...representativeLines(representative),
        `Revoked from ${desk.date}: from then it collects nothing.`,
        'A second signatory approves the revocation.',
      ],
      verb: 'Propose revocation',
    });
    if (!answer.confirmed) return;
    try {
      const proposed = await call<Pending>(
        'POST',
        `/representatives/${encodeURIComponent(representative.id)}/revoke`,
        { revoked_on: desk.date },
      );
      notices.succeed(
        representative.id,
        `revocation of ${representative.id}: approval #${proposed.pending_approval} waits`,
      );
    } catch (reason) {
      notices.refuse(representative.id, `${representative.id} not revoked: ${describeError(reason)}`);
    }
    done();
  };
  return (
    <div className="representatives">
      {dialog}
      <h3>Authorized representatives</h3>
      {listed.error && <p className="error">{listed.error}</p>}
      <table className="grid">
        <thead>
          <tr>
            <th>Id</th>
            <th>Name and identity document</th>
            <th>Authority</th>
            <th>Accounts</th>
            <th>Limit in all</th>
            <th>Received so far</th>
            <th>Registered</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(listed.data ?? []).map((r) => (
            <tr key={r.id} data-representative={r.id}>
              <td>{r.id}</td>
              <td>
                {r.name}
                <br />
                <small>{r.identity_document}</small>
                <RowNotice notices={notices} of={r.id} />
              </td>
              <td>
                {r.authority_valid_from} to {r.authority_valid_until}
                {r.revoked_on && `, revoked from ${r.revoked_on}`}
              </td>
              <td>{r.account_ids.join(', ')}</td>
              <td>{r.limit_fine_milli_oz === null ? 'none' : showWeight(r.limit_fine_milli_oz)}</td>
              <td className="received">
                {r.received_fine_milli_oz === null ? '…' : showWeight(r.received_fine_milli_oz)}
                {remainingOf(r) !== undefined && (
                  <>
                    <br />
                    <small>{showWeight((remainingOf(r) ?? 0n).toString())} left</small>
                  </>
                )}
              </td>
              <td>
                by {r.made_by}, approved by {r.checked_by}
              </td>
              <td>
                {signatory && r.revoked_on === null && (
                  <button type="button" onClick={() => revoke(r)}>
                    Revoke…
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Waiting for a second signatory</h3>
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
                notices.succeed('propose', text);
                done();
              }}
            />
          ))}
        </tbody>
      </table>
      {signatory && <RepresentativeForm ask={ask} notices={notices} onProposed={done} />}
      <RowNotice notices={notices} of="propose" />
    </div>
  );
}
