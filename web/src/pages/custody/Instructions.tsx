// Instructions at the client's disposal. A client bank drafts a release, transfer or shipment and
// its signatories sign it; the depository reviews what is signed: accepts or rejects, executes a
// release with the hand-over record or a transfer, quotes, dispatches and confirms a shipment; the
// client accepts or declines the quote. Each step asks first; what waits for a second user is
// shown on its row and approved on the Approvals tab.
import { useState } from 'react';
import { call, query } from '../../api.ts';
import { useDesk } from '../../desk.ts';
import { useLoad } from '../../hooks.ts';
import type { Approval, InstructionSummary } from '../../types.ts';
import { InstructionDraft } from './InstructionDraft.tsx';
import { InstructionRow, type Waiting } from './InstructionRow.tsx';
import { useRowNotices } from './notices.tsx';
import { useRepresentatives } from './representatives-read.ts';
import { approvalEvent, approvalInstruction } from './terms.ts';
import './custody.css';

/** States in which the depository has something to do. */
const REVIEWABLE = ['signed', 'accepted', 'quote_declined', 'quote_accepted', 'in_transit'];

function waitingByInstruction(approvals: readonly Approval[]): Map<string, Waiting[]> {
  const waiting = new Map<string, Waiting[]>();
  for (const approval of approvals) {
    const id = approvalInstruction(approval.payload);
    if (id === '') continue;
    const list = waiting.get(id) ?? [];
    list.push({ approval: approval.id, event: approvalEvent(approval.payload) });
    waiting.set(id, list);
  }
  return waiting;
}

export function Instructions() {
  const desk = useDesk();
  const notices = useRowNotices();
  const [round, setRound] = useState(0);
  const [selected, setSelected] = useState<string>();
  const [all, setAll] = useState(!desk.depository);
  const list = useLoad(() => call<InstructionSummary[]>('GET', '/instructions'), [round]);
  const pending = useLoad(
    () => call<Approval[]>('GET', `/approvals${query({ status: 'pending' })}`),
    [round],
  );
  const listed = useRepresentatives(round);
  const representatives = (listed.data ?? []).filter((r) => r.revoked_on === null);
  const waiting = waitingByInstruction(pending.data ?? []);
  const rows = (list.data ?? []).filter((r) => all || REVIEWABLE.includes(r.state) || r.id === selected);
  const done = () => setRound((r) => r + 1);
  return (
    <div className="instructions">
      {list.error && <p className="error">{list.error}</p>}
      {desk.session.user.role === 'client_signatory' && (
        <InstructionDraft
          onDrafted={(id) => {
            setSelected(id);
            done();
          }}
        />
      )}
      <h3>{desk.depository && !all ? 'Instructions awaiting review' : 'Instructions'}</h3>
      {desk.depository && (
        <label>
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> show closed ones
          too
        </label>
      )}
      <table className="grid">
        <tbody>
          {rows.map((r) => (
            <InstructionRow
              key={r.id}
              row={r}
              open={r.id === selected}
              onOpen={setSelected}
              round={round}
              waiting={waiting.get(r.id) ?? []}
              representatives={representatives}
              notices={notices}
              onDone={done}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
