// An imported list of fixings under four eyes: one proposal whose account lists every fixing not yet
// recorded (date, currency, price with its unit, source) and carries its digest; nothing is
// recorded until a supervisor other than its maker approves it. A fixing already recorded at the
// same price is left out; one recorded at another price refuses the whole list at once.
import type { CustodyOutcome } from '../../domain/custody/refusal.ts';
import type { Fixing } from '../../domain/fixing.ts';
import { assert, refuse } from '../../domain/outcome.ts';
import { proposeFixings } from '../custody/approvals.ts';
import type { Ingot } from '../kernel/context.ts';
import { fixingOn } from './queries-fixings.ts';

/** What an import proposed: the approval it waits as (none when every fixing was recorded). */
export interface ImportProposed {
  readonly pending_approval: bigint | null;
  readonly proposed: number;
  readonly unchanged: number;
}

/** Proposes the fixings of an imported list not yet recorded, as one approval a supervisor checks. */
export async function proposeFixingImport(
  ingot: Ingot,
  by_user_id: string,
  fixings: readonly Fixing[],
): Promise<CustodyOutcome<ImportProposed>> {
  const fresh: Fixing[] = [];
  for (const [index, fixing] of fixings.entries()) {
    const recorded = await fixingOn(ingot.store.db, fixing.date, fixing.currency);
    if (recorded === undefined) {
      fresh.push(fixing);
    } else if (recorded.minor_per_oz !== fixing.minor_per_oz) {
      return refuse(
        'fixing_exists_with_different_price',
        `fixing ${index + 1} of the list: the ${fixing.currency} fixing of ${fixing.date} is already ` +
          `recorded at a different price (a correction is a reviewed change, not an import)`,
        'date',
      );
    }
  }
  const unchanged = fixings.length - fresh.length;
  if (fresh.length === 0) return { ok: true, pending_approval: null, proposed: 0, unchanged };
  const proposed = await proposeFixings(ingot, by_user_id, fresh);
  if (!proposed.ok) return proposed;
  assert(proposed.pending_approval > 0n, 'an approval is numbered from 1');
  return { ok: true, pending_approval: proposed.pending_approval, proposed: fresh.length, unchanged };
}
