// The reader of a bar list, a statement or the documents of a trade at the command line. Named
// by `--user`, it is checked as the server checks a signed-in user (service/vault/readers.ts): its
// party's accounts only, and cleared for the thing. Without `--user` the command is the books'
// keeper at the console, who holds the database file itself and is not asked.
import type { Command } from 'commander';
import type { ClassifiedKind } from '../../../service/correspondence/clearance.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { checkReader } from '../../../service/vault/readers.ts';
import { must } from '../../output.ts';

/** The user named on the command line with `--user`, or null when it was left to its default. */
export function namedUser(command: Command): string | null {
  let root = command;
  while (root.parent) root = root.parent;
  if (root.getOptionValueSource('user') !== 'cli') return null;
  const user: unknown = root.opts().user;
  return typeof user === 'string' ? user : null;
}

/**
 * Refuses (exiting as the refusal's code says) a named user who may not read the thing; returns
 * the party a reader is limited to (undefined: every party's, as the keeper or the depository).
 */
export async function mustRead(
  ingot: Ingot,
  command: Command,
  request: { readonly kind: ClassifiedKind; readonly account_id?: string },
): Promise<string | undefined> {
  const user_id = namedUser(command);
  if (user_id === null) return undefined;
  return must(await checkReader(ingot, { user_id, ...request })).party_id;
}
