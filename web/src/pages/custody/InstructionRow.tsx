// One instruction in the list and, when opened, under it: its account (what signing or accepting
// the quote binds the client to, with the charges and the cash before and after), the signatures,
// what waits for approval, the steps the user may take, its history and its remarks. Its notices
// stay beside it, keyed by its id.
import { call } from '../../api.ts';
import { useConfirm } from '../../components/Confirm.tsx';
import { useLoad } from '../../hooks.ts';
import type { InstructionShown, InstructionSummary } from '../../types.ts';
import { InstructionSteps } from './InstructionSteps.tsx';
import { RowNotice, type RowNotices } from './notices.tsx';
import { Remarks } from './Remarks.tsx';
import { type RepresentativeShown, termsOf } from './terms.ts';

/** An approval waiting on an instruction: its number and the event it would carry out. */
export interface Waiting {
  readonly approval: string;
  readonly event: string;
}

const COLUMNS = 5;

function Detail({
  id,
  round,
  waiting,
  representatives,
  notices,
  onDone,
}: {
  id: string;
  round: number;
  waiting: readonly Waiting[];
  representatives: readonly RepresentativeShown[];
  notices: RowNotices;
  onDone: () => void;
}) {
  const [dialog, ask] = useConfirm();
  const shown = useLoad(() => call<InstructionShown>('GET', `/instructions/${id}`), [id, round]);
  if (shown.error) return <p className="error">{shown.error}</p>;
  const data = shown.data;
  if (!data) return <p>Loading…</p>;
  const terms = termsOf(data.instruction);
  const usable = representatives.filter((r) => r.account_ids.includes(terms.source_account_id));
  return (
    <section className="instruction" data-instruction={id}>
      {dialog}
      <h3>
        {id}: {terms.kind}, <span className="state">{terms.state}</span>
      </h3>
      <p>
        Signed by {terms.signers.join(', ') || 'nobody yet'}
        {terms.quote && `; quote accepted by ${terms.quote_signers.join(', ') || 'nobody yet'}`}
      </p>
      <h4>What signing binds {terms.kind === 'shipment' ? 'and the quote costs ' : ''}the client to</h4>
      <pre className="account" data-digest={data.digest}>
        {data.account.join('\n')}
      </pre>
      <p className="digest">digest {data.digest}</p>
      {waiting.map((w) => (
        <p className="waiting" key={w.approval}>
          {w.event.replaceAll('_', ' ')} waits for a second user: approval #{w.approval}
        </p>
      ))}
      <InstructionSteps
        key={`${id} ${terms.state}`}
        shown={data}
        terms={terms}
        representatives={usable}
        waiting={waiting.map((w) => w.event)}
        notices={notices}
        ask={ask}
        onDone={onDone}
      />
      <ol className="history">
        {data.steps.map((s) => (
          <li key={s.number}>
            {s.date} {s.event} → {s.to_state} by {s.maker_user_id}
            {s.checker_user_id ? `, approved by ${s.checker_user_id}` : ''}
            {s.reason ? `: ${s.reason}` : ''}
          </li>
        ))}
      </ol>
      <Remarks key={id} id={id} remarks={data.remarks} notices={notices} onDone={onDone} />
    </section>
  );
}

export interface InstructionRowProps {
  readonly row: InstructionSummary;
  readonly open: boolean;
  readonly onOpen: (id: string | undefined) => void;
  readonly round: number;
  readonly waiting: readonly Waiting[];
  readonly representatives: readonly RepresentativeShown[];
  readonly notices: RowNotices;
  readonly onDone: () => void;
}

export function InstructionRow(props: InstructionRowProps) {
  const { row, open, onOpen, waiting, notices } = props;
  return (
    <>
      <tr data-row={row.id} className={open ? 'active' : ''}>
        <td>
          <button type="button" aria-expanded={open} onClick={() => onOpen(open ? undefined : row.id)}>
            {row.id}
          </button>
        </td>
        <td>{row.kind}</td>
        <td>{row.source_account_id}</td>
        <td>{row.state}</td>
        <td>
          {waiting.length > 0 ? `awaiting approval ${waiting.map((w) => `#${w.approval}`).join(', ')}` : ''}
        </td>
      </tr>
      <tr data-below={row.id} className="below">
        <td colSpan={COLUMNS}>
          <RowNotice notices={notices} of={row.id} />
          {open && (
            <Detail
              key={row.id}
              id={row.id}
              round={props.round}
              waiting={waiting}
              representatives={props.representatives}
              notices={notices}
              onDone={props.onDone}
            />
          )}
        </td>
      </tr>
    </>
  );
}
