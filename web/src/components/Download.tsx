// A download button that shows how far the file has come (rows of a bar list against the count
// the server announced, bytes of a document against its length), can be stopped, and ends with what
// was saved, or with the API's refusal in words (a user not cleared to print gets told so).
import { useRef, useState } from 'react';
import { ApiRefusal } from '../api.ts';
import { type Downloaded, download, type Received, save } from '../download.ts';
import { describeError } from '../hooks.ts';

type State =
  | { readonly kind: 'idle' }
  | { readonly kind: 'receiving'; readonly received: Received }
  | { readonly kind: 'saved'; readonly file: Downloaded }
  | { readonly kind: 'refused'; readonly message: string };

function size(bytes: number): string {
  if (bytes < 10_000) return `${bytes.toLocaleString('en-GB')} bytes`;
  if (bytes < 10_000_000) return `${Math.round(bytes / 1000).toLocaleString('en-GB')} kB`;
  return `${(Math.round(bytes / 100_000) / 10).toLocaleString('en-GB')} MB`;
}

function count(n: number): string {
  return n.toLocaleString('en-GB');
}

/** What has come so far, in words, and the fraction for a progress bar when it is known. */
function describe(received: Received): { text: string; value: number | undefined; max: number | undefined } {
  if (received.rows_total !== undefined) {
    const text = `${count(received.rows)} of ${count(received.rows_total)} rows (${size(received.bytes)})`;
    return { text, value: received.rows, max: Math.max(1, received.rows_total) };
  }
  if (received.bytes_total !== undefined) {
    const text = `${size(received.bytes)} of ${size(received.bytes_total)}`;
    return { text, value: received.bytes, max: Math.max(1, received.bytes_total) };
  }
  return { text: size(received.bytes), value: undefined, max: undefined };
}

/** A refusal in words; a user not cleared to print is told so plainly. */
function refusalText(reason: unknown): string {
  if (reason instanceof ApiRefusal && reason.code === 'not_cleared') {
    return `not printed: ${reason.message}. A user cleared for it can print it.`;
  }
  return describeError(reason);
}

function outcome(file: Downloaded): string {
  const rows =
    file.rows_total !== undefined || file.filename.endsWith('.csv') ? `${count(file.rows)} rows, ` : '';
  return `Saved ${file.filename}: ${rows}${size(file.bytes)}`;
}

export function Download({ path, label }: { path: string; label: string }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const stopper = useRef<AbortController>(undefined);
  const start = async () => {
    const controller = new AbortController();
    stopper.current = controller;
    setState({
      kind: 'receiving',
      received: { bytes: 0, bytes_total: undefined, rows: 0, rows_total: undefined },
    });
    try {
      const file = await download(
        path,
        (received) => setState({ kind: 'receiving', received }),
        controller.signal,
      );
      save(file);
      setState({ kind: 'saved', file });
    } catch (reason) {
      const stopped = controller.signal.aborted;
      setState({ kind: 'refused', message: stopped ? 'stopped; nothing saved' : refusalText(reason) });
    }
  };
  const busy = state.kind === 'receiving';
  const shown = state.kind === 'receiving' ? describe(state.received) : undefined;
  return (
    <span className="download" data-download={label}>
      <button type="button" disabled={busy} onClick={start}>
        {label}
      </button>
      {shown && (
        <>
          {' '}
          <progress aria-label={`${label}: received`} value={shown.value} max={shown.max} />{' '}
          <span className="progress">{shown.text}</span>{' '}
          <button type="button" onClick={() => stopper.current?.abort()}>
            Stop
          </button>
        </>
      )}
      {state.kind === 'saved' && <span className="saved"> {outcome(state.file)}</span>}
      {state.kind === 'refused' && (
        <span className="error refused">
          {' '}
          {label}: {state.message}
        </span>
      )}
    </span>
  );
}
