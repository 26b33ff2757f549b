// Numbered references (OFFER-1, TRADE-7): one counter per kind, kept in the meta table.
import type { Tx } from '../../store/store.ts';

/** The next number of a sequence, within the caller's transaction. */
export async function nextInSequence(tx: Tx, name: string): Promise<bigint> {
  const key = `sequence:${name}`;
  const row = await tx.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  const next = BigInt(row?.value ?? '0') + 1n;
  await tx
    .insertInto('meta')
    .values({ key, value: next.toString() })
    .onConflict((c) => c.column('key').doUpdateSet({ value: next.toString() }))
    .execute();
  return next;
}
