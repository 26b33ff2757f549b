// `ingot verify`: every invariant of the books, checked over the whole store by the database itself.
import type { Ingot } from '../kernel/context.ts';
import { CHECKS, checkBreaches } from './queries-verify.ts';
import { verifyJournalChain } from './verify-chain.ts';

export interface Breach {
  readonly rule: string;
  readonly detail: string;
}

/** The rule the journal's hash chain keeps, checked first so its breach is the one named. */
export const CHAIN_RULE = 'each journal entry is sealed by a hash of its content and of the entry before it';

/** Checks every invariant; an empty list means the books are sound. */
export async function verifyStore(ingot: Ingot): Promise<{ checks: number; breaches: Breach[] }> {
  const breaches: Breach[] = [];
  const chain = await verifyJournalChain(ingot);
  if (!chain.ok) breaches.push({ rule: CHAIN_RULE, detail: chain.detail });
  for (const check of CHECKS) {
    for (const detail of await checkBreaches(ingot.store.db, check))
      breaches.push({ rule: check.rule, detail });
  }
  return { checks: CHECKS.length + 1, breaches };
}
