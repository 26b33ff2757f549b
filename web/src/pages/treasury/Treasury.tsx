// The treasury of a client bank on the business date: per currency, what it holds at correspondent
// banks and at the depository and has under way, less what open trades set aside and what is
// earmarked for other needs, and so what is left for gold, in sterling at the rates the user
// states. The server reckons every figure by the core's rules; signatories record what it rests on.
import { useState } from 'react';
import { affordableWeight } from '../../../../src/domain/money.ts';
import { call, query } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { useDesk } from '../../desk.ts';
import { showAmount, showPrice, showWeight } from '../../format.ts';
import { useLoad } from '../../hooks.ts';
import type { Fixing, TreasuryLine, TreasuryPlace, TreasuryView } from '../../types.ts';
import {
  AddCorrespondent,
  type Done,
  RecordBalance,
  RecordEarmark,
  RecordTransfer,
  Step,
} from './treasury-forms.tsx';

const RATE = /^[0-9]{1,6}(\.[0-9]{1,10})?$/;
const ROWS: readonly [keyof TreasuryLine, string, boolean][] = [
  ['at_correspondents', 'At correspondent banks', false],
  ['at_depository', 'At the depository', false],
  ['under_way', 'Transfers under way', false],
  ['set_aside', 'Set aside for open trades', true],
  ['earmarked', 'Earmarked for other needs', true],
];
const BASIS: Record<string, string> = {
  budget: 'the sum accepted',
  price_paid: 'the price paid on a later value date',
  estimate: 'estimated at the fixing of',
  unpriced: 'no fixing yet to price it by',
};

/** A rate typed by the user, kept for the next visit (it is the user's own, not the books'). */
function useRate(currency: string): [string, (text: string) => void] {
  const name = `ingot.rate.${currency}`;
  const [text, setText] = useState(() => window.localStorage.getItem(name) ?? '');
  return [
    text,
    (next) => {
      setText(next);
      window.localStorage.setItem(name, next);
    },
  ];
}

function Position({ view }: { view: TreasuryView }) {
  const cell = (line: TreasuryLine, key: keyof TreasuryLine, minus: boolean) => {
    const value = line[key] ?? '0';
    return (
      <Amount unit={line.currency} minor={minus && value !== '0' ? `-${value}` : value} date={view.date} />
    );
  };
  return (
    <table className="grid position">
      <thead>
        <tr>
          <th>{view.date}</th>
          {view.currencies.map((c) => (
            <th key={c.currency} className="num">
              {c.currency}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {ROWS.map(([key, label, minus]) => (
          <tr key={key} data-row={key}>
            <td>{label}</td>
            {view.currencies.map((c) => (
              <td key={c.currency}>{cell(c, key, minus)}</td>
            ))}
          </tr>
        ))}
        <tr className="total" data-row="left">
          <td>Left for gold</td>
          {view.currencies.map((c) => (
            <td key={c.currency}>{cell(c, 'left', false)}</td>
          ))}
        </tr>
        <tr data-row="left_in_sterling">
          <td>in sterling</td>
          {view.currencies.map((c) => (
            <td key={c.currency}>
              {c.left_in_sterling === null
                ? '—'
                : cell({ ...c, currency: 'GBP', left: c.left_in_sterling }, 'left', false)}
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}

function Sterling({ view, fixing }: { view: TreasuryView; fixing: Fixing | undefined }) {
  if (!view.sterling) return <p className="note sterling">{view.sterling_refusal?.message}</p>;
  const total = BigInt(view.sterling.total);
  const rates = Object.entries(view.sterling.rates).map(([c, r]) => `${c} ${r} per £`);
  const price = fixing ? { currency: 'GBP' as const, minor_per_oz: BigInt(fixing.minor_per_oz) } : undefined;
  const buys =
    price && fixing && total > 0n
      ? affordableWeight({ currency: 'GBP', minor: total }, price, fixing.date)
      : 0n;
  return (
    <p className="sterling">
      Left for gold, in sterling: <strong>{showAmount('GBP', view.sterling.total, view.date)}</strong>
      {rates.length > 0 && ` (at ${rates.join(', ')}; each rounded down to the coin)`}.
      {fixing &&
        total > 0n &&
        ` At the fixing of ${fixing.date} (${showPrice('GBP', fixing.minor_per_oz, fixing.date)} per fine oz) it buys about ${showWeight(buys.toString())}.`}
    </p>
  );
}

function placeName(place: TreasuryPlace): string {
  if (place.kind === 'depository') return `${place.name} at the depository`;
  return place.kind === 'outside' ? `${place.name} (outside)` : place.name;
}

/** Every balance the correspondent stated up to the date, the latest last, with who recorded it. */
function history(c: TreasuryView['correspondents'][number], date: string): string {
  return c.history
    .map((h) => `${h.as_of}: ${showAmount(c.currency, h.minor, date)} (recorded by ${h.recorded_by})`)
    .join('\n');
}

function Correspondents({ view }: { view: TreasuryView }) {
  if (view.correspondents.length === 0) return <p className="note">No correspondent accounts recorded.</p>;
  return (
    <table className="grid correspondents">
      <thead>
        <tr>
          <th>Account</th>
          <th>Bank</th>
          <th className="num">Stated balance</th>
          <th>As of</th>
          <th className="num">Sent since</th>
          <th className="num">Arrived since</th>
          <th className="num">On {view.date}</th>
        </tr>
      </thead>
      <tbody>
        {view.correspondents.map((c) => (
          <tr key={c.id} data-correspondent={c.id}>
            <td>
              {c.id}
              {c.account_reference && <small> {c.account_reference}</small>}
            </td>
            <td>{c.bank}</td>
            <td>
              {c.stated === null ? (
                'none stated'
              ) : (
                <Amount unit={c.currency} minor={c.stated} date={view.date} />
              )}
            </td>
            <td title={history(c, view.date)}>{c.as_of ?? '—'}</td>
            <td>
              {c.out_since === '0' ? (
                ''
              ) : (
                <Amount unit={c.currency} minor={`-${c.out_since}`} date={view.date} />
              )}
            </td>
            <td>
              {c.in_since === '0' ? '' : <Amount unit={c.currency} minor={c.in_since} date={view.date} />}
            </td>
            <td>
              <Amount unit={c.currency} minor={c.position} date={view.date} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const STATES: Record<string, string> = {
  not_yet_sent: 'not yet sent',
  under_way: 'under way',
  arrived: 'arrived',
  cancelled: 'cancelled',
};

/** Money at the depository is what its books hold: an arrival there counts once they credit it. */
function creditFirst(id: string, account: string): string {
  return (
    `Mark ${id} arrived only once the depository has credited ${account}: from then on the ` +
    'books’ balance holds it, and the transfer is no longer counted under way.'
  );
}

/** A transfer in words: its amount, from where to where, sent and expected. */
function transferText(t: TreasuryView['transfers'][number], date: string): string {
  return (
    `${t.id}: ${showAmount(t.currency, t.minor, date)} from ${placeName(t.from)} to ${placeName(t.to)}, ` +
    `sent ${t.sent_on}, expected ${t.expected_on}`
  );
}

function Transfers({ view, keeper, onDone }: { view: TreasuryView; keeper: boolean; onDone: Done }) {
  if (view.transfers.length === 0) return <p className="note">No transfers recorded.</p>;
  const path = (id: string, step: string) => `/treasury/${view.party_id}/transfers/${id}/${step}`;
  return (
    <table className="grid transfers">
      <thead>
        <tr>
          <th>Transfer</th>
          <th className="num">Amount</th>
          <th>From</th>
          <th>To</th>
          <th>Sent</th>
          <th>Expected</th>
          <th>On {view.date}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {view.transfers.map((t) => (
          <tr key={t.id} data-transfer={t.id} className={t.overdue ? 'waiting' : ''}>
            <td title={t.note ?? ''}>{t.id}</td>
            <td>
              <Amount unit={t.currency} minor={t.minor} date={view.date} />
            </td>
            <td>{placeName(t.from)}</td>
            <td>{placeName(t.to)}</td>
            <td>{t.sent_on}</td>
            <td>{t.expected_on}</td>
            <td className="state">
              {STATES[t.state_on_date]}
              {t.overdue && ' — overdue'}
              {t.state !== 'under_way' && t.state_on_date !== t.state && ` (${t.state} ${t.closed_on})`}
            </td>
            <td>
              {keeper && t.state === 'under_way' && (
                <>
                  <Step
                    label="Arrived"
                    says={`${t.id} arrived`}
                    path={path(t.id, 'arrive')}
                    onDone={onDone}
                    lines={[
                      transferText(t, view.date),
                      ...(t.to.kind === 'depository' ? [creditFirst(t.id, t.to.name)] : []),
                    ]}
                  />{' '}
                  <Step
                    label="Cancel"
                    says={`${t.id} cancelled`}
                    path={path(t.id, 'cancel')}
                    onDone={onDone}
                    lines={[transferText(t, view.date), 'It is no longer counted under way.']}
                  />
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Earmarks({ view, keeper, onDone }: { view: TreasuryView; keeper: boolean; onDone: Done }) {
  if (view.earmarks.length === 0) return <p className="note">Nothing earmarked.</p>;
  const state = (e: TreasuryView['earmarks'][number]) =>
    e.active
      ? 'holds'
      : e.released_on && e.released_on <= view.date
        ? `released ${e.released_on}`
        : e.from > view.date
          ? 'not yet'
          : 'ended';
  return (
    <table className="grid earmarks">
      <tbody>
        {view.earmarks.map((e) => (
          <tr key={e.id} data-earmark={e.id}>
            <td>{e.id}</td>
            <td>
              <Amount unit={e.currency} minor={e.minor} date={view.date} />
            </td>
            <td>{e.purpose}</td>
            <td>
              {e.from} to {e.until}
            </td>
            <td className="state">{state(e)}</td>
            <td>
              {keeper && e.released_on === null && (
                <Step
                  label="Release"
                  says={`${e.id} released`}
                  path={`/treasury/${view.party_id}/earmarks/${e.id}/release`}
                  onDone={onDone}
                  lines={[
                    `Release ${e.id}: ${showAmount(e.currency, e.minor, view.date)} earmarked for ${e.purpose},`,
                    `from ${e.from} to ${e.until}; from ${view.date} it is no longer set aside.`,
                  ]}
                />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SetAside({ view }: { view: TreasuryView }) {
  if (view.set_aside.length === 0 && view.depository.length === 0) return null;
  return (
    <table className="grid set-aside">
      <tbody>
        {view.depository.map((d) => (
          <tr key={d.account_id}>
            <td>
              {d.account_id} at the depository, value date {view.date}
            </td>
            <td>
              <Amount unit={d.currency} minor={d.balance} date={view.date} />
            </td>
          </tr>
        ))}
        {view.set_aside.map((s) => (
          <tr key={s.trade_id} data-trade={s.trade_id}>
            <td>
              Set aside for {s.trade_id}: {BASIS[s.basis]} {s.price_date ?? ''}
            </td>
            <td>
              <Amount unit={s.currency} minor={`-${s.minor}`} date={view.date} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

async function loadFixing(date: string): Promise<Fixing | undefined> {
  const fixings = await call<Fixing[]>('GET', `/prices${query({ currency: 'GBP', to: date })}`);
  return fixings.filter((f) => f.date <= date).at(-1);
}

export function Treasury() {
  const desk = useDesk();
  const party = desk.session.user.party_id;
  const keeper = desk.session.user.role === 'client_signatory';
  const [usd, setUsd] = useRate('USD');
  const [eur, setEur] = useRate('EUR');
  const [round, setRound] = useState(0);
  const [message, setMessage] = useState<{ text: string; refused: boolean }>();
  const rates = {
    usd_per_gbp: RATE.test(usd) ? usd : undefined,
    eur_per_gbp: RATE.test(eur) ? eur : undefined,
  };
  const { data, error } = useLoad(
    () => call<TreasuryView>('GET', `/treasury/${party}${query({ date: desk.date, ...rates })}`),
    [party, desk.date, rates.usd_per_gbp, rates.eur_per_gbp, round],
  );
  const fixing = useLoad(() => loadFixing(desk.date), [desk.date]);
  const onDone: Done = (text, refused) => {
    setMessage({ text, refused });
    if (!refused) setRound((r) => r + 1);
  };
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>Loading…</p>;
  return (
    <div className="treasury">
      <p className="filters">
        <label>
          USD per £{' '}
          <input
            name="usd_per_gbp"
            size={8}
            placeholder="e.g. 2.80"
            value={usd}
            onChange={(e) => setUsd(e.target.value)}
          />
        </label>{' '}
        <label>
          EUR per £ <input name="eur_per_gbp" size={8} value={eur} onChange={(e) => setEur(e.target.value)} />
        </label>{' '}
        {[usd, eur].some((r) => r !== '' && !RATE.test(r)) && (
          <span className="error">a rate is like 2.80</span>
        )}
      </p>
      {message && <p className={message.refused ? 'error' : 'notice'}>{message.text}</p>}
      <Position view={data} />
      <Sterling view={data} fixing={fixing.data} />
      <h2>Correspondent banks</h2>
      <Correspondents view={data} />
      {keeper && <AddCorrespondent party={party} onDone={onDone} />}
      {keeper && <RecordBalance view={data} onDone={onDone} />}
      <h2>Transfers</h2>
      <Transfers view={data} keeper={keeper} onDone={onDone} />
      {keeper && <RecordTransfer view={data} onDone={onDone} />}
      <h2>Earmarked for other needs</h2>
      <Earmarks view={data} keeper={keeper} onDone={onDone} />
      {keeper && <RecordEarmark party={party} onDone={onDone} />}
      <h2>At the depository and set aside for trades</h2>
      <SetAside view={data} />
    </div>
  );
}
