// Numbered references (OFFER-1, TRADE-7): one counter per kind, kept in the meta table.
import type { Tx } from '../../store/store.ts';
import { metaValue, storeMetaValue } from './queries.ts';

/** The next number of a sequence, within the caller's transaction. */
export async function nextInSequence(tx: Tx, name: string): Promise<bigint> {
  const key = `sequence:${name}`;
  const next = BigInt((await metaValue(tx, key)) ?? '0') + 1n;
  await storeMetaValue(tx, key, next.toString());
  return next;
}
