// The journal itself: its export to the plain-text accounting format of hledger and ledger-cli.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { exportJournal, JOURNAL_FORMATS, type JournalFormat } from '../../../service/journal/export.ts';
import { withIngot } from '../../context.ts';
import { CliExit, EXIT, writeWaiting } from '../../output.ts';
import { mustReadBooks } from '../vault/reader.ts';

function formatOption(value: string): JournalFormat {
  const known = JOURNAL_FORMATS.find((format) => format === value);
  if (!known) {
    const expected = JOURNAL_FORMATS.join(', ');
    throw new CliExit(EXIT.bad_input, `invalid_input [--format]: ${value} is not one of ${expected}`);
  }
  return known;
}

/** Registers `ingot journal export`. */
export function registerJournal(program: Command): void {
  const journal = program.command('journal').description('the journal of every entry, for other tools');
  journal
    .command('export')
    .description('write the journal as plain text that hledger and ledger-cli read (GBP in old pence)')
    .option('--format <format>', `the format: ${JOURNAL_FORMATS.join(', ')}`, 'hledger')
    .option('--out <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      '\nExample:\n  ingot journal export --out books.journal && hledger -f books.journal balance',
    )
    .action(async (options: { format: string; out?: string }, command: Command) => {
      formatOption(options.format);
      await withIngot(command, async (ingot, out) => {
        await mustReadBooks(ingot, command, 'journal');
        const stream = options.out ? createWriteStream(options.out) : process.stdout;
        const write = (text: string) => writeWaiting(stream, text);
        const done = await exportJournal(ingot, write);
        if (options.out) {
          stream.end();
          await once(stream, 'finish');
          out.note(`${done.entries} entries written to ${options.out}`);
        }
      });
    });
}
