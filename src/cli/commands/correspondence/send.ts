// `ingot send`: messages written from the books (depository) or from the command line (client),
// checked, registered, signed, sealed and queued in the outbox; `ingot sync` carries them.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type Classification, parseClassification } from '../../../domain/correspondence/classification.ts';
import {
  type AcceptanceAsked,
  composeAcceptance,
  composeLetter,
  composeTransferOrder,
} from '../../../domain/correspondence/compose.ts';
import type { CorrespondenceOutcome } from '../../../domain/correspondence/refusal.ts';
import type { Message } from '../../../domain/messages/index.ts';
import { parseFxRate, parseMoney } from '../../../domain/money.ts';
import { parseQuantity } from '../../../domain/weight.ts';
import {
  barListOutgoing,
  instructionOutgoing,
  offerOutgoing,
  settlementOutgoing,
  statementOutgoing,
} from '../../../service/correspondence/compose-books.ts';
import type { Channel } from '../../../service/correspondence/keyring.ts';
import { type Outgoing, type Queued, queueMessages } from '../../../service/correspondence/outbox.ts';
import {
  receivedMetal,
  receivedOfferCurrency,
  releasedBars,
} from '../../../service/correspondence/view-lookups.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { withIngot } from '../../context.ts';
import { dateOption } from '../../options.ts';
import { CliExit, EXIT, type Printer, parsedOption } from '../../output.ts';
import { loadOwnChannel, mustCorrespond } from './keys.ts';
import { readMessageFile } from './message-file.ts';
import { withPassphraseOption } from './passphrase.ts';

/** The classification option, checked. */
export function classificationOption(value: string | undefined): Classification {
  const parsed = parseClassification(value ?? 'confidential');
  if (parsed === null) {
    const text = `invalid_input [--classification]: "${value}" is not confidential, secret or top secret`;
    throw new CliExit(EXIT.bad_input, text);
  }
  return parsed;
}

/** Runs `work` with the store open and the instance's channel (its keys) loaded. */
async function withChannel(
  command: Command,
  work: (ingot: Ingot, out: Printer, channel: Channel) => Promise<void>,
): Promise<void> {
  await withIngot(command, async (ingot, out) => {
    await work(ingot, out, await loadOwnChannel(ingot, command));
  });
}

/** Queues what a composer made and prints each message queued. */
async function queueAndReport(
  ingot: Ingot,
  out: Printer,
  channel: Channel,
  made: CorrespondenceOutcome<{ outgoing: Outgoing[] }>,
): Promise<void> {
  const { outgoing } = mustCorrespond(made);
  const { queued } = mustCorrespond(await queueMessages(ingot, channel, outgoing));
  out.result(queued, () =>
    queued.map((q: Queued, index) => {
      const to = outgoing[index]?.to ?? '';
      const again = q.replayed ? ' (already queued before; not sent twice)' : '';
      const place = `register no. ${q.number}, sequence ${q.sequence}`;
      return `#${q.id} ${q.type} ${q.reference} to ${to}: ${place}${again}`;
    }),
  );
}

interface Common {
  classification?: string;
  subject?: string;
  from?: string;
  date?: string;
}

const LEVELS = 'confidential, secret or top secret';

/** A message composed from the books: what to compose it from, given the argument and options. */
type FromBooks = (
  ingot: Ingot,
  argument: string,
  options: Common,
  level: Classification,
) => Promise<CorrespondenceOutcome<{ outgoing: Outgoing[] }>>;

/** Registers `send <name> <argument>` composing from the books. */
function bookCommand(send: Command, usage: string, description: string, compose: FromBooks): Command {
  return send
    .command(usage)
    .description(description)
    .option('--classification <level>', LEVELS, 'confidential')
    .action(async (argument: string, options: Common, command: Command) => {
      const level = classificationOption(options.classification);
      await withChannel(command, async (ingot, out, channel) => {
        await queueAndReport(ingot, out, channel, await compose(ingot, argument, options, level));
      });
    });
}

function registerFromBooks(send: Command): void {
  bookCommand(send, 'offer <offer>', 'send an offer to its buyer (INGOT-OFFER)', (ingot, offer, _o, level) =>
    offerOutgoing(ingot, offer, level),
  );
  bookCommand(
    send,
    'settlement <trade>',
    "send a settled trade's confirmation (MT600), credit advice with bar numbers (MT607), " +
      'cash debit advice (MT699) and bar list',
    (ingot, trade, _o, level) => settlementOutgoing(ingot, trade, level),
  ).addHelpText('after', '\nExample:\n  ingot send settlement TRADE-1 --classification secret');
  bookCommand(
    send,
    'instruction <instruction>',
    'confirm an executed instruction to its client: the debit advice of its bars (MT606)',
    (ingot, instruction, _o, level) => instructionOutgoing(ingot, instruction, level),
  );
  bookCommand(
    send,
    'statement <account>',
    'send the statement of a metal account (MT608) to its owner',
    (ingot, account, options, level) => {
      const to = dateOption(options.date, '--date');
      const from = options.from ? dateOption(options.from, '--from') : to;
      return statementOutgoing(ingot, { account_id: account, from, to, classification: level });
    },
  )
    .option('--from <date>', 'first day of the period')
    .option('--date <date>', 'last day of the period (default today)');
  bookCommand(
    send,
    'barlist <account>',
    'send the bar list of a custody account on a date to its owner (INGOT-BARLIST)',
    (ingot, account, options, level) =>
      barListOutgoing(ingot, {
        account_id: account,
        date: dateOption(options.date, '--date'),
        classification: level,
      }),
  ).option('--date <date>', 'the date (default today)');
}

/** Queues one message written on the command line. */
async function queueOne(command: Command, outgoing: (ingot: Ingot) => Promise<Outgoing>): Promise<void> {
  await withChannel(command, async (ingot, out, channel) => {
    await queueAndReport(ingot, out, channel, { ok: true, outgoing: [await outgoing(ingot)] });
  });
}

/** A message written on the command line, to a bank, with the register's particulars. */
function outgoingOf(
  options: Common & { to: string },
  message: Message,
  defaults: { subject: string; linked: string | null; date: string },
): Outgoing {
  const classification = classificationOption(options.classification);
  const subject = options.subject ?? defaults.subject;
  return {
    to: options.to,
    classification,
    subject,
    message,
    origin: null,
    linked: defaults.linked,
    date: defaults.date,
  };
}

interface AcceptOptions extends Common {
  to: string;
  offer: string;
  amount?: string;
  quantity?: string;
  rate?: string;
  reference?: string;
}

/** What an acceptance asks: a quantity, or a sum with the rate of the offer's currency in it. */
async function askedOf(ingot: Ingot, options: AcceptOptions): Promise<AcceptanceAsked> {
  if (options.quantity !== undefined) {
    return { kind: 'quantity', fine_milli_oz: parsedOption(parseQuantity(options.quantity), '--quantity') };
  }
  const amount = parsedOption(parseMoney(options.amount ?? ''), '--amount');
  const base = (await receivedOfferCurrency(ingot, options.to, options.offer)) ?? 'GBP';
  const rate = options.rate === undefined ? null : parseFxRate(options.rate, base, amount.currency);
  return { kind: 'amount', amount, rate: rate === null ? null : parsedOption(rate, '--rate') };
}

function registerAcceptance(send: Command): void {
  send
    .command('acceptance')
    .description('accept an offer received, for a sum (with the rate when converted) or a quantity')
    .requiredOption('--to <bank>', 'the depository')
    .requiredOption('--offer <reference>', 'the offer accepted')
    .option('--amount <amount>', 'the sum, e.g. "USD 20,000,000"')
    .option('--quantity <quantity>', 'or the fine gold, e.g. "10 t"')
    .option('--rate <rate>', "the rate of the offer's currency in the sum's, e.g. 2.80 (USD per £)")
    .option('--date <date>', 'the date of acceptance (default today)')
    .option('--reference <ref>', 'our reference (default ACCEPT-<offer>)')
    .option('--classification <level>', LEVELS, 'confidential')
    .addHelpText(
      'after',
      '\nExample:\n  ingot --db nbc.db send acceptance --to GOSBANK --offer OFFER-1 ' +
        '--amount "USD 20,000,000" --rate 2.80 --date 1961-01-17',
    )
    .action(async (options: AcceptOptions, command: Command) => {
      const date = dateOption(options.date, '--date');
      if ((options.amount === undefined) === (options.quantity === undefined)) {
        throw new CliExit(
          EXIT.bad_input,
          'invalid_input [--amount]: give exactly one of --amount and --quantity',
        );
      }
      await queueOne(command, async (ingot) => {
        const message = composeAcceptance({
          reference: options.reference ?? `ACCEPT-${options.offer}`,
          offer_reference: options.offer,
          accepted_on: date,
          asked: await askedOf(ingot, options),
          narrative: null,
        });
        const subject = `Acceptance of offer ${options.offer}`;
        return outgoingOf(options, message, { subject, linked: options.offer, date });
      });
    });
}

interface OrderOptions extends Common {
  to: string;
  account: string;
  bars: string;
  representative?: string;
  representativeName: string;
  transferTo?: string;
  reference?: string;
  quantity?: string;
}

/** The MT604 an order's options ask for, the bars found in the view. */
async function orderOf(ingot: Ingot, options: OrderOptions, date: string): Promise<Outgoing> {
  const { bars } = mustCorrespond(await releasedBars(ingot, options.account, options.bars));
  if (options.quantity === undefined && bars.some((bar) => bar.fine_milli_oz === null)) {
    throw new CliExit(EXIT.bad_input, 'invalid_input [--quantity]: some bars are unweighed; give --quantity');
  }
  const quantity =
    options.quantity === undefined
      ? bars.reduce((sum, bar) => sum + (bar.fine_milli_oz ?? 0n), 0n)
      : parsedOption(parseQuantity(options.quantity), '--quantity');
  const transfer = options.transferTo !== undefined;
  const message = composeTransferOrder({
    reference: options.reference ?? `ORD-${date.replaceAll('-', '').slice(2)}`,
    kind: transfer ? 'TRANSFER' : 'DELIVERY',
    account_id: options.account,
    value_date: date,
    bars,
    quantity_fine_milli_oz: quantity,
    beneficiary_id: options.transferTo ?? options.representative ?? '',
    beneficiary_name: transfer ? `ACCOUNT ${options.transferTo}` : options.representativeName,
    location: await receivedMetal(ingot, options.account),
    narrative: null,
  });
  const what = transfer ? `transfer to ${options.transferTo}` : `delivery to ${options.representative}`;
  const subject = `Order: ${what} of ${bars.length} bars from ${options.account}`;
  return outgoingOf(options, message, { subject, linked: options.account, date });
}

function registerOrder(send: Command): void {
  send
    .command('release')
    .description(
      'instruct the depository (MT604) to deliver named bars to a representative, or transfer them',
    )
    .requiredOption('--to <bank>', 'the depository')
    .requiredOption('--account <id>', 'our custody account at the depository')
    .requiredOption('--bars <numbers>', 'bar numbers REFINER/SERIAL/YEAR, comma-separated')
    .option('--representative <id>', 'deliver to this authorized representative')
    .option('--representative-name <name>', "the representative's name", 'AUTHORIZED REPRESENTATIVE')
    .option('--transfer-to <account>', 'or transfer to this custody account')
    .option('--quantity <quantity>', "the fine gold (default: the bars' weights from the bar lists received)")
    .option('--date <date>', 'value date (default today)')
    .option('--reference <ref>', 'our reference')
    .option('--classification <level>', LEVELS, 'confidential')
    .addHelpText(
      'after',
      '\nExample:\n  ingot --db nbc.db send release --to GOSBANK --account NBC-GOLD ' +
        '--bars MSK/100000/1955 --representative REP-1 --date 1961-02-15',
    )
    .action(async (options: OrderOptions, command: Command) => {
      const date = dateOption(options.date, '--date');
      if ((options.representative === undefined) === (options.transferTo === undefined)) {
        const text = 'invalid_input [--representative]: give one of --representative and --transfer-to';
        throw new CliExit(EXIT.bad_input, text);
      }
      await queueOne(command, (ingot) => orderOf(ingot, options, date));
    });
}

interface LetterOptions extends Common {
  to: string;
  subject: string;
  text?: string;
  file?: string;
  reference?: string;
  related?: string;
}

function registerFree(send: Command): void {
  send
    .command('letter')
    .description('send a free-format letter (MT699) for what no other message says')
    .requiredOption('--to <bank>', 'the correspondent')
    .requiredOption('--subject <subject>', 'the subject, for the register')
    .option('--text <text>', 'the letter')
    .option('--file <file>', 'or a file holding it')
    .option('--reference <ref>', 'our reference (default LTR-<date>)')
    .option('--related <ref>', 'the reference it answers')
    .option('--date <date>', 'the date (default today)')
    .option('--classification <level>', LEVELS, 'confidential')
    .action(async (options: LetterOptions, command: Command) => {
      const date = dateOption(options.date, '--date');
      const text = options.text ?? (options.file ? readFileSync(options.file, 'utf8') : undefined);
      if (text === undefined)
        throw new CliExit(EXIT.bad_input, 'invalid_input [--text]: give --text or --file');
      const reference = options.reference ?? `LTR-${date}`;
      const message = composeLetter({ reference, related_reference: options.related ?? null, text });
      const linked = options.related ?? null;
      await queueOne(command, async () =>
        outgoingOf(options, message, { subject: options.subject, linked, date }),
      );
    });
  send
    .command('message <file>')
    .description('send any message from a file, in its text (SWIFT-style) or JSON form')
    .requiredOption('--to <bank>', 'the correspondent')
    .requiredOption('--subject <subject>', 'the subject, for the register')
    .option('--date <date>', 'the date (default today)')
    .option('--classification <level>', LEVELS, 'confidential')
    .action(async (file: string, options: Common & { to: string; subject: string }, command: Command) => {
      const date = dateOption(options.date, '--date');
      const { message } = readMessageFile(file);
      await queueOne(command, async () =>
        outgoingOf(options, message, { subject: options.subject, linked: null, date }),
      );
    });
}

/** Registers `ingot send …`. */
export function registerSend(program: Command): void {
  const send = program
    .command('send')
    .enablePositionalOptions()
    .description('write, register, sign and seal a message into the outbox (`ingot sync` delivers it)');
  registerFromBooks(send);
  registerAcceptance(send);
  registerOrder(send);
  registerFree(send);
  for (const each of send.commands) withPassphraseOption(each);
}
