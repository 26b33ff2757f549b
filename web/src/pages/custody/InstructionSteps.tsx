// The steps the signed-in user may take on an instruction, by role, kind and state. Each opens a
// confirmation showing the instruction's account (what the approver and the signatories see) and
// what the step adds (a quote, a hand-over); cancel, reject, fail, decline and return ask a reason.
import { useState } from 'react';
import { call, newKey } from '../../api.ts';
import type { ConfirmAnswer, ConfirmRequest } from '../../components/Confirm.tsx';
import { useDesk } from '../../desk.ts';
import { readMoney, showAmount } from '../../format.ts';
import { describeError } from '../../hooks.ts';
import type { InstructionShown, StepDone } from '../../types.ts';
import type { RowNotices } from './notices.tsx';
import { type Proposal, ProposedBars, proposalLines, useProposal } from './proposal.tsx';
import { RepresentativeSelect } from './RepresentativeSelect.tsx';
import { representativeLines } from './representative-lines.ts';
import type { RepresentativeShown, Terms } from './terms.ts';

/** A step as a button: its path, its label, and what it adds to the body and to the account. */
interface Step {
  readonly path: string;
  readonly label: string;
  readonly body?: Record<string, unknown>;
  readonly lines?: readonly string[];
  readonly reason?: boolean;
  /** Why it cannot be taken yet (a field missing), shown instead of taking it. */
  readonly missing?: string;
}

export interface StepsProps {
  readonly shown: InstructionShown;
  readonly terms: Terms;
  readonly representatives: readonly RepresentativeShown[];
  /** The events of this instruction already waiting for a second user. */
  readonly waiting: readonly string[];
  readonly notices: RowNotices;
  readonly ask: (request: ConfirmRequest) => Promise<ConfirmAnswer>;
  readonly onDone: () => void;
}

const CANCELLABLE = ['drafted', 'signed', 'accepted', 'quoted', 'quote_declined'];

function clientSteps(terms: Terms, user: string): Step[] {
  const steps: Step[] = [];
  const { state } = terms;
  if (state === 'drafted' && !terms.signers.includes(user))
    steps.push({ path: 'sign', label: 'Sign', lines: ['Your signature binds the bank to the above.'] });
  if (state === 'quoted' && !terms.quote_signers.includes(user))
    steps.push({ path: 'accept-quote', label: 'Accept quote', lines: ['The charges above are debited.'] });
  if (state === 'quoted') steps.push({ path: 'decline-quote', label: 'Decline quote', reason: true });
  if (CANCELLABLE.includes(state)) steps.push({ path: 'cancel', label: 'Cancel instruction', reason: true });
  return steps;
}

interface DepositoryFields {
  readonly transport: string;
  readonly insurance: string;
  readonly valid_until: string;
  readonly representative: string;
  readonly identity_checked: boolean;
}

function quoteStep(fields: DepositoryFields, date: string): Step {
  const transport = readMoney(fields.transport, 'GBP');
  const insurance = readMoney(fields.insurance, 'GBP');
  if (!transport.ok) return { path: 'quote', label: 'Quote', missing: `transport: ${transport.reason}` };
  if (!insurance.ok) return { path: 'quote', label: 'Quote', missing: `insurance: ${insurance.reason}` };
  if (fields.valid_until === '') return { path: 'quote', label: 'Quote', missing: 'give the last day' };
  return {
    path: 'quote',
    label: 'Quote',
    body: {
      transport: { currency: transport.currency, minor: transport.minor },
      insurance: { currency: insurance.currency, minor: insurance.minor },
      valid_until: fields.valid_until,
    },
    lines: [
      `Quote: transport ${showAmount(transport.currency, transport.minor, date)}, insurance ` +
        `${showAmount(insurance.currency, insurance.minor, date)}, valid until ${fields.valid_until}`,
      'A supervisor approves the quote before the client sees it.',
    ],
  };
}

function executeStep(
  terms: Terms,
  fields: DepositoryFields,
  representatives: readonly RepresentativeShown[],
) {
  if (terms.kind !== 'release')
    return { path: 'execute', label: 'Execute', lines: ['A supervisor approves the execution.'] };
  const representative = representatives.find((r) => r.id === fields.representative);
  if (!representative) return { path: 'execute', label: 'Execute', missing: 'choose who collects' };
  if (!fields.identity_checked)
    return { path: 'execute', label: 'Execute', missing: 'check the identity document first' };
  return {
    path: 'execute',
    label: 'Execute',
    body: { representative_id: representative.id, identity_document_checked: true },
    lines: [
      `Hand-over to ${representative.id}, identity document checked at the vault:`,
      ...representativeLines(representative),
      'A supervisor approves the execution.',
    ],
  };
}

/** Accepting: the bars proposed for a quantity are reserved, exactly those the operator was shown. */
function acceptStep(proposal: Proposal | undefined, error: string | undefined): Step {
  const chosen = proposal?.proposed ? { bar_ids: proposal.bars.map((bar) => bar.id) } : undefined;
  return {
    path: 'accept',
    label: 'Accept',
    lines: [...proposalLines(proposal, error), 'The bars are reserved.'],
    ...(chosen ? { body: chosen } : {}),
  };
}

/** The bars shown with a step: before accepting, before executing or dispatching. */
const SHOWS_BARS = ['signed', 'accepted', 'quote_accepted'];

function depositorySteps(
  terms: Terms,
  fields: DepositoryFields,
  reps: readonly RepresentativeShown[],
  date: string,
  proposal: { data?: Proposal; error?: string },
) {
  const { state, kind } = terms;
  const steps: Step[] = [];
  const shipment = kind === 'shipment';
  if (state === 'signed') steps.push(acceptStep(proposal.data, proposal.error));
  if (state === 'signed' || state === 'quote_declined')
    steps.push({ path: 'reject', label: 'Reject', reason: true });
  if (shipment && (state === 'accepted' || state === 'quote_declined')) steps.push(quoteStep(fields, date));
  if (!shipment && state === 'accepted') steps.push(executeStep(terms, fields, reps));
  if ((!shipment && state === 'accepted') || state === 'quote_accepted')
    steps.push({ path: 'fail', label: 'Fail', reason: true });
  if (state === 'quote_accepted')
    steps.push({ path: 'dispatch', label: 'Dispatch', lines: ['The bars go in transit with the carrier.'] });
  if (state === 'in_transit') {
    steps.push({ path: 'deliver', label: 'Confirm delivery', lines: ['The bars are delivered out.'] });
    steps.push({ path: 'return', label: 'Report return', reason: true });
  }
  return steps;
}

/** The event each path proposes, to hide a step already waiting for approval. */
const EVENTS: Readonly<Record<string, string>> = {
  execute: 'execute',
  quote: 'quote',
  dispatch: 'dispatch',
  deliver: 'confirm_delivery',
  return: 'report_return',
};

export function InstructionSteps(props: StepsProps) {
  const { shown, terms, representatives, waiting, notices, ask, onDone } = props;
  const desk = useDesk();
  const { role, id: user } = desk.session.user;
  const [fields, setFields] = useState<DepositoryFields>({
    transport: '',
    insurance: '',
    valid_until: desk.date,
    representative: terms.representative_id,
    identity_checked: false,
  });
  const set = (change: Partial<DepositoryFields>) => setFields((now) => ({ ...now, ...change }));
  const depository = role === 'depository_operator' || role === 'depository_supervisor';
  const showsBars = depository && SHOWS_BARS.includes(terms.state);
  const proposal = useProposal(terms.id, showsBars);
  if (role !== 'client_signatory' && !depository) return null;
  const all =
    role === 'client_signatory'
      ? clientSteps(terms, user)
      : depositorySteps(terms, fields, representatives, desk.date, proposal);
  const steps = all.filter((step) => !waiting.includes(EVENTS[step.path] ?? ''));
  const take = async (step: Step) => {
    if (step.missing) return notices.refuse(terms.id, `${terms.id}: ${step.label}: ${step.missing}`);
    const answer = await ask({
      title: `${step.label}: ${terms.id}`,
      lines: [...shown.account, ...(step.lines ?? [])],
      verb: step.label,
      reason: step.reason ? 'Reason (the other bank reads it)' : undefined,
    });
    if (!answer.confirmed) return;
    const body: Record<string, unknown> = { date: desk.date, ...step.body };
    if (step.path === 'sign' || step.path === 'accept-quote') body.digest = shown.digest;
    if (step.reason) body.reason = answer.reason;
    try {
      const done = await call<StepDone>('POST', `/instructions/${terms.id}/${step.path}`, body, {
        key: newKey(),
      });
      notices.succeed(
        terms.id,
        done.pending_approval
          ? `${terms.id}: ${step.label.toLowerCase()} waits for a second user (approval #${done.pending_approval})`
          : `${terms.id} is now ${done.state}`,
      );
    } catch (reason) {
      notices.refuse(terms.id, `${terms.id}: ${step.label} refused: ${describeError(reason)}`);
    }
    onDone();
  };
  return (
    <div className="steps">
      {showsBars && <ProposedBars proposal={proposal.data} error={proposal.error} />}
      {depository && (
        <DepositoryFieldsShown terms={terms} fields={fields} set={set} representatives={representatives} />
      )}
      <div className="actions">
        {steps.map((step) => (
          <button type="button" key={step.path} onClick={() => take(step)}>
            {step.label}…
          </button>
        ))}
      </div>
    </div>
  );
}

function DepositoryFieldsShown({
  terms,
  fields,
  set,
  representatives,
}: {
  terms: Terms;
  fields: DepositoryFields;
  set: (change: Partial<DepositoryFields>) => void;
  representatives: readonly RepresentativeShown[];
}) {
  const quoting =
    terms.kind === 'shipment' && (terms.state === 'accepted' || terms.state === 'quote_declined');
  const handing = terms.kind === 'release' && terms.state === 'accepted';
  if (quoting) {
    return (
      <div className="step-fields">
        <label>
          Transport{' '}
          <input
            name="transport"
            value={fields.transport}
            placeholder="£2,500"
            onChange={(e) => set({ transport: e.target.value })}
          />
        </label>
        <label>
          Insurance{' '}
          <input
            name="quote_insurance"
            value={fields.insurance}
            placeholder="£1,200"
            onChange={(e) => set({ insurance: e.target.value })}
          />
        </label>
        <label>
          Valid until{' '}
          <input
            type="date"
            name="valid_until"
            value={fields.valid_until}
            onChange={(e) => set({ valid_until: e.target.value })}
          />
        </label>
      </div>
    );
  }
  if (!handing) return null;
  const chosen = representatives.find((r) => r.id === fields.representative);
  return (
    <div className="step-fields">
      <RepresentativeSelect
        label="Hand-over to"
        name="handover_representative"
        value={fields.representative}
        representatives={representatives}
        onChange={(representative) => set({ representative })}
      />
      {chosen && <span className="note">identity document: {chosen.identity_document}</span>}{' '}
      <label>
        <input
          type="checkbox"
          name="identity_checked"
          checked={fields.identity_checked}
          onChange={(e) => set({ identity_checked: e.target.checked })}
        />{' '}
        identity document checked
      </label>
    </div>
  );
}
