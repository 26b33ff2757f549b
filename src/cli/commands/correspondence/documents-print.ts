// `ingot documents pdf|csv`: the bar list, statement and trade confirmation as documents a person
// prints, from the books (depository) or from a message in the register (either bank), each copy
// numbered and printed only for a user cleared for its classification.
import type { Command } from 'commander';
import { writePrivateFile } from '../../../documents/private-file.ts';
import { formatBarListHeader, formatBarRow } from '../../../domain/barlist.ts';
import type { CorrespondenceOutcome } from '../../../domain/correspondence/refusal.ts';
import type { BarListMessage } from '../../../domain/messages/barlist.ts';
import { refuse } from '../../../domain/outcome.ts';
import {
  type BookDocument,
  PRINTABLE_TITLES,
  type PrintableKind,
  type Printed,
  printFromBooks,
  printFromRegister,
} from '../../../service/correspondence/printable.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { tradeParties } from '../../../service/trading/queries.ts';
import { type GlobalOptions, withIngot } from '../../context.ts';
import { dateOption } from '../../options.ts';
import { CliExit, EXIT } from '../../output.ts';
import { mustRead, mustReadOwned } from '../vault/reader.ts';
import { messageIdOption, mustReadMessage } from './correspondence.ts';
import { mustCorrespond, unlockOwnBooks } from './keys.ts';
import { PASSPHRASE_FILE_HELP } from './passphrase.ts';
import { classificationOption } from './send.ts';

interface PrintOptions {
  account?: string;
  date?: string;
  from?: string;
  trade?: string;
  message?: string;
  out?: string;
  classification?: string;
}

/** The document the options ask for from the books; an option it needs is required. */
function bookDocument(kind: PrintableKind, options: PrintOptions): BookDocument {
  const need = (value: string | undefined, option: string) => {
    if (!value)
      throw new CliExit(
        EXIT.bad_input,
        `invalid_input [${option}]: a ${kind} from the books needs ${option}`,
      );
    return value;
  };
  if (kind === 'confirmation') return { kind, trade_id: need(options.trade, '--trade') };
  const account_id = need(options.account, '--account');
  const date = dateOption(options.date, '--date');
  if (kind === 'barlist') return { kind, account_id, date };
  return { kind, account_id, from: options.from ? dateOption(options.from, '--from') : date, to: date };
}

/**
 * Checks a reader named with `--user` as the server checks a signed-in one, before a copy is
 * numbered: a client bank's user prints only its own bank's accounts, trades and messages (another
 * bank's answered exactly as one that does not exist); clearance follows.
 */
async function mustPrint(ingot: Ingot, command: Command, kind: PrintableKind, options: PrintOptions) {
  if (options.message !== undefined) {
    await mustReadMessage(ingot, command, messageIdOption(options.message));
    return;
  }
  if (kind === 'confirmation') {
    const trade = options.trade ?? '';
    const parties = await tradeParties(ingot, trade);
    await mustReadOwned(ingot, command, {
      owners: parties && [parties.seller_party_id, parties.buyer_party_id],
      kind: 'confirmation',
      hidden: refuse('trade_not_found', `no trade ${trade} is visible to you`, 'trade'),
    });
    return;
  }
  await mustRead(ingot, command, { kind, account_id: options.account ?? '' });
}

/** Prints from the register when --message names a message, else from the books. */
function printDocument(
  ingot: Ingot,
  kind: PrintableKind,
  options: PrintOptions,
  user: string,
  pdf: string | null,
): Promise<CorrespondenceOutcome<{ printed: Printed }>> {
  if (options.message !== undefined) {
    const message_id = messageIdOption(options.message);
    return printFromRegister(ingot, { kind, message_id, user_id: user }, pdf);
  }
  const order = {
    document: bookDocument(kind, options),
    classification: classificationOption(options.classification),
    user_id: user,
  };
  return printFromBooks(ingot, order, pdf);
}

function kindOf(value: string): PrintableKind {
  if (value === 'barlist' || value === 'statement' || value === 'confirmation') return value;
  throw new CliExit(
    EXIT.bad_input,
    `invalid_input [kind]: "${value}" is not barlist, statement or confirmation`,
  );
}

/** The bar list as CSV lines. */
function csvOf(list: BarListMessage): string {
  const rows = list.bars.map((bar) =>
    formatBarRow({ ...bar, vault: null, location: null, bar_id: null }, false),
  );
  return `${[formatBarListHeader(false), ...rows].join('\n')}\n`;
}

/** Registers `documents pdf` and `documents csv` under the `documents` command. */
export function registerDocumentCommands(program: Command): void {
  const documents = program.commands.find((c) => c.name() === 'documents') ?? program.command('documents');
  const print = (format: 'pdf' | 'csv', description: string) =>
    documents
      .command(`${format} <kind>`)
      .description(description)
      .option('--account <id>', 'barlist, statement: the account')
      .option('--date <date>', 'barlist: the date; statement: the last day (default today)')
      .option('--from <date>', 'statement: the first day')
      .option('--trade <id>', 'confirmation: the settled trade')
      .option('--message <id>', 'or print a message from the register instead of the books')
      .option('--passphrase-file <file>', `with --message: ${PASSPHRASE_FILE_HELP}`)
      .option(
        '--classification <level>',
        'from the books: confidential, secret or top secret',
        'confidential',
      )
      .requiredOption('--out <file>', 'the file to write')
      .action(async (kindText: string, options: PrintOptions, command: Command) => {
        const kind = kindOf(kindText);
        // Refused before a copy is numbered: a copy that is never written must not be counted.
        if (format === 'csv' && kind !== 'barlist')
          throw new CliExit(EXIT.bad_input, 'invalid_input [kind]: only a barlist is written as CSV');
        const user = command.optsWithGlobals<GlobalOptions>().user;
        const file = options.out ?? '';
        await withIngot(command, async (ingot, out) => {
          if (options.message !== undefined) await unlockOwnBooks(ingot, command);
          await mustPrint(ingot, command, kind, options);
          const pdf = format === 'pdf' ? file : null;
          const { printed } = mustCorrespond(await printDocument(ingot, kind, options, user, pdf));
          if (format === 'csv' && printed.message.type === 'INGOT-BARLIST')
            writePrivateFile(file, csvOf(printed.message));
          const { reference, copy_number } = printed.header;
          out.result(
            { file, copy_number, reference },
            () => `${file}: ${PRINTABLE_TITLES[kind]} ${reference}, copy No. ${copy_number}`,
          );
        });
      });
  print(
    'pdf',
    'print a bar list, statement or trade confirmation as PDF (header, table of bars or lines, totals)',
  ).addHelpText(
    'after',
    '\nExamples:\n  ingot --user ivanov documents pdf barlist --account NBC-GOLD --date 1961-01-31 ' +
      '--out barlist.pdf --classification secret\n' +
      '  ingot --user perez documents pdf barlist --message 4 --out barlist.pdf',
  );
  print('csv', 'write a bar list as CSV (serial,refiner,year,gross_oz,fineness,fine_oz)');
}
