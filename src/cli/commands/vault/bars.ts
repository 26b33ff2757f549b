// Bar lists in and out of the vault.

import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { parseFineness } from '../../../domain/weight.ts';
import { describeImport, exportBars, importBars } from '../../../service/vault/bars.ts';
import { withIngot } from '../../context.ts';
import { dateOption, keyOption } from '../../options.ts';
import { CliExit, EXIT, must, parsedOption, writeWaiting } from '../../output.ts';
import { mustRead } from './reader.ts';

interface ImportOptions {
  account: string;
  minFineness: string;
  goodDelivery: boolean;
  date?: string;
  key?: string;
  progress: boolean;
}

export function registerBars(program: Command): void {
  const bars = program
    .command('bars')
    .description(
      'the vault’s bars and bar lists (CSV: serial,refiner,year,gross_oz,fineness,fine_oz[,vault,location,bar_id])',
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
    .addHelpText(
      'after',
      '\nExample:\n  ingot bars import stock.csv --account GOSBANK-VAULT --min-fineness 995.0 --date 1961-01-02',
    )
    .action(async (file: string, options: ImportOptions, command: Command) => {
      if (!existsSync(file))
        throw new CliExit(EXIT.bad_input, `invalid_input [file]: ${file} does not exist`);
      const minimum = parsedOption(parseFineness(options.minFineness), '--min-fineness');
      const date = dateOption(options.date, '--date');
      await withIngot(command, async (ingot, out) => {
        const key = options.key ?? `bars.import:${options.account}:${file}:${date}`;
        const progress =
          options.progress && !out.json
            ? new SingleBar({ format: 'importing {value} rows', noTTYOutput: true, stream: process.stderr })
            : undefined;
        progress?.start(0, 0);
        const lines = createInterface({
          input: createReadStream(file, 'utf8'),
          crlfDelay: Number.POSITIVE_INFINITY,
        });
        // The bar prints on a timer: it must stop however the import ends, or the process lives on.
        const result = await importBars(ingot, {
          account_id: options.account,
          lines,
          rules: { minimum_fineness: minimum, good_delivery: options.goodDelivery },
          date,
          key: keyOption(key, out.note),
          source: file,
          on_progress: (rows) => progress?.update(rows),
        }).finally(() => progress?.stop());
        const done = must(result);
        out.result(
          done,
          () =>
            `${done.replayed ? 'already imported: ' : ''}${describeImport(done.bars, done.fine_milli_oz, options.account)} (entry ${done.entry_id})`,
        );
      });
    });
  bars
    .command('export')
    .description('write the bar list of an account as CSV')
    .requiredOption('--account <id>', 'the account whose bars to list')
    .option('--out <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      '\nWith --user, the user must be cleared for confidential documents (a bar list is, in every form).' +
        '\n\nExample:\n  ingot --user nbc-signatory-1 bars export --account NBC-GOLD --out nbc-bars.csv',
    )
    .action(async (options: { account: string; out?: string }, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        // Checked before the file is opened: a refused reader leaves no empty file behind.
        await mustRead(ingot, command, { kind: 'barlist', account_id: options.account });
        const stream = options.out ? createWriteStream(options.out) : process.stdout;
        const write = (line: string) => writeWaiting(stream, `${line}\n`);
        const done = must(await exportBars(ingot, options.account, write));
        if (options.out) {
          stream.end();
          await once(stream, 'finish');
          out.note(`${done.bars} bars written to ${options.out}`);
        }
      });
    });
}
