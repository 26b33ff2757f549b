// Reconciliation: a physical count of the vault (a bar list) against the books, bar for bar, as a
// streamed merge of the two in one order, (refiner, serial) by code point. The count is sorted in
// runs of RUN_BARS spilled to temporary files and merged back; the books are read a page at a time
// in the order of their identity index. Memory is bounded by a run and a page, never by the vault.
// A count may be recorded (`record`): a journal entry, a document, the count's totals and its
// findings bar by bar, so that each bar's history says when it was seen in a count or missing.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';
import {
  type BarListHeader,
  type BarListProblem,
  isBlankLine,
  parseBarListHeader,
  parseBarRow,
} from '../../domain/barlist.ts';
import { isIsoDate } from '../../domain/fixing.ts';
import { type Outcome, refuse } from '../../domain/outcome.ts';
import type { Tx } from '../../store/store.ts';
import { insertEntry, nextEntryId, sealEntry } from '../journal/journal.ts';
import type { Ingot } from '../kernel/context.ts';
import { readingNow } from '../kernel/lines.ts';
import { inSnapshot } from '../kernel/snapshot.ts';
import { findAccount } from '../parties/parties.ts';
import {
  BOOK_PAGE_ROWS,
  type BookRow,
  booksPage,
  type CountFinding,
  custodyAccountIds,
  depositoryParty,
  lastEntryId,
  nextIdOf,
  recordCountDocument,
  recordFindings,
  recordVaultCount,
} from './queries-reconcile.ts';

/** Bars named in each list of differences; the counts are always complete. */
export const RECONCILE_EXAMPLES_MAX = 100;
/** Counted bars sorted in memory at once before a run is spilled to a temporary file. */
export const RUN_BARS = 100_000;
/** Findings written per INSERT when a count is recorded. */
const FINDING_CHUNK_ROWS = 500;

export interface CountedBar {
  readonly refiner: string;
  readonly serial: string;
  readonly gross_milli_oz: bigint;
  readonly fineness: bigint;
  readonly fine_milli_oz: bigint;
}

export interface Reconciliation {
  readonly counted: bigint;
  readonly booked: bigint;
  readonly matched: bigint;
  readonly missing: { readonly count: bigint; readonly bars: CountedBar[] };
  readonly unexpected: { readonly count: bigint; readonly bars: CountedBar[] };
  readonly differing: {
    readonly count: bigint;
    readonly bars: { readonly booked: CountedBar; readonly counted: CountedBar }[];
  };
  /** The count as recorded in the books, when it was asked to be. */
  readonly recorded?: RecordedCount;
}

export interface RecordedCount {
  readonly count_id: bigint;
  readonly entry_id: bigint;
  readonly document_id: bigint;
  readonly date: string;
  /** SHA-256 of the count's lines as read, each ended by a line feed. */
  readonly sha256: string;
}

export interface ReconcileRequest {
  readonly lines: AsyncIterable<string>;
  /** Compare with one custody account's bars; by default every bar in the vault. */
  readonly account_id?: string;
  readonly on_progress?: (rows: number) => void;
  /** Bars sorted in memory per run (default RUN_BARS): fewer spill more, smaller, runs. */
  readonly run_bars?: number;
  /** Record the count in the books, as of this date, under this name (the file's). */
  readonly record?: { readonly date: string; readonly source: string };
}

export type ReconcileOutcome =
  | Outcome<{ reconciliation: Reconciliation }>
  | { ok: false; code: 'bar_list_invalid'; message: string; problems: BarListProblem[] };

/**
 * A counted bar with its sort key, its weights as one string (`gross/fineness/fine` in milli-oz and
 * parts per ten thousand: compared as text, turned into numbers only for the bars named) and the
 * row of the count it came from. Kept small: millions pass through the merge.
 */
interface Counted {
  readonly key: string;
  readonly refiner: string;
  readonly serial: string;
  readonly weights: string;
  readonly row: number;
}

/** A bar of the books with its sort key, weights as one string, and owner. */
interface Booked {
  readonly key: string;
  readonly refiner: string;
  readonly serial: string;
  readonly weights: string;
  readonly owner: string;
}

type Finding =
  | { readonly finding: 'missing'; readonly bar: Booked }
  | { readonly finding: 'unknown' | 'differing'; readonly bar: Counted };

/**
 * The key both sides are ordered by: refiner, a NUL (below every printable character, so the pair
 * orders as the tuple does), serial. Compared with `<`, i.e. by UTF-16 code unit, which is code
 * point order (the index's on SQLite and on a C-collated PostgreSQL) for every serial that does not
 * mix characters beyond U+FFFF with private-use ones; the books' order is checked as it is read.
 */
function keyOf(refiner: string, serial: string): string {
  return `${refiner}\u0000${serial}`;
}

/** Compares a counted bar list with the books: bars missing, unexpected, and differing. */
export async function reconcile(ingot: Ingot, bareRequest: ReconcileRequest): Promise<ReconcileOutcome> {
  const request = { ...bareRequest, lines: readingNow(bareRequest.lines) };
  if (request.account_id) {
    const found = await findAccount(ingot.store.db, request.account_id);
    if (!found.ok) return found;
    if (found.account.kind !== 'custody') {
      return refuse('account_unit_mismatch', `${request.account_id} is not a custody account`, 'account');
    }
  }
  if (request.record && !isIsoDate(request.record.date)) {
    return refuse('invalid_input', `the count's date ${request.record.date} is not YYYY-MM-DD`, 'date');
  }
  const dir = await mkdtemp(join(tmpdir(), 'ingot-reconcile-'));
  try {
    const sorted = await sortCount(dir, request);
    if (!sorted.ok) return sorted;
    const runs = sorted.runs;
    const findings = request.record ? await FindingSpill.create(join(dir, 'findings')) : undefined;
    // The books as of one snapshot, from the first page to the last, while settlements go on.
    const compared = await inSnapshot(ingot, async (reading) => {
      const count = new CountMerge(runs);
      try {
        // The highest entry id: the books as they were when the comparison began.
        const head = await lastEntryId(reading.store.db);
        const books = await BookPages.open(reading, request.account_id);
        return { head, merged: await merge(count, books, findings) };
      } finally {
        await count.close();
        await findings?.close();
      }
    });
    const { head, merged } = compared;
    if (!merged.ok) return merged;
    const reconciliation = merged.reconciliation;
    if (!request.record || !findings) return { ok: true, reconciliation };
    const recorded = await recordCount(ingot, request, reconciliation, findings, head, sorted.sha256);
    if (!recorded.ok) return recorded;
    return { ok: true, reconciliation: { ...reconciliation, recorded: recorded.recorded } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The count, sorted in runs

type SortedCount =
  | { ok: true; runs: RunCursor[]; sha256: string }
  | { ok: false; code: 'bar_list_invalid'; message: string; problems: BarListProblem[] };

function byKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Reads and checks the count; sorts it a run at a time, spilling each full run to a file. */
async function sortCount(dir: string, request: ReconcileRequest): Promise<SortedCount> {
  // A count states what is in the vault, fine or not: no contract rules apply to it.
  const rules = { minimum_fineness: 0n, good_delivery: false };
  const problems: BarListProblem[] = [];
  const digest = createHash('sha256');
  const files: string[] = [];
  let header: BarListHeader | undefined;
  let run: Counted[] = [];
  let row = 0;
  let faulty = 0;
  for await (const line of request.lines) {
    row += 1;
    digest.update(`${line}\n`);
    if (row % 10_000 === 0) request.on_progress?.(row);
    if (!header) {
      const parsed = parseBarListHeader(line);
      if (!parsed.ok) return invalid(parsed.problems);
      header = parsed.header;
      continue;
    }
    if (isBlankLine(line)) continue;
    const parsed = parseBarRow(line, row, header, rules);
    if (!parsed.ok) {
      faulty += parsed.problems.length;
      if (problems.length < RECONCILE_EXAMPLES_MAX) problems.push(...parsed.problems);
      continue;
    }
    const bar = parsed.bar;
    const refiner = bar.refiner.toUpperCase();
    run.push({
      key: keyOf(refiner, bar.serial),
      row,
      refiner,
      serial: bar.serial,
      weights: `${bar.gross_milli_oz}/${bar.fineness}/${bar.fine_milli_oz}`,
    });
    if (run.length >= (request.run_bars ?? RUN_BARS)) {
      if (faulty === 0) files.push(await spill(dir, files.length, run));
      run = [];
    }
  }
  if (!header) problems.push({ row: 1, column: null, reason: 'the file is empty' });
  if (problems.length > 0) return invalid(problems, Math.max(faulty, problems.length));
  run.sort(byKey);
  const runs: RunCursor[] = [];
  for (const file of files) runs.push(await RunCursor.ofFile(file));
  if (run.length > 0) runs.push(RunCursor.ofArray(run));
  return { ok: true, runs, sha256: digest.digest('hex') };
}

function invalid(problems: BarListProblem[], total = problems.length) {
  return {
    ok: false,
    code: 'bar_list_invalid',
    message: `the count could not be read: ${total} problem(s)`,
    problems: problems.slice(0, RECONCILE_EXAMPLES_MAX),
  } as const;
}

/** Sorts a run and writes it to a file, one bar a line, tab-separated (marks are printable). */
async function spill(dir: string, index: number, run: Counted[]): Promise<string> {
  run.sort(byKey);
  const path = join(dir, `run-${index}`);
  const file = await open(path, 'w');
  try {
    let buffer = '';
    for (const bar of run) {
      buffer += `${bar.refiner}\t${bar.serial}\t${bar.weights}\t${bar.row}\n`;
      if (buffer.length >= SPILL_BUFFER_CHARS) {
        await file.write(buffer);
        buffer = '';
      }
    }
    await file.write(buffer);
  } finally {
    await file.close();
  }
  return path;
}

/** Characters written at once to a run's file. */
const SPILL_BUFFER_CHARS = 1 << 20;
/**
 * Bytes read at once from a run's file: every run holds this much, parsed, while the runs are
 * merged (30 runs at 3,000,000 bars), so it is kept small.
 */
const RUN_READ_BYTES = 64 << 10;

/**
 * One sorted run, read a buffer at a time: `bar` is its current bar; `step` moves on and says
 * whether the cursor must `fill` (await) before its next bar is known. No promise per bar.
 */
class RunCursor {
  #items: Counted[];
  #index = 0;
  #rest = '';
  #file: FileHandle | undefined;
  #ended: boolean;
  readonly #decoder = new StringDecoder('utf8');

  private constructor(items: Counted[], file: FileHandle | undefined) {
    this.#items = items;
    this.#file = file;
    this.#ended = file === undefined;
  }

  static ofArray(items: Counted[]): RunCursor {
    return new RunCursor(items, undefined);
  }

  static async ofFile(path: string): Promise<RunCursor> {
    const cursor = new RunCursor([], await open(path, 'r'));
    await cursor.fill();
    return cursor;
  }

  get bar(): Counted | undefined {
    return this.#items[this.#index];
  }

  /** Moves past the current bar; true when the next must be read from the file first. */
  step(): boolean {
    this.#index += 1;
    return this.#index >= this.#items.length && !this.#ended;
  }

  /** Reads the next buffer of the file (or closes it at its end). */
  async fill(): Promise<void> {
    const file = this.#file;
    if (!file) return;
    const items: Counted[] = [];
    while (items.length === 0 && !this.#ended) {
      const buffer = Buffer.allocUnsafe(RUN_READ_BYTES);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      // A character cut at the buffer's end waits in the decoder, a line cut there in #rest.
      const text = this.#rest + this.#decoder.write(buffer.subarray(0, bytesRead));
      if (bytesRead === 0) {
        this.#ended = true;
        await file.close();
      }
      const lines = text.split('\n');
      this.#rest = this.#ended ? '' : (lines.pop() ?? '');
      for (const line of lines) {
        if (line === '') continue;
        const [refiner = '', serial = '', weights = '', row = '0'] = line.split('\t');
        items.push({ key: keyOf(refiner, serial), refiner, serial, weights, row: Number(row) });
      }
    }
    this.#items = items;
    this.#index = 0;
  }

  /** Closes the file if the merge stops before its end. */
  async close(): Promise<void> {
    if (!this.#ended) {
      this.#ended = true;
      await this.#file?.close();
    }
  }
}

/**
 * The runs merged into one stream in key order: a binary heap of the runs by their current bar.
 * `take` gives the next bar, undefined at the end, or FILL when a run must be read first.
 */
class CountMerge {
  readonly #heap: RunCursor[];
  #waiting: RunCursor | undefined;

  constructor(runs: readonly RunCursor[]) {
    this.#heap = runs.filter((run) => run.bar !== undefined);
    for (let i = Math.floor(this.#heap.length / 2) - 1; i >= 0; i -= 1) this.#down(i);
  }

  take(): Counted | undefined | typeof FILL {
    if (this.#waiting) return FILL;
    const top = this.#heap[0];
    const bar = top?.bar;
    if (!top || !bar) return undefined;
    if (top.step()) this.#waiting = top;
    else this.#settle();
    return bar;
  }

  async fill(): Promise<void> {
    await this.#waiting?.fill();
    this.#waiting = undefined;
    this.#settle();
  }

  async close(): Promise<void> {
    for (const run of this.#heap) await run.close();
  }

  /** The top run moved on: drop it if it ended, else sink it to its place. */
  #settle(): void {
    const top = this.#heap[0];
    if (top && top.bar === undefined) {
      const last = this.#heap.pop();
      if (last && last !== top) this.#heap[0] = last;
    }
    this.#down(0);
  }

  #down(start: number): void {
    const heap = this.#heap;
    let i = start;
    for (;;) {
      const here = heap[i];
      if (!here?.bar) return;
      let m = i;
      let least = here;
      let leastKey = here.bar.key;
      const left = heap[2 * i + 1];
      const leftKey = left?.bar?.key;
      if (left && leftKey !== undefined && leftKey < leastKey) {
        m = 2 * i + 1;
        least = left;
        leastKey = leftKey;
      }
      const right = heap[2 * i + 2];
      const rightKey = right?.bar?.key;
      if (right && rightKey !== undefined && rightKey < leastKey) {
        m = 2 * i + 2;
        least = right;
      }
      if (m === i) return;
      heap[m] = here;
      heap[i] = least;
      i = m;
    }
  }
}

const FILL = Symbol('fill');

// ---------------------------------------------------------------------------------------------
// The books, in the same order

/**
 * Every bar in scope (one account's, or every bar in a custody account), in key order: the bars'
 * identity index walked a page at a time, the next page read while this one is merged. `take`
 * gives the next bar, undefined at the end, or FILL when the next page must be awaited.
 */
class BookPages {
  #page: BookRow[] = [];
  #index = 0;
  #next: Promise<BookRow[]> | undefined;
  #previous = '';

  constructor(
    private readonly ingot: Ingot,
    private readonly inScope: (account: string) => boolean,
  ) {
    this.#next = this.#read(undefined);
  }

  static async open(ingot: Ingot, accountId: string | undefined): Promise<BookPages> {
    if (accountId) return new BookPages(ingot, (account) => account === accountId);
    const custody = new Set(await custodyAccountIds(ingot.store.db));
    return new BookPages(ingot, (account) => custody.has(account));
  }

  #read(after: BookRow | undefined): Promise<BookRow[]> {
    const rows = booksPage(this.ingot.store.db, after);
    rows.catch(() => undefined);
    return rows;
  }

  take(): Booked | undefined | typeof FILL {
    for (;;) {
      const row = this.#page[this.#index];
      if (row === undefined) return this.#next ? FILL : undefined;
      this.#index += 1;
      const key = keyOf(row.refiner, row.serial);
      if (key <= this.#previous) {
        throw new Error(
          `reconciliation: the database orders bar ${row.refiner} ${row.serial} before another it follows; ` +
            'its collation must order text by code point (C)',
        );
      }
      this.#previous = key;
      if (!this.inScope(row.owner_account_id)) continue;
      return {
        key,
        refiner: row.refiner,
        serial: row.serial,
        weights: String(row.weights),
        owner: row.owner_account_id,
      };
    }
  }

  async fill(): Promise<void> {
    const page = (await this.#next) ?? [];
    const last = page.at(-1);
    this.#next = last && page.length === BOOK_PAGE_ROWS ? this.#read(last) : undefined;
    this.#page = page;
    this.#index = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// The merge

/** A bar as the answer names it, its weights turned into numbers. */
function plain(bar: { refiner: string; serial: string; weights: string }): CountedBar {
  const [gross = '0', fineness = '0', fine = '0'] = bar.weights.split('/');
  return {
    refiner: bar.refiner,
    serial: bar.serial,
    gross_milli_oz: BigInt(gross),
    fineness: BigInt(fineness),
    fine_milli_oz: BigInt(fine),
  };
}

/** The next item of a stream that may have to be awaited now and then (not for every item). */
async function nextOf<T>(stream: { take(): T | undefined | typeof FILL; fill(): Promise<void> }) {
  for (;;) {
    const item = stream.take();
    if (item !== FILL) return item;
    await stream.fill();
  }
}

async function merge(
  count: CountMerge,
  books: BookPages,
  findings: FindingSpill | undefined,
): Promise<ReconcileOutcome> {
  let counted = 0n;
  let booked = 0n;
  const missing = { count: 0n, bars: [] as CountedBar[] };
  const unexpected = { count: 0n, bars: [] as CountedBar[] };
  const differing = { count: 0n, bars: [] as { booked: CountedBar; counted: CountedBar }[] };
  const dupes: BarListProblem[] = [];
  const takeMissing = async (bar: Booked) => {
    missing.count += 1n;
    if (missing.bars.length < RECONCILE_EXAMPLES_MAX) missing.bars.push(plain(bar));
    await findings?.add({ finding: 'missing', bar });
  };
  let b = books.take();
  if (b === FILL) b = await nextOf(books);
  let previous: Counted | undefined;
  for (;;) {
    let c = count.take();
    if (c === FILL) c = await nextOf(count);
    if (c === undefined) break;
    if (previous && previous.key === c.key) {
      if (dupes.length < RECONCILE_EXAMPLES_MAX) {
        const [first, second] = previous.row < c.row ? [previous, c] : [c, previous];
        dupes.push({
          row: second.row,
          column: 'serial',
          reason: `bar ${c.refiner} ${c.serial} is counted twice (also row ${first.row})`,
        });
      }
      continue;
    }
    previous = c;
    counted += 1n;
    while (b !== undefined && b.key < c.key) {
      booked += 1n;
      await takeMissing(b);
      b = books.take();
      if (b === FILL) b = await nextOf(books);
    }
    if (b !== undefined && b.key === c.key) {
      const held = b;
      booked += 1n;
      b = books.take();
      if (b === FILL) b = await nextOf(books);
      if (held.weights !== c.weights) {
        differing.count += 1n;
        if (differing.bars.length < RECONCILE_EXAMPLES_MAX)
          differing.bars.push({ booked: plain(held), counted: plain(c) });
        await findings?.add({ finding: 'differing', bar: c });
      }
      continue;
    }
    unexpected.count += 1n;
    if (unexpected.bars.length < RECONCILE_EXAMPLES_MAX) unexpected.bars.push(plain(c));
    await findings?.add({ finding: 'unknown', bar: c });
  }
  while (b !== undefined) {
    booked += 1n;
    await takeMissing(b);
    b = books.take();
    if (b === FILL) b = await nextOf(books);
  }
  if (dupes.length > 0) return invalid(dupes.sort((x, y) => x.row - y.row));
  const reconciliation: Reconciliation = {
    counted,
    booked,
    matched: booked - missing.count - differing.count,
    missing,
    unexpected,
    differing,
  };
  return { ok: true, reconciliation };
}

// ---------------------------------------------------------------------------------------------
// Recording a count

/** The findings of a count, written to a file as they are found and read back to be recorded. */
class FindingSpill {
  #buffer = '';
  #count = 0;

  private constructor(
    readonly path: string,
    private readonly file: Awaited<ReturnType<typeof open>>,
  ) {}

  static async create(path: string): Promise<FindingSpill> {
    return new FindingSpill(path, await open(path, 'w'));
  }

  get count(): number {
    return this.#count;
  }

  async add(finding: Finding): Promise<void> {
    const bar = finding.bar;
    const weights = finding.finding === 'missing' ? '' : bar.weights;
    this.#buffer += `${finding.finding}\t${bar.refiner}\t${bar.serial}\t${weights}\n`;
    this.#count += 1;
    if (this.#buffer.length >= SPILL_BUFFER_CHARS) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#buffer.length > 0) await this.file.write(this.#buffer);
    this.#buffer = '';
  }

  #closed = false;

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#flush();
    await this.file.close();
  }

  async *read(): AsyncGenerator<string[]> {
    const lines = createInterface({
      input: createReadStream(this.path),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) yield line.split('\t');
  }
}

/**
 * Records the count: a `vault_count` journal entry (no postings; its memo, which the entry's hash
 * covers, gives the totals and the count file's SHA-256), a `vault_count` document, the count's
 * totals and its findings. Refused when the books changed while the count was being compared.
 */
async function recordCount(
  ingot: Ingot,
  request: ReconcileRequest,
  r: Reconciliation,
  findings: FindingSpill,
  head: bigint,
  sha256: string,
): Promise<Outcome<{ recorded: RecordedCount }>> {
  const record = request.record;
  if (!record) throw new Error('recordCount without a record request');
  return ingot.store.write(async (tx) => {
    const now = await nextEntryId(tx);
    if (now - 1n !== head) {
      return refuse(
        'invalid_input',
        'the books changed while the count was being compared with them; reconcile again',
        'file',
      );
    }
    const scope = request.account_id ? `account ${request.account_id}` : 'every custody account';
    const totals =
      `counted ${r.counted}, booked ${r.booked}, missing ${r.missing.count}, ` +
      `unknown ${r.unexpected.count}, differing ${r.differing.count}`;
    const entryId = now;
    await insertEntry(tx, entryId, {
      kind: 'vault_count',
      value_date: record.date,
      recorded_at: ingot.now(),
      memo: `vault count ${record.source} of ${scope} on ${record.date}: ${totals}; sha256 ${sha256}`,
    });
    await sealEntry(tx, entryId);
    const depository = await depositoryParty(tx);
    const body = {
      kind: 'vault_count',
      source: record.source,
      date: record.date,
      account_id: request.account_id ?? null,
      sha256,
      counted: String(r.counted),
      booked: String(r.booked),
      matched: String(r.matched),
      missing: String(r.missing.count),
      unknown: String(r.unexpected.count),
      differing: String(r.differing.count),
      recorded_by: ingot.user,
    };
    const documentId = await nextIdOf(tx, 'documents');
    await recordCountDocument(tx, {
      id: documentId,
      entry_id: entryId,
      party_id: depository ?? 'DEPOSITORY',
      created_at: ingot.now(),
      body: JSON.stringify(body),
    });
    const countId = await nextIdOf(tx, 'vault_counts');
    await recordVaultCount(tx, {
      id: countId,
      entry_id: entryId,
      document_id: documentId,
      count_date: record.date,
      account_id: request.account_id ?? null,
      source: record.source,
      counted: r.counted,
      booked: r.booked,
      missing: r.missing.count,
      unknown: r.unexpected.count,
      differing: r.differing.count,
      recorded_by: ingot.user,
      recorded_at: ingot.now(),
    });
    await writeFindings(tx, countId, findings);
    return {
      ok: true,
      recorded: { count_id: countId, entry_id: entryId, document_id: documentId, date: record.date, sha256 },
    } as const;
  });
}

async function writeFindings(tx: Tx, countId: bigint, findings: FindingSpill): Promise<void> {
  let chunk: CountFinding[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    await recordFindings(tx, countId, chunk);
    chunk = [];
  };
  for await (const [finding = '', refiner = '', serial = '', weights] of findings.read()) {
    const [gross, fineness, fine] = weights ? weights.split('/').map((n) => BigInt(n)) : [null, null, null];
    chunk.push({
      finding,
      refiner,
      serial,
      gross_milli_oz: gross ?? null,
      fineness: fineness ?? null,
      fine_milli_oz: fine ?? null,
    });
    if (chunk.length >= FINDING_CHUNK_ROWS) await flush();
  }
  await flush();
}
