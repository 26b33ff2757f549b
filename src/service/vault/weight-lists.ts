// Weight lists as they come (Ingot's own, LBMA Annex C, any other vault's through a mapping; CSV or
// .xlsx) read into the bar-list import, and bar lists written out as Annex C. The rows are turned
// into Ingot's own bar-list lines on the way in, so every check of the import holds for every layout:
// all rows or none, every problem named, here by sheet, row and the list's own column name.
import {
  CANONICAL_HEADER,
  detectLayout,
  isBlankRow,
  sourceColumn,
  translateRow,
  type WeightListLayout,
  type WeightListMapping,
  type WeightListProblem,
} from '../../domain/weight-list.ts';
import type { Ingot } from '../kernel/context.ts';
import { BAR_IMPORT_PROBLEMS_MAX, type BarImportOutcome, type BarImportRequest, importBars } from './bars.ts';
import { type SourceRow, WorkbookRefused } from './weight-list-sources.ts';

/** How a list is read, beyond its rows. */
export interface WeightListOptions {
  readonly mapping: WeightListMapping | null;
  /** The year of every bar of a list without a year column. */
  readonly year: number | null;
}

export type WeightListImportRequest = Omit<BarImportRequest, 'lines'> & {
  readonly rows: AsyncIterable<SourceRow>;
  readonly list: WeightListOptions;
};

export type WeightListImportOutcome =
  | Exclude<BarImportOutcome, { code: 'bar_list_invalid' }>
  | { ok: false; code: 'bar_list_invalid'; message: string; problems: WeightListProblem[] };

/** A line that is not CSV: it makes the import refuse the row whose own problems are kept here. */
const REFUSED_LINE = '"';

/** Which source row each line of the translation came from: runs of lines, a few numbers a sheet. */
interface Run {
  readonly line: number;
  readonly sheet: string | null;
  readonly offset: number;
  readonly layout: WeightListLayout | null;
}

/** The translation of a list into Ingot's own lines, keeping what is needed to name its problems. */
class Translation {
  readonly problems: WeightListProblem[] = [];
  /** Lines refused here: the import's problems for them are replaced by these. */
  readonly refused = new Set<number>();
  readonly #runs: Run[] = [];

  constructor(
    readonly rows: AsyncIterable<SourceRow>,
    readonly request: WeightListImportRequest,
  ) {}

  async *lines(): AsyncGenerator<string> {
    let line = 1;
    let layout: WeightListLayout | null = null;
    let passThrough = false;
    let header = false;
    try {
      for await (const row of this.rows) {
        if (row.header) layout = this.#header(row, line + (header ? 1 : 0));
        if (!header) {
          header = true;
          passThrough = layout?.name === 'ingot' && row.line !== null;
          yield passThrough && row.line !== null ? row.line : layout ? CANONICAL_HEADER : REFUSED_LINE;
          if (!layout) return;
          continue;
        }
        line += 1;
        this.#place(line, row, layout);
        if (row.header) yield layout ? '' : REFUSED_LINE;
        else if (passThrough && row.line !== null) yield row.line;
        else if (layout) yield this.#translate(line, row, layout);
        else yield '';
      }
    } catch (error) {
      if (!(error instanceof WorkbookRefused)) throw error;
      this.#refuse(header ? line + 1 : 1, { sheet: null, row: 1, column: null, reason: error.message });
      yield REFUSED_LINE;
    }
  }

  #header(row: SourceRow, line: number): WeightListLayout | null {
    const detected = detectLayout(row.cells, this.request.list.mapping, this.request.list.year);
    const layout = detected.ok ? detected.layout : null;
    this.#runs.push({ line, sheet: row.sheet, offset: row.row - line, layout });
    if (detected.ok) return detected.layout;
    for (const problem of detected.problems)
      this.#refuse(line, { sheet: row.sheet, row: row.row, ...problem });
    return null;
  }

  #place(line: number, row: SourceRow, layout: WeightListLayout | null): void {
    const last = this.#runs.at(-1);
    if (last && last.sheet === row.sheet && last.offset === row.row - line) return;
    this.#runs.push({ line, sheet: row.sheet, offset: row.row - line, layout });
  }

  #translate(line: number, row: SourceRow, layout: WeightListLayout): string {
    if (isBlankRow(row.cells)) return '';
    const translated = translateRow(row.cells, layout, {
      year: this.request.list.year,
      good_delivery: this.request.rules.good_delivery,
    });
    if (translated.ok) return translated.line;
    for (const problem of translated.problems)
      this.#refuse(line, { sheet: row.sheet, row: row.row, ...problem });
    return REFUSED_LINE;
  }

  #refuse(line: number, problem: WeightListProblem): void {
    this.refused.add(line);
    if (this.problems.length < BAR_IMPORT_PROBLEMS_MAX * 2) this.problems.push(problem);
  }

  /** The run a line of the translation belongs to. */
  runOf(line: number): Run | undefined {
    let found: Run | undefined;
    for (const run of this.#runs) if (run.line <= line) found = run;
    return found;
  }

  /** Where a line of the translation came from, as words: `sheet "Bars" row 7` or `row 7`. */
  where(line: number): string {
    const run = this.runOf(line);
    const row = line + (run?.offset ?? 0);
    return run?.sheet ? `sheet "${run.sheet}" row ${row}` : `row ${row}`;
  }
}

/**
 * Imports a weight list in any layout Ingot reads: all rows or none. Problems name the sheet, the
 * row and the list's own column.
 */
export async function importWeightList(
  ingot: Ingot,
  request: WeightListImportRequest,
): Promise<WeightListImportOutcome> {
  const translation = new Translation(request.rows, request);
  const { rows: _rows, list: _list, ...rest } = request;
  const outcome = await importBars(ingot, { ...rest, lines: translation.lines() });
  if (outcome.ok) {
    if (translation.refused.size > 0) throw new Error('a weight list with refused rows was imported');
    // Flagged bars are named as the list knows them, by sheet and row.
    const flagged = outcome.flagged.map((flag) => {
      const run = translation.runOf(flag.row);
      return { ...flag, sheet: run?.sheet ?? null, row: flag.row + (run?.offset ?? 0) };
    });
    return { ...outcome, flagged };
  }
  if (!('problems' in outcome)) return outcome;
  const problems: WeightListProblem[] = [...translation.problems];
  for (const problem of outcome.problems) {
    if (translation.refused.has(problem.row)) continue;
    const run = translation.runOf(problem.row);
    const column = run?.layout ? sourceColumn(run.layout, problem.column) : problem.column;
    // The import names an earlier row of the same list by its line; the list knows it by sheet and row.
    const reason = problem.reason.replace(/first at row (\d+)/, (_match: string, line: string) => {
      return `first at ${translation.where(Number(line))}`;
    });
    problems.push({ sheet: run?.sheet ?? null, row: problem.row + (run?.offset ?? 0), column, reason });
  }
  const count = problems.length;
  const shown = count > BAR_IMPORT_PROBLEMS_MAX ? ` (the first ${BAR_IMPORT_PROBLEMS_MAX} shown)` : '';
  return {
    ok: false,
    code: 'bar_list_invalid',
    message: `bar list refused, nothing imported: ${count} problem(s)${shown}`,
    problems: problems.slice(0, BAR_IMPORT_PROBLEMS_MAX),
  };
}
