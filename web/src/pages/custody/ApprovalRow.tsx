// One approval waiting for a second user: what approving it does, line by line, and its digest.
// Approving opens a confirmation with those same lines and sends that digest; declining (or, for
// its maker, withdrawing) asks a reason. Refusals stay on the row until dismissed.
import { call } from '../../api.ts';
import type { ConfirmAnswer, ConfirmRequest } from '../../components/Confirm.tsx';
import { useDesk } from '../../desk.ts';
import { describeError } from '../../hooks.ts';
import type { Approval, Approved } from '../../types.ts';
import { RowNotice, type RowNotices } from './notices.tsx';

export interface ApprovalRowProps {
  readonly approval: Approval;
  /** The waiting approvals whose approval would void this one (none where none is listed beside it). */
  readonly voidedBy?: readonly string[];
  readonly notices: RowNotices;
  readonly ask: (request: ConfirmRequest) => Promise<ConfirmAnswer>;
  /** Called after a decision was recorded, with what to say about it. */
  readonly onDecided: (text: string) => void;
}

/** "#12 and #14", "#12". */
function numbers(ids: readonly string[]): string {
  const named = ids.map((id) => `#${id}`);
  return named.length < 2 ? named.join('') : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}

/** What approving it does to the others waiting: those whose accounts show a balance it moves. */
function voidsText(voids: readonly string[]): string | undefined {
  if (voids.length === 0) return undefined;
  const them = voids.length === 1 ? 'its account shows' : 'their accounts show';
  return `Approving it voids ${numbers(voids)}: ${them} a balance it moves, so ${voids.length === 1 ? 'it' : 'they'} must then be declined and proposed again.`;
}

/**
 * What approving this one does to the others waiting, and which of them would void it: one
 * sentence for those that void each other (they show the same balance), one for each way else.
 */
function VoidsNotes({ voids, voidedBy }: { voids: readonly string[]; voidedBy: readonly string[] }) {
  const mutual = voids.filter((id) => voidedBy.includes(id));
  const onlyVoids = voids.filter((id) => !mutual.includes(id));
  const onlyBy = voidedBy.filter((id) => !mutual.includes(id));
  return (
    <>
      {mutual.length > 0 && (
        <p className="voids">
          This and {numbers(mutual)} show the same balance: approving one voids the other, which must then be
          declined and proposed again.
        </p>
      )}
      {onlyVoids.length > 0 && <p className="voids">{voidsText(onlyVoids)}</p>}
      {onlyBy.length > 0 && (
        <p className="voided-by">
          Approving {numbers(onlyBy)} would void this one: the balance it shows would move.
        </p>
      )}
    </>
  );
}

export function ApprovalRow({ approval, voidedBy = [], notices, ask, onDecided }: ApprovalRowProps) {
  const desk = useDesk();
  const key = `approval-${approval.id}`;
  const mine = approval.maker_user_id === desk.session.user.id;
  const digest = approval.digest;
  const approve = async () => {
    if (digest === null) return;
    const voids = voidsText(approval.voids);
    const answer = await ask({
      title: `Approve #${approval.id}: ${approval.subject}`,
      lines: [
        ...approval.account,
        '',
        `Digest of what you approve: ${digest}`,
        ...(voids ? ['', voids] : []),
      ],
      verb: 'Approve',
    });
    if (!answer.confirmed) return;
    try {
      const done = await call<Approved>('POST', `/approvals/${approval.id}/approve`, { digest });
      onDecided(`#${approval.id} ${approval.subject}: approved and carried out${enrolmentOf(done.outcome)}`);
    } catch (reason) {
      notices.refuse(key, `#${approval.id} not approved: ${describeError(reason)}`);
    }
  };
  const decline = async () => {
    const verb = mine ? 'Withdraw' : 'Decline';
    const answer = await ask({
      title: `${verb} #${approval.id}: ${approval.subject}`,
      lines: [...approval.account, '', 'Nothing of it is carried out.'],
      verb,
      reason: 'Reason',
    });
    if (!answer.confirmed) return;
    try {
      await call('POST', `/approvals/${approval.id}/decline`, { reason: answer.reason });
      onDecided(`#${approval.id} ${approval.subject}: ${mine ? 'withdrawn' : 'declined'}`);
    } catch (reason) {
      notices.refuse(key, `#${approval.id} not declined: ${describeError(reason)}`);
    }
  };
  return (
    <tr data-approval={approval.id}>
      <td>#{approval.id}</td>
      <td>
        {approval.subject}
        <pre className="account" data-digest={digest ?? ''}>
          {approval.account.join('\n')}
        </pre>
        <small className="digest">
          digest{' '}
          {digest ??
            (approval.account.some((line) => / withheld: /.test(line))
              ? 'withheld: its account names bars you are not cleared to read; a cleared user approves it'
              : 'none: decline and propose again')}
        </small>
        <VoidsNotes voids={approval.voids} voidedBy={voidedBy} />
        <RowNotice notices={notices} of={key} />
      </td>
      <td>proposed by {approval.maker_user_id}</td>
      <td className="actions">
        {!mine && digest !== null && (
          <button type="button" onClick={approve}>
            Approve…
          </button>
        )}
        <button type="button" onClick={decline}>
          {mine ? 'Withdraw…' : 'Decline…'}
        </button>
      </td>
    </tr>
  );
}

/**
 * A new user's one-time enrolment secret, shown once to the approver who hands it over: the books
 * keep no copy, so this sentence is the only place it appears.
 */
function enrolmentOf(outcome: unknown): string {
  if (outcome === null || typeof outcome !== 'object') return '';
  const secret = 'enrolment_secret_part' in outcome ? outcome.enrolment_secret_part : undefined;
  const until = 'enrolment_expires_at' in outcome ? outcome.enrolment_expires_at : undefined;
  if (typeof secret !== 'string') return '';
  const by = typeof until === 'string' ? ` (good until ${until.slice(0, 10)})` : '';
  return `. Hand the new user the second part of its one-time enrolment secret, out of band (its proposer hands over the first): ${secret}${by}`;
}
