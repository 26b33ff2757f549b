// `ingot message parse|render`: a message's text form (SWIFT Category 6 style, from Ingot or from
// elsewhere) to its fields, checked; and its JSON form back to text.
import type { Command } from 'commander';
import { totalGross } from '../../../domain/messages/barlist.ts';
import { type Message, messageToJson, renderMessageText } from '../../../domain/messages/index.ts';
import { describeSignedBalance } from '../../../domain/messages/mt608.ts';
import { signedBalance } from '../../../domain/messages/statement-fields.ts';
import { signedLine } from '../../../domain/messages/statement-line.ts';
import { writeFineOunces } from '../../../domain/messages/values.ts';
import { barsText } from '../../../domain/weight.ts';
import { printerFor } from '../../context.ts';
import { readMessageFile } from './message-file.ts';

/** The checks a message passed beyond its single fields, in words. */
function checksOf(message: Message): string[] {
  switch (message.type) {
    case 'MT608':
      return ['the statement lines lead from the opening balance to the closing balance'];
    case 'MT600':
      return ['the consideration is in the currency of the price'];
    case 'INGOT-BARLIST':
      return [
        'the number of bars (18A) and the total fine weight (32F) agree with the bars listed',
        "each bar's fine weight is its gross weight × fineness",
      ];
    case 'INGOT-OFFER':
      return ['the offer closes no earlier than it opens'];
    case 'INGOT-ACCEPTANCE':
      return ['exactly one of a quantity and a sum; a rate only with a sum, converting it'];
    default:
      return [];
  }
}

/** A statement's balances and lines as a person reads them. */
function statementLines(message: Extract<Message, { type: 'MT608' }>): string[] {
  let running = signedBalance(message.opening);
  return [
    `opening balance ${describeSignedBalance(running)} on ${message.opening.date}`,
    ...message.lines.map((line) => {
      running += signedLine(line);
      const amount = `${line.mark} ${writeFineOunces(line.fine_milli_oz)} FOZ`;
      const what = `${line.transaction_type} ${line.owner_reference}`;
      return `  ${line.value_date}  ${amount.padStart(22)}  ${what}  → ${describeSignedBalance(running)}`;
    }),
    `closing balance ${describeSignedBalance(signedBalance(message.closing))} on ${message.closing.date}`,
  ];
}

/** What `parse` prints besides the fields: a statement's balances, a bar list's totals. */
function summaryOf(message: Message): { data: object; lines: string[] } {
  if (message.type === 'MT608') {
    const data = {
      opening: describeSignedBalance(signedBalance(message.opening)),
      closing: describeSignedBalance(signedBalance(message.closing)),
      lines: message.lines.length,
    };
    return { data, lines: statementLines(message) };
  }
  if (message.type === 'INGOT-BARLIST') {
    const gross = writeFineOunces(totalGross(message));
    const fine = writeFineOunces(message.total_fine_milli_oz);
    return {
      data: { bars: message.count, total_gross_oz: gross, total_fine_oz: fine },
      lines: [`${barsText(message.count)}, ${gross} oz gross, ${fine} oz fine`],
    };
  }
  return { data: {}, lines: [] };
}

/** Registers `ingot message parse|render`. */
export function registerMessage(program: Command): void {
  const message = program
    .command('message')
    .description('messages between the banks in their text and JSON forms');
  message
    .command('parse <file>')
    .description('read a message (Ingot text, SWIFT FIN blocks, or JSON), print its fields and check it')
    .addHelpText('after', '\nExample:\n  ingot message parse statement.txt --json')
    .action(async (file: string, _options: object, command: Command) => {
      const out = printerFor(command);
      const { message: read, ignored_fields } = readMessageFile(file);
      const summary = summaryOf(read);
      const checks = checksOf(read);
      const json = messageToJson(read);
      out.result({ type: read.type, fields: json, ignored_fields, summary: summary.data, checks }, () => [
        `${read.type}`,
        ...Object.entries(json)
          .filter(([name]) => name !== 'type' && !(read.type === 'MT608' && name === 'lines'))
          .map(([name, value]) => `  ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`),
        ...summary.lines,
        ...checks.map((check) => `checked: ${check}`),
        ...(ignored_fields.length > 0 ? [`left out (not modelled): ${ignored_fields.join(', ')}`] : []),
      ]);
    });
  message
    .command('render <file>')
    .description('write a message from its JSON form (or re-render a text) as text')
    .addHelpText('after', '\nExample:\n  ingot message render confirmation.json > confirmation.txt')
    .action(async (file: string) => {
      process.stdout.write(renderMessageText(readMessageFile(file).message));
    });
}
