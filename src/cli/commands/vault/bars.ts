// Bar lists in and out of the vault.

import { once } from 'node:events';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { privateWriteStream } from '../../../documents/private-file.ts';
import { parseFineness } from '../../../domain/weight.ts';
import { parseMapping } from '../../../domain/weight-list.ts';
import { exportAnnexC } from '../../../service/vault/annex-c.ts';
import { describeImport, exportBars } from '../../../service/vault/bars.ts';
import { csvRows, xlsxRows } from '../../../service/vault/weight-list-sources.ts';
import { importWeightList } from '../../../service/vault/weight-lists.ts';
import { withIngot } from '../../context.ts';
import { dateOption, keyOption } from '../../options.ts';
import { CliExit, EXIT, must, parsedOption, writeWaiting } from '../../output.ts';
import { mustRead } from './reader.ts';
import { refinerPolicyOption } from './refiners.ts';

interface ImportOptions {
  account: string;
  minFineness: string;
  goodDelivery: boolean;
  date?: string;
  key?: string;
  progress: boolean;
  columns?: string;
  sheet: string[];
  year?: string;
  refiners?: string;
}

/** The rows of a list file: a workbook by its .xlsx name, else CSV lines. */
function listRows(file: string, sheets: readonly string[] | null) {
  if (/\.xlsx$/i.test(file)) return xlsxRows(createReadStream(file), sheets);
  return csvRows(
    createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY }),
  );
}

/** The mapping file named by --columns, parsed; a faulty one exits naming its fault. */
function mappingOption(file: string | undefined) {
  if (file === undefined) return null;
  if (!existsSync(file))
    throw new CliExit(EXIT.bad_input, `invalid_input [--columns]: ${file} does not exist`);
  const parsed = parseMapping(readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new CliExit(EXIT.bad_input, `invalid_input [--columns]: ${file}: ${parsed.reason}`);
  return parsed.mapping;
}

function yearOption(text: string | undefined): number | null {
  if (text === undefined) return null;
  if (!/^\d{4}$/.test(text))
    throw new CliExit(EXIT.bad_input, `invalid_input [--year]: "${text}" is not a year`);
  return Number.parseInt(text, 10);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerBars(program: Command): void {
  const bars = program
    .command('bars')
    .description(
      'the vault’s bars and bar lists (CSV: serial,refiner,year,gross_oz,fineness,fine_oz[,vault,location,bar_id]; ' +
        'also LBMA Annex C, CSV or .xlsx; see docs/WEIGHT-LISTS.md)',
    );
  bars
    .command('import <file>')
    .description('receive the bars of a bar list into a custody account: all rows or none')
    .requiredOption('--account <id>', 'custody account receiving the bars')
    .option('--min-fineness <per-mille>', 'contract minimum fineness, e.g. 995.0', '995.0')
    .option(
      '--no-good-delivery',
      'accept bars outside the London Good Delivery weights (350–430 oz, 0.025 oz steps)',
    )
    .option('--date <date>', 'value date of receipt, YYYY-MM-DD (default today)')
    .option('--key <key>', 'idempotency key (default: derived from the file name and date)')
    .option('--no-progress', 'do not show a progress bar')
    .option('--columns <file>', 'a mapping file (JSON) for another vault’s columns; see docs/WEIGHT-LISTS.md')
    .option('--sheet <name>', 'the workbook sheet to read (repeat for several)', collect, [])
    .option('--year <yyyy>', 'the bars’ year of manufacture, for a list without a year column')
    .option('--refiners <policy>', 'a brand the refiners list does not vouch for: refuse, flag or off')
    .addHelpText(
      'after',
      '\nReads Ingot’s columns, LBMA Annex C (CSV or .xlsx, with or without year_of_manufacture) or, with\n' +
        '--columns, any other list. Where a row gives the vault’s own gross weight as well as the refiner’s,\n' +
        'the vault’s is recorded and the fine weight follows from it.' +
        '\n\nExample:\n  ingot bars import stock.csv --account GOSBANK-VAULT --min-fineness 995.0 --date 1961-01-02',
    )
    .action(async (file: string, options: ImportOptions, command: Command) => {
      if (!existsSync(file))
        throw new CliExit(EXIT.bad_input, `invalid_input [file]: ${file} does not exist`);
      const minimum = parsedOption(parseFineness(options.minFineness), '--min-fineness');
      const date = dateOption(options.date, '--date');
      const refiners = refinerPolicyOption(options.refiners);
      await withIngot(command, async (ingot, out) => {
        const key = options.key ?? `bars.import:${options.account}:${file}:${date}`;
        const progress =
          options.progress && !out.json
            ? new SingleBar({ format: 'importing {value} rows', noTTYOutput: true, stream: process.stderr })
            : undefined;
        progress?.start(0, 0);
        const mapping = mappingOption(options.columns);
        const sheets = options.sheet.length > 0 ? options.sheet : mapping?.sheet ? [mapping.sheet] : null;
        // The bar prints on a timer: it must stop however the import ends, or the process lives on.
        const result = await importWeightList(ingot, {
          account_id: options.account,
          rows: listRows(file, sheets),
          list: { mapping, year: yearOption(options.year) ?? mapping?.year ?? null },
          rules: { minimum_fineness: minimum, good_delivery: options.goodDelivery },
          date,
          key: keyOption(key, out.note),
          source: file,
          on_progress: (rows) => progress?.update(rows),
          ...(refiners ? { refiners } : {}),
        }).finally(() => progress?.stop());
        const done = must(result);
        for (const flag of done.flagged)
          out.note(`flagged: ${flag.sheet ? `sheet "${flag.sheet}" ` : ''}row ${flag.row}: ${flag.reason}`);
        out.result(
          done,
          () =>
            `${done.replayed ? 'already imported: ' : ''}${describeImport(done.bars, done.fine_milli_oz, options.account)} (entry ${done.entry_id})`,
        );
      });
    });
  bars
    .command('export')
    .description('write the bar list of an account as CSV (Ingot’s columns) or as LBMA Annex C')
    .requiredOption('--account <id>', 'the account whose bars to list')
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--format <format>', 'ingot or annex-c (an --out file ending .xlsx is a workbook)', 'ingot')
    .addHelpText(
      'after',
      '\nWith --user, the user must be cleared for confidential documents (a bar list is, in every form).' +
        '\n\nExample:\n  ingot --user nbc-signatory-1 bars export --account NBC-GOLD --out nbc-bars.csv',
    )
    .action(async (options: { account: string; out?: string; format: string }, command: Command) => {
      if (options.format !== 'ingot' && options.format !== 'annex-c')
        throw new CliExit(
          EXIT.bad_input,
          `invalid_input [--format]: ${options.format} is not ingot or annex-c`,
        );
      const workbook = options.out !== undefined && /\.xlsx$/i.test(options.out);
      if (workbook && options.format !== 'annex-c')
        throw new CliExit(EXIT.bad_input, 'invalid_input [--out]: a workbook is written as --format annex-c');
      await withIngot(command, async (ingot, out) => {
        // Checked before the file is opened: a refused reader leaves no empty file behind.
        await mustRead(ingot, command, { kind: 'barlist', account_id: options.account });
        const stream = options.out ? privateWriteStream(options.out) : process.stdout;
        const write = (line: string) => writeWaiting(stream, `${line}\n`);
        const done = must(
          options.format === 'ingot'
            ? await exportBars(ingot, options.account, write)
            : await exportAnnexC(
                ingot,
                options.account,
                workbook ? { format: 'xlsx', stream } : { format: 'csv', write },
              ),
        );
        if (options.out) {
          if (!stream.writableEnded) stream.end();
          if (!stream.writableFinished) await once(stream, 'finish');
          out.note(`${done.bars} bars written to ${options.out}`);
        }
      });
    });
}
