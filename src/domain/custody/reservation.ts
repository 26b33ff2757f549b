// Bars named or proposed for an instruction: they must be the client's, and free. Bars under a
// pending instruction are reserved for it and cannot serve another one.
import { ALLOCATION_SHORTFALL_MAX_MILLI_OZ } from '../allocation.ts';
import { assert } from '../outcome.ts';
import { describeWeight, type FineMilliOz } from '../weight.ts';
import type { Instruction } from './instruction.ts';
import { type CustodyOutcome, refuseCustody } from './refusal.ts';

/** A bar as the reservation rules see it. */
export interface CustodyBar {
  readonly id: bigint;
  readonly fine_milli_oz: FineMilliOz;
  readonly owner_account_id: string;
  /** The instruction (or trade) the bar is reserved for, or null when it is free. */
  readonly reserved_for: string | null;
}

/** The bars chosen, in the order named, and their fine weight. */
export interface Chosen {
  readonly bars: readonly CustodyBar[];
  readonly fine_milli_oz: FineMilliOz;
}

/**
 * Checks named bars in order: some are named, none twice, each exists, is held in the account and
 * is free or already reserved for this same instruction. `bars` holds at least the named ones.
 */
export function checkBarSelection(
  instruction_id: string,
  account_id: string,
  bar_ids: readonly bigint[],
  bars: ReadonlyMap<bigint, CustodyBar>,
): CustodyOutcome<Chosen> {
  if (bar_ids.length === 0) return refuseCustody('selection_is_empty', 'no bars are named', 'bars');
  const seen = new Set<bigint>();
  const chosen: CustodyBar[] = [];
  let fine = 0n;
  for (const id of bar_ids) {
    if (seen.has(id)) return refuseCustody('bar_listed_twice', `bar ${id} is named twice`, 'bars');
    seen.add(id);
    const bar = bars.get(id);
    // A bar that does not exist and another's bar are answered alike: a refusal tells no one
    // whether, or by whom, a bar is held elsewhere.
    if (bar?.owner_account_id !== account_id) {
      return refuseCustody('bar_not_in_account', `bar ${id} is not held in account ${account_id}`, 'bars');
    }
    if (bar.reserved_for !== null && bar.reserved_for !== instruction_id) {
      const message = `bar ${id} is reserved for ${bar.reserved_for}`;
      return refuseCustody('bar_reserved_by_another_instruction', message, 'bars');
    }
    chosen.push(bar);
    fine += bar.fine_milli_oz;
  }
  return { ok: true, bars: chosen, fine_milli_oz: fine };
}

/** An account's gold: all of it, and the part reserved for pending instructions. */
export interface Holdings {
  readonly held_fine_milli_oz: FineMilliOz;
  readonly reserved_fine_milli_oz: FineMilliOz;
}

/** Checks a quantity against the account's gold, then against the part not yet reserved. */
export function checkQuantity(fine: FineMilliOz, holdings: Holdings): CustodyOutcome<object> {
  assert(holdings.reserved_fine_milli_oz <= holdings.held_fine_milli_oz, 'more gold reserved than held');
  assert(holdings.reserved_fine_milli_oz >= 0n, 'negative reservation');
  if (fine <= 0n) return refuseCustody('invalid_input', 'the quantity must be above zero', 'quantity');
  if (fine > holdings.held_fine_milli_oz) {
    const held = describeWeight(holdings.held_fine_milli_oz);
    const message = `asked ${describeWeight(fine)}; the account holds ${held}`;
    return refuseCustody('quantity_exceeds_holdings', message, 'quantity');
  }
  const free = holdings.held_fine_milli_oz - holdings.reserved_fine_milli_oz;
  if (fine > free) {
    const message = `asked ${describeWeight(fine)}; only ${describeWeight(free)} is not reserved`;
    return refuseCustody('quantity_exceeds_free_gold', message, 'quantity');
  }
  return { ok: true };
}

/**
 * Checks the bars the depository proposes for a quantity instruction: valid as a selection, never
 * above the quantity, and short of it by at most one Good Delivery bar (rule A1, allocation.ts).
 */
export function checkProposal(
  instruction: Instruction,
  bar_ids: readonly bigint[],
  bars: ReadonlyMap<bigint, CustodyBar>,
): CustodyOutcome<Chosen> {
  const selection = instruction.selection;
  assert(selection.kind === 'quantity', `instruction ${instruction.id} names its bars; nothing to propose`);
  const chosen = checkBarSelection(instruction.id, instruction.source_account_id, bar_ids, bars);
  if (!chosen.ok) return chosen;
  const asked = selection.fine_milli_oz;
  const weight = describeWeight(chosen.fine_milli_oz);
  if (chosen.fine_milli_oz > asked) {
    const message = `the proposed bars weigh ${weight}, above ${describeWeight(asked)}`;
    return refuseCustody('proposal_exceeds_quantity', message, 'bars');
  }
  if (asked - chosen.fine_milli_oz > ALLOCATION_SHORTFALL_MAX_MILLI_OZ) {
    const message = `the proposed bars weigh ${weight}, short of ${describeWeight(asked)}`;
    return refuseCustody('proposal_short_of_quantity', message, 'bars');
  }
  return chosen;
}
