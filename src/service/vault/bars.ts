// The vault's bars: a bar list imported into a custody account, exported back, one page at a time.

import {
  type BarListProblem,
  type BarListRules,
  type BarSpec,
  formatBarListHeader,
  formatBarRow,
  isBlankLine,
  parseBarListHeader,
  parseBarRow,
} from '../../domain/barlist.ts';
import { type ReceivedBars, ReceivedBarsDigest } from '../../domain/custody/chain.ts';
import { assert, type Outcome, refuse } from '../../domain/outcome.ts';
import type { RefinerPolicy } from '../../domain/refiners.ts';
import { barsText, describeWeight } from '../../domain/weight.ts';
import type { BarSink, Collision } from '../../store/bar-sink.ts';
import type { BarRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import { addPostings, insertEntry, nextEntryId, sealEntry } from '../journal/journal.ts';
import type { Ingot } from '../kernel/context.ts';
import { idempotent, type Replayable } from '../kernel/idempotency.ts';
import { readingNow } from '../kernel/lines.ts';
import { ensureExternalAccount, findAccount } from '../parties/parties.ts';
import { barSink } from './bar-sinks.ts';
import { barView, toBarSpec } from './bar-view.ts';
import { lastValueDate } from './queries.ts';
import { analyzeBars, type BarFilter, barsPage, countBars, lastBarId, setEntryMemo } from './queries-bars.ts';
import {
  describeFlags,
  REFINER_FLAGS_SHOWN_MAX,
  type RefinerFlag,
  type RefinerScreen,
  refinerScreen,
  screenBar,
} from './refiners.ts';
import { barsAtDate } from './statement.ts';

/** At most this many problems are reported; an import with more is refused all the same. */
export const BAR_IMPORT_PROBLEMS_MAX = 200;

export interface BarImportRequest {
  readonly account_id: string;
  readonly lines: AsyncIterable<string>;
  readonly rules: BarListRules;
  readonly date: string;
  readonly key: string;
  /** Names the file in the journal and makes a retried import of the same file idempotent. */
  readonly source: string;
  readonly on_progress?: (rows: number) => void;
  /** Bars whose brand the refiners list does not vouch for: refused, flagged, or not checked. */
  readonly refiners?: RefinerPolicy;
}

/** What an import did: the entry, the bars, and the bars flagged under `refiners: 'flag'`. */
type Imported = { entry_id: bigint; bars: number; fine_milli_oz: bigint; flagged: RefinerFlag[] };

export type BarImportOutcome =
  | Replayable<Imported>
  | { ok: false; code: 'bar_list_invalid'; message: string; problems: BarListProblem[] };

class InvalidBarList extends Error {
  constructor(readonly problems: BarListProblem[]) {
    super(`bar list has ${problems.length} problem(s)`);
  }
}

/**
 * Imports a bar list into a custody account as gold received from outside: all rows or none.
 * Rows stream into the transaction in chunks; any problem rolls the whole import back.
 */
export async function importBars(ingot: Ingot, bareRequest: BarImportRequest): Promise<BarImportOutcome> {
  const request = { ...bareRequest, lines: readingNow(bareRequest.lines) };
  const identity = {
    account_id: request.account_id,
    source: request.source,
    date: request.date,
    rules: request.rules,
    ...(request.refiners ? { refiners: request.refiners } : {}),
  };
  try {
    const outcome = await idempotent(ingot, request.key, 'bars.import', identity, (tx) =>
      importInto(tx, ingot, request),
    );
    if (outcome.ok && !outcome.replayed) await refreshStatistics(ingot, outcome.bars);
    return outcome;
  } catch (error) {
    if (!(error instanceof InvalidBarList)) throw error;
    const count = error.problems.length;
    const shown = count > BAR_IMPORT_PROBLEMS_MAX ? ` (the first ${BAR_IMPORT_PROBLEMS_MAX} shown)` : '';
    return {
      ok: false,
      code: 'bar_list_invalid',
      message: `bar list refused, nothing imported: ${count} problem(s)${shown}`,
      problems: error.problems.slice(0, BAR_IMPORT_PROBLEMS_MAX),
    };
  }
}

/** Bars received at once above which PostgreSQL's statistics of the bars are refreshed. */
const ANALYZE_AFTER_BARS = 10_000;

/**
 * Until autovacuum gets to it, PostgreSQL's planner takes the bars table for as small as it was
 * before a large import: each page of a bar list then sorted all the rest of the vault (200,000
 * bars exported in 6.8 s, 2.6 s once analyzed; quadratic in the vault) and allocation slowed alike.
 * ANALYZE reads a sample of the table, whatever its size.
 */
async function refreshStatistics(ingot: Ingot, bars: number): Promise<void> {
  if (ingot.store.dialect !== 'postgres' || bars < ANALYZE_AFTER_BARS) return;
  await analyzeBars(ingot.store.db);
}

async function importInto(tx: Tx, ingot: Ingot, request: BarImportRequest): Promise<Outcome<Imported>> {
  const found = await findAccount(tx, request.account_id);
  if (!found.ok) return found;
  if (found.account.kind !== 'custody') {
    return refuse('account_unit_mismatch', `${request.account_id} is not a gold custody account`, 'account');
  }
  const screen = await refinerScreen(tx, request.refiners);
  if ('ok' in screen) return screen;
  const external = await ensureExternalAccount(tx, 'XAU', ingot.now());
  const entryId = await nextEntryId(tx);
  await insertEntry(tx, entryId, {
    kind: 'bars_received',
    value_date: request.date,
    recorded_at: ingot.now(),
    memo: `bars received into ${request.account_id} from bar list ${request.source}`,
    idempotency_key: request.key,
  });
  const loaded = await streamRows(tx, ingot, request, entryId, screen);
  if (loaded.problems.length > 0) throw new InvalidBarList(loaded.problems);
  if (loaded.bars === 0) {
    throw new InvalidBarList([{ row: 1, column: null, reason: 'the bar list holds no bars' }]);
  }
  const posted = await addPostings(tx, entryId, [
    { account_id: request.account_id, unit: 'XAU', amount: loaded.fine },
    { account_id: external, unit: 'XAU', amount: -loaded.fine },
  ]);
  if (!posted.ok) return posted;
  // Flagged bars are journalled in the entry's memo, by brand, before the entry is sealed.
  if (loaded.flags.counts.size > 0) {
    const memo = `bars received into ${request.account_id} from bar list ${request.source}`;
    const flagged = memo + describeFlags(loaded.flags.counts);
    await setEntryMemo(tx, entryId, flagged);
  }
  // The entry's hash covers every bar received, not just their count and weight: each bar's identity
  // (refiner, serial, year, weights, fineness, bar id) digested in id order as each row was written
  // (reading 3,000,000 rows back to digest them was a tenth of an import). Verify reads them back.
  await sealEntry(tx, entryId, { received_bars: loaded.received });
  const flagged = loaded.flags.shown;
  return { ok: true, entry_id: entryId, bars: loaded.bars, fine_milli_oz: loaded.fine, flagged };
}

/**
 * The file row of each bar imported so far, for naming rows in problems. Rows follow bars one for
 * one except after a blank or faulty line, so only those breaks are kept, not a number per bar: a
 * 3,000,000-bar list costs a few numbers, not 3,000,000.
 */
class BarRows {
  #count = 0;
  /** Run k starts at bar index starts[k]; in it, a bar's row is its index plus offsets[k]. */
  readonly #starts: number[] = [];
  readonly #offsets: number[] = [];

  get count(): number {
    return this.#count;
  }

  push(row: number): void {
    const offset = row - this.#count;
    if (this.#offsets.at(-1) !== offset) {
      this.#starts.push(this.#count);
      this.#offsets.push(offset);
    }
    this.#count += 1;
  }

  /** The row of the bar at `index` (0 for the first bar of this import), if there is one. */
  rowOf(index: number): number | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.#count) return undefined;
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.#starts[middle] ?? 0) <= index) low = middle;
      else high = middle - 1;
    }
    return index + (this.#offsets[low] ?? 0);
  }
}

/** Bars parsed before they are written, as one chunk (the sink's size; see bar-sinks.ts). */
export { BAR_IMPORT_CHUNK_ROWS } from './bar-sinks.ts';

interface Loaded {
  bars: number;
  fine: bigint;
  problems: BarListProblem[];
  flags: Flags;
  /** The digest of the bars written, in id order, as the entry's hash chains it. */
  received: ReceivedBars;
}

/** Bars flagged under the refiners list: the first few by row, and how many of each brand. */
class Flags {
  readonly shown: RefinerFlag[] = [];
  readonly counts = new Map<string, number>();

  note(row: number, brand: string, reason: string): void {
    if (this.shown.length < REFINER_FLAGS_SHOWN_MAX) this.shown.push({ sheet: null, row, brand, reason });
    this.counts.set(brand, (this.counts.get(brand) ?? 0) + 1);
  }
}

/**
 * Reads, checks and writes the rows, a chunk at a time, into the store's sink for bars. While a
 * chunk is being written (PostgreSQL: by COPY, on the server) the next is read and checked.
 */
async function streamRows(
  tx: Tx,
  ingot: Ingot,
  request: BarImportRequest,
  entryId: bigint,
  screen: RefinerScreen,
): Promise<Loaded> {
  const firstId = await nextBarId(tx);
  const sink = barSink(ingot, tx);
  try {
    return await readInto(sink, request, entryId, screen, firstId);
  } catch (error) {
    await sink.abandon();
    throw error;
  }
}

async function readInto(
  sink: BarSink,
  request: BarImportRequest,
  entryId: bigint,
  screen: RefinerScreen,
  firstId: bigint,
): Promise<Loaded> {
  const problems: BarListProblem[] = [];
  const flags = new Flags();
  const rows = new BarRows();
  const digest = new ReceivedBarsDigest();
  const chunkRows = sink.chunk_rows;
  let chunk: BarRow[] = [];
  let fine = 0n;
  let row = 0;
  let header: Parameters<typeof parseBarRow>[2] | undefined;
  const refused = async (found: BarListProblem[]) => {
    await sink.abandon();
    return { bars: 0, fine: 0n, problems: found, flags, received: digest.finish() };
  };
  for await (const line of request.lines) {
    row += 1;
    if (row % 10_000 === 0) request.on_progress?.(row);
    if (!header) {
      const parsed = parseBarListHeader(line);
      if (!parsed.ok) return await refused(parsed.problems);
      header = parsed.header;
      continue;
    }
    if (isBlankLine(line)) continue;
    const parsed = parseBarRow(line, row, header, request.rules);
    if (!parsed.ok) {
      if (problems.length < BAR_IMPORT_PROBLEMS_MAX * 2) problems.push(...parsed.problems);
      continue;
    }
    const unvouched = screenBar(screen, parsed.bar.refiner, parsed.bar.year);
    if (unvouched !== null && screen.policy === 'refuse') {
      if (problems.length < BAR_IMPORT_PROBLEMS_MAX * 2)
        problems.push({ row, column: 'refiner', reason: unvouched });
      continue;
    }
    if (unvouched !== null) flags.note(row, parsed.bar.refiner.toUpperCase(), unvouched);
    const id = firstId + BigInt(rows.count);
    rows.push(row);
    const bar = toBarRow(id, parsed.bar, request.account_id, entryId);
    chunk.push(bar);
    digest.add(bar);
    fine += parsed.bar.fine_milli_oz;
    if (chunk.length >= chunkRows) {
      await sink.write(chunk);
      chunk = [];
    }
  }
  if (!header) return await refused([{ row: 1, column: null, reason: 'the file is empty' }]);
  await sink.write(chunk);
  const collisions = await sink.finish(BAR_IMPORT_PROBLEMS_MAX * 2);
  for (const collision of collisions) problems.push(duplicateProblem(collision, rows, firstId, entryId));
  request.on_progress?.(row);
  problems.sort((a, b) => a.row - b.row);
  return { bars: rows.count, fine, problems, flags, received: digest.finish() };
}

/** A bar that collided with a known one, as the problem of its row. */
function duplicateProblem(
  collision: Collision,
  rows: BarRows,
  firstId: bigint,
  entryId: bigint,
): BarListProblem {
  const row = rows.rowOf(Number(collision.id - firstId)) ?? 0;
  const earlier = rows.rowOf(Number(collision.other_id - firstId));
  const where =
    collision.other_received_entry_id === entryId && earlier !== undefined
      ? `appears twice in this bar list (first at row ${earlier})`
      : `is already in the vault (bar id ${collision.other_id})`;
  const bar = `${collision.refiner} ${collision.serial}`;
  return { row, column: 'serial', reason: `duplicate bar: ${bar} ${where}` };
}

async function nextBarId(tx: Tx): Promise<bigint> {
  return (await lastBarId(tx)) + 1n;
}

function toBarRow(id: bigint, bar: BarSpec, owner: string, entryId: bigint): BarRow {
  return {
    id,
    refiner: bar.refiner.toUpperCase(),
    serial: bar.serial,
    year: BigInt(bar.year),
    gross_milli_oz: bar.gross_milli_oz,
    fineness: bar.fineness,
    fine_milli_oz: bar.fine_milli_oz,
    vault: bar.vault,
    location: bar.location,
    external_bar_id: bar.bar_id,
    owner_account_id: owner,
    state: 'held',
    trade_id: null,
    received_entry_id: entryId,
    instruction_id: null,
  };
}

/** A stored bar in the bar list's own terms. */
export const BAR_PAGE_ROWS = 5000;

/** Pages through bars in id order, a page at a time, so no list is ever held whole. */
export async function* barsWhere(ingot: Ingot, filter: BarFilter): AsyncGenerator<BarRow> {
  let after = 0n;
  for (;;) {
    const page = await barsPage(ingot.store.db, filter, { after, limit: BAR_PAGE_ROWS });
    for (const row of page) yield row;
    const last = page.at(-1);
    if (!last || page.length < BAR_PAGE_ROWS) return;
    after = last.id;
  }
}

/** One bar as a line of the bar-list CSV (no line end): the one CSV form of a stored bar. */
export function barCsvLine(row: BarRow): string {
  return formatBarRow(toBarSpec(barView(row)), true);
}

/** A bar list as CSV lines, header first, read from the store a page at a time. */
export async function* barListCsvLines(
  ingot: Ingot,
  filter: { owner_account_id?: string; trade_id?: string },
): AsyncGenerator<string> {
  yield formatBarListHeader(true);
  for await (const row of barsWhere(ingot, filter)) yield barCsvLine(row);
}

/**
 * The bar list of the bars an account held at the end of `date`, as CSV lines, header first, in
 * custody order: the same bars a statement or a printed bar list of that date holds.
 */
export async function* barListAtDateCsvLines(
  ingot: Ingot,
  account_id: string,
  date: string,
): AsyncGenerator<string> {
  yield formatBarListHeader(true);
  for await (const row of barsAtDate(ingot, account_id, date)) yield barCsvLine(row);
}

/**
 * How many bars an account held at the end of `date`, when the owner's index says it (the date is
 * on or after the last value date in the books); undefined for an earlier date, whose bars are
 * known only by replaying their history.
 */
export async function barCountAtDate(
  ingot: Ingot,
  account_id: string,
  date: string,
): Promise<number | undefined> {
  const latest = await lastValueDate(ingot.store.db);
  if (latest && date < latest) return undefined;
  return barCount(ingot, { owner_account_id: account_id });
}

/** Writes an account's bar list as CSV lines (header first) to `write`. Returns the count. */
export async function exportBars(
  ingot: Ingot,
  account_id: string,
  write: (line: string) => void | Promise<void>,
): Promise<Outcome<{ bars: number; fine_milli_oz: bigint }>> {
  const found = await findAccount(ingot.store.db, account_id);
  if (!found.ok) return found;
  await write(formatBarListHeader(true));
  let bars = 0;
  let fine = 0n;
  for await (const row of barsWhere(ingot, { owner_account_id: account_id })) {
    await write(barCsvLine(row));
    bars += 1;
    fine += row.fine_milli_oz;
  }
  if (found.account.kind === 'custody') {
    assert(
      fine === found.account.balance,
      `${account_id}: bars sum to ${fine}, balance is ${found.account.balance}`,
    );
  }
  return { ok: true, bars, fine_milli_oz: fine };
}

/** A sentence for an import's result. */
export function describeImport(bars: number, fine: bigint, account: string): string {
  return `${barsText(bars)}, ${describeWeight(fine)}, received into ${account}`;
}

/** How many bars a bar list will hold: counted on the owner's or the trade's index. */
export function barCount(ingot: Ingot, filter: BarFilter): Promise<number> {
  return countBars(ingot.store.db, filter);
}
