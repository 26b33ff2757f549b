// The Good Delivery List of refiners: imported from CSV, listed (docs/WEIGHT-LISTS.md, "Refiners").

import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { REFINER_LIST_COLUMNS, REFINER_POLICIES, type RefinerPolicy } from '../../../domain/refiners.ts';
import { importRefiners, listRefiners } from '../../../service/vault/refiners.ts';
import { withIngot } from '../../context.ts';
import { dateOption } from '../../options.ts';
import { CliExit, EXIT, must } from '../../output.ts';

/** The `--refiners` option of `bars import`, checked: refuse, flag or off. */
export function refinerPolicyOption(text: string | undefined): RefinerPolicy | undefined {
  if (text === undefined) return undefined;
  const policy = REFINER_POLICIES.find((p) => p === text);
  if (policy === undefined)
    throw new CliExit(EXIT.bad_input, `invalid_input [--refiners]: "${text}" is not refuse, flag or off`);
  return policy;
}

export function registerRefiners(program: Command): void {
  const refiners = program
    .command('refiners')
    .description(`the Good Delivery List of refiners (CSV: ${REFINER_LIST_COLUMNS.join(',')})`);
  refiners
    .command('import <file>')
    .description('replace the list: refiners left out are kept as former; all rows or none')
    .option('--date <date>', 'the day the list takes effect, YYYY-MM-DD (default today)')
    .addHelpText(
      'after',
      '\nstatus is current or former; a former refiner gives removed_on. Dates are YYYY-MM-DD.' +
        '\n\nExample:\n  ingot refiners import good-delivery-list.csv --date 2025-01-02',
    )
    .action(async (file: string, options: { date?: string }, command: Command) => {
      if (!existsSync(file))
        throw new CliExit(EXIT.bad_input, `invalid_input [file]: ${file} does not exist`);
      const date = dateOption(options.date, '--date');
      const lines = readFileSync(file, 'utf8').split(/\r?\n/);
      await withIngot(command, async (ingot, out) => {
        const done = must(await importRefiners(ingot, { lines, date }));
        out.result(done, () => {
          if (done.unchanged)
            return `refiners list unchanged: ${done.current} current, ${done.former} former`;
          const removed = done.removed.length > 0 ? `; now former: ${done.removed.join(', ')}` : '';
          return `refiners list imported: ${done.current} current, ${done.former} former${removed}`;
        });
      });
    });
  refiners
    .command('list')
    .description('the present list of refiners, current and former')
    .addHelpText('after', '\nExample:\n  ingot refiners list --json')
    .action(async (_options: object, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const list = await listRefiners(ingot);
        out.result(list, () =>
          list.length === 0
            ? 'no refiners list has been imported'
            : list.map((r) => {
                const dates =
                  r.status === 'former' ? `removed ${r.removed_on}` : `listed ${r.listed_on ?? '?'}`;
                return `${r.brand_code}\t${r.status}\t${dates}\t${r.name} (${r.country})`;
              }),
        );
      });
    });
}
