// Opening the books named by the global options, for the length of one command.
import { type Command, Option } from 'commander';
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

/** The program's options that may also be typed after the command word. */
const GLOBAL_OPTION_NAMES: readonly string[] = ['db', 'json', 'user'];

/** The help line saying where the global options may go. */
const GLOBAL_OPTIONS_HELP =
  '\nThe global options --db, --json and --user may be typed before the command or after it:\n' +
  '  ingot --db books.db --json verify\n' +
  '  ingot verify --db books.db --json\n' +
  'Given in both places, the one after the command wins. A command with an option of the same\n' +
  "name keeps its own meaning: `ingot relay --db relay.db` names the relay's database, not the books.";

/**
 * Lets `--db`, `--json` and `--user` follow the command word (`ingot verify --db books.db`). Each
 * command below the program gets a copy of every global option it does not define itself (shown in
 * its help, without the default, which stays the program's);
 * before the action runs, a copy typed on the line is moved onto the program, so every reader of
 * the globals (`optsWithGlobals`, `namedUser`) sees it, the one nearest the end winning. A
 * command's own option of the same name (the relay's `--db`) is left alone. Call it after every
 * command is registered.
 */
export function acceptGlobalOptionsAnywhere(program: Command): void {
  const globals = program.options.filter((option) => GLOBAL_OPTION_NAMES.includes(option.attributeName()));
  const copies = new Map<Command, string[]>();
  const copyInto = (command: Command): void => {
    const own = new Set(command.options.map((option) => option.attributeName()));
    const names = globals.map((option) => option.attributeName()).filter((name) => !own.has(name));
    for (const option of globals) {
      if (own.has(option.attributeName())) continue;
      command.addOption(new Option(option.flags, option.description));
    }
    copies.set(command, names);
    for (const child of command.commands) copyInto(child);
  };
  for (const command of program.commands) copyInto(command);
  program.addHelpText('after', GLOBAL_OPTIONS_HELP);
  program.hook('preAction', (_program, action) => {
    const chain: Command[] = [];
    for (let command: Command | null = action; command && command !== program; command = command.parent)
      chain.unshift(command);
    for (const command of chain) {
      for (const name of copies.get(command) ?? []) {
        if (command.getOptionValueSource(name) !== 'cli') continue;
        program.setOptionValueWithSource(name, command.getOptionValue(name), 'cli');
      }
    }
  });
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
