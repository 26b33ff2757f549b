// Opening the books named by the global options, for the length of one command.
import type { Command } from 'commander';
import { type Ingot, ingotOver } from '../service/context.ts';
import { openStore } from '../store/open.ts';
import { type Printer, printer } from './output.ts';

export interface GlobalOptions {
  readonly db: string;
  readonly json: boolean;
  readonly user: string;
}

/** Runs `work` with the store open, closing it whatever happens. */
export async function withIngot(
  command: Command,
  work: (ingot: Ingot, out: Printer) => Promise<void>,
): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const store = await openStore(globals.db);
  try {
    await work(ingotOver(store, globals.user), printer(globals.json));
  } finally {
    await store.close();
  }
}

/** The printer for a command, without opening the store. */
export function printerFor(command: Command): Printer {
  return printer(command.optsWithGlobals<GlobalOptions>().json);
}
