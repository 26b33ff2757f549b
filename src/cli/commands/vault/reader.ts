// The reader of a bar list, a statement or the documents of a trade at the command line. Named
// by `--user`, it is checked as the server checks a signed-in user (service/vault/readers.ts): its
// party's accounts only, and cleared for the thing. Without `--user` the command is the books'
// keeper at the console, who holds the database file itself and is not asked.
import type { Command } from 'commander';
import type { Refusal } from '../../../domain/outcome.ts';
import { type ClassifiedKind, mayRead, readerParty } from '../../../service/correspondence/clearance.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { checkReader } from '../../../service/vault/readers.ts';
import { CliExit, EXIT, must } from '../../output.ts';

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

/** A thing of some parties (an instruction, a trade, an approval) as a named reader asks for it. */
export interface OwnedRequest {
  /** Its parties, or undefined when there is no such thing. */
  readonly owners: readonly string[] | undefined;
  /** What it is, classified, or null when it is not. */
  readonly kind: ClassifiedKind | null;
  /** The refusal of one that does not exist, given alike for one of another party. */
  readonly hidden: Refusal<string>;
}

/**
 * Checks a named reader of one thing, in the server's order: a client bank's user is answered
 * about another party's exactly as about one that does not exist; then the reader must be cleared
 * for what the thing is. The keeper, at the console, is not asked; returns the named user.
 */
export async function mustReadOwned(
  ingot: Ingot,
  command: Command,
  request: OwnedRequest,
): Promise<string | null> {
  const user_id = namedUser(command);
  if (user_id === null) return null;
  const party = await readerParty(ingot, user_id);
  const owners = request.owners;
  if (party !== undefined && !owners?.includes(party)) must(request.hidden);
  if (owners !== undefined && request.kind !== null)
    must(await mayRead(ingot, { user_id, kind: request.kind }));
  return user_id;
}

/**
 * The party a user named with `--user` is limited to, as the server limits it: a client bank's
 * user sees its own bank's things only; the depository's staff and the keeper are not limited.
 */
export async function namedUserParty(ingot: Ingot, command: Command): Promise<string | undefined> {
  const user_id = namedUser(command);
  return user_id === null ? undefined : readerParty(ingot, user_id);
}

/**
 * The party a list is limited to, as the server limits a signed-in user's: a client bank's user
 * its own bank's, whatever `--party` asked (another bank's: null, a list with nothing in it, as for
 * a party with none); the depository's staff and the keeper the party asked for, or every party.
 */
export async function listParty(
  ingot: Ingot,
  command: Command,
  asked: string | undefined,
): Promise<string | undefined | null> {
  const own = await namedUserParty(ingot, command);
  if (own === undefined) return asked;
  return asked === undefined || asked === own ? own : null;
}

/**
 * Refuses a named user any whole-books report (every party's bars or entries): a client bank's
 * user, as the server's roles do, and then anyone not cleared for the thing.
 */
export async function mustReadBooks(ingot: Ingot, command: Command, kind: ClassifiedKind): Promise<void> {
  const user_id = namedUser(command);
  if (user_id === null) return;
  if ((await readerParty(ingot, user_id)) !== undefined)
    throw new CliExit(EXIT.refused, `forbidden [role]: ${user_id} may not read the books of every party`);
  must(await mayRead(ingot, { user_id, kind }));
}
