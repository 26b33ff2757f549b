// The reads of correspondence that the server and the command line share: the register as its
// readers see it, whom a message is exchanged with, which bank this instance is. SQL stays here
// and in the queries-*.ts beside it, behind the application layer.
import type { Ingot } from '../kernel/context.ts';
import { type RegisterEntry, registerEntryRows } from './queries-register.ts';
import type { RegisterQuery } from './register.ts';

export type { RegisterEntry } from './queries-register.ts';

/**
 * The register as its readers are shown it, oldest first: the same entries for the API's
 * `GET /correspondence` and `ingot messages --json`. The caller narrows it to what the reader may
 * see (a client bank: the messages exchanged with it).
 */
export async function registerEntries(ingot: Ingot, filter: RegisterQuery = {}): Promise<RegisterEntry[]> {
  return registerEntryRows(ingot.store.db, filter);
}

/** The bank a registered message was exchanged with, or undefined when no such message exists. */
export async function messageCorrespondent(ingot: Ingot, id: bigint): Promise<string | undefined> {
  const row = await ingot.store.db
    .selectFrom('messages')
    .select('correspondent')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.correspondent;
}

/** The bank this instance speaks for on the channel, or undefined before its keys are generated. */
export async function ownBankId(ingot: Ingot): Promise<string | undefined> {
  const row = await ingot.store.db
    .selectFrom('channel_banks')
    .select('bank_id')
    .where('is_self', '=', 1n)
    .executeTakeFirst();
  return row?.bank_id;
}
