// `ingot documents pdf|csv`: the bar list, statement and trade confirmation as documents a person
// prints, from the books (depository) or from a message in the register (either bank), each copy
// numbered and printed only for a user cleared for its classification.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { DocumentHeader } from '../../../documents/pdf.ts';
import { formatBarListHeader, formatBarRow } from '../../../domain/barlist.ts';
import type { Classification } from '../../../domain/correspondence/classification.ts';
import { parseClassification } from '../../../domain/correspondence/classification.ts';
import { type CorrespondenceOutcome, refuseCorrespondence } from '../../../domain/correspondence/refusal.ts';
import type { BarListMessage } from '../../../domain/messages/barlist.ts';
import { type Message, parseMessageText } from '../../../domain/messages/index.ts';
import type { Party } from '../../../domain/messages/party.ts';
import {
  barListOutgoing,
  settlementOutgoing,
  statementOutgoing,
} from '../../../service/correspondence/compose-books.ts';
import type { Outgoing } from '../../../service/correspondence/outbox.ts';
import { openRegistered, printBookCopy } from '../../../service/correspondence/register.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { type GlobalOptions, withIngot } from '../../context.ts';
import { dateOption } from '../../options.ts';
import { CliExit, EXIT } from '../../output.ts';
import { messageIdOption } from '../correspondence/correspondence.ts';
import { mustCorrespond } from '../correspondence/keys.ts';
import { classificationOption } from '../correspondence/send.ts';

const KINDS = { barlist: 'INGOT-BARLIST', statement: 'MT608', confirmation: 'MT600' } as const;
type Kind = keyof typeof KINDS;
const TITLES: Record<Kind, string> = {
  barlist: 'Bar list',
  statement: 'Statement of metal account',
  confirmation: 'Trade confirmation',
};

interface PrintOptions {
  account?: string;
  date?: string;
  from?: string;
  trade?: string;
  message?: string;
  out?: string;
  classification?: string;
}

/** A document to print: the message it shows, its header but for the copy number, and its key. */
interface Printable {
  readonly message: Message;
  readonly header: Omit<DocumentHeader, 'copy_number'>;
  readonly document: string;
}

async function partyName(ingot: Ingot, id: string): Promise<string> {
  const row = await ingot.store.db
    .selectFrom('parties')
    .select('name')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.name ?? id;
}

function partyText(party: Party | null, fallback: string): string {
  return party === null || party.lines.length === 0 ? fallback : party.lines.join(' ');
}

/** The header's banks and account for a message. */
function headerOf(kind: Kind, message: Message, from: string, to: string, classification: Classification) {
  const base = { title: TITLES[kind], classification, reference: message.reference, from, to };
  switch (message.type) {
    case 'INGOT-BARLIST':
      return {
        ...base,
        from: partyText(message.custodian, from),
        to: partyText(message.owner, to),
        account: message.account,
        date: message.date,
        related: message.related_reference,
      };
    case 'MT608':
      return { ...base, account: message.account, date: message.closing.date, related: null };
    case 'MT600':
      return {
        ...base,
        from: partyText(message.party_a, from),
        to: partyText(message.party_b, to),
        account: message.party_b.identifier?.replace('/', '') ?? '',
        date: message.trade_date,
        related: null,
      };
    default:
      return { ...base, account: '', date: '', related: null };
  }
}

/** A document composed from the books. */
async function fromBooks(
  ingot: Ingot,
  kind: Kind,
  options: PrintOptions,
  level: Classification,
): Promise<CorrespondenceOutcome<{ printable: Printable }>> {
  const need = (value: string | undefined, option: string) => {
    if (!value)
      throw new CliExit(
        EXIT.bad_input,
        `invalid_input [${option}]: a ${kind} from the books needs ${option}`,
      );
    return value;
  };
  let made: CorrespondenceOutcome<{ outgoing: Outgoing[] }>;
  if (kind === 'confirmation')
    made = await settlementOutgoing(ingot.store.db, need(options.trade, '--trade'), level);
  else if (kind === 'barlist') {
    made = await barListOutgoing(ingot, {
      account_id: need(options.account, '--account'),
      date: dateOption(options.date, '--date'),
      classification: level,
    });
  } else {
    const to = dateOption(options.date, '--date');
    made = await statementOutgoing(ingot, {
      account_id: need(options.account, '--account'),
      from: options.from ? dateOption(options.from, '--from') : to,
      to,
      classification: level,
    });
  }
  if (!made.ok) return made;
  const outgoing = made.outgoing.find((item) => item.message.type === KINDS[kind]);
  if (!outgoing)
    return refuseCorrespondence('document_not_available', `no ${kind} can be made from the books`, 'kind');
  const depository = await ingot.store.db
    .selectFrom('parties')
    .select('id')
    .where('role', '=', 'depository')
    .executeTakeFirst();
  const header = headerOf(
    kind,
    outgoing.message,
    await partyName(ingot, depository?.id ?? ''),
    await partyName(ingot, outgoing.to),
    level,
  );
  return {
    ok: true,
    printable: { message: outgoing.message, header, document: outgoing.origin ?? outgoing.subject },
  };
}

/** A document from a registered message: the user must be cleared; the copy is numbered there. */
async function fromRegister(
  ingot: Ingot,
  kind: Kind,
  id: bigint,
  user: string,
): Promise<{ printable: Printable; copy: bigint }> {
  const opened = mustCorrespond(await openRegistered(ingot, { id, user_id: user, action: 'print' }));
  const row = opened.message;
  const parsed = row.text === null ? null : parseMessageText(row.text);
  if (!parsed?.ok || parsed.message.type !== KINDS[kind]) {
    throw new CliExit(
      EXIT.bad_input,
      `invalid_input [--message]: message #${id} is not a ${kind} (${row.message_type ?? 'unopened'})`,
    );
  }
  const self = await ingot.store.db
    .selectFrom('channel_banks')
    .select('bank_id')
    .where('is_self', '=', 1n)
    .executeTakeFirst();
  const own = await partyName(ingot, self?.bank_id ?? '');
  const other = await partyName(ingot, row.correspondent);
  const [from, to] = row.direction === 'in' ? [other, own] : [own, other];
  const level = parseClassification(row.classification) ?? 'confidential';
  const header = headerOf(kind, parsed.message, from, to, level);
  return {
    printable: { message: parsed.message, header, document: `message:${id}` },
    copy: opened.copy_number ?? row.copies,
  };
}

async function writePdf(printable: Printable, copy: bigint, path: string): Promise<void> {
  const header = { ...printable.header, copy_number: copy };
  const { message } = printable;
  // pdfkit and its fonts take a second to load: only the command that prints pays for them.
  const { writeBarListPdf, writeConfirmationPdf, writeStatementPdf } = await import(
    '../../../documents/pdf.ts'
  );
  if (message.type === 'INGOT-BARLIST') await writeBarListPdf(header, message, path);
  else if (message.type === 'MT608') await writeStatementPdf(header, message, path);
  else if (message.type === 'MT600') await writeConfirmationPdf(header, message, path);
}

function kindOf(value: string): Kind {
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
  const print = (
    name: string,
    description: string,
    write: (printable: Printable, copy: bigint, out: string) => Promise<void>,
  ) =>
    documents
      .command(`${name} <kind>`)
      .description(description)
      .option('--account <id>', 'barlist, statement: the account')
      .option('--date <date>', 'barlist: the date; statement: the last day (default today)')
      .option('--from <date>', 'statement: the first day')
      .option('--trade <id>', 'confirmation: the settled trade')
      .option('--message <id>', 'or print a message from the register instead of the books')
      .option(
        '--classification <level>',
        'from the books: confidential, secret or top secret',
        'confidential',
      )
      .requiredOption('--out <file>', 'the file to write')
      .action(async (kindText: string, options: PrintOptions, command: Command) => {
        const kind = kindOf(kindText);
        const user = command.optsWithGlobals<GlobalOptions>().user;
        await withIngot(command, async (ingot, out) => {
          let printable: Printable;
          let copy: bigint;
          if (options.message !== undefined)
            ({ printable, copy } = await fromRegister(ingot, kind, messageIdOption(options.message), user));
          else {
            const level = classificationOption(options.classification);
            ({ printable } = mustCorrespond(await fromBooks(ingot, kind, options, level)));
            ({ copy_number: copy } = mustCorrespond(
              await printBookCopy(ingot, {
                document: printable.document,
                classification: level,
                user_id: user,
              }),
            ));
          }
          await write(printable, copy, options.out ?? '');
          out.result(
            { file: options.out, copy_number: copy, reference: printable.message.reference },
            () => `${options.out}: ${TITLES[kind]} ${printable.message.reference}, copy No. ${copy}`,
          );
        });
      });
  print(
    'pdf',
    'print a bar list, statement or trade confirmation as PDF (header, table of bars or lines, totals)',
    writePdf,
  ).addHelpText(
    'after',
    '\nExamples:\n  ingot --user ivanov documents pdf barlist --account NBC-GOLD --date 1961-01-31 ' +
      '--out barlist.pdf --classification secret\n' +
      '  ingot --user perez documents pdf barlist --message 4 --out barlist.pdf',
  );
  print(
    'csv',
    'write a bar list as CSV (serial,refiner,year,gross_oz,fineness,fine_oz)',
    async (printable, _copy, path) => {
      if (printable.message.type !== 'INGOT-BARLIST')
        throw new CliExit(EXIT.bad_input, 'invalid_input [kind]: only a barlist is written as CSV');
      writeFileSync(path, csvOf(printable.message));
    },
  );
}
