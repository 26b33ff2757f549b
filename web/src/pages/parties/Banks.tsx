// Banks: the parties the depository keeps, each with its accounts and their balances; its
// operators register a client bank and open its cash and custody accounts here, each after a
// confirmation stating exactly what will be created. Reference data: the server refuses anyone else.
import { useState } from 'react';
import { call } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { useConfirm } from '../../components/Confirm.tsx';
import type { NoticeText } from '../../components/Notice.tsx';
import { NoticeList, useNotices } from '../../components/Notices.tsx';
import { useDesk } from '../../desk.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Account, Party } from '../../types.ts';

const OPERATORS = ['depository_operator', 'depository_supervisor'];
const UNITS = ['XAU', 'GBP', 'USD', 'EUR'] as const;
/** What the server takes as an id: 1 to 40 of A–Z, 0–9, ".", "_", "-". */
const IDENTIFIER = /^[A-Z0-9][A-Z0-9._-]{0,39}$/;
const IDENTIFIER_RULE = 'may hold 1 to 40 of A–Z, 0–9, ".", "_" and "-", starting with a letter or digit';

type Ask = ReturnType<typeof useConfirm>[1];
type Changed = (notice: NoticeText) => void;

function RegisterBank({ ask, onChange }: { ask: Ask; onChange: Changed }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const wrong = id !== '' && !IDENTIFIER.test(id) ? `the id ${id} ${IDENTIFIER_RULE}` : null;
  const register = async () => {
    const answer = await ask({
      title: `Register ${id}`,
      lines: [`Register the client bank ${id}: ${name.trim()}.`, 'It holds no account until one is opened.'],
      verb: 'Register the bank',
    });
    if (!answer.confirmed) return;
    try {
      await call('POST', '/parties', { id, name: name.trim(), role: 'client' });
      onChange({ text: `${id} (${name.trim()}) registered`, refused: false });
      setId('');
      setName('');
    } catch (reason) {
      onChange({ text: `${id}: not registered: ${describeError(reason)}`, refused: true });
    }
  };
  return (
    <form className="inline" onSubmit={(event) => event.preventDefault()} aria-labelledby="register-bank">
      <h2 id="register-bank">Register a client bank</h2>
      <label>
        Id <input name="party_id" value={id} onChange={(e) => setId(e.target.value.trim().toUpperCase())} />
      </label>
      <label>
        Name <input name="party_name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      {wrong && <p className="error">{wrong}</p>}
      <button type="button" onClick={register} disabled={id === '' || name.trim() === '' || wrong !== null}>
        Register…
      </button>
    </form>
  );
}

function OpenAccount(props: { parties: readonly Party[]; ask: Ask; onChange: Changed }) {
  const { parties, ask, onChange } = props;
  const [party, setParty] = useState('');
  const [unit, setUnit] = useState<(typeof UNITS)[number]>('XAU');
  const [id, setId] = useState('');
  const kind = unit === 'XAU' ? 'custody' : 'cash';
  const suggested = party === '' ? '' : unit === 'XAU' ? `${party}-GOLD` : `${party}-${unit}`;
  const chosen = id === '' ? suggested : id;
  const wrong = chosen !== '' && !IDENTIFIER.test(chosen) ? `the id ${chosen} ${IDENTIFIER_RULE}` : null;
  const open = async () => {
    const owner = parties.find((p) => p.id === party);
    const answer = await ask({
      title: `Open ${chosen}`,
      lines: [
        `Open the ${kind === 'custody' ? 'gold custody account (fine troy ounces)' : `cash account in ${unit}`} ${chosen}`,
        `for ${party}${owner ? ` (${owner.name})` : ''}, with a balance of nil.`,
      ],
      verb: 'Open the account',
    });
    if (!answer.confirmed) return;
    try {
      await call('POST', '/accounts', { id: chosen, party_id: party, kind, unit });
      onChange({ text: `${chosen} opened for ${party}`, refused: false });
      setId('');
    } catch (reason) {
      onChange({ text: `${chosen}: not opened: ${describeError(reason)}`, refused: true });
    }
  };
  return (
    <form className="inline" onSubmit={(event) => event.preventDefault()} aria-labelledby="open-account">
      <h2 id="open-account">Open an account</h2>
      <label>
        Bank{' '}
        <select name="account_party" value={party} onChange={(e) => setParty(e.target.value)}>
          <option value="">choose…</option>
          {parties.map((p) => (
            <option key={p.id} value={p.id}>
              {p.id}: {p.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Unit{' '}
        <select
          name="account_unit"
          value={unit}
          onChange={(e) => setUnit(UNITS.find((u) => u === e.target.value) ?? 'XAU')}
        >
          {UNITS.map((u) => (
            <option key={u} value={u}>
              {u === 'XAU' ? 'XAU (gold custody)' : `${u} (cash)`}
            </option>
          ))}
        </select>
      </label>
      <label>
        Account id{' '}
        <input
          name="account_id"
          placeholder={suggested}
          value={id}
          onChange={(e) => setId(e.target.value.trim().toUpperCase())}
        />
      </label>
      {wrong && <p className="error">{wrong}</p>}
      <button type="button" onClick={open} disabled={party === '' || chosen === '' || wrong !== null}>
        Open…
      </button>
    </form>
  );
}

export function Banks() {
  const desk = useDesk();
  const notices = useNotices();
  const [round, setRound] = useState(0);
  const parties = useLoad(() => call<Party[]>('GET', '/parties'), [round]);
  const accounts = useLoad(() => call<Account[]>('GET', '/accounts'), [round]);
  const [dialog, ask] = useConfirm();
  const changed = (notice: NoticeText) => {
    notices.add(notice);
    if (!notice.refused) setRound((r) => r + 1);
  };
  const listed = parties.data ?? [];
  const operator = OPERATORS.includes(desk.session.user.role);
  return (
    <div className="banks">
      {dialog}
      <p className="page-date">
        Banks and their accounts, balances now (the Vault page shows them at the business date {desk.date}).
      </p>
      <NoticeList notices={notices.shown} onDismiss={notices.dismiss} />
      {(parties.error ?? accounts.error) && <p className="error">{parties.error ?? accounts.error}</p>}
      <table className="grid banks-list" aria-label="Banks and their accounts">
        <thead>
          <tr>
            <th>Bank</th>
            <th>Name</th>
            <th>Role</th>
            <th>Accounts</th>
          </tr>
        </thead>
        <tbody>
          {listed.map((p) => (
            <tr key={p.id} data-party={p.id}>
              <td>{p.id}</td>
              <td>{p.name}</td>
              <td>{p.role}</td>
              <td>
                <ul className="postings">
                  {(accounts.data ?? [])
                    .filter((a) => a.party_id === p.id)
                    .map((a) => (
                      <li key={a.id} data-account={a.id}>
                        {a.id} ({a.kind}) <Amount unit={a.unit} minor={a.balance} date={desk.date} />
                      </li>
                    ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {operator && <RegisterBank ask={ask} onChange={changed} />}
      {operator && (
        <OpenAccount parties={listed.filter((p) => p.role === 'client')} ask={ask} onChange={changed} />
      )}
    </div>
  );
}
