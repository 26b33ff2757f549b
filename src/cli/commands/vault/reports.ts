import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { formatBarListHeader, formatBarRow } from '../../../domain/barlist.ts';
import { barsText, formatFineness, formatOunces } from '../../../domain/weight.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { inSnapshot } from '../../../service/kernel/snapshot.ts';
import { barView, toBarSpec } from '../../../service/vault/bar-view.ts';
import { listDocuments } from '../../../service/vault/documents.ts';
import { type CountedBar, reconcile } from '../../../service/vault/reconcile.ts';
import {
  type Statement,
  StatementBarsDiffer,
  statement,
  statementBars,
} from '../../../service/vault/statement.ts';
import { statementJson } from '../../../service/vault/statement-json.ts';
import { withIngot } from '../../context.ts';
import { dateOption } from '../../options.ts';
import { CliExit, EXIT, must, writeWaiting } from '../../output.ts';
import { describeBalance } from '../parties/setup.ts';
import { mustRead, mustReadBooks } from './reader.ts';

function describeCounted(bar: CountedBar): string {
  return `${bar.refiner} ${bar.serial} ${formatOunces(bar.gross_milli_oz)} oz gross at ${formatFineness(bar.fineness)}‰, ${formatOunces(bar.fine_milli_oz)} oz fine`;
}

function registerReconcile(program: Command): void {
  program
    .command('reconcile <count-file>')
    .description(
      'compare a physical count of the vault (a bar list CSV) with the books; exits 1 when they differ',
    )
    .option('--account <id>', 'compare with this custody account only (default: every bar in custody)')
    .option(
      '--record',
      "record the count in the books (a journal entry and a document; each bar's history shows it)",
    )
    .option('--date <date>', 'the date of the count, YYYY-MM-DD (required with --record)')
    .addHelpText(
      'after',
      '\nExamples:\n  ingot reconcile vault-count-1961-12-31.csv\n' +
        '  ingot reconcile vault-count-1961-12-31.csv --record --date 1961-12-31',
    )
    .action(
      async (
        file: string,
        options: { account?: string; record?: boolean; date?: string },
        command: Command,
      ) => {
        if (!existsSync(file))
          throw new CliExit(EXIT.bad_input, `invalid_input [file]: ${file} does not exist`);
        if (options.record && !options.date)
          throw new CliExit(EXIT.bad_input, 'invalid_input [date]: --record needs --date YYYY-MM-DD');
        await withIngot(command, async (ingot, out) => {
          await mustReadBooks(ingot, command, 'barlist');
          const lines = createInterface({
            input: createReadStream(file, 'utf8'),
            crlfDelay: Number.POSITIVE_INFINITY,
          });
          const record =
            options.record && options.date ? { date: options.date, source: basename(file) } : undefined;
          const { reconciliation: r } = must(
            await reconcile(ingot, {
              lines,
              ...(options.account ? { account_id: options.account } : {}),
              ...(record ? { record } : {}),
            }),
          );
          const same = r.missing.count === 0n && r.unexpected.count === 0n && r.differing.count === 0n;
          out.result(r, () => [
            `counted ${r.counted} bars, booked ${r.booked}, matched ${r.matched}`,
            `missing from the vault (booked, not counted): ${r.missing.count}`,
            ...r.missing.bars.map((b) => `  ${describeCounted(b)}`),
            `unexpected in the vault (counted, not booked): ${r.unexpected.count}`,
            ...r.unexpected.bars.map((b) => `  ${describeCounted(b)}`),
            `differing in weight or fineness: ${r.differing.count}`,
            ...r.differing.bars.map(
              (d) => `  books: ${describeCounted(d.booked)}\n  count: ${describeCounted(d.counted)}`,
            ),
            same ? 'the count agrees with the books' : 'the count DIFFERS from the books',
            ...(r.recorded
              ? [
                  `recorded as count ${r.recorded.count_id} of ${r.recorded.date}: entry #${r.recorded.entry_id}, ` +
                    `document ${r.recorded.document_id}, sha256 ${r.recorded.sha256}`,
                ]
              : []),
          ]);
          if (!same) throw new CliExit(EXIT.refused, 'the count differs from the books');
        });
      },
    );
}

/** Writes to standard output, waiting while its buffer is full. */
function writeOut(text: string): Promise<void> {
  return writeWaiting(process.stdout, text);
}

/** Runs `work`, turning a bar list that does not add up to its balance into exit 3 (unsound). */
async function breachesAsExit(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof StatementBarsDiffer) throw new CliExit(EXIT.breach, error.message);
    throw error;
  }
}

/** The statement as text: the movements, then the bar list page by page as it is read. */
async function printStatement(ingot: Ingot, st: Statement, withBars: boolean): Promise<void> {
  const show = (amount: bigint) => describeBalance(st.account.unit, amount, st.to);
  const lines = [
    `Statement of ${st.account.id} (${st.account.party_id}, ${st.account.kind}, ${st.account.unit}) ${st.from} to ${st.to}`,
    `  opening balance ${show(st.opening)}`,
    ...st.lines.map(
      (l) => `  ${l.value_date}  #${String(l.entry_id).padEnd(5)} ${show(l.amount).padStart(34)}  ${l.memo}`,
    ),
    `  closing balance ${show(st.closing)}`,
  ];
  await writeOut(`${lines.join('\n')}\n`);
  if (!withBars || st.account.kind !== 'custody') return;
  await writeOut(`  bar list at ${st.to}:\n${formatBarListHeader(true)}\n`);
  let count = 0;
  for await (const bar of statementBars(ingot, st)) {
    count += 1;
    await writeOut(`${formatBarRow(toBarSpec(barView(bar)), true)}\n`);
  }
  await writeOut(`  ${barsText(count)}, ${show(st.closing)}\n`);
}

/** The statement as JSON, its bar list written as it is read. */
async function printStatementJson(ingot: Ingot, st: Statement, withBars: boolean): Promise<void> {
  for await (const piece of statementJson(ingot, st, { indent: 2, with_bars: withBars }))
    await writeOut(piece);
  await writeOut('\n');
}

function registerStatement(program: Command): void {
  program
    .command('statement <account>')
    .description(
      'holdings statement: opening balance, movements, closing balance and the bar list behind it ' +
        '(with --user: a metal account\u2019s statement only for a user cleared for it)',
    )
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
          await mustRead(ingot, command, { kind: 'statement', account_id: account });
          // The balances and the bar list read from one state of the books.
          await inSnapshot(ingot, async (reading) => {
            const { statement: st } = must(await statement(reading, { account_id: account, from, to }));
            const print = out.json ? printStatementJson : printStatement;
            await breachesAsExit(() => print(reading, st, options.bars));
          });
        });
      },
    );
}

export function registerReports(program: Command): void {
  registerReconcile(program);
  registerStatement(program);
  program
    .command('documents')
    .description(
      'trade confirmations and debit/credit advices produced at settlement ' +
        '(with --user: only for a user cleared for them, and only its own bank\u2019s)',
    )
    .option('--trade <id>', 'only those of one trade')
    .action(async (options: { trade?: string }, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const party_id = await mustRead(ingot, command, { kind: 'confirmation' });
        const rows = await listDocuments(ingot, { party_id, trade_id: options.trade });
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
