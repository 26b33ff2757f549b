// Reference data: parties and their accounts (cash paid in and out: ../vault/cash.ts).
import type { Command } from 'commander';
import { type CurrencyCode, formatLsd, formatMoney } from '../../../domain/money.ts';
import { describeWeight } from '../../../domain/weight.ts';
import {
  addParty,
  listAccounts,
  openAccount,
  type PartyRole,
  parseUnit,
} from '../../../service/parties/parties.ts';
import { withIngot } from '../../context.ts';
import { CliExit, EXIT, must } from '../../output.ts';
import { namedUserParty } from '../vault/reader.ts';

/** A balance as people read it: gold in fine ounces, money in its currency. */
export function describeBalance(unit: string, amount: bigint, date?: string): string {
  if (unit === 'XAU') return describeWeight(amount);
  const text = formatMoney({ currency: unit as CurrencyCode, minor: amount }, date);
  // Sterling that is not a whole number of new pence is shown exactly in £sd beside the decimal.
  return text.startsWith('≈') && unit === 'GBP' ? `${text} (${formatLsd(amount)})` : text;
}

export function registerSetup(program: Command): void {
  const parties = program.command('parties').description('the depository and its client banks');
  parties
    .command('add <id>')
    .description('register a party')
    .requiredOption('--name <name>', 'full name, e.g. "National Bank of Cuba"')
    .option('--role <role>', 'depository or client', 'client')
    .addHelpText('after', '\nExample:\n  ingot parties add NBC --name "National Bank of Cuba" --role client')
    .action(async (id: string, options: { name: string; role: string }, command: Command) => {
      if (options.role !== 'depository' && options.role !== 'client') {
        throw new CliExit(
          EXIT.bad_input,
          `invalid_input [--role]: "${options.role}" is not depository or client`,
        );
      }
      await withIngot(command, async (ingot, out) => {
        const added = must(
          await addParty(ingot, { id, name: options.name, role: options.role as PartyRole }),
        );
        out.result(added, () => `party ${added.id} registered`);
      });
    });

  const accounts = program
    .command('accounts')
    .enablePositionalOptions()
    .description('list accounts and balances')
    .option('--party <id>', 'only this party’s accounts')
    .addHelpText('after', '\nExample:\n  ingot accounts --party NBC')
    .action(async (options: { party?: string }, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        // A client bank's user sees its own bank's accounts, as GET /accounts shows them.
        const own = await namedUserParty(ingot, command);
        const list = (await listAccounts(ingot, options.party)).filter(
          (account) => own === undefined || account.party_id === own,
        );
        out.result(list, () =>
          list.length === 0
            ? 'no accounts'
            : list.map(
                (a) =>
                  `${a.id.padEnd(20)} ${a.party_id.padEnd(10)} ${a.kind.padEnd(8)} ${describeBalance(a.unit, a.balance)}`,
              ),
        );
      });
    });
  accounts
    .command('open <id>')
    .description('open a cash account (in a currency) or a gold custody account (XAU)')
    .requiredOption('--party <id>', 'the owning party')
    .requiredOption('--kind <kind>', 'cash or custody')
    .requiredOption('--unit <unit>', 'GBP, USD, EUR, or XAU for custody')
    .addHelpText(
      'after',
      '\nExamples:\n  ingot accounts open NBC-GBP --party NBC --kind cash --unit GBP\n  ingot accounts open NBC-GOLD --party NBC --kind custody --unit XAU',
    )
    .action(async (id: string, options: { party: string; kind: string; unit: string }, command: Command) => {
      const unit = parseUnit(options.unit);
      if (!unit) throw new CliExit(EXIT.bad_input, `invalid_input [--unit]: unknown unit "${options.unit}"`);
      if (options.kind !== 'cash' && options.kind !== 'custody') {
        throw new CliExit(EXIT.bad_input, `invalid_input [--kind]: "${options.kind}" is not cash or custody`);
      }
      const kind = options.kind;
      await withIngot(command, async (ingot, out) => {
        const opened = must(await openAccount(ingot, { id, party_id: options.party, kind, unit }));
        out.result(opened, () => `account ${opened.id} opened`);
      });
    });
}
