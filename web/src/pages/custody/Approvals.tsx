// What waits for a second user (four eyes): instruction steps, representatives, signing rules,
// fee schedules, fixings. The maker may withdraw; another user of the right role approves.
import { useState } from 'react';
import { call, query } from '../../api.ts';
import { useDesk } from '../../desk.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Approval } from '../../types.ts';

export function Approvals() {
  const desk = useDesk();
  const [message, setMessage] = useState<string>();
  const [round, setRound] = useState(0);
  const pending = useLoad(
    () => call<Approval[]>('GET', `/approvals${query({ status: 'pending' })}`),
    [round],
  );
  const decide = async (approval: Approval, verdict: 'approve' | 'decline') => {
    try {
      // Approving sends the digest of the account shown on this row: the API approves exactly that.
      const body =
        verdict === 'decline'
          ? { reason: `declined by ${desk.session.user.id}` }
          : { digest: approval.digest };
      await call('POST', `/approvals/${approval.id}/${verdict}`, body);
      setMessage(`#${approval.id} ${approval.subject}: ${verdict === 'approve' ? 'approved' : 'declined'}`);
    } catch (reason) {
      setMessage(`#${approval.id}: ${describeError(reason)}`);
    }
    setRound((r) => r + 1);
  };
  const rows = pending.data ?? [];
  return (
    <div className="approvals">
      <h3>Approvals awaiting a second user</h3>
      {message && <p className="message">{message}</p>}
      {pending.error && <p className="error">{pending.error}</p>}
      {rows.length === 0 && <p>Nothing waits.</p>}
      <table className="grid">
        <tbody>
          {rows.map((a) => (
            <tr key={a.id} data-approval={a.id}>
              <td>#{a.id}</td>
              <td>
                {a.subject}
                <pre className="account" data-digest={a.digest ?? ''}>
                  {a.account.join('\n')}
                </pre>
                <small className="digest">digest {a.digest ?? 'none: decline and propose again'}</small>
              </td>
              <td>proposed by {a.maker_user_id}</td>
              <td>
                {a.maker_user_id !== desk.session.user.id && a.digest !== null && (
                  <button type="button" onClick={() => decide(a, 'approve')}>
                    Approve
                  </button>
                )}{' '}
                <button type="button" onClick={() => decide(a, 'decline')}>
                  {a.maker_user_id === desk.session.user.id ? 'Withdraw' : 'Decline'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
