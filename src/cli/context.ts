// Opening the books named by the global options, for the length of one command.
import type { Command } from 'commander';
import { type Ingot, ingotOver } from '../service/kernel/context.ts';
import { StorageFault } from '../store/faults.ts';
import { openStore } from '../store/open.ts';
import { loggingWrites, type WriteLog } from '../store/write-log.ts';
import { type Printer, printer } from './output.ts';
import { storageExit } from './storage.ts';

export interface GlobalOptions {
  readonly db: string;
  readonly json: boolean;
  readonly user: string;
}

/** A fault of the storage as the command's exit; any other error as it is. */
function asExit(error: unknown, log: WriteLog): unknown {
  return error instanceof StorageFault ? storageExit(error, log) : error;
}

/**
 * Runs `work` with the store open, closing it whatever happens. A fault of the storage ends the
 * command with exit 74 and a line saying what was written; the write it broke is rolled back.
 */
export async function withIngot(
  command: Command,
  work: (ingot: Ingot, out: Printer) => Promise<void>,
): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const opened = await openStore(globals.db).catch((error: unknown) => {
    throw asExit(error, { committed: 0, committing: false });
  });
  const { store, log } = loggingWrites(opened);
  try {
    await work(ingotOver(store, globals.user), printer(globals.json));
  } catch (error) {
    // After a fault the connection may be gone too: the fault is what to report, not the close.
    await store.close().catch(() => undefined);
    throw asExit(error, log);
  }
  await store.close().catch((error: unknown) => {
    throw asExit(error, log);
  });
}

/** The printer for a command, without opening the store. */
export function printerFor(command: Command): Printer {
  return printer(command.optsWithGlobals<GlobalOptions>().json);
}
