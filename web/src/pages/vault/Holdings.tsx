// Holdings: the custody and cash accounts one may see, with their balances, the statement of one of
// them and, for a custody account, its bar list, all at the end of one date: the business date. The
// downloads hold what the page shows: the same period, the same date's bars, in units a person reads.
// The depository's operators book money received and paid out of a cash account here.
import { useState } from 'react';
import { ApiRefusal, call, query } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { Download } from '../../components/Download.tsx';
import type { NoticeText } from '../../components/Notice.tsx';
import { NoticeList, useNotices } from '../../components/Notices.tsx';
import { useDesk } from '../../desk.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Account, Statement } from '../../types.ts';
import { BarImport } from './BarImport.tsx';
import { BarList } from './BarList.tsx';
import { CashMovement } from './CashMovement.tsx';

/** Who receives bars into the vault: the depository's operators. */
const OPERATORS = ['depository_operator', 'depository_supervisor'];

/** The last date a statement may name: "everything after a date" runs to it. */
const LAST_DATE = '9999-12-31';

/** The day after an ISO date. */
function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

function statementOf(id: string, from: string, to: string): Promise<Statement> {
  return call<Statement>('GET', `/accounts/${id}/statement${query({ from, to, bars: false })}`);
}

/** An account's balance at the end of the date, or why it cannot be shown. */
type BalanceAt = { readonly closing: string } | { readonly refused: string };

/**
 * Each account's balance at the end of `date`: the closing balance of its statement for that day.
 * A user not cleared for a metal account's statement is told so, and shown the balance now.
 */
function useBalancesAt(accounts: readonly Account[] | undefined, date: string) {
  return useLoad(async () => {
    const balances = new Map<string, BalanceAt>();
    await Promise.all(
      (accounts ?? []).map((account) =>
        statementOf(account.id, date, date).then(
          (st) => balances.set(account.id, { closing: st.closing }),
          (reason: unknown) => balances.set(account.id, { refused: describeError(reason) }),
        ),
      ),
    );
    return balances;
  }, [accounts, date]);
}

function StatementView({ account, from, to }: { account: Account; from: string; to: string }) {
  const { data, error } = useLoad(() => statementOf(account.id, from, to), [account.id, from, to]);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>Loading the statement…</p>;
  return (
    <table className="grid statement" aria-label={`Statement of ${account.id} from ${from} to ${to}`}>
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
            <Amount unit={account.unit} minor={data.opening} date={from} />
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
          <td data-closing={data.closing}>
            <Amount unit={account.unit} minor={data.closing} date={to} />
          </td>
        </tr>
      </tbody>
    </table>
  );
}

function BalanceCell({ account, at, date }: { account: Account; at: BalanceAt | undefined; date: string }) {
  if (!at) return <span className="note">…</span>;
  if ('closing' in at) return <Amount unit={account.unit} minor={at.closing} date={date} />;
  return (
    <span title={at.refused}>
      <Amount unit={account.unit} minor={account.balance} date={date} /> <sup>now*</sup>
    </span>
  );
}

function AccountsTable(props: {
  accounts: readonly Account[];
  chosen: Account | undefined;
  onChoose: (id: string) => void;
  date: string;
}) {
  const { accounts, chosen, date } = props;
  const balances = useBalancesAt(accounts, date);
  const refused = [...(balances.data?.values() ?? [])].some((at) => 'refused' in at);
  return (
    <>
      <table className="grid accounts" aria-label={`Accounts at the end of ${date}`}>
        <thead>
          <tr>
            <th>Account</th>
            <th>Bank</th>
            <th>Kind</th>
            <th className="num">Balance at the end of {date}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.id} className={a === chosen ? 'chosen' : ''} data-account={a.id}>
              <td>
                <button
                  type="button"
                  className="link"
                  aria-current={a === chosen ? 'true' : undefined}
                  onClick={() => props.onChoose(a.id)}
                >
                  {a.id}
                </button>
              </td>
              <td>{a.party_id}</td>
              <td>{a.kind}</td>
              <td data-balance={a.id}>
                <BalanceCell account={a} at={balances.data?.get(a.id)} date={date} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {balances.error && <p className="error">{balances.error}</p>}
      {refused && (
        <p className="note">
          * The balance now: you are not cleared to read that account’s statement, so its balance at the end
          of {date} cannot be shown.
        </p>
      )}
    </>
  );
}

/** Whether an account moved after `date`: if not, its bars now are its bars at the date. */
function useMovedSince(account: Account, date: string, round: number) {
  return useLoad(async () => {
    try {
      return (await statementOf(account.id, nextDay(date), LAST_DATE)).lines.length > 0;
    } catch (reason) {
      // Not cleared: the bar list will say so itself.
      if (reason instanceof ApiRefusal) return false;
      throw reason;
    }
  }, [account.id, date, round]);
}

function CustodyBars({ account, date, round }: { account: Account; date: string; round: number }) {
  const moved = useMovedSince(account, date, round);
  if (moved.error) return <p className="error">{moved.error}</p>;
  if (moved.data === undefined) return <p>Loading the bar list…</p>;
  return <BarList accountId={account.id} date={date} atDate={moved.data} key={`${account.id}-${round}`} />;
}

function AccountView(props: {
  account: Account;
  date: string;
  round: number;
  onImported: () => void;
  onCash: (notice: NoticeText) => void;
}) {
  const { account, date, round } = props;
  const desk = useDesk();
  const yearStart = `${date.slice(0, 4)}-01-01`;
  const [from, setFrom] = useState(yearStart);
  const period = query({ from, to: date });
  return (
    <>
      <h2>Statement of {account.id}</h2>
      <p className="period">
        <label>
          From <input type="date" value={from} max={date} onChange={(e) => setFrom(e.target.value)} />
        </label>{' '}
        <small>(first shown: the first day of the year)</small> to the end of {date}, the business date
      </p>
      <p className="downloads">
        <Download
          label="Statement CSV"
          path={`/accounts/${account.id}/statement.csv${query({ from, to: date, units: 'person' })}`}
        />{' '}
        {account.kind === 'custody' && (
          <Download label="Statement PDF" path={`/accounts/${account.id}/statement.pdf${period}`} />
        )}
      </p>
      {from <= date ? (
        <StatementView account={account} from={from} to={date} key={`${account.id}-${round}`} />
      ) : (
        <p className="error">
          The first day {from} is after the business date {date}.
        </p>
      )}
      {account.kind === 'cash' && OPERATORS.includes(desk.session.user.role) && (
        <CashMovement account={account} onDone={props.onCash} />
      )}
      {account.kind === 'custody' && (
        <>
          <h2>
            Bar list of {account.id} at the end of {date}
          </h2>
          {OPERATORS.includes(desk.session.user.role) && (
            <BarImport accountId={account.id} onImported={props.onImported} />
          )}
          <CustodyBars account={account} date={date} round={round} />
        </>
      )}
    </>
  );
}

export function Holdings() {
  const desk = useDesk();
  const [round, setRound] = useState(0);
  const { data: accounts, error } = useLoad(() => call<Account[]>('GET', '/accounts'), [round]);
  const [chosen, setChosen] = useState<string>();
  const notices = useNotices();
  const cashBooked = (notice: NoticeText) => {
    notices.add(notice);
    if (!notice.refused) setRound((r) => r + 1);
  };
  if (error) return <p className="error">{error}</p>;
  if (!accounts) return <p>Loading…</p>;
  const listed = accounts.filter((a) => a.kind !== 'external');
  const own = listed.find((a) => a.party_id === desk.session.user.party_id && a.kind === 'custody');
  const account = listed.find((a) => a.id === chosen) ?? own ?? listed[0];
  return (
    <div className="holdings">
      <p className="page-date">
        Balances, statement and bars at the end of <strong>{desk.date}</strong>, the business date.
      </p>
      <NoticeList notices={notices.shown} onDismiss={notices.dismiss} />
      <AccountsTable accounts={listed} chosen={account} onChoose={setChosen} date={desk.date} />
      {account && (
        <AccountView
          account={account}
          date={desk.date}
          round={round}
          onImported={() => setRound((r) => r + 1)}
          onCash={cashBooked}
          key={account.id}
        />
      )}
    </div>
  );
}
