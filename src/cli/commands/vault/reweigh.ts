// `ingot bars reweigh BRAND SERIAL --gross OZ [--fineness ‰] --date D --reason TEXT`: an operator
// proposes a bar's new weights; a supervisor approves (`ingot approvals approve ID --digest …`).
import type { Command } from 'commander';
import { parseFineness, parseOunces } from '../../../domain/weight.ts';
import { proposeReweigh } from '../../../service/vault/reweigh.ts';
import { type GlobalOptions, withIngot } from '../../context.ts';
import { dateOption } from '../../options.ts';
import { must, parsedOption } from '../../output.ts';

/** Adds `reweigh` to the `bars` command (registered before this). */
export function registerReweigh(program: Command): void {
  const bars = program.commands.find((command) => command.name() === 'bars');
  if (!bars) throw new Error('the bars command is registered before reweigh');
  bars
    .command('reweigh <brand> <serial>')
    .description(
      'propose a bar’s new gross weight (and fineness) found on reweighing; a supervisor approves, ' +
        'and a change of fine weight is journalled against the outside world',
    )
    .requiredOption('--gross <oz>', 'the gross weight found, troy oz, in steps of 0.025 oz')
    .option('--fineness <per-mille>', 'the fineness found, ‰ with one decimal (default: the bar’s)')
    .requiredOption('--date <date>', 'the date of the reweighing, YYYY-MM-DD')
    .requiredOption('--reason <text>', 'why: the scale, the assay, the count that found it')
    .addHelpText(
      'after',
      '\nExample:\n  ingot --user gosbank-operator bars reweigh MSK 100500 --gross 400.075 --date 1961-03-01 ' +
        '--reason "reweighed after the March count"',
    )
    .action(
      async (
        brand: string,
        serial: string,
        options: { gross: string; fineness?: string; date: string; reason: string },
        command: Command,
      ) => {
        const gross = parsedOption(parseOunces(options.gross, 'gross weight'), '--gross');
        const fineness =
          options.fineness === undefined
            ? undefined
            : parsedOption(parseFineness(options.fineness), '--fineness');
        const date = dateOption(options.date, '--date');
        await withIngot(command, async (ingot, out) => {
          const done = must(
            await proposeReweigh(ingot, {
              by_user_id: command.optsWithGlobals<GlobalOptions>().user,
              refiner: brand,
              serial,
              gross_milli_oz: gross,
              ...(fineness === undefined ? {} : { fineness }),
              date,
              reason: options.reason,
            }),
          );
          out.result(
            done,
            () =>
              `reweighing of ${brand.toUpperCase()} ${serial} proposed; a supervisor approves with: ` +
              `ingot approvals approve ${done.pending_approval}`,
          );
        });
      },
    );
}
