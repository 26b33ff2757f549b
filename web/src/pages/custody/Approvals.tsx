// What waits for a second user (four eyes): instruction steps, representatives, signing rules,
// fee schedules, fixings. The maker may withdraw; another user of the right role approves, after a
// confirmation showing the account of what approving does, whose digest is what is sent. Where
// approving one would void others (their accounts show a balance it moves), both rows say so.
import { useState } from 'react';
import { call, query } from '../../api.ts';
import { useConfirm } from '../../components/Confirm.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useLoad } from '../../hooks.ts';
import type { Approval } from '../../types.ts';
import { ApprovalRow } from './ApprovalRow.tsx';
import { useRowNotices } from './notices.tsx';
import './custody.css';

export function Approvals() {
  const [dialog, ask] = useConfirm();
  const notices = useRowNotices();
  const [decided, setDecided] = useState<string>();
  const [round, setRound] = useState(0);
  const pending = useLoad(
    () => call<Approval[]>('GET', `/approvals${query({ status: 'pending' })}`),
    [round],
  );
  const onDecided = (text: string) => {
    setDecided(text);
    setRound((r) => r + 1);
  };
  const rows = pending.data ?? [];
  // Approving one of them voids the others whose accounts show a balance it moves: say so on both.
  const voidedBy = (id: string) => rows.filter((other) => other.voids.includes(id)).map((other) => other.id);
  return (
    <div className="approvals">
      {dialog}
      <h3>Approvals awaiting a second user</h3>
      <Notice notice={decided ? { text: decided, refused: false } : undefined} onDismiss={() => undefined} />
      {pending.error && <p className="error">{pending.error}</p>}
      {rows.length === 0 && <p>Nothing waits.</p>}
      <table className="grid">
        <tbody>
          {rows.map((a) => (
            <ApprovalRow
              key={a.id}
              approval={a}
              voidedBy={voidedBy(a.id)}
              notices={notices}
              ask={ask}
              onDecided={onDecided}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
