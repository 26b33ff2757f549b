// Reconciliation: a physical count of the vault (a bar list) against the books, bar for bar, as a
// streamed merge of the two in one order, (refiner, serial) by code point. The count is sorted in
// runs of RUN_BARS spilled to temporary files and merged back; the books are read a page at a time
// in the order of their identity index. Memory is bounded by a run and a page, never by the vault.
// A count may be recorded (`record`): a journal entry, a document, the count's totals and its
// findings bar by bar, so that each bar's history says when it was seen in a count or missing.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import {
  type BarListHeader,
  type BarListProblem,
  isBlankLine,
  parseBarListHeader,
  parseBarRow,
} from '../../domain/barlist.ts';
import { isIsoDate } from '../../domain/fixing.ts';
import { type Outcome, refuse } from '../../domain/outcome.ts';
import { prepare } from '../../store/prepared.ts';
import type { Tx } from '../../store/store.ts';
import { insertEntry, nextEntryId, sealEntry } from '../journal/journal.ts';
import type { Ingot } from '../kernel/context.ts';
import { readingNow } from '../kernel/lines.ts';
import { inSnapshot } from '../kernel/snapshot.ts';
import { findAccount } from '../parties/parties.ts';

/** Bars named in each list of differences; the counts are always complete. */
export const RECONCILE_EXAMPLES_MAX = 100;
/** Counted bars sorted in memory at once before a run is spilled to a temporary file. */
export const RUN_BARS = 250_000;
/** Bars of the books read per query. */
const BOOK_PAGE_ROWS = 5000;
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
  /** Record the count in the books, as of this date, under this name (the file's). */
  readonly record?: { readonly date: string; readonly source: string };
}

export type ReconcileOutcome =
  | Outcome<{ reconciliation: Reconciliation }>
  | { ok: false; code: 'bar_list_invalid'; message: string; problems: BarListProblem[] };

/** A counted bar with its sort key and the row of the count it came from. */
interface Counted extends CountedBar {
  readonly key: string;
  readonly row: number;
}

/** A bar of the books with its sort key and owner. */
interface Booked extends CountedBar {
  readonly key: string;
  readonly id: bigint;
  readonly owner: string;
}

type Finding =
  | { readonly finding: 'missing'; readonly bar: Booked }
  | { readonly finding: 'unknown'; readonly bar: Counted; readonly bar_id: bigint | null }
  | { readonly finding: 'differing'; readonly bar: Counted; readonly bar_id: bigint };

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
    const findings = request.record ? await FindingSpill.create(join(dir, 'findings')) : undefined;
    // The books as of one snapshot, from the first page to the last, while settlements go on.
    const compared = await inSnapshot(ingot, async (reading) => {
      const head = await journalHead(reading);
      const merged = await merge(sorted.runs, booksInOrder(reading, request.account_id), findings);
      return { head, merged };
    });
    const { head, merged } = compared;
    if (!merged.ok) return merged;
    const reconciliation = merged.reconciliation;
    if (!request.record || !findings) return { ok: true, reconciliation };
    await findings.close();
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
  | { ok: true; runs: AsyncIterable<Counted>[]; sha256: string }
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
      gross_milli_oz: bar.gross_milli_oz,
      fineness: bar.fineness,
      fine_milli_oz: bar.fine_milli_oz,
    });
    if (run.length >= RUN_BARS) {
      if (faulty === 0) files.push(await spill(dir, files.length, run));
      run = [];
    }
  }
  if (!header) problems.push({ row: 1, column: null, reason: 'the file is empty' });
  if (problems.length > 0) return invalid(problems, Math.max(faulty, problems.length));
  run.sort(byKey);
  const runs: AsyncIterable<Counted>[] = files.map(readRun);
  if (run.length > 0) runs.push(fromArray(run));
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

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/** Sorts a run and writes it to a file, one bar a line, tab-separated (marks are printable). */
async function spill(dir: string, index: number, run: Counted[]): Promise<string> {
  run.sort(byKey);
  const path = join(dir, `run-${index}`);
  const file = await open(path, 'w');
  try {
    let buffer = '';
    for (const bar of run) {
      buffer += `${bar.refiner}\t${bar.serial}\t${bar.gross_milli_oz}\t${bar.fineness}\t${bar.fine_milli_oz}\t${bar.row}\n`;
      if (buffer.length >= 1 << 20) {
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

async function* readRun(path: string): AsyncGenerator<Counted> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const [refiner = '', serial = '', gross = '0', fineness = '0', fine = '0', row = '0'] = line.split('\t');
    yield {
      key: keyOf(refiner, serial),
      row: Number(row),
      refiner,
      serial,
      gross_milli_oz: BigInt(gross),
      fineness: BigInt(fineness),
      fine_milli_oz: BigInt(fine),
    };
  }
}

/** A run's next bar and the run it came from, in the merge's heap. */
interface Head {
  bar: Counted;
  readonly iterator: AsyncIterator<Counted>;
}

/** The runs merged into one stream in key order (a binary heap of each run's head). */
async function* mergeRuns(runs: readonly AsyncIterable<Counted>[]): AsyncGenerator<Counted> {
  const heap: Head[] = [];
  for (const run of runs) {
    const iterator = run[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (!first.done) heap.push({ bar: first.value, iterator });
  }
  const down = (start: number) => {
    let i = start;
    for (;;) {
      const here = heap[i];
      const left = heap[2 * i + 1];
      const right = heap[2 * i + 2];
      if (!here) return;
      let m = i;
      let least = here;
      if (left && left.bar.key < least.bar.key) {
        m = 2 * i + 1;
        least = left;
      }
      if (right && right.bar.key < least.bar.key) {
        m = 2 * i + 2;
        least = right;
      }
      if (m === i) return;
      heap[m] = here;
      heap[i] = least;
      i = m;
    }
  };
  for (let i = Math.floor(heap.length / 2) - 1; i >= 0; i -= 1) down(i);
  for (let top = heap[0]; top; top = heap[0]) {
    yield top.bar;
    const next = await top.iterator.next();
    if (next.done) {
      const last = heap.pop();
      if (last && heap.length > 0) heap[0] = last;
    } else top.bar = next.value;
    down(0);
  }
}

// ---------------------------------------------------------------------------------------------
// The books, in the same order

const booksPageFrom = prepare((db, $) =>
  db
    .selectFrom('bars')
    .select(['id', 'refiner', 'serial', 'gross_milli_oz', 'fineness', 'fine_milli_oz', 'owner_account_id'])
    .where((eb) => eb(eb.refTuple('refiner', 'serial'), '>', eb.tuple($('refiner'), $('serial'))))
    .orderBy('refiner')
    .orderBy('serial')
    .limit(BOOK_PAGE_ROWS),
);
const booksFirstPage = prepare((db) =>
  db
    .selectFrom('bars')
    .select(['id', 'refiner', 'serial', 'gross_milli_oz', 'fineness', 'fine_milli_oz', 'owner_account_id'])
    .orderBy('refiner')
    .orderBy('serial')
    .limit(BOOK_PAGE_ROWS),
);

type BookRow = Awaited<ReturnType<typeof booksFirstPage.run>>['rows'][number];

/** The highest entry id: the books as they were when the comparison began. */
async function journalHead(ingot: Ingot): Promise<bigint> {
  const row = await ingot.store.db
    .selectFrom('entries')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return BigInt(row?.id ?? 0);
}

/**
 * Every bar in scope (one account's, or every bar in a custody account), in key order: the bars'
 * identity index walked a page at a time, the next page read while this one is merged.
 */
async function* booksInOrder(ingot: Ingot, accountId: string | undefined): AsyncGenerator<Booked> {
  const db = ingot.store.db;
  const custody = new Set(
    accountId
      ? [accountId]
      : (await db.selectFrom('accounts').select('id').where('kind', '=', 'custody').execute()).map(
          (a) => a.id,
        ),
  );
  let page: Promise<BookRow[]> = booksFirstPage.run(db, {}).then((r) => r.rows);
  let previous = '';
  for (;;) {
    const rows = await page;
    const last = rows.at(-1);
    if (last && rows.length === BOOK_PAGE_ROWS) {
      page = booksPageFrom.run(db, { refiner: last.refiner, serial: last.serial }).then((r) => r.rows);
      page.catch(() => undefined);
    }
    for (const row of rows) {
      const key = keyOf(row.refiner, row.serial);
      if (key <= previous) {
        throw new Error(
          `reconciliation: the database orders bar ${row.refiner} ${row.serial} before another it follows; ` +
            'its collation must order text by code point (C)',
        );
      }
      previous = key;
      if (!custody.has(row.owner_account_id)) continue;
      yield {
        key,
        id: BigInt(row.id),
        owner: row.owner_account_id,
        refiner: row.refiner,
        serial: row.serial,
        gross_milli_oz: BigInt(row.gross_milli_oz),
        fineness: BigInt(row.fineness),
        fine_milli_oz: BigInt(row.fine_milli_oz),
      };
    }
    if (!last || rows.length < BOOK_PAGE_ROWS) return;
  }
}

// ---------------------------------------------------------------------------------------------
// The merge

function plain(bar: CountedBar): CountedBar {
  return {
    refiner: bar.refiner,
    serial: bar.serial,
    gross_milli_oz: bar.gross_milli_oz,
    fineness: bar.fineness,
    fine_milli_oz: bar.fine_milli_oz,
  };
}

async function merge(
  runs: readonly AsyncIterable<Counted>[],
  books: AsyncIterable<Booked>,
  findings: FindingSpill | undefined,
): Promise<ReconcileOutcome> {
  const count = mergeRuns(runs);
  const book = books[Symbol.asyncIterator]();
  let counted = 0n;
  let booked = 0n;
  const missing = { count: 0n, bars: [] as CountedBar[] };
  const unexpected = { count: 0n, bars: [] as CountedBar[] };
  const differing = { count: 0n, bars: [] as { booked: CountedBar; counted: CountedBar }[] };
  let b = await book.next();
  let previous: Counted | undefined;
  const dupes: BarListProblem[] = [];
  const takeMissing = async (bar: Booked) => {
    missing.count += 1n;
    if (missing.bars.length < RECONCILE_EXAMPLES_MAX) missing.bars.push(plain(bar));
    await findings?.add({ finding: 'missing', bar });
  };
  for await (const c of count) {
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
    while (!b.done && b.value.key < c.key) {
      booked += 1n;
      await takeMissing(b.value);
      b = await book.next();
    }
    if (!b.done && b.value.key === c.key) {
      const held = b.value;
      booked += 1n;
      b = await book.next();
      const same =
        held.gross_milli_oz === c.gross_milli_oz &&
        held.fineness === c.fineness &&
        held.fine_milli_oz === c.fine_milli_oz;
      if (!same) {
        differing.count += 1n;
        if (differing.bars.length < RECONCILE_EXAMPLES_MAX)
          differing.bars.push({ booked: plain(held), counted: plain(c) });
        await findings?.add({ finding: 'differing', bar: c, bar_id: held.id });
      }
      continue;
    }
    unexpected.count += 1n;
    if (unexpected.bars.length < RECONCILE_EXAMPLES_MAX) unexpected.bars.push(plain(c));
    await findings?.add({ finding: 'unknown', bar: c, bar_id: null });
  }
  while (!b.done) {
    booked += 1n;
    await takeMissing(b.value);
    b = await book.next();
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
    const id = finding.finding === 'missing' ? finding.bar.id : finding.bar_id;
    const weights =
      finding.finding === 'missing' ? '\t\t' : `${bar.gross_milli_oz}\t${bar.fineness}\t${bar.fine_milli_oz}`;
    this.#buffer += `${finding.finding}\t${bar.refiner}\t${bar.serial}\t${id ?? ''}\t${weights}\n`;
    this.#count += 1;
    if (this.#buffer.length >= 1 << 20) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#buffer.length > 0) await this.file.write(this.#buffer);
    this.#buffer = '';
  }

  async close(): Promise<void> {
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
    const depository = await tx
      .selectFrom('parties')
      .select('id')
      .where('role', '=', 'depository')
      .orderBy('id')
      .executeTakeFirst();
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
    const document = await tx
      .insertInto('documents')
      .values({
        kind: 'vault_count',
        trade_id: null,
        entry_id: entryId,
        party_id: depository?.id ?? 'DEPOSITORY',
        created_at: ingot.now(),
        body: JSON.stringify(body),
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const documentId = BigInt(document.id);
    const counted = await sql<{ id: bigint }>`insert into vault_counts (entry_id, document_id, count_date,
      account_id, source, counted, booked, missing, unknown, differing, recorded_by, recorded_at)
      values (${entryId}, ${documentId}, ${record.date}, ${request.account_id ?? null}, ${record.source},
      ${r.counted}, ${r.booked}, ${r.missing.count}, ${r.unexpected.count}, ${r.differing.count},
      ${ingot.user}, ${ingot.now()}) returning id`.execute(tx);
    const countId = BigInt(counted.rows[0]?.id ?? 0);
    await writeFindings(tx, countId, findings);
    return {
      ok: true,
      recorded: { count_id: countId, entry_id: entryId, document_id: documentId, date: record.date, sha256 },
    } as const;
  });
}

async function writeFindings(tx: Tx, countId: bigint, findings: FindingSpill): Promise<void> {
  let chunk: ReturnType<typeof sql>[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    await sql`insert into vault_count_findings (count_id, finding, refiner, serial, bar_id,
      gross_milli_oz, fineness, fine_milli_oz) values ${sql.join(chunk)}`.execute(tx);
    chunk = [];
  };
  const orNull = (text: string | undefined) => (text ? BigInt(text) : null);
  for await (const [finding, refiner, serial, id, gross, fineness, fine] of findings.read()) {
    chunk.push(
      sql`(${countId}, ${finding}, ${refiner}, ${serial}, ${orNull(id)}, ${orNull(gross)}, ${orNull(fineness)}, ${orNull(fine)})`,
    );
    if (chunk.length >= FINDING_CHUNK_ROWS) await flush();
  }
  await flush();
}
