// Statements, the verification of the books, and the documents of settled trades.
import type { Command } from 'commander';
import { formatBarListHeader, formatBarRow } from '../../domain/barlist.ts';
import { toBarSpec } from '../../service/bars.ts';
import { fromJson } from '../../service/json.ts';
import { statement } from '../../service/statement.ts';
import { verifyStore } from '../../service/verify.ts';
import { withIngot } from '../context.ts';
import { dateOption } from '../options.ts';
import { CliExit, EXIT, must } from '../output.ts';
import { describeBalance } from './setup.ts';

export function registerReports(program: Command): void {
  program
    .command('statement <account>')
    .description('holdings statement: opening balance, movements, closing balance and the bar list behind it')
    .option('--date <date>', 'the statement date (default today)')
    .option('--from <date>', 'first day of the period (default: the statement date)')
    .option('--no-bars', 'leave out the bar list')
    .addHelpText('after', '\nExample:\n  ingot statement NBC-GOLD --from 1961-01-01 --date 1961-01-31')
    .action(
      async (account: string, options: { date?: string; from?: string; bars: boolean }, command: Command) => {
        const to = dateOption(options.date, '--date');
        const from = options.from ? dateOption(options.from, '--from') : to;
        if (from > to) throw new CliExit(EXIT.bad_input, `invalid_input [--from]: ${from} is after ${to}`);
        await withIngot(command, async (ingot, out) => {
          const { statement: st } = must(
            await statement(ingot, { account_id: account, from, to, with_bars: options.bars }),
          );
          const show = (amount: bigint) => describeBalance(st.account.unit, amount, to);
          const bars = st.bars?.map(toBarSpec) ?? null;
          out.result({ ...st, bars }, () => [
            `Statement of ${st.account.id} (${st.account.party_id}, ${st.account.kind}, ${st.account.unit}) ${from} to ${to}`,
            `  opening balance ${show(st.opening)}`,
            ...st.lines.map(
              (l) =>
                `  ${l.value_date}  #${String(l.entry_id).padEnd(5)} ${show(l.amount).padStart(34)}  ${l.memo}`,
            ),
            `  closing balance ${show(st.closing)}`,
            ...(bars
              ? [
                  `  bar list at ${to}: ${bars.length} bars`,
                  formatBarListHeader(true),
                  ...bars.map((b) => formatBarRow(b, true)),
                ]
              : []),
          ]);
        });
      },
    );
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
  program
    .command('documents')
    .description('trade confirmations and debit/credit advices produced at settlement')
    .option('--trade <id>', 'only those of one trade')
    .action(async (options: { trade?: string }, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        let query = ingot.store.db.selectFrom('documents').selectAll().orderBy('id');
        if (options.trade) query = query.where('trade_id', '=', options.trade);
        const rows = (await query.execute()).map((row) => ({ ...row, body: fromJson<unknown>(row.body) }));
        out.result(rows, () =>
          rows.length === 0
            ? 'no documents'
            : rows.map(
                (d) =>
                  `#${d.id} ${d.kind} to ${d.party_id} for ${d.trade_id}: ${JSON.stringify(d.body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`,
              ),
        );
      });
    });
}
