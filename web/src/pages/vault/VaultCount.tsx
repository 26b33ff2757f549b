// A count of the vault against the books: the bar list the counters wrote (CSV, the columns of a
// weight list) is compared with the bars booked in custody, all of them or one account's, and the
// differences are shown bar by bar. Only a comparison the user has seen can then be recorded in
// the books (POST /reconcile?record=true): each bar's history shows it seen, or missing.
import { useState } from 'react';
import { call, query } from '../../api.ts';
import { useConfirm } from '../../components/Confirm.tsx';
import type { NoticeText } from '../../components/Notice.tsx';
import { useDesk } from '../../desk.ts';
import { showFineness, showOunces } from '../../format.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Account, Differences, Reconciliation } from '../../types.ts';

type CountedBar = Reconciliation['missing']['bars'][number];
/** The comparison the user saw: of which file, over which accounts. */
interface Compared {
  readonly file: File;
  readonly account: string;
  readonly result: Reconciliation;
}

const count = (n: string) => Number(n).toLocaleString('en-GB');

function barText(bar: CountedBar): string {
  return `${bar.refiner} ${bar.serial}: ${showOunces(bar.gross_milli_oz)} gross × ${showFineness(bar.fineness)}`;
}

/** The comparison's figures in words: the same lines the confirmation to record it states. */
export function countLines(result: Reconciliation, over: string): string[] {
  return [
    `${count(result.counted)} bars counted, ${count(result.booked)} booked in ${over}.`,
    `${count(result.matched)} matched; ${count(result.missing.count)} missing (booked, not counted); ` +
      `${count(result.unexpected.count)} unexpected (counted, not booked); ` +
      `${count(result.differing.count)} differing in weight or fineness.`,
  ];
}

function DifferenceList<T>(props: {
  title: string;
  of: Differences<T>;
  line: (item: T) => string;
  kind: string;
}) {
  const { title, of, line, kind } = props;
  if (of.count === '0') return null;
  const more = Number(of.count) - of.bars.length;
  return (
    <section aria-label={title} data-differences={kind}>
      <h3>
        {title}: {count(of.count)}
      </h3>
      <ul>
        {of.bars.map((item) => (
          <li key={line(item)}>{line(item)}</li>
        ))}
        {more > 0 && <li>and {more.toLocaleString('en-GB')} more</li>}
      </ul>
    </section>
  );
}

function Outcome({ compared }: { compared: Compared }) {
  const { result, account, file } = compared;
  const over = account === '' ? 'all custody accounts' : account;
  return (
    <div className="count-outcome" data-matched={result.matched}>
      <p>
        {file.name} against the books of {over}:
      </p>
      <pre className="account">{countLines(result, over).join('\n')}</pre>
      <DifferenceList title="Missing" kind="missing" of={result.missing} line={barText} />
      <DifferenceList title="Unexpected" kind="unexpected" of={result.unexpected} line={barText} />
      <DifferenceList
        title="Differing"
        kind="differing"
        of={result.differing}
        line={(d) =>
          `${barText(d.booked)} booked; counted ${showOunces(d.counted.gross_milli_oz)} × ${showFineness(d.counted.fineness)}`
        }
      />
    </div>
  );
}

export function VaultCount({ onChange }: { onChange: (notice: NoticeText) => void }) {
  const desk = useDesk();
  const accounts = useLoad(() => call<Account[]>('GET', '/accounts'), []);
  const custody = (accounts.data ?? []).filter((a) => a.kind === 'custody' && !a.id.endsWith('-TRANSIT'));
  const [file, setFile] = useState<File>();
  const [account, setAccount] = useState('');
  const [date, setDate] = useState(desk.date);
  const [name, setName] = useState('');
  const [compared, setCompared] = useState<Compared>();
  const [busy, setBusy] = useState(false);
  const [dialog, ask] = useConfirm();
  const over = account === '' ? 'all custody accounts' : account;
  // Compared only, or recorded under its date and name (query leaves out what is empty).
  const send = (chosen: File, record: boolean) => {
    const asked = record ? { account, record: true, date, name } : { account };
    return call<Reconciliation>('POST', `/reconcile${query(asked)}`, chosen, { contentType: 'text/csv' });
  };
  const compare = async () => {
    if (!file) return;
    setBusy(true);
    setCompared(undefined);
    try {
      setCompared({ file, account, result: await send(file, false) });
    } catch (reason) {
      onChange({ text: `${file.name}: not compared: ${describeError(reason)}`, refused: true });
    } finally {
      setBusy(false);
    }
  };
  // Recording names what was compared: the same file over the same accounts, or nothing.
  const seen = compared !== undefined && compared.file === file && compared.account === account;
  const record = async () => {
    if (!compared || !seen) return;
    const called = name === '' ? `count of ${date}` : name;
    const answer = await ask({
      title: `Record the ${called}`,
      lines: [
        `Record in the books the ${called}, dated ${date}, from ${compared.file.name}:`,
        ...countLines(compared.result, over),
        'Each bar counted shows it in its history; each bar missing shows it missing. No balance changes.',
      ],
      verb: 'Record the count',
    });
    if (!answer.confirmed) return;
    setBusy(true);
    try {
      const done = await send(compared.file, true);
      const recorded = done.recorded;
      onChange({
        text: `${called} recorded (count #${recorded?.count_id}, journal entry #${recorded?.entry_id}): ${done.matched} of ${done.counted} bars matched`,
        refused: false,
      });
      setCompared({ ...compared, result: done });
    } catch (reason) {
      onChange({ text: `${called}: not recorded: ${describeError(reason)}`, refused: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="vault-count" aria-labelledby="vault-count">
      <h2 id="vault-count">Count of the vault</h2>
      <p className="note">
        The counters’ bar list (CSV, the columns of a weight list) against the bars in custody; nothing
        changes until a count compared here is recorded.
      </p>
      <form className="inline" onSubmit={(event) => event.preventDefault()}>
        <label>
          Bar list counted{' '}
          <input
            type="file"
            name="count"
            accept=".csv,text/csv"
            onChange={(e) => setFile(e.target.files?.[0])}
          />
        </label>
        <label>
          Accounts{' '}
          <select name="count_account" value={account} onChange={(e) => setAccount(e.target.value)}>
            <option value="">all custody accounts</option>
            {custody.map((a) => (
              <option key={a.id} value={a.id}>
                {a.id}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={compare} disabled={!file || busy}>
          Compare with the books
        </button>
      </form>
      {busy && <p aria-live="polite">Comparing…</p>}
      {compared && <Outcome compared={compared} />}
      {compared && seen && !compared.result.recorded && (
        <form className="inline" onSubmit={(event) => event.preventDefault()}>
          <label>
            Date of the count{' '}
            <input type="date" name="count_date" value={date} onChange={(e) => setDate(e.target.value)} />
          </label>
          <label>
            Name{' '}
            <input
              name="count_name"
              placeholder={`count of ${date}`}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <button type="button" onClick={record} disabled={busy || date === ''}>
            Record the count…
          </button>
        </form>
      )}
      {dialog}
    </section>
  );
}
