// The thread of dated remarks on an instruction, written by both banks; nothing is ever edited.
// A remark is added by its button only: Enter in the text starts a new line, never sends it.
import { useState } from 'react';
import { call } from '../../api.ts';
import { useDesk } from '../../desk.ts';
import { describeError } from '../../hooks.ts';
import type { Remark } from '../../types.ts';
import type { RowNotices } from './notices.tsx';

const WRITERS = ['client_signatory', 'depository_operator', 'depository_supervisor'];

export function Remarks({
  id,
  remarks,
  notices,
  onDone,
}: {
  id: string;
  remarks: readonly Remark[];
  notices: RowNotices;
  onDone: () => void;
}) {
  const desk = useDesk();
  const [text, setText] = useState('');
  const add = async () => {
    if (text.trim() === '') return notices.refuse(id, `${id}: write the remark first`);
    try {
      await call('POST', `/instructions/${id}/remarks`, { text: text.trim(), date: desk.date });
      setText('');
      notices.succeed(id, `remark added to ${id}`);
    } catch (reason) {
      notices.refuse(id, `${id}: remark refused: ${describeError(reason)}`);
    }
    onDone();
  };
  return (
    <div className="remarks-thread">
      <h4>Remarks</h4>
      <ul className="remarks">
        {remarks.map((r) => (
          <li key={r.sequence}>
            {r.written_on} {r.author_user_id}: {r.text}
          </li>
        ))}
      </ul>
      {WRITERS.includes(desk.session.user.role) && (
        <div>
          <textarea
            name="remark"
            rows={2}
            cols={60}
            value={text}
            placeholder="a remark"
            onChange={(e) => setText(e.target.value)}
          />{' '}
          <button type="button" onClick={add}>
            Add remark
          </button>
        </div>
      )}
    </div>
  );
}
