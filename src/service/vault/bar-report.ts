// Bar-level reporting (docs/BAR-REPORTING.md): the depository's bars in custody at the end of a
// date, and the events of bars over a period, read a page at a time so that a vault of millions
// of bars is never held whole. Each report is streamed as lines of CSV or JSON Lines.

import {
  type BarReportFormat,
  EVENTS_FIELDS,
  eventRecord,
  HOLDINGS_FIELDS,
  holdingRecord,
  type ReportedBar,
  type ReportedEvent,
  type ReportedEventKind,
  reportHeader,
  reportLine,
} from '../../domain/bar-report.ts';
import { InvariantError } from '../../domain/outcome.ts';
import type { BarRow } from '../../store/schema.ts';
import type { Ingot } from '../kernel/context.ts';
import { streamInSnapshot } from '../kernel/snapshot.ts';
import { depositoryPartyId } from '../parties/users.ts';
import { barView } from './bar-view.ts';
import { BAR_PAGE_ROWS, barsWhere } from './bars.ts';
import { lastValueDate } from './queries.ts';
import {
  accountsCreditedBy,
  accountsWithParties,
  barsMovedIn,
  barsReceivedByWithMoves,
  barsReceivedIn,
  custodyBalanceAt,
  entriesOfPeriod,
  instructionOfEntry,
  reweighsAfter,
} from './queries-reports.ts';

/** Journal entries (of one period) read at a time when bar events are walked. */
export const BAR_REPORT_ENTRY_PAGE = 1000;

/** What a report wrote: how many bars (or events) and their fine weight. */
export interface BarReportTally {
  records: number;
  fine_milli_oz: bigint;
}

/** The bars in custody do not add up to the custody accounts' balances: the books are unsound. */
export class HoldingsDiffer extends InvariantError {
  override name = 'HoldingsDiffer';
}

interface Books {
  readonly custodian: string;
  /** Each account's party, and whether it is a custody account. */
  readonly accounts: ReadonlyMap<string, { party_id: string; custody: boolean }>;
}

/** The depository and the accounts: few rows, read once per report. */
async function books(ingot: Ingot): Promise<Books> {
  const rows = await accountsWithParties(ingot.store.db);
  const accounts = new Map(rows.map((r) => [r.id, { party_id: r.party_id, custody: r.kind === 'custody' }]));
  return { custodian: (await depositoryPartyId(ingot)) ?? '', accounts };
}

/** A bar as reported, from the one view of a stored bar, held in `account_id`. */
function reported(bar: BarRow, account_id: string, b: Books): ReportedBar {
  const view = barView(bar);
  return {
    serial: view.serial,
    refiner: view.refiner,
    year: BigInt(view.year),
    gross_milli_oz: view.gross_milli_oz,
    fineness: view.fineness,
    fine_milli_oz: view.fine_milli_oz,
    custodian: b.custodian,
    account_id,
    owner_party_id: b.accounts.get(account_id)?.party_id ?? '',
  };
}

/**
 * Every bar in custody at the end of `date` (in any custody account, in transit included), in bar
 * id order, a page at a time. On or after the last value date in the books each bar's owner column
 * says it; for an earlier date each bar's moves up to the date are looked up. Once the last bar is
 * read their fine weights must equal the custody accounts' balances at the date, or HoldingsDiffer.
 */
export async function* holdingsAt(ingot: Ingot, date: string): AsyncGenerator<ReportedBar> {
  const b = await books(ingot);
  const latest = await lastValueDate(ingot.store.db);
  const current = !latest || date >= latest;
  const held = current ? currentHolders(ingot) : holdersAt(ingot, date);
  let fine = 0n;
  for await (const { bar, holder } of held) {
    if (!b.accounts.get(holder)?.custody) continue;
    fine += bar.fine_milli_oz;
    yield reported(bar, holder, b);
  }
  const balance = await custodyBalanceAt(ingot.store.db, date);
  if (fine !== balance) {
    throw new HoldingsDiffer(`the bars in custody at ${date} sum to ${fine}, the books say ${balance}`);
  }
}

type Held = { bar: BarRow; holder: string };

async function* currentHolders(ingot: Ingot): AsyncGenerator<Held> {
  for await (const bar of barsWhere(ingot, {})) yield { bar, holder: bar.owner_account_id };
}

/**
 * Each bar received by the end of `date`, with the account that held it then: the target of its
 * last move up to the date, or with none the account that received it (the source of its first
 * move, or its owner if it never moved). One lookup per bar on the moves' (bar, entry) key.
 */
async function* holdersAt(ingot: Ingot, date: string): AsyncGenerator<Held> {
  const db = ingot.store.db;
  let after = 0n;
  for (;;) {
    const page = await barsReceivedByWithMoves(db, date, { after, limit: BAR_PAGE_ROWS });
    const weighed = await weightsAt(ingot, page, date);
    for (const { moved_to, received_into, ...bar } of page) {
      const then = weighed.get(bar.id);
      yield {
        bar: then ? { ...bar, ...then } : bar,
        holder: moved_to ?? received_into ?? bar.owner_account_id,
      };
    }
    const last = page.at(-1);
    if (!last || page.length < BAR_PAGE_ROWS) return;
    after = last.id;
  }
}

/**
 * The weights the page's bars had at the end of `date` where a later reweighing changed them: the
 * weights before the first reweighing after the date (src/service/vault/reweigh.ts).
 */
async function weightsAt(
  ingot: Ingot,
  page: readonly { id: bigint }[],
  date: string,
): Promise<Map<bigint, Pick<BarRow, 'gross_milli_oz' | 'fineness' | 'fine_milli_oz'>>> {
  const first = page[0]?.id;
  const last = page.at(-1)?.id;
  const found = new Map<bigint, Pick<BarRow, 'gross_milli_oz' | 'fineness' | 'fine_milli_oz'>>();
  if (first === undefined || last === undefined) return found;
  const rows = await reweighsAfter(ingot.store.db, { first, last }, date);
  for (const row of rows) {
    const id = BigInt(row.bar_id);
    if (found.has(id)) continue;
    found.set(id, {
      gross_milli_oz: BigInt(row.gross_before),
      fineness: BigInt(row.fineness_before),
      fine_milli_oz: BigInt(row.fine_before),
    });
  }
  return found;
}

/** Entry kinds that bring bars in or move them, and the event each is. */
const EVENT_OF_ENTRY: Record<string, ReportedEventKind> = {
  bars_received: 'received',
  settlement: 'owner_changed',
  instruction_transfer: 'owner_changed',
  instruction_release: 'released_to_representative',
  instruction_dispatch: 'dispatched',
  instruction_delivery: 'delivered',
  instruction_return: 'returned',
};

/**
 * Every event of the period `from`..`to` (value dates, both included) that brings a bar into
 * custody or moves it, in entry order and within an entry in bar id order: the entries are read
 * a page at a time, and each entry's bars a page at a time.
 */
export async function* barEvents(ingot: Ingot, from: string, to: string): AsyncGenerator<ReportedEvent> {
  const b = await books(ingot);
  let after = 0n;
  for (;;) {
    const period = { from, to, kinds: Object.keys(EVENT_OF_ENTRY) };
    const entries = await entriesOfPeriod(ingot.store.db, period, { after, limit: BAR_REPORT_ENTRY_PAGE });
    for (const entry of entries) {
      const kind = EVENT_OF_ENTRY[entry.kind];
      if (kind === undefined) continue;
      const at = { kind, date: entry.value_date, entry_id: entry.id };
      const events = kind === 'received' ? receipts(ingot, entry, b) : moves(ingot, entry, b);
      for await (const event of events) yield { ...event, ...at };
    }
    const last = entries.at(-1);
    if (!last || entries.length < BAR_REPORT_ENTRY_PAGE) return;
    after = last.id;
  }
}

type EntryHead = { id: bigint; trade_id: string | null; memo: string };
type Moved = Omit<ReportedEvent, 'kind' | 'date' | 'entry_id'>;

/** The bars a receipt brought in, into the custody account its postings credit. */
async function* receipts(ingot: Ingot, entry: EntryHead, b: Books): AsyncGenerator<Moved> {
  const db = ingot.store.db;
  const credited = await accountsCreditedBy(db, entry.id);
  const into = credited.find((p) => b.accounts.get(p.account_id)?.custody)?.account_id ?? '';
  const list = /from bar list (.*)$/.exec(entry.memo)?.[1] ?? null;
  let after = 0n;
  for (;;) {
    const page = await barsReceivedIn(db, entry.id, { after, limit: BAR_PAGE_ROWS });
    for (const bar of page) {
      yield { ...reported(bar, into, b), source_account_id: null, source_party_id: null, reference: list };
    }
    const last = page.at(-1);
    if (!last || page.length < BAR_PAGE_ROWS) return;
    after = last.id;
  }
}

/** The bars an entry moved, each from one account to another. */
async function* moves(ingot: Ingot, entry: EntryHead, b: Books): AsyncGenerator<Moved> {
  const db = ingot.store.db;
  const instruction = await instructionOfEntry(db, entry.id);
  const reference = entry.trade_id ?? instruction ?? null;
  let after = 0n;
  for (;;) {
    const page = await barsMovedIn(db, entry.id, { after, limit: BAR_PAGE_ROWS });
    for (const { source_account_id, target_account_id, ...bar } of page) {
      const source_party_id = b.accounts.get(source_account_id)?.party_id ?? null;
      yield { ...reported(bar, target_account_id, b), source_account_id, source_party_id, reference };
    }
    const last = page.at(-1);
    if (!last || page.length < BAR_PAGE_ROWS) return;
    after = last.id;
  }
}

/** The holdings report as lines (no line ends), header first for CSV, counting into `tally`. */
export function holdingsLines(
  ingot: Ingot,
  date: string,
  format: BarReportFormat,
  tally: BarReportTally,
): AsyncGenerator<string> {
  return streamInSnapshot(ingot, (reading) => holdingsLinesIn(reading, date, format, tally));
}

async function* holdingsLinesIn(
  ingot: Ingot,
  date: string,
  format: BarReportFormat,
  tally: BarReportTally,
): AsyncGenerator<string> {
  const header = reportHeader(HOLDINGS_FIELDS, format);
  if (header !== null) yield header;
  for await (const bar of holdingsAt(ingot, date)) {
    tally.records += 1;
    tally.fine_milli_oz += bar.fine_milli_oz;
    yield reportLine(HOLDINGS_FIELDS, holdingRecord(date, bar), format);
  }
}

/** The events report as lines (no line ends), header first for CSV, counting into `tally`. */
export function eventLines(
  ingot: Ingot,
  period: { from: string; to: string },
  format: BarReportFormat,
  tally: BarReportTally,
): AsyncGenerator<string> {
  return streamInSnapshot(ingot, (reading) => eventLinesIn(reading, period, format, tally));
}

async function* eventLinesIn(
  ingot: Ingot,
  period: { from: string; to: string },
  format: BarReportFormat,
  tally: BarReportTally,
): AsyncGenerator<string> {
  const header = reportHeader(EVENTS_FIELDS, format);
  if (header !== null) yield header;
  for await (const event of barEvents(ingot, period.from, period.to)) {
    tally.records += 1;
    tally.fine_milli_oz += event.fine_milli_oz;
    yield reportLine(EVENTS_FIELDS, eventRecord(event), format);
  }
}
