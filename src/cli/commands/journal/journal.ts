// The journal itself: every invariant of the books verified, and the journal's export to the
// plain-text accounting format of hledger and ledger-cli.
import { once } from 'node:events';
import type { Command } from 'commander';
import { privateWriteStream } from '../../../documents/private-file.ts';
import { exportJournal, JOURNAL_FORMATS, type JournalFormat } from '../../../service/journal/export.ts';
import { verifyStore } from '../../../service/journal/verify.ts';
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

/** Registers `ingot verify`. */
function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('check every invariant of the books; exits 3 naming each breach')
    .addHelpText('after', '\nExample:\n  ingot verify && echo sound')
    .action(async (_options: object, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const result = await verifyStore(ingot);
        out.result(result, () =>
          result.breaches.length === 0
            ? `verify: ${result.checks} checks passed`
            : [
                `verify: ${result.breaches.length} breach(es)`,
                ...result.breaches.map((b) => `  ${b.rule}: ${b.detail}`),
              ],
        );
        if (result.breaches.length > 0)
          throw new CliExit(EXIT.breach, `the books are not sound: ${result.breaches[0]?.detail}`);
      });
    });
}

/** Registers `ingot verify` and `ingot journal export`. */
export function registerJournal(program: Command): void {
  registerVerify(program);
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
        const stream = options.out ? privateWriteStream(options.out) : process.stdout;
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
