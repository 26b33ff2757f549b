// How far a bar-list import has come, for the desk to show while the upload is being received,
// checked and written: bytes received, rows read and written (counted by the import itself), then
// the sealing of its journal entry, then the outcome. Kept in memory by the server that runs the
// import, under the caller's idempotency key (scoped to its bank), for a while after it ends.

/** Where an import stands. */
export type ImportPhase = 'receiving' | 'writing' | 'sealing' | 'done' | 'refused';

export interface ImportProgress {
  phase: ImportPhase;
  bytes_received: number;
  /** The Content-Length the client announced, if it did. */
  bytes_total: number | null;
  /** Bar rows in the file (lines after the header), known once it is received. */
  rows_total: number | null;
  /** Bar rows read, checked and written so far. */
  rows_done: number;
  /** The import's answer once it ends: its entry and bars, or the refusal's code and message. */
  outcome: { status: number; code: string | null; message: string } | null;
}

/** How long a finished import's progress stays readable, and how many are kept at most. */
export const IMPORT_PROGRESS_KEEP_MS = 10 * 60_000;
export const IMPORT_PROGRESS_ENTRIES_MAX = 1000;

/** What an upload reports as it is spooled. */
export interface UploadWatch {
  /** A chunk received: its bytes, how many newlines it holds, and its last byte. */
  received(bytes: number, newlines: number, last_byte: number): void;
  /** The whole file is received. */
  spooled(): void;
}

export interface ImportWatch extends UploadWatch {
  readonly progress: ImportProgress;
  /** Rows read so far, as the import reports them (it counts lines, header included). */
  wrote(lines: number): void;
  finish(outcome: ImportProgress['outcome']): void;
}

/** The imports under way or recently ended on this server, by scoped idempotency key. */
export class ImportProgressBoard {
  readonly #entries = new Map<string, { progress: ImportProgress; ended_at: number | null }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Starts watching an import; a retry under the same key starts afresh. */
  start(key: string, bytes_total: number | null): ImportWatch {
    this.#prune();
    const progress: ImportProgress = {
      phase: 'receiving',
      bytes_received: 0,
      bytes_total,
      rows_total: null,
      rows_done: 0,
      outcome: null,
    };
    const entry = { progress, ended_at: null as number | null };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    let newlines = 0;
    let last = 10;
    return {
      progress,
      received: (bytes, count, last_byte) => {
        progress.bytes_received += bytes;
        newlines += count;
        last = last_byte;
      },
      spooled: () => {
        progress.phase = 'writing';
        // The header is not a bar; a last line without its newline is.
        const lines = newlines + (last === 10 ? 0 : 1);
        progress.rows_total = Math.max(0, lines - 1);
      },
      wrote: (lines) => {
        progress.rows_done = Math.max(progress.rows_done, lines - 1);
        if (progress.rows_total !== null && progress.rows_done >= progress.rows_total)
          progress.phase = 'sealing';
      },
      finish: (outcome) => {
        progress.phase = outcome && outcome.status < 300 ? 'done' : 'refused';
        progress.outcome = outcome;
        entry.ended_at = this.#now();
      },
    };
  }

  /** The progress of the import under a key, if it is known here. */
  get(key: string): ImportProgress | undefined {
    this.#prune();
    return this.#entries.get(key)?.progress;
  }

  #prune(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      const stale = entry.ended_at !== null && now - entry.ended_at > IMPORT_PROGRESS_KEEP_MS;
      if (stale || this.#entries.size > IMPORT_PROGRESS_ENTRIES_MAX) this.#entries.delete(key);
    }
  }
}
