// The reads of correspondence that the server and the command line share: whom a message is
// exchanged with, which bank this instance is. SQL stays here, behind the
// application layer.
import type { Ingot } from '../kernel/context.ts';

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
