// The London fixing: imported from the LBMA JSON feed or CSV, entered by hand, listed.
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type Fixing, isLondonWeekend, parseFixingCsv, parseLbmaJson } from '../../../domain/fixing.ts';
import { formatLsd, formatMoney, parsePrice } from '../../../domain/money.ts';
import { proposeFixings } from '../../../service/custody/approvals.ts';
import { proposeFixingImport } from '../../../service/trading/fixing-import.ts';
import { listFixings, recordFixings } from '../../../service/trading/fixings.ts';
import { type GlobalOptions, withIngot } from '../../context.ts';
import { currencyOption, dateOption } from '../../options.ts';
import { CliExit, EXIT, must, parsedOption } from '../../output.ts';

/** A fixing as the desk reads it: sterling before 1971 in shillings and pence, as it was quoted. */
export function describePrice(currency: string, minor: bigint, date: string): string {
  return currency === 'GBP' && date < '1971-02-15'
    ? `${formatLsd(minor, { shillingsOnly: true })} (${formatLsd(minor)})`
    : formatMoney({ currency: currency as 'GBP', minor }, date);
}

/** A fixing's date and price from the command line: a weekday, and a price in a known currency. */
/** A fixing typed on the command line (`prices add` and `prices propose`), checked. */
function fixingOption(dateText: string, priceText: string, options: { currency: string; source: string }) {
  const date = dateOption(dateText, 'date');
  if (isLondonWeekend(date)) {
    throw new CliExit(EXIT.bad_input, `invalid_input [date]: ${date} is a weekend; London does not fix then`);
  }
  const price = parsedOption(parsePrice(priceText, currencyOption(options.currency, '--currency')), 'price');
  const fixing: Fixing = { date, ...price, source: options.source };
  return { date, price, fixing };
}

/** Proposes an imported list as one approval a supervisor checks; says which, or that none was needed. */
async function proposeImport(
  command: Command,
  user: string,
  fixings: readonly Fixing[],
  skipped: readonly unknown[],
) {
  await withIngot(command, async (ingot, out) => {
    const done = must(await proposeFixingImport(ingot, user, fixings));
    const waiting =
      done.pending_approval === null
        ? 'nothing to propose'
        : `${done.proposed} fixings proposed; a supervisor approves with: ingot approvals approve ${done.pending_approval}`;
    out.result(
      { ...done, skipped },
      () => `${waiting}; ${done.unchanged} already recorded, ${skipped.length} dates without a price skipped`,
    );
  });
}

export function registerPrices(program: Command): void {
  const prices = program.command('prices').description('the London gold fixing, per fine troy ounce');
  prices
    .command('import <file>')
    .description(
      'import fixings: the LBMA JSON feed ([{"d": date, "v": [USD, GBP, EUR]}]) or CSV (date,currency,price[,source])',
    )
    .option('--format <format>', 'lbma or csv (default: from the file name)')
    .option('--currency <code>', 'which LBMA value to take: USD, GBP or EUR', 'GBP')
    .option('--source <text>', 'where the prices come from', 'LBMA')
    .option(
      '--propose',
      'propose them under four eyes as --user (an operator); a supervisor approves, as for `prices propose`',
    )
    .addHelpText(
      'after',
      '\nWithout --propose the fixings are recorded at once, as by `prices add`: the keeper of the books' +
        '\nat the console is trusted. The server\u2019s users always propose (POST /prices/import).' +
        '\n\nExamples:\n  ingot prices import gold_pm.json --currency GBP --source "LBMA Gold Price PM"' +
        '\n  ingot prices import fixings.csv' +
        '\n  ingot --user gosbank-operator prices import fixings.csv --propose',
    )
    .action(
      async (
        file: string,
        options: { format?: string; currency: string; source: string; propose?: boolean },
        command: Command,
      ) => {
        if (!existsSync(file))
          throw new CliExit(EXIT.bad_input, `invalid_input [file]: ${file} does not exist`);
        const format = options.format ?? (file.toLowerCase().endsWith('.json') ? 'lbma' : 'csv');
        if (format !== 'lbma' && format !== 'csv')
          throw new CliExit(EXIT.bad_input, `invalid_input [--format]: "${format}" is not lbma or csv`);
        const text = readFileSync(file, 'utf8');
        const currency = currencyOption(options.currency, '--currency');
        const parsed =
          format === 'lbma'
            ? parseLbmaJson(text, currency, options.source)
            : parseFixingCsv(text, options.source);
        if (!parsed.ok) {
          const where = (index: number | null) =>
            index === null ? '' : format === 'lbma' ? `entry ${index}: ` : `row ${index}: `;
          const lines = parsed.problems.slice(0, 50).map((p) => `  ${where(p.index)}${p.reason}`);
          throw new CliExit(
            EXIT.bad_input,
            `fixing_list_invalid: ${parsed.problems.length} problem(s), nothing imported\n${lines.join('\n')}`,
          );
        }
        if (options.propose) {
          const user = command.optsWithGlobals<GlobalOptions>().user;
          await proposeImport(command, user, parsed.fixings, parsed.skipped);
          return;
        }
        await withIngot(command, async (ingot, out) => {
          const done = must(await recordFixings(ingot, parsed.fixings));
          out.result(
            { ...done, skipped: parsed.skipped },
            () =>
              `${done.added} fixings added, ${done.unchanged} already recorded, ${parsed.skipped.length} dates without a price skipped`,
          );
        });
      },
    );
  prices
    .command('add <date> <price>')
    .description('record one fixing: a decimal price, or for sterling before 1971 shillings and pence')
    .option('--currency <code>', 'currency of the price', 'GBP')
    .requiredOption(
      '--source <text>',
      'where the price comes from (say "illustrative" when it is not sourced)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  ingot prices add 1961-01-31 "254s 0d" --source "monthly average, illustrative"\n  ingot prices add 2024-01-02 1624.95 --source "LBMA Gold Price PM"',
    )
    .action(
      async (
        dateText: string,
        priceText: string,
        options: { currency: string; source: string },
        command: Command,
      ) => {
        const { date, price, fixing } = fixingOption(dateText, priceText, options);
        await withIngot(command, async (ingot, out) => {
          const done = must(await recordFixings(ingot, [fixing]));
          out.result(
            { date, ...price, ...done },
            () =>
              `${date} ${price.currency} ${describePrice(price.currency, price.minor_per_oz, date)} per fine oz ${done.added ? 'recorded' : 'was already recorded'}`,
          );
        });
      },
    );
  prices
    .command('propose <date> <price>')
    .description('enter a fixing by hand under four eyes: an operator proposes, a supervisor approves')
    .option('--currency <code>', 'currency of the price', 'GBP')
    .requiredOption('--source <text>', 'where the price comes from')
    .addHelpText(
      'after',
      '\nExample:\n  ingot --user gosbank-operator prices propose 1961-02-01 "250s 7½d" --source "London fixing, The Times"',
    )
    .action(
      async (
        dateText: string,
        priceText: string,
        options: { currency: string; source: string },
        command: Command,
      ) => {
        const { date, fixing } = fixingOption(dateText, priceText, options);
        await withIngot(command, async (ingot, out) => {
          const done = must(
            await proposeFixings(ingot, command.optsWithGlobals<GlobalOptions>().user, [fixing]),
          );
          out.result(
            done,
            () =>
              `fixing of ${date} proposed; a supervisor approves with: ingot approvals approve ${done.pending_approval}`,
          );
        });
      },
    );
  prices
    .command('list')
    .description('list recorded fixings')
    .option('--from <date>', 'first date')
    .option('--to <date>', 'last date')
    .option('--currency <code>', 'only this currency')
    .action(async (options: { from?: string; to?: string; currency?: string }, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const rows = await listFixings(ingot, {
          ...(options.from ? { from: dateOption(options.from, '--from') } : {}),
          ...(options.to ? { to: dateOption(options.to, '--to') } : {}),
          ...(options.currency ? { currency: currencyOption(options.currency, '--currency') } : {}),
        });
        out.result(rows, () =>
          rows.length === 0
            ? 'no fixings'
            : rows.map(
                (r) =>
                  `${r.date} ${r.currency} ${describePrice(r.currency, r.minor_per_oz, r.date)}  ${r.source} (entered by ${r.entered_by})`,
              ),
        );
      });
    });
}
