// One step of the scale benchmark, alone in its own process so that its peak memory (the kernel's
// maximum resident set size for this process) is the step's and nothing else's.
// Usage: node --import tsx bench/scale-step.ts '<JSON of a StepRequest>'
// Prints one line: RESULT <JSON of a StepResult>.
import { once } from 'node:events';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { type BarListHeader, parseBarListHeader, parseBarRow } from '../src/domain/barlist.ts';
import { parseQuantity } from '../src/domain/weight.ts';
import { ANNEX_C_COLUMNS, annexCFields } from '../src/domain/weight-list.ts';
import { verifyStore } from '../src/service/journal/verify.ts';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { acceptOffer, allocateTrade, cancelTrade } from '../src/service/trading/trades.ts';
import { type BarReportTally, eventLines, holdingsLines } from '../src/service/vault/bar-report.ts';
import { exportBars } from '../src/service/vault/bars.ts';
import { reconcile } from '../src/service/vault/reconcile.ts';
import { statement } from '../src/service/vault/statement.ts';
import { statementJson } from '../src/service/vault/statement-json.ts';
import { xlsxRows } from '../src/service/vault/weight-list-sources.ts';
import { importWeightList } from '../src/service/vault/weight-lists.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/store.ts';
import { fixAndFund, readLines, seedBooks } from './books.ts';
import { ACCOUNTS, DATES, GOOD_DELIVERY_RULES, importVault, offerGold } from './fixture.ts';
import { cpuProfiled, expectOk, expectParsed, median, timed } from './support.ts';

export type StepName =
  | 'baseline'
  | 'import'
  | 'allocate'
  | 'settle'
  | 'export'
  | 'reconcile'
  | 'statement'
  | 'bar-report'
  | 'verify'
  | 'xlsx-write'
  | 'xlsx-import'
  | 'xlsx-shared-write'
  | 'xlsx-shared-import';

export interface StepRequest {
  readonly step: StepName;
  /** An SQLite file, or a PostgreSQL URL with `schema`. */
  readonly location: string;
  readonly schema?: string;
  /** The bar list to import, or the count to reconcile. */
  readonly file?: string;
  readonly bars: number;
  /** Allocation runs whose median is reported. */
  readonly runs?: number;
  /** Bars missing, unexpected and differing in the count file, each. */
  readonly differences?: number;
  /** xlsx-write: the workbook to write (from `file`, the stock); xlsx-import: the books to import into. */
  readonly workbook?: string;
  /** Rows of the workbook: the stock's first rows, at most this many. */
  readonly workbook_rows?: number;
  /** Write the workbook's text cells as shared strings, as Excel saves them (else inline). */
  readonly shared_strings?: boolean;
}

export interface StepResult {
  readonly step: StepName;
  /** Milliseconds of the timed operation itself (not the process's start). */
  readonly ms: number;
  /** Peak resident set size of the whole process, in KiB (getrusage ru_maxrss). */
  readonly peak_kib: number;
  /** What the step found, for the table: counts, gaps, checks. */
  readonly facts: Record<string, string>;
}

async function openFor(request: StepRequest): Promise<Store> {
  // The workbook is imported into books of its own, on SQLite whatever the store measured.
  if (request.step === 'xlsx-import' || request.step === 'xlsx-shared-import') {
    return openSqliteStore(request.workbook ?? '');
  }
  if (request.schema === undefined) return openSqliteStore(request.location);
  return openPostgresStore(request.location, { schema: request.schema, connections: 2 });
}

const ASKED = '20 t';
const OFFERED = '30 t';

async function importStep(ingot: Ingot, request: StepRequest) {
  await seedBooks(ingot);
  const { value, ms } = await timed(() => importVault(ingot, readLines(request.file ?? ''), 'scale.csv'));
  if (value.bars !== request.bars) throw new Error(`scale import: ${value.bars} of ${request.bars} bars`);
  return { ms, facts: { bars: String(value.bars) } };
}

async function allocateStep(ingot: Ingot, request: StepRequest) {
  const offerId = await offerGold(ingot, expectParsed(parseQuantity(OFFERED), OFFERED), 'scale-allocation');
  const asked = { kind: 'quantity' as const, fine_milli_oz: expectParsed(parseQuantity(ASKED), ASKED) };
  const accept = { offer_id: offerId, by_party_id: 'BUYER', date: DATES.accept, asked, key: 'scale-20t' };
  const trade_id = expectOk(await acceptOffer(ingot, accept), 'acceptance').trade_id;
  const times: number[] = [];
  let summary = { bars: 0, gap_fine_milli_oz: 0n };
  const runs = request.runs ?? 5;
  for (let run = 0; run < runs; run += 1) {
    const { value, ms } = await timed(() => allocateTrade(ingot, { trade_id }));
    summary = expectOk(value, 'allocation');
    times.push(ms);
    // The last allocation stays, so verify checks the reserved bars against their trade.
    if (run < runs - 1) expectOk(await cancelTrade(ingot, { trade_id, mode: 'unallocate' }), 'unallocation');
  }
  const facts = {
    bars: String(summary.bars),
    gap_milli_oz: summary.gap_fine_milli_oz.toString(),
    runs: String(runs),
    all_ms: times.map((t) => t.toFixed(0)).join(' '),
  };
  return { ms: median(times), facts };
}

async function settleStep(ingot: Ingot) {
  await fixAndFund(ingot, 1, 'scale-funding');
  const offerId = await offerGold(ingot, 430_000n, 'scale-settlement');
  const asked = { kind: 'quantity' as const, fine_milli_oz: 430_000n };
  const accept = { offer_id: offerId, by_party_id: 'BUYER', date: DATES.accept, asked, key: 'scale-one' };
  const trade_id = expectOk(await acceptOffer(ingot, accept), 'acceptance').trade_id;
  const allocated = expectOk(await allocateTrade(ingot, { trade_id }), 'allocation');
  const request = { trade_id, date: DATES.settle, key: 'scale-settle' };
  const { value, ms } = await timed(() => settleTrade(ingot, request));
  const settled = expectOk(value, 'settlement');
  return { ms, facts: { bars: settled.bars.toString(), allocated_bars: String(allocated.bars) } };
}

async function exportStep(ingot: Ingot) {
  const sink = createWriteStream('/dev/null');
  const write = (line: string) =>
    sink.write(`${line}\n`) ? undefined : new Promise<void>((resolve) => sink.once('drain', resolve));
  const { value, ms } = await timed(() => exportBars(ingot, ACCOUNTS.seller_stock, write));
  await new Promise<void>((resolve) => sink.end(resolve));
  return { ms, facts: { bars: String(expectOk(value, 'export').bars) } };
}

async function reconcileStep(ingot: Ingot, request: StepRequest) {
  const { value, ms } = await timed(() => reconcile(ingot, { lines: readLines(request.file ?? '') }));
  const { reconciliation: r } = expectOk(value, 'reconciliation');
  const expected = BigInt(request.differences ?? 0);
  const found = [r.missing.count, r.unexpected.count, r.differing.count];
  if (found.some((count) => count !== expected)) {
    throw new Error(`scale reconcile: found ${found.join('/')}, expected ${expected} of each`);
  }
  const facts = {
    counted: r.counted.toString(),
    booked: r.booked.toString(),
    missing: r.missing.count.toString(),
    unexpected: r.unexpected.count.toString(),
    differing: r.differing.count.toString(),
  };
  return { ms, facts };
}

/** The statement of the vault with its bar list as the CLI's --json and the API write it. */
async function statementStep(ingot: Ingot) {
  const request = { account_id: ACCOUNTS.seller_stock, from: '1961-01-01', to: '1961-12-31' };
  const sink = createWriteStream('/dev/null');
  const { value, ms } = await timed(async () => {
    const made = expectOk(await statement(ingot, request), 'statement').statement;
    let characters = 0;
    for await (const piece of statementJson(ingot, made, { indent: 0, with_bars: true })) {
      characters += piece.length;
      if (!sink.write(piece)) await once(sink, 'drain');
    }
    return { made, characters };
  });
  await new Promise<void>((resolve) => sink.end(resolve));
  const bars = await ingot.store.db
    .selectFrom('bars')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where('owner_account_id', '=', ACCOUNTS.seller_stock)
    .executeTakeFirstOrThrow();
  const facts = {
    bars: String(bars.n),
    lines: String(value.made.lines.length),
    chars: String(value.characters),
  };
  return { ms, facts };
}

/**
 * The bar-level reports (docs/BAR-REPORTING.md) as CSV to /dev/null: the holdings today (the owner
 * column), the holdings on the day before settlement (replayed from the moves), the year's events.
 */
async function barReportStep(ingot: Ingot) {
  const sink = createWriteStream('/dev/null');
  const drain = async (lines: AsyncIterable<string>) => {
    for await (const line of lines) if (!sink.write(`${line}\n`)) await once(sink, 'drain');
  };
  const today: BarReportTally = { records: 0, fine_milli_oz: 0n };
  const before: BarReportTally = { records: 0, fine_milli_oz: 0n };
  const events: BarReportTally = { records: 0, fine_milli_oz: 0n };
  const { ms } = await timed(async () => {
    await drain(holdingsLines(ingot, '2100-01-01', 'csv', today));
    await drain(holdingsLines(ingot, '1961-01-30', 'csv', before));
    await drain(eventLines(ingot, { from: '1961-01-01', to: '1961-12-31' }, 'csv', events));
  });
  await new Promise<void>((resolve) => sink.end(resolve));
  const facts = {
    bars: String(today.records),
    bars_before_settlement: String(before.records),
    events: String(events.records),
  };
  return { ms, facts };
}

/**
 * Writes the stock's first `workbook_rows` bars as an LBMA Annex C workbook (.xlsx, one sheet,
 * weights and assay as number cells, text inline or, with `shared_strings`, as shared strings the
 * way Excel saves it) with exceljs's streaming writer.
 */
async function xlsxWriteStep(request: StepRequest) {
  const path = request.workbook ?? '';
  const wanted = request.workbook_rows ?? request.bars;
  const rules = { minimum_fineness: 0n, good_delivery: false };
  const { value, ms } = await timed(async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: path,
      useStyles: false,
      useSharedStrings: request.shared_strings === true,
    });
    const sheet = workbook.addWorksheet('Weight list');
    sheet.addRow([...ANNEX_C_COLUMNS]).commit();
    let header: BarListHeader | undefined;
    let rows = 0;
    let row = 0;
    for await (const line of readLines(request.file ?? '')) {
      row += 1;
      if (!header) {
        header = expectParsedHeader(line);
        continue;
      }
      if (rows >= wanted) break;
      const parsed = parseBarRow(line, row, header, rules);
      if (!parsed.ok) throw new Error(`scale xlsx: stock row ${row} does not parse`);
      const [metal = '', serial = '', brand = '', ...numbers] = annexCFields(parsed.bar);
      sheet.addRow([metal, serial, brand, ...numbers.map(Number)]).commit();
      rows += 1;
    }
    await workbook.commit();
    return rows;
  });
  return { ms, facts: { rows: String(value), bytes: String(statSync(path).size) } };
}

function expectParsedHeader(line: string): BarListHeader {
  const parsed = parseBarListHeader(line);
  if (!parsed.ok) throw new Error('scale xlsx: the stock file has no header');
  return parsed.header;
}

/** Imports the workbook into fresh books of its own (SQLite), streamed by exceljs's reader. */
async function xlsxImportStep(ingot: Ingot, request: StepRequest) {
  await seedBooks(ingot);
  const { value, ms } = await timed(() =>
    importWeightList(ingot, {
      account_id: ACCOUNTS.seller_stock,
      rows: xlsxRows(createReadStream(request.file ?? ''), null),
      list: { mapping: null, year: 1960 },
      rules: GOOD_DELIVERY_RULES,
      date: DATES.stock,
      key: 'bench-xlsx-import',
      source: 'scale.xlsx',
    }),
  );
  const imported = expectOk(value, 'workbook import');
  return { ms, facts: { bars: String(imported.bars) } };
}

async function verifyStep(ingot: Ingot) {
  const { value, ms } = await timed(() => verifyStore(ingot));
  if (value.breaches.length > 0) {
    const named = value.breaches.map((b) => `${b.rule}: ${b.detail}`).join('; ');
    throw new Error(`scale verify: ${named}`);
  }
  return { ms, facts: { checks: String(value.checks), breaches: '0' } };
}

async function runStep(
  ingot: Ingot,
  request: StepRequest,
): Promise<{ ms: number; facts: Record<string, string> }> {
  switch (request.step) {
    case 'baseline':
      return { ms: 0, facts: {} };
    case 'import':
      return importStep(ingot, request);
    case 'allocate':
      return allocateStep(ingot, request);
    case 'settle':
      return settleStep(ingot);
    case 'export':
      return exportStep(ingot);
    case 'reconcile':
      return reconcileStep(ingot, request);
    case 'statement':
      return statementStep(ingot);
    case 'bar-report':
      return barReportStep(ingot);
    case 'verify':
      return verifyStep(ingot);
    case 'xlsx-write':
    case 'xlsx-shared-write':
      return xlsxWriteStep(request);
    case 'xlsx-import':
    case 'xlsx-shared-import':
      return xlsxImportStep(ingot, request);
  }
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as StepRequest;
  const store = await openFor(request);
  try {
    // PROFILE_CPU=prefix: each step's CPU profile in prefix.<store>.<step>.cpuprofile, for
    // bench/cpu-summary.ts.
    const storeName = request.location.startsWith('postgres') ? 'postgres' : 'sqlite';
    const prefix = process.env.PROFILE_CPU;
    const profile = prefix ? `${prefix}.${storeName}.${request.step}.cpuprofile` : undefined;
    const ingot = ingotOver(store, 'bench-scale');
    const { ms, facts } = await cpuProfiled(() => runStep(ingot, request), profile);
    const result: StepResult = { step: request.step, ms, peak_kib: process.resourceUsage().maxRSS, facts };
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  } finally {
    await store.close();
  }
}

await main();
