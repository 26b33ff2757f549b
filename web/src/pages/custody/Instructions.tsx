// Instructions at the client's disposal. A client bank drafts a release, shipment or transfer and
// its signatories sign it; the depository reviews what is signed: accepts or rejects, executes a
// release with the hand-over record, quotes and dispatches a shipment, confirms delivery. Each
// instruction keeps a thread of dated remarks written by both banks.
import { type FormEvent, useState } from 'react';
import { call, query } from '../../api.ts';
import { useDesk } from '../../desk.ts';
import { readMoney, readQuantity } from '../../format.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { InstructionShown, InstructionSummary, StepDone } from '../../types.ts';

const REVIEWABLE = ['signed', 'accepted', 'quote_accepted', 'in_transit'];

function DraftForm({ onDone }: { onDone: (message: string) => void }) {
  const desk = useDesk();
  const [kind, setKind] = useState('release');
  const [account, setAccount] = useState(`${desk.session.user.party_id}-GOLD`);
  const [bars, setBars] = useState('');
  const [quantity, setQuantity] = useState('');
  const [representative, setRepresentative] = useState('');
  const [releaseOn, setReleaseOn] = useState(desk.date);
  const [destination, setDestination] = useState('');
  const [carrier, setCarrier] = useState('');
  const [insurance, setInsurance] = useState('');
  const [to, setTo] = useState('');
  const representatives = useLoad(() => call<{ id: string; name: string }[]>('GET', '/representatives'), []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = { kind, account, date: desk.date };
    if (bars.trim() !== '') body.bars = bars.split(',').map((b) => b.trim());
    else {
      const read = readQuantity(quantity);
      if (!read.ok) return onDone(`quantity: ${read.reason}`);
      body.quantity_fine_milli_oz = read.milli;
    }
    if (kind === 'release') Object.assign(body, { representative_id: representative, release_on: releaseOn });
    if (kind === 'transfer') body.to = to;
    if (kind === 'shipment') {
      const money = readMoney(insurance, 'GBP');
      if (!money.ok) return onDone(`insurance: ${money.reason}`);
      Object.assign(body, {
        destination,
        carrier,
        insurance: { currency: money.currency, minor: money.minor },
      });
    }
    try {
      const done = await call<{ instruction_id: string }>('POST', '/instructions', body);
      onDone(`${done.instruction_id} drafted; it needs the signatures`);
    } catch (reason) {
      onDone(describeError(reason));
    }
  };
  return (
    <form className="draft" onSubmit={submit}>
      <h3>Draft an instruction</h3>
      <label>
        Kind{' '}
        <select name="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="release">release to a representative</option>
          <option value="shipment">shipment</option>
          <option value="transfer">transfer</option>
        </select>
      </label>{' '}
      <label>
        From account <input name="account" value={account} onChange={(e) => setAccount(e.target.value)} />
      </label>
      <br />
      <label>
        Bars (ids){' '}
        <input name="bars" value={bars} placeholder="12, 15" onChange={(e) => setBars(e.target.value)} />
      </label>{' '}
      <label>
        or quantity{' '}
        <input
          name="quantity"
          value={quantity}
          placeholder="800 oz"
          onChange={(e) => setQuantity(e.target.value)}
        />
      </label>
      <br />
      {kind === 'release' && (
        <>
          <label>
            Representative{' '}
            <select
              name="representative"
              value={representative}
              onChange={(e) => setRepresentative(e.target.value)}
            >
              <option value="">—</option>
              {(representatives.data ?? []).map((r) => (
                <option key={r.id} value={r.id}>
                  {r.id}: {r.name}
                </option>
              ))}
            </select>
          </label>{' '}
          <label>
            On{' '}
            <input
              type="date"
              name="release_on"
              value={releaseOn}
              onChange={(e) => setReleaseOn(e.target.value)}
            />
          </label>
        </>
      )}
      {kind === 'transfer' && (
        <label>
          To account <input name="to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      )}
      {kind === 'shipment' && (
        <>
          <label>
            Destination{' '}
            <input name="destination" value={destination} onChange={(e) => setDestination(e.target.value)} />
          </label>{' '}
          <label>
            Carrier <input name="carrier" value={carrier} onChange={(e) => setCarrier(e.target.value)} />
          </label>{' '}
          <label>
            Insurance{' '}
            <input
              name="insurance"
              value={insurance}
              placeholder="£1,000,000"
              onChange={(e) => setInsurance(e.target.value)}
            />
          </label>
        </>
      )}
      <br />
      <button type="submit">Draft</button>
    </form>
  );
}

/** The buttons of the steps the signed-in user may take, with the few fields they need. */
function Steps({
  id,
  state,
  digest,
  onDone,
}: {
  id: string;
  state: string;
  /** The digest of the account shown above: what a signatory signs or accepts the quote of. */
  digest: string;
  onDone: (message: string) => void;
}) {
  const desk = useDesk();
  const role = desk.session.user.role;
  const [reason, setReason] = useState('');
  const [representative, setRepresentative] = useState('');
  const [checked, setChecked] = useState(false);
  const [transport, setTransport] = useState('');
  const [insurance, setInsurance] = useState('');
  const [validUntil, setValidUntil] = useState(desk.date);
  const take = async (path: string, extra: Record<string, unknown> = {}) => {
    try {
      const done = await call<StepDone>('POST', `/instructions/${id}/${path}`, { date: desk.date, ...extra });
      onDone(
        done.pending_approval
          ? `${id}: ${path} waits for a second user (approval #${done.pending_approval})`
          : `${id} is now ${done.state}`,
      );
    } catch (reason) {
      onDone(`${id}: ${describeError(reason)}`);
    }
  };
  const button = (path: string, label: string, extra?: () => Record<string, unknown> | undefined) => (
    <button
      type="button"
      key={path}
      onClick={() => {
        const body = extra ? extra() : {};
        if (body) take(path, body);
      }}
    >
      {label}
    </button>
  );
  const withReason = () => {
    if (reason.trim()) return { reason };
    onDone('give a reason');
    return undefined;
  };
  const money = (text: string, field: string) => {
    const read = readMoney(text, 'GBP');
    if (!read.ok) throw new Error(`${field}: ${read.reason}`);
    return { currency: read.currency, minor: read.minor };
  };
  if (role === 'client_signatory') {
    return (
      <div className="steps">
        {state === 'drafted' && button('sign', 'Sign what is shown', () => ({ digest }))}
        {state === 'quoted' && button('accept-quote', 'Accept quote as shown', () => ({ digest }))}
        {state === 'quoted' && button('decline-quote', 'Decline quote', withReason)}
        {['drafted', 'signed', 'accepted', 'quoted'].includes(state) &&
          button('cancel', 'Cancel', withReason)}{' '}
        <input placeholder="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
    );
  }
  if (role !== 'depository_operator') return null;
  return (
    <div className="steps">
      {state === 'signed' && button('accept', 'Accept')}
      {state === 'signed' && button('reject', 'Reject', withReason)}
      {state === 'signed' &&
        button('quote', 'Quote', () => {
          try {
            return {
              transport: money(transport, 'transport'),
              insurance: money(insurance, 'insurance'),
              valid_until: validUntil,
            };
          } catch (error) {
            onDone(describeError(error));
            return undefined;
          }
        })}
      {state === 'accepted' &&
        button('execute', 'Execute', () => ({
          representative_id: representative,
          identity_document_checked: checked,
        }))}
      {state === 'quote_accepted' && button('dispatch', 'Dispatch')}
      {state === 'in_transit' && button('deliver', 'Confirm delivery')}
      {state === 'in_transit' && button('return', 'Report return', withReason)}
      {state === 'accepted' && button('fail', 'Fail', withReason)}
      <div className="fields">
        <input placeholder="reason" value={reason} onChange={(e) => setReason(e.target.value)} />{' '}
        <label>
          Hand-over to{' '}
          <input
            name="handover_representative"
            placeholder="REP-1"
            value={representative}
            onChange={(e) => setRepresentative(e.target.value)}
          />
        </label>{' '}
        <label>
          <input
            type="checkbox"
            name="identity_checked"
            checked={checked}
            onChange={(e) => setChecked(e.target.checked)}
          />{' '}
          identity document checked
        </label>
        <br />
        <input placeholder="transport £" value={transport} onChange={(e) => setTransport(e.target.value)} />{' '}
        <input placeholder="insurance £" value={insurance} onChange={(e) => setInsurance(e.target.value)} />{' '}
        <input type="date" value={validUntil} onChange={(e) => setValidUntil(e.target.value)} />
      </div>
    </div>
  );
}

/** What the page shows of an instruction's terms, read from the record of unknowns the API sends. */
function termsOf(instruction: InstructionShown['instruction']) {
  const { state, details, signatures } = instruction;
  const kind =
    typeof details === 'object' && details !== null && 'kind' in details ? details.kind : undefined;
  const signers = Array.isArray(signatures)
    ? signatures.flatMap((s: unknown) =>
        typeof s === 'object' && s !== null && 'user_id' in s && typeof s.user_id === 'string'
          ? [s.user_id]
          : [],
      )
    : [];
  return { state: typeof state === 'string' ? state : '', kind: String(kind), signers };
}

function Detail({ id, round, onDone }: { id: string; round: number; onDone: (message: string) => void }) {
  const desk = useDesk();
  const shown = useLoad(() => call<InstructionShown>('GET', `/instructions/${id}`), [id, round]);
  const [text, setText] = useState('');
  const remark = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await call('POST', `/instructions/${id}/remarks`, { text, date: desk.date });
      setText('');
      onDone(`remark added to ${id}`);
    } catch (reason) {
      onDone(describeError(reason));
    }
  };
  if (shown.error) return <p className="error">{shown.error}</p>;
  const data = shown.data;
  if (!data) return <p>Loading…</p>;
  const terms = termsOf(data.instruction);
  const writes = ['client_signatory', 'depository_operator', 'depository_supervisor'].includes(
    desk.session.user.role,
  );
  return (
    <section className="instruction" data-instruction={id}>
      <h3>
        {id}: {terms.kind}, <span className="state">{terms.state}</span>
      </h3>
      <p>
        Signed by {terms.signers.join(', ') || 'nobody yet'}; bars: {data.bars.join(', ') || 'none yet'}
      </p>
      <h4>What signing binds {terms.kind === 'shipment' ? 'and the quote costs ' : ''}the client to</h4>
      <pre className="account" data-digest={data.digest}>
        {data.account.join('\n')}
      </pre>
      <p className="digest">digest {data.digest}</p>
      <Steps id={id} state={terms.state} digest={data.digest} onDone={onDone} />
      <ol className="history">
        {data.steps.map((s) => (
          <li key={s.number}>
            {s.date} {s.event} → {s.to_state} by {s.maker_user_id}
          </li>
        ))}
      </ol>
      <h4>Remarks</h4>
      <ul className="remarks">
        {data.remarks.map((r) => (
          <li key={r.sequence}>
            {r.written_on} {r.author_user_id}: {r.text}
          </li>
        ))}
      </ul>
      {writes && (
        <form onSubmit={remark}>
          <input
            name="remark"
            value={text}
            placeholder="a remark"
            onChange={(e) => setText(e.target.value)}
          />{' '}
          <button type="submit">Add remark</button>
        </form>
      )}
    </section>
  );
}

export function Instructions() {
  const desk = useDesk();
  const [message, setMessage] = useState<string>();
  const [round, setRound] = useState(0);
  const [selected, setSelected] = useState<string>();
  const [all, setAll] = useState(!desk.depository);
  const list = useLoad(() => call<InstructionSummary[]>('GET', `/instructions${query({})}`), [round]);
  const rows = (list.data ?? []).filter((r) => all || REVIEWABLE.includes(r.state));
  const done = (text: string) => {
    setMessage(text);
    setRound((r) => r + 1);
  };
  return (
    <div className="instructions">
      {message && <p className="message">{message}</p>}
      {list.error && <p className="error">{list.error}</p>}
      {desk.session.user.role === 'client_signatory' && <DraftForm onDone={done} />}
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
            <tr key={r.id} data-row={r.id} className={r.id === selected ? 'active' : ''}>
              <td>
                <button type="button" onClick={() => setSelected(r.id)}>
                  {r.id}
                </button>
              </td>
              <td>{r.kind}</td>
              <td>{r.source_account_id}</td>
              <td>{r.state}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {selected && <Detail id={selected} round={round} onDone={done} />}
    </div>
  );
}
