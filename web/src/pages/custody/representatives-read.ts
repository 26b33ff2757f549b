// The representatives as the custody pages show them: their terms (GET /representatives) with what
// each has received so far against its limit (GET /representatives/received), read together.
import { call } from '../../api.ts';
import { useLoad } from '../../hooks.ts';
import type { AuthorizedRepresentative, Items, RepresentativeUsage } from '../../types.ts';
import type { RepresentativeShown } from './terms.ts';

async function readRepresentatives(): Promise<RepresentativeShown[]> {
  const [listed, usage] = await Promise.all([
    call<AuthorizedRepresentative[]>('GET', '/representatives'),
    call<Items<RepresentativeUsage>>('GET', '/representatives/received'),
  ]);
  const received = new Map(usage.items.map((item) => [item.representative_id, item.received_fine_milli_oz]));
  return listed.map((representative) => ({
    ...representative,
    received_fine_milli_oz: received.get(representative.id) ?? null,
  }));
}

/** Every representative visible to the user, with its usage; read again when `round` changes. */
export function useRepresentatives(round: number): { data?: RepresentativeShown[]; error?: string } {
  const loaded = useLoad(readRepresentatives, [round]);
  return { data: loaded.data, error: loaded.error };
}

/** What it may still receive, in milli-oz, or undefined for no limit (or usage unknown). */
export function remainingOf(representative: RepresentativeShown): bigint | undefined {
  const { limit_fine_milli_oz: limit, received_fine_milli_oz: received } = representative;
  if (limit === null || received === null) return undefined;
  const left = BigInt(limit) - BigInt(received);
  return left > 0n ? left : 0n;
}
