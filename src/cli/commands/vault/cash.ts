// Money paid into and out of accounts at the depository.
import type { Command } from 'commander';
import { formatMoney, parseMoney } from '../../../domain/money.ts';
import { moveCash } from '../../../service/vault/cash.ts';
import { withIngot } from '../../context.ts';
import { dateOption, keyOption } from '../../options.ts';
import { must, parsedOption } from '../../output.ts';

/** `ingot cash deposit|withdraw <account> <amount>`. */
export function registerCash(program: Command): void {
  const cash = program.command('cash').description('money paid into or out of an account at the depository');
  for (const direction of ['deposit', 'withdraw'] as const) {
    cash
      .command(`${direction} <account> <amount>`)
      .description(
        direction === 'deposit' ? 'credit money received from outside' : 'pay money out of an account',
      )
      .option('--date <date>', 'value date, YYYY-MM-DD (default today)')
      .option('--memo <text>', 'narrative for the journal')
      .option('--key <key>', 'idempotency key: a retry with the same key moves nothing twice')
      .addHelpText(
        'after',
        `\nExample:\n  ingot cash ${direction} NBC-GBP "£7,500,000" --date 1961-01-20 --key fund-1`,
      )
      .action(
        async (
          account: string,
          amountText: string,
          options: { date?: string; memo?: string; key?: string },
          command: Command,
        ) => {
          const amount = parsedOption(parseMoney(amountText), 'amount');
          const date = dateOption(options.date, '--date');
          await withIngot(command, async (ingot, out) => {
            const key = keyOption(options.key, out.note);
            const moved = must(
              await moveCash(ingot, direction === 'deposit' ? 'deposit' : 'withdrawal', {
                account_id: account,
                amount,
                date,
                key,
                ...(options.memo ? { memo: options.memo } : {}),
              }),
            );
            out.result(
              { ...moved, account, amount },
              () =>
                `${moved.replayed ? 'already done: ' : ''}${direction} of ${formatMoney(amount, date)} on ${account} (entry ${moved.entry_id})`,
            );
          });
        },
      );
  }
}
