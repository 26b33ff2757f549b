// `ingot scenario 1961`: the arrangement replayed into a fresh database.

import { existsSync, rmSync } from 'node:fs';
import type { Command } from 'commander';
import { runScenario1961 } from '../../scenario/1961.ts';
import { booksEmpty } from '../../service/journal/queries.ts';
import type { GlobalOptions } from '../context.ts';
import { withIngot } from '../context.ts';
import { CliExit, EXIT } from '../output.ts';

export function registerScenario(program: Command): void {
  program
    .command('scenario <name>')
    .description(
      'replay a scenario; "1961": the State Bank of the USSR sells gold to the National Bank of Cuba',
    )
    .option('--fresh', 'delete the database file first (only a file the scenario may own)')
    .addHelpText('after', '\nExample:\n  ingot --db scenario-1961.db scenario 1961 --fresh')
    .action(async (name: string, options: { fresh?: boolean }, command: Command) => {
      if (name !== '1961')
        throw new CliExit(EXIT.bad_input, `invalid_input [name]: no scenario "${name}" (try 1961)`);
      const { db } = command.optsWithGlobals<GlobalOptions>();
      if (options.fresh && db !== ':memory:') {
        for (const suffix of ['', '-wal', '-shm']) if (existsSync(db + suffix)) rmSync(db + suffix);
      }
      await withIngot(command, async (ingot, out) => {
        const existing = !(await booksEmpty(ingot));
        if (existing)
          throw new CliExit(
            EXIT.refused,
            `the scenario needs an empty database; ${db} has books (use --fresh or another --db)`,
          );
        const lines: string[] = [];
        const result = await runScenario1961(ingot, (line) =>
          out.json ? lines.push(line) : process.stdout.write(`${line}\n`),
        );
        if (out.json) out.result({ ...result, narrative: lines }, () => '');
        if (!result.verified) throw new CliExit(EXIT.breach, 'the scenario left the books out of balance');
      });
    });
}
