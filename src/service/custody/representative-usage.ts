// What each representative has received so far against its limit: the fine gold of its executed
// releases, the same figure the engine checks a new release against (receivedSoFar), so the desk
// can warn before a draft would be refused.
import type { Ingot } from '../kernel/context.ts';
import { receivedSoFar } from './instruction-plans.ts';
import { listRepresentatives } from './queries.ts';

export interface RepresentativeUsage {
  readonly representative_id: string;
  readonly received_fine_milli_oz: bigint;
  /** The limit over all its releases, or null for none. */
  readonly limit_fine_milli_oz: bigint | null;
  /** What it may still receive (never below zero), or null for no limit. */
  readonly remaining_fine_milli_oz: bigint | null;
}

/** The usage of each representative of `party` (all of them for the depository), in id order. */
export async function representativeUsage(
  ingot: Ingot,
  party: string | undefined,
): Promise<RepresentativeUsage[]> {
  const listed = await listRepresentatives(ingot, party);
  const usage: RepresentativeUsage[] = [];
  for (const representative of listed) {
    const received = await receivedSoFar(ingot.store.db, representative.id);
    const limit = representative.limit_fine_milli_oz;
    const left = limit === null ? null : limit - received;
    usage.push({
      representative_id: representative.id,
      received_fine_milli_oz: received,
      limit_fine_milli_oz: limit,
      remaining_fine_milli_oz: left === null ? null : left > 0n ? left : 0n,
    });
  }
  return usage;
}
