// The `ingot` command line: every operation on an embedded SQLite file, no server needed.

import { Command, CommanderError } from 'commander';
import { InvariantError } from '../domain/outcome.ts';
import { InputError } from '../service/kernel/input-error.ts';
import { StorageFault } from '../store/faults.ts';
import { registerCorrespondence } from './commands/correspondence/correspondence.ts';
import { registerCustody } from './commands/custody/custody.ts';
import { registerJournal } from './commands/journal/journal.ts';
import { registerSetup } from './commands/parties/setup.ts';
import { registerUsers } from './commands/parties/users.ts';
import { registerScenario } from './commands/scenario.ts';
import { registerServe } from './commands/serve.ts';
import { registerPrices } from './commands/trading/fixings.ts';
import { registerTrading } from './commands/trading/trading.ts';
import { registerBars } from './commands/vault/bars.ts';
import { registerCash } from './commands/vault/cash.ts';
import { registerBarHistory } from './commands/vault/history.ts';
import { registerRefiners } from './commands/vault/refiners.ts';
import { registerBarReport } from './commands/vault/report.ts';
import { registerReports } from './commands/vault/reports.ts';
import { registerReweigh } from './commands/vault/reweigh.ts';
import { acceptGlobalOptionsAnywhere } from './context.ts';
import { CliExit, EXIT } from './output.ts';
import { storageExit } from './storage.ts';

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('ingot')
    .description('Gold sale and allocated custody between central banks, on an exact double-entry ledger.')
    .option(
      '--db <file>',
      'the books: an SQLite file or a postgres:// URL (env INGOT_DB)',
      process.env.INGOT_DB ?? './ingot.db',
    )
    .option('--json', 'print results as JSON', false)
    .option('--user <name>', 'who is acting, recorded on reference data', process.env.USER ?? 'operator')
    .version('0.1.0', '--version', 'print the version')
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .exitOverride();
  registerSetup(program);
  registerCash(program);
  registerBars(program);
  registerRefiners(program);
  registerBarHistory(program);
  registerReweigh(program);
  registerPrices(program);
  registerTrading(program);
  registerReports(program);
  registerBarReport(program);
  registerJournal(program);
  registerScenario(program);
  registerUsers(program);
  registerServe(program);
  registerCustody(program);
  registerCorrespondence(program);
  for (const command of program.commands) command.exitOverride();
  acceptGlobalOptionsAnywhere(program);
  return program;
}

/** Runs the command line and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return EXIT.ok;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
    if (error.code === 'commander.help') return EXIT.ok;
    return EXIT.bad_input;
  }
  if (error instanceof CliExit) {
    process.stderr.write(`ingot: ${error.message}\n`);
    const problems = (
      error.details as {
        problems?: { sheet?: string | null; row: number; column: string | null; reason: string }[];
      }
    )?.problems;
    for (const p of problems ?? []) {
      const sheet = p.sheet ? `sheet "${p.sheet}" ` : '';
      process.stderr.write(`  ${sheet}row ${p.row}${p.column ? ` (${p.column})` : ''}: ${p.reason}\n`);
    }
    return error.exitCode;
  }
  if (error instanceof StorageFault) return reportError(storageExit(error));
  if (error instanceof InputError) {
    return reportError(new CliExit(EXIT.bad_input, `invalid_input [${error.field}]: ${error.message}`));
  }
  if (error instanceof InvariantError) {
    process.stderr.write(`ingot: invariant broken, nothing was committed: ${error.message}\n`);
    return EXIT.bug;
  }
  process.stderr.write(
    `ingot: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT.bug;
}
