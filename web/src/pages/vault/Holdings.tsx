// Holdings: the custody and cash accounts one may see, the bar list behind a custody account, and
// its statement for a period, with downloads.
import { useState } from 'react';
import { call, query } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { BarImport } from '../../components/BarImport.tsx';
import { BarList } from '../../components/BarList.tsx';
import { Download } from '../../components/Download.tsx';
import { useDesk } from '../../desk.ts';
import { useLoad } from '../../hooks.ts';
import type { Account, Statement } from '../../types.ts';

/** Who receives bars into the vault: the depository's operators. */
const OPERATORS = ['depository_operator', 'depository_supervisor'];

function StatementView({ account, from, to }: { account: Account; from: string; to: string }) {
  const { data, error } = useLoad(
    () => call<Statement>('GET', `/accounts/${account.id}/statement${query({ from, to, bars: false })}`),
    [account.id, from, to],
  );
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>Loading the statement…</p>;
  return (
    <table className="grid">
      <thead>
        <tr>
          <th>Value date</th>
          <th>Entry</th>
          <th>Narrative</th>
          <th className="num">Amount</th>
          <th className="num">Balance</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>{from}</td>
          <td />
          <td>Opening balance</td>
          <td />
          <td>
            <Amount unit={account.unit} minor={data.opening} date={to} />
          </td>
        </tr>
        {data.lines.map((line) => (
          <tr key={line.entry_id}>
            <td>{line.value_date}</td>
            <td>#{line.entry_id}</td>
            <td>{line.memo}</td>
            <td>
              <Amount unit={account.unit} minor={line.amount} date={line.value_date} />
            </td>
            <td>
              <Amount unit={account.unit} minor={line.balance} date={line.value_date} />
            </td>
          </tr>
        ))}
        <tr className="total">
          <td>{to}</td>
          <td />
          <td>Closing balance</td>
          <td />
          <td>
            <Amount unit={account.unit} minor={data.closing} date={to} />
          </td>
        </tr>
      </tbody>
    </table>
  );
}

export function Holdings() {
  const desk = useDesk();
  const [round, setRound] = useState(0);
  const { data: accounts, error } = useLoad(() => call<Account[]>('GET', '/accounts'), [round]);
  const [chosen, setChosen] = useState<string>();
  const [from, setFrom] = useState(`${desk.date.slice(0, 4)}-01-01`);
  if (error) return <p className="error">{error}</p>;
  if (!accounts) return <p>Loading…</p>;
  const listed = accounts.filter((a) => a.kind !== 'external');
  const own = listed.find((a) => a.party_id === desk.session.user.party_id && a.kind === 'custody');
  const account = listed.find((a) => a.id === chosen) ?? own ?? listed[0];
  return (
    <div className="holdings">
      <table className="grid accounts">
        <thead>
          <tr>
            <th>Account</th>
            <th>Bank</th>
            <th>Kind</th>
            <th className="num">Balance</th>
          </tr>
        </thead>
        <tbody>
          {listed.map((a) => (
            <tr key={a.id} className={a === account ? 'chosen' : ''} onClick={() => setChosen(a.id)}>
              <td>
                <button type="button" className="link">
                  {a.id}
                </button>
              </td>
              <td>{a.party_id}</td>
              <td>{a.kind}</td>
              <td>
                <Amount unit={a.unit} minor={a.balance} date={desk.date} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {account && (
        <>
          <h2>
            {account.id} <small>statement from</small>{' '}
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />{' '}
            <small>to {desk.date}</small>
          </h2>
          <p className="downloads">
            <Download
              label="Statement CSV"
              path={`/accounts/${account.id}/statement.csv${query({ from, to: desk.date })}`}
            />{' '}
            {account.kind === 'custody' && (
              <Download
                label="Statement PDF"
                path={`/accounts/${account.id}/statement.pdf${query({ from, to: desk.date })}`}
              />
            )}
          </p>
          {from <= desk.date && (
            <StatementView account={account} from={from} to={desk.date} key={`${account.id}-${round}`} />
          )}
          {account.kind === 'custody' && (
            <>
              <h2>Bar list of {account.id}</h2>
              {OPERATORS.includes(desk.session.user.role) && (
                <BarImport accountId={account.id} onImported={() => setRound((r) => r + 1)} />
              )}
              <BarList accountId={account.id} date={desk.date} key={`${account.id}-${round}`} />
            </>
          )}
        </>
      )}
    </div>
  );
}
