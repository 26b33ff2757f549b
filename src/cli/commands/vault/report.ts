// `ingot report holdings|events`: bar-level reports of the depository (docs/BAR-REPORTING.md),
// written a line at a time to standard output or a file.
import { once } from 'node:events';
import type { Command } from 'commander';
import { privateWriteStream } from '../../../documents/private-file.ts';
import { BAR_REPORT_FORMATS, type BarReportFormat } from '../../../domain/bar-report.ts';
import { describeWeight } from '../../../domain/weight.ts';
import {
  type BarReportTally,
  eventLines,
  HoldingsDiffer,
  holdingsLines,
} from '../../../service/vault/bar-report.ts';
import { withIngot } from '../../context.ts';
import { dateOption } from '../../options.ts';
import { CliExit, EXIT, writeWaiting } from '../../output.ts';
import { mustReadBooks } from './reader.ts';

function formatOption(value: string): BarReportFormat {
  const format = BAR_REPORT_FORMATS.find((f) => f === value);
  if (format === undefined) {
    const known = BAR_REPORT_FORMATS.join(' or ');
    throw new CliExit(EXIT.bad_input, `invalid_input [format]: "${value}" is not ${known}`);
  }
  return format;
}

/** Writes the lines to `out` (or standard output), ending each; a file is closed when done. */
async function writeLines(lines: AsyncIterable<string>, out: string | undefined): Promise<void> {
  const stream = out ? privateWriteStream(out) : process.stdout;
  try {
    for await (const line of lines) await writeWaiting(stream, `${line}\n`);
  } catch (error) {
    if (error instanceof HoldingsDiffer) throw new CliExit(EXIT.breach, error.message);
    throw error;
  } finally {
    if (out) {
      stream.end();
      await once(stream, 'finish');
    }
  }
}

function describeTally(tally: BarReportTally, what: string, out: string | undefined): string {
  const where = out ? ` to ${out}` : '';
  return `${tally.records} ${what}, ${describeWeight(tally.fine_milli_oz)}, written${where}`;
}

interface ReportOptions {
  format: string;
  out?: string;
}

/** Adds `report holdings` and `report events`. */
export function registerBarReport(program: Command): void {
  const report = program
    .command('report')
    .description('bar-level reports of the depository, keyed by the five identifiers (GBI layout)');
  report
    .command('holdings')
    .description('every bar in custody at the end of a date, with its account and owner')
    .option('--date <date>', 'the date (default today)')
    .option('--format <format>', 'csv or jsonl', 'csv')
    .option('--out <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      '\nExample:\n  ingot report holdings --date 1961-01-31 --format jsonl --out holdings.jsonl',
    )
    .action(async (options: ReportOptions & { date?: string }, command: Command) => {
      const format = formatOption(options.format);
      const date = dateOption(options.date, 'date');
      await withIngot(command, async (ingot, out) => {
        await mustReadBooks(ingot, command, 'barlist');
        const tally: BarReportTally = { records: 0, fine_milli_oz: 0n };
        await writeLines(holdingsLines(ingot, date, format, tally), options.out);
        out.note(describeTally(tally, `bars in custody at ${date}`, options.out));
      });
    });
  report
    .command('events')
    .description('every bar received, sold, released, shipped or returned in a period, in entry order')
    .requiredOption('--from <date>', 'first value date of the period')
    .option('--to <date>', 'last value date of the period (default today)')
    .option('--format <format>', 'csv or jsonl', 'csv')
    .option('--out <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      '\nExample:\n  ingot report events --from 1961-01-01 --to 1961-03-31 --out events.csv',
    )
    .action(async (options: ReportOptions & { from: string; to?: string }, command: Command) => {
      const format = formatOption(options.format);
      const period = { from: dateOption(options.from, 'from'), to: dateOption(options.to, 'to') };
      await withIngot(command, async (ingot, out) => {
        await mustReadBooks(ingot, command, 'barlist');
        const tally: BarReportTally = { records: 0, fine_milli_oz: 0n };
        await writeLines(eventLines(ingot, period, format, tally), options.out);
        out.note(describeTally(tally, `bar events ${period.from} to ${period.to}`, options.out));
      });
    });
}
