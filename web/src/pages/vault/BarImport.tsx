// Receiving a bar list into a custody account, with its real progress: the bytes the browser has
// sent (the upload's own progress events), then the rows the server has checked and written (it
// reports them under the request's idempotency key), then the sealing of the journal entry, then
// the outcome, or every row at fault when the list is refused whole.
import { type FormEvent, useRef, useState } from 'react';
import { parseFineness } from '../../../../src/domain/weight.ts';
import { call, newKey, query } from '../../api.ts';
import { useDesk } from '../../desk.ts';
import type { BarsImported, ErrorBody, ImportProgress } from '../../types.ts';

/** A refusal as the desk shows it: the server's, or the failed connection's in words. */
type Refusal = Pick<ErrorBody, 'message' | 'problems'>;

/** How the import ended: the bars received (201), or the refusal. */
type Answer = { readonly imported: BarsImported } | { readonly refused: Refusal };

/** How often the desk asks the server how far the import has come. */
const POLL_MS = 400;
const PROBLEMS_SHOWN = 10;

function count(n: number): string {
  return n.toLocaleString('en-GB');
}

/** The server's answer to the upload: its body read as the status says it is. */
function answerOf(status: number, text: string): Answer {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status === 201 && body !== undefined) return { imported: body as BarsImported };
  const said = typeof body === 'object' && body !== null && 'message' in body;
  return { refused: said ? (body as ErrorBody) : { message: `the server answered ${status}` } };
}

/** Sends the file with the upload's progress; resolves with the server's answer. */
function send(
  path: string,
  file: File,
  key: string,
  onSent: (loaded: number, total: number) => void,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.setRequestHeader('content-type', 'text/csv');
    request.setRequestHeader('accept', 'application/json');
    request.setRequestHeader('idempotency-key', key);
    request.upload.onprogress = (event) => onSent(event.loaded, event.total);
    request.onload = () => resolve(answerOf(request.status, request.responseText));
    request.onerror = () =>
      reject(new Error('the connection failed; the import may not have reached the server'));
    request.send(file);
  });
}

function Stage({ label, value, max, text }: { label: string; value?: number; max?: number; text: string }) {
  return (
    <div className="stage" data-stage={label}>
      <span className="label">{label}</span> <progress aria-label={label} value={value} max={max} />{' '}
      <span>{text}</span>
    </div>
  );
}

function Outcome({ answer, accountId }: { answer: Answer; accountId: string }) {
  if ('imported' in answer) {
    const { bars, entry_id } = answer.imported;
    return (
      <p className="notice import-outcome">
        Received {count(bars)} bars into {accountId} (journal entry #{entry_id}).
      </p>
    );
  }
  const { message, problems = [] } = answer.refused;
  return (
    <div className="error import-outcome">
      <p>Nothing was imported: {message}</p>
      {problems.length > 0 && (
        <ul>
          {problems.slice(0, PROBLEMS_SHOWN).map((p) => (
            <li key={`${p.row}-${p.column}-${p.reason}`}>
              row {p.row}
              {p.column ? ` (${p.column})` : ''}: {p.reason}
            </li>
          ))}
          {problems.length > PROBLEMS_SHOWN && <li>and {count(problems.length - PROBLEMS_SHOWN)} more</li>}
        </ul>
      )}
    </div>
  );
}

export function BarImport({ accountId, onImported }: { accountId: string; onImported: () => void }) {
  const desk = useDesk();
  const [file, setFile] = useState<File>();
  const [date, setDate] = useState(desk.date);
  const [minimum, setMinimum] = useState('995.0');
  const [sent, setSent] = useState<{ loaded: number; total: number }>();
  const [server, setServer] = useState<ImportProgress>();
  const [answer, setAnswer] = useState<Answer>();
  const [busy, setBusy] = useState(false);
  const poller = useRef<ReturnType<typeof setInterval>>(undefined);
  const start = async (event: FormEvent) => {
    event.preventDefault();
    const fineness = parseFineness(minimum);
    if (!file || !fineness.ok) return;
    const key = newKey();
    const ask = () =>
      call<ImportProgress>('GET', `/bars/import/progress${query({ key })}`).then(setServer, () => undefined);
    setBusy(true);
    setAnswer(undefined);
    setServer(undefined);
    setSent({ loaded: 0, total: file.size });
    poller.current = setInterval(ask, POLL_MS);
    const path = `/bars/import${query({ account: accountId, date, min_fineness: fineness.value.toString(), source: file.name })}`;
    try {
      const answered = await send(path, file, key, (loaded, total) => setSent({ loaded, total }));
      setAnswer(answered);
      if ('imported' in answered) onImported();
    } catch (reason) {
      setAnswer({ refused: { message: reason instanceof Error ? reason.message : String(reason) } });
    } finally {
      clearInterval(poller.current);
      await ask();
      setBusy(false);
    }
  };
  const rowsTotal = server?.rows_total ?? undefined;
  return (
    <form className="bar-import" onSubmit={start}>
      <strong>Receive a bar list into {accountId}</strong>{' '}
      <label>
        Bar list (CSV){' '}
        <input
          type="file"
          name="bar-list"
          accept=".csv,text/csv"
          onChange={(e) => setFile(e.target.files?.[0])}
        />
      </label>{' '}
      <label>
        Value date (the business date){' '}
        <input type="date" name="date" value={date} onChange={(e) => setDate(e.target.value)} />
      </label>{' '}
      <label>
        Minimum fineness{' '}
        <input name="min_fineness" size={6} value={minimum} onChange={(e) => setMinimum(e.target.value)} />‰
      </label>{' '}
      <button type="submit" disabled={busy || !file}>
        Import
      </button>
      {sent && (
        <Stage
          label="Sent"
          value={sent.loaded}
          max={Math.max(1, sent.total)}
          text={`${count(sent.loaded)} of ${count(sent.total)} bytes`}
        />
      )}
      {server && server.phase !== 'receiving' && (
        <Stage
          label="Checked and written"
          value={server.rows_done}
          max={Math.max(1, rowsTotal ?? 1)}
          text={`${count(server.rows_done)} of ${count(rowsTotal ?? 0)} bars${server.phase === 'sealing' ? '; sealing the journal entry…' : ''}`}
        />
      )}
      {answer && <Outcome answer={answer} accountId={accountId} />}
    </form>
  );
}
