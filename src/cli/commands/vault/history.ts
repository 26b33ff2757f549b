// `ingot bars history BRAND SERIAL`: a bar's chain of custody, from its receipt to where it went.
import type { Command } from 'commander';
import { formatBarEventLine } from '../../../domain/bar-history.ts';
import { describeWeight } from '../../../domain/weight.ts';
import { barHistory, barHistoryView } from '../../../service/vault/history.ts';
import { withIngot } from '../../context.ts';
import { must } from '../../output.ts';
import { namedUser } from './reader.ts';

/** Adds `history` to the `bars` command (registered before this). */
export function registerBarHistory(program: Command): void {
  const bars = program.commands.find((command) => command.name() === 'bars');
  if (!bars) throw new Error('the bars command is registered before its history');
  bars
    .command('history <brand> <serial>')
    .description('a bar’s chain of custody: received, allocated, sold, reserved, released, shipped')
    .addHelpText(
      'after',
      '\nWith --user, a client bank’s user sees only the part of the bar’s life while its accounts' +
        ' owned it, and must be cleared for confidential documents.' +
        '\n\nExample:\n  ingot --user nbc-viewer bars history MSK 100250 --json',
    )
    .action(async (brand: string, serial: string, _options: object, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const request = { refiner: brand, serial, reader_user_id: namedUser(command) };
        const history = must(await barHistory(ingot, request));
        const { bar } = history;
        out.result(barHistoryView(history), () => [
          `${bar.refiner} ${bar.serial} (${bar.year}), ${describeWeight(bar.fine_milli_oz)} fine, ` +
            `fineness ${bar.fineness}/10000`,
          ...history.events.map(formatBarEventLine),
        ]);
      });
    });
}
