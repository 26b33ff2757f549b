// The bars accepting an instruction would reserve, shown to the depository before it accepts: the
// bars the instruction names, or for a quantity the engine's allocation from the account's free
// bars, computed here without reserving anything. Accepting with exactly these bars (bar_ids) is
// refused if any was taken meanwhile, so what the operator saw is what is reserved.
import { allocate, withinTolerance } from '../../domain/allocation.ts';
import { type CustodyOutcome, refuseCustody } from '../../domain/custody/refusal.ts';
import { describeWeight } from '../../domain/weight.ts';
import type { Ingot } from '../kernel/context.ts';
import { heldBarPool } from '../trading/trades.ts';
import { type BarView, barView } from '../vault/bar-view.ts';
import { loadInstruction } from './instructions.ts';
import { barsHeldBy, barsInOrder } from './queries-instructions.ts';

/** States in which the instruction holds its bars already: they are shown, nothing is proposed. */
const HOLDING = ['accepted', 'quoted', 'quote_declined', 'quote_accepted', 'in_transit'];

export interface Proposal {
  readonly instruction_id: string;
  /** The quantity asked, or null when the instruction names its bars. */
  readonly asked_fine_milli_oz: bigint | null;
  /** True when the engine chose the bars (a quantity not yet accepted). */
  readonly proposed: boolean;
  readonly fine_milli_oz: bigint;
  readonly bars: readonly BarView[];
}

/** The bars of an instruction: those it holds, those it names, or those proposed for its quantity. */
export async function proposalFor(ingot: Ingot, id: string): Promise<CustodyOutcome<Proposal>> {
  const db = ingot.store.db;
  const found = await loadInstruction(db, id);
  if (!found.ok) return found;
  const { instruction } = found;
  const selection = instruction.selection;
  const asked = selection.kind === 'quantity' ? selection.fine_milli_oz : null;
  let ids: readonly bigint[];
  let proposed = false;
  if (HOLDING.includes(instruction.state)) {
    const held = await barsHeldBy(db, id);
    ids = held.map((row) => row.bar_id);
  } else if (selection.kind === 'bars') ids = selection.bar_ids;
  else {
    const allocation = await allocate(
      selection.fine_milli_oz,
      heldBarPool(db, instruction.source_account_id, 0n),
    );
    if (!withinTolerance(allocation)) {
      const message =
        `the free bars of ${instruction.source_account_id} make up only ` +
        `${describeWeight(allocation.total_fine_milli_oz)} of the ${describeWeight(selection.fine_milli_oz)} asked`;
      return refuseCustody('proposal_short_of_quantity', message, 'bars');
    }
    ids = allocation.bars.map((bar) => bar.id);
    proposed = true;
  }
  const rows = ids.length === 0 ? [] : await barsInOrder(db, ids);
  const bars = rows.map(barView);
  const fine = bars.reduce((sum, bar) => sum + bar.fine_milli_oz, 0n);
  return { ok: true, instruction_id: id, asked_fine_milli_oz: asked, proposed, fine_milli_oz: fine, bars };
}
