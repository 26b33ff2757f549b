// What a client bank's signatory records of its treasury: accounts at correspondent banks, the
// balances they state, transfers under way (and their arrival or cancellation), and sums earmarked
// for other needs. Each form carries its own idempotency key, so a double click records once.
import { type FormEvent, type ReactNode, useState } from 'react';
import type { CurrencyCode } from '../../../../src/domain/money.ts';
import { call, newKey } from '../../api.ts';
import { useConfirm } from '../../components/Confirm.tsx';
import { useDesk } from '../../desk.ts';
import { readMoney } from '../../format.ts';
import { describeError } from '../../hooks.ts';
import type { Created, Currency, Recorded, TreasuryView } from '../../types.ts';

/** Tells the page what happened: a sentence, and whether it was refused. */
export type Done = (message: string, refused: boolean) => void;

/** Posts a form's request under the form's key; a new key once it is recorded. */
function useRecord(onDone: Done) {
  const [key, setKey] = useState(newKey);
  const [busy, setBusy] = useState(false);
  const record = async (label: string, path: string, body: unknown, says?: (id: string) => string) => {
    setBusy(true);
    try {
      const recorded = await call<Created | Recorded>('POST', path, body, { key });
      setKey(newKey());
      const text = says ? says(recorded.id) : `${label}: ${recorded.id} recorded`;
      const replayed = 'replayed' in recorded && recorded.replayed;
      onDone(`${text}${replayed ? ' (already recorded)' : ''}`, false);
      return true;
    } catch (reason) {
      // A refused request is not remembered: the same key may carry the corrected one.
      onDone(`${label} refused: ${describeError(reason)}`, true);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, record };
}

function Form(props: {
  name: string;
  title: string;
  busy: boolean;
  onSubmit: () => void;
  children: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };
  return (
    <form className="inline treasury-form" data-form={props.name} onSubmit={submit}>
      <strong>{props.title}</strong> {props.children}{' '}
      <button type="submit" disabled={props.busy}>
        Record
      </button>
    </form>
  );
}

/** Reads a typed sum in the given currency, or says why it cannot. */
function amountOf(text: string, currency: CurrencyCode, onDone: Done) {
  const read = readMoney(text, currency);
  if (!read.ok) {
    onDone(read.reason, true);
    return undefined;
  }
  return { currency: read.currency, minor: read.minor };
}

export function AddCorrespondent({ party, onDone }: { party: string; onDone: Done }) {
  const [id, setId] = useState('');
  const [bank, setBank] = useState('');
  const [currency, setCurrency] = useState<Currency>('USD');
  const [reference, setReference] = useState('');
  const { busy, record } = useRecord(onDone);
  const submit = () => {
    const body = { id: id.trim().toUpperCase(), bank, currency, account_reference: reference };
    record('Correspondent account', `/treasury/${party}/correspondents`, body);
  };
  return (
    <Form name="correspondent" title="Correspondent account" busy={busy} onSubmit={submit}>
      <input
        name="id"
        placeholder="Id, e.g. MNB-LONDON-USD"
        value={id}
        onChange={(e) => setId(e.target.value)}
      />
      <input name="bank" placeholder="Bank" value={bank} onChange={(e) => setBank(e.target.value)} />
      <select
        name="currency"
        aria-label="Currency"
        value={currency}
        onChange={(e) => setCurrency(e.target.value as Currency)}
      >
        <option>USD</option>
        <option>GBP</option>
        <option>EUR</option>
      </select>
      <input
        name="reference"
        placeholder="Account number (optional)"
        value={reference}
        onChange={(e) => setReference(e.target.value)}
      />
    </Form>
  );
}

export function RecordBalance({ view, onDone }: { view: TreasuryView; onDone: Done }) {
  const desk = useDesk();
  const [chosen, setChosen] = useState('');
  const [asOf, setAsOf] = useState(desk.date);
  const [text, setText] = useState('');
  const { busy, record } = useRecord(onDone);
  const correspondent = view.correspondents.find((c) => c.id === chosen) ?? view.correspondents[0];
  if (!correspondent) return null;
  const submit = () => {
    const amount = amountOf(text, correspondent.currency, onDone);
    if (!amount) return;
    const body = { correspondent_id: correspondent.id, as_of: asOf, amount };
    const says = () => `Balance of ${correspondent.id} as of ${asOf} recorded`;
    record(`Balance of ${correspondent.id}`, `/treasury/${view.party_id}/balances`, body, says);
  };
  return (
    <Form name="balance" title="Balance stated by" busy={busy} onSubmit={submit}>
      <select
        name="correspondent"
        aria-label="Correspondent account"
        value={correspondent.id}
        onChange={(e) => setChosen(e.target.value)}
      >
        {view.correspondents.map((c) => (
          <option key={c.id} value={c.id}>
            {c.id} ({c.currency})
          </option>
        ))}
      </select>{' '}
      as of{' '}
      <input
        type="date"
        name="as_of"
        aria-label="Balance as of"
        value={asOf}
        onChange={(e) => setAsOf(e.target.value)}
      />{' '}
      <input
        name="amount"
        placeholder={`e.g. ${correspondent.currency} 25,000,000`}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
    </Form>
  );
}

/** The places a transfer may leave from or go to, as options "c:ID", "a:ID" or "o:" (outside). */
function placeOptions(view: TreasuryView, outside: boolean) {
  return (
    <>
      {view.correspondents.map((c) => (
        <option key={`c:${c.id}`} value={`c:${c.id}`}>
          {c.bank} ({c.id}, {c.currency})
        </option>
      ))}
      {!outside &&
        view.depository.map((d) => (
          <option key={`a:${d.account_id}`} value={`a:${d.account_id}`}>
            {d.account_id} at the depository ({d.currency})
          </option>
        ))}
      {outside && <option value="o:">a payer outside…</option>}
    </>
  );
}

function transferEnds(from: string, payer: string, to: string) {
  const [fromKind, fromId] = [from.slice(0, 1), from.slice(2)];
  const [toKind, toId] = [to.slice(0, 1), to.slice(2)];
  return {
    ...(fromKind === 'o' ? { from_outside: payer } : { from_correspondent: fromId }),
    ...(toKind === 'a' ? { to_account: toId } : { to_correspondent: toId }),
  };
}

export function RecordTransfer({ view, onDone }: { view: TreasuryView; onDone: Done }) {
  const desk = useDesk();
  const first = view.correspondents[0] ? `c:${view.correspondents[0].id}` : 'o:';
  const [from, setFrom] = useState(first);
  const [payer, setPayer] = useState('');
  const [to, setTo] = useState(view.depository[0] ? `a:${view.depository[0].account_id}` : first);
  const [text, setText] = useState('');
  const [sentOn, setSentOn] = useState(desk.date);
  const [expectedOn, setExpectedOn] = useState(desk.date);
  const [note, setNote] = useState('');
  const { busy, record } = useRecord(onDone);
  const currencyAt = (place: string): CurrencyCode =>
    view.correspondents.find((c) => `c:${c.id}` === place)?.currency ??
    view.depository.find((d) => `a:${d.account_id}` === place)?.currency ??
    'GBP';
  const submit = () => {
    const amount = amountOf(text, currencyAt(from.startsWith('o') ? to : from), onDone);
    if (!amount) return;
    const body = {
      amount,
      ...transferEnds(from, payer, to),
      sent_on: sentOn,
      expected_on: expectedOn,
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    record('Transfer', `/treasury/${view.party_id}/transfers`, body);
  };
  return (
    <Form name="transfer" title="Transfer of" busy={busy} onSubmit={submit}>
      <input
        name="amount"
        placeholder="e.g. USD 8,000,000"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />{' '}
      from{' '}
      <select name="from" aria-label="From" value={from} onChange={(e) => setFrom(e.target.value)}>
        {placeOptions(view, true)}
      </select>
      {from === 'o:' && (
        <input name="payer" placeholder="Payer" value={payer} onChange={(e) => setPayer(e.target.value)} />
      )}{' '}
      to{' '}
      <select name="to" aria-label="To" value={to} onChange={(e) => setTo(e.target.value)}>
        {placeOptions(view, false)}
      </select>{' '}
      sent{' '}
      <input
        type="date"
        name="sent_on"
        aria-label="Sent on"
        value={sentOn}
        onChange={(e) => setSentOn(e.target.value)}
      />{' '}
      expected{' '}
      <input
        type="date"
        name="expected_on"
        aria-label="Expected on"
        value={expectedOn}
        onChange={(e) => setExpectedOn(e.target.value)}
      />{' '}
      <input
        name="note"
        placeholder="Note (optional)"
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
    </Form>
  );
}

export function RecordEarmark({ party, onDone }: { party: string; onDone: Done }) {
  const desk = useDesk();
  const [text, setText] = useState('');
  const [purpose, setPurpose] = useState('');
  const [from, setFrom] = useState(desk.date);
  const [until, setUntil] = useState(`${desk.date.slice(0, 4)}-12-31`);
  const { busy, record } = useRecord(onDone);
  const submit = () => {
    const amount = amountOf(text, 'USD', onDone);
    if (!amount) return;
    record('Earmark', `/treasury/${party}/earmarks`, { amount, purpose, from, until });
  };
  return (
    <Form name="earmark" title="Earmark" busy={busy} onSubmit={submit}>
      <input
        name="amount"
        placeholder="e.g. USD 13,000,000"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />{' '}
      for{' '}
      <input
        name="purpose"
        placeholder="Purpose"
        value={purpose}
        onChange={(e) => setPurpose(e.target.value)}
      />{' '}
      from{' '}
      <input
        type="date"
        name="from"
        aria-label="Earmarked from"
        value={from}
        onChange={(e) => setFrom(e.target.value)}
      />{' '}
      until{' '}
      <input
        type="date"
        name="until"
        aria-label="Earmarked until"
        value={until}
        onChange={(e) => setUntil(e.target.value)}
      />
    </Form>
  );
}

/**
 * A step on a record already made (arrived, cancelled, released), dated the business date: it asks
 * first in the desk's confirmation, stating the record in words and figures.
 */
export function Step(props: {
  label: string;
  says: string;
  path: string;
  onDone: Done;
  /** What the step does to the record, for its confirmation. */
  lines: readonly string[];
}) {
  const desk = useDesk();
  const [busy, setBusy] = useState(false);
  const [key] = useState(newKey);
  const [dialog, ask] = useConfirm();
  const run = async () => {
    const answer = await ask({
      title: `${props.label}: ${props.says.split(' ')[0]}`,
      lines: [...props.lines, `Dated ${desk.date}, the business date.`],
      verb: props.label,
    });
    if (!answer.confirmed) return;
    setBusy(true);
    try {
      await call('POST', props.path, { date: desk.date }, { key });
      props.onDone(`${props.says} on ${desk.date}`, false);
    } catch (reason) {
      props.onDone(`${props.says}: refused: ${describeError(reason)}`, true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" disabled={busy} onClick={run}>
        {props.label}
      </button>
      {dialog}
    </>
  );
}
