// Reweighing a bar (docs/BAR-REPORTING.md, "Reweighing"): the depository weighs a bar again (and may
// assay it), an operator proposes the new gross weight and fineness, a supervisor approves (four eyes,
// as every step that moves gold), and only then are the new weights recorded as an event of the bar.
// The fine weight follows from them (gross × fineness, truncated); a difference from the fine weight
// booked is journalled between the owner's custody account and the outside world, as a receipt is,
// so the account still holds the sum of its bars and the books still balance.
import { goldBalanceLine } from '../../domain/custody/account-text.ts';
import { type Actors, authorizeMaker } from '../../domain/custody/controls.ts';
import { oneLine } from '../../domain/custody/instruction-account.ts';
import { type CustodyOutcome, refuseCustody } from '../../domain/custody/refusal.ts';
import { isIsoDate } from '../../domain/fixing.ts';
import {
  fineWeight,
  formatFineness,
  formatOunces,
  reweighChangeLines,
  signedOunces,
} from '../../domain/weight.ts';
import type { BarRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import { propose } from '../custody/approvals-store.ts';
import { depositoryOf, loadUser } from '../custody/reference.ts';
import { addPostings, insertEntry, nextEntryId, sealEntry } from '../journal/journal.ts';
import type { Ingot } from '../kernel/context.ts';
import { atomically } from '../kernel/idempotency.ts';
import { ensureExternalAccount } from '../parties/parties.ts';
import { barByMark } from './queries-history.ts';
import {
  accountBalance,
  accountKind,
  lastReweighNumber,
  recordReweigh,
  setBarWeights,
} from './queries-reweigh.ts';

/** Good Delivery gross weights are stated in steps of 0.025 oz, rounded down (DOMAIN.md §2). */
export const GROSS_STEP_MILLI_OZ = 25n;

/** What waits for approval: the bar, its weights as proposed, and those it had when proposed. */
export interface ReweighPayload {
  readonly kind: 'reweigh_bar';
  readonly refiner: string;
  readonly serial: string;
  readonly gross_milli_oz: bigint;
  readonly fineness: bigint;
  readonly date: string;
  readonly reason: string;
}

export interface ReweighRequest {
  readonly by_user_id: string;
  readonly refiner: string;
  readonly serial: string;
  readonly gross_milli_oz: bigint;
  /** The new fineness; by default the bar's own. */
  readonly fineness?: bigint;
  readonly date: string;
  readonly reason: string;
}

async function loadBar(tx: Tx, refiner: string, serial: string): Promise<BarRow | undefined> {
  return barByMark(tx, refiner.toUpperCase(), serial);
}

/** Why a bar cannot be reweighed now, or null. */
async function barProblem(tx: Tx, bar: BarRow | undefined, refiner: string, serial: string) {
  if (!bar) return refuseCustody('invalid_input', `no bar ${refiner} ${serial} is in the books`, 'bar');
  const owner = await accountKind(tx, bar.owner_account_id);
  if (owner?.kind !== 'custody') {
    return refuseCustody(
      'invalid_input',
      `bar ${bar.refiner} ${bar.serial} is not in custody (it is with ${bar.owner_account_id})`,
      'bar',
    );
  }
  if (bar.state !== 'held') {
    return refuseCustody(
      'invalid_input',
      `bar ${bar.refiner} ${bar.serial} is ${bar.state}${bar.trade_id ? ` for ${bar.trade_id}` : ''}; ` +
        'a bar allocated or held for an instruction is reweighed once it is released',
      'bar',
    );
  }
  return null;
}

function weightProblem(payload: Pick<ReweighPayload, 'gross_milli_oz' | 'fineness' | 'date' | 'reason'>) {
  if (payload.gross_milli_oz <= 0n)
    return refuseCustody('invalid_input', 'the gross weight must be above zero', 'gross');
  if (payload.gross_milli_oz % GROSS_STEP_MILLI_OZ !== 0n) {
    return refuseCustody(
      'invalid_input',
      `gross weight ${formatOunces(payload.gross_milli_oz)} oz is not a multiple of 0.025 oz; ` +
        'state it rounded down to 0.025 oz, as Good Delivery weights are',
      'gross',
    );
  }
  if (payload.fineness <= 0n || payload.fineness > 10_000n) {
    return refuseCustody('invalid_input', 'the fineness must be above 0 and at most 1000.0‰', 'fineness');
  }
  if (!isIsoDate(payload.date))
    return refuseCustody('invalid_input', `${payload.date} is not YYYY-MM-DD`, 'date');
  if (payload.reason.trim() === '') {
    return refuseCustody(
      'invalid_input',
      'a reweighing says why (the scale, the assay, the count)',
      'reason',
    );
  }
  return null;
}

/** An operator proposes a reweighing; a supervisor approves it (GET /approvals/{id}, then approve). */
export async function proposeReweigh(
  ingot: Ingot,
  request: ReweighRequest,
): Promise<CustodyOutcome<{ pending_approval: bigint }>> {
  return atomically(ingot, async (tx) => {
    const maker = await loadUser(tx, request.by_user_id, 'by');
    if (!maker.ok) return maker;
    const depository = await depositoryOf(tx);
    const allowed = authorizeMaker('reweigh_bar', maker.user, {
      depository_party_id: depository,
      owner_party_id: depository,
    });
    if (!allowed.ok) return allowed;
    const bar = await loadBar(tx, request.refiner, request.serial);
    const problem = await barProblem(tx, bar, request.refiner, request.serial);
    if (problem) return problem;
    if (!bar) throw new Error('unreachable: a bar checked is a bar');
    const payload: ReweighPayload = {
      kind: 'reweigh_bar',
      refiner: bar.refiner,
      serial: bar.serial,
      gross_milli_oz: request.gross_milli_oz,
      fineness: request.fineness ?? bar.fineness,
      date: request.date,
      // One line, as every free text an account shows: a line break would let it pass for two.
      reason: oneLine(request.reason),
    };
    const wrong = weightProblem(payload);
    if (wrong) return wrong;
    if (payload.gross_milli_oz === bar.gross_milli_oz && payload.fineness === bar.fineness) {
      return refuseCustody(
        'invalid_input',
        `bar ${bar.refiner} ${bar.serial} already weighs ${formatOunces(bar.gross_milli_oz)} oz at ${formatFineness(bar.fineness)}‰`,
        'gross',
      );
    }
    const id = await propose(tx, {
      action: 'reweigh_bar',
      subject: `reweigh bar ${bar.refiner} ${bar.serial}`,
      party_id: depository,
      payload,
      maker_user_id: maker.user.id,
      now: ingot.now(),
    });
    return { ok: true, pending_approval: id };
  });
}

/** The lines of the account a supervisor approves: the bar, its owner, the weights, the entry. */
export async function reweighLines(tx: Tx, payload: ReweighPayload): Promise<string[]> {
  const bar = await loadBar(tx, payload.refiner, payload.serial);
  if (!bar) return [`Reweigh bar ${payload.refiner} ${payload.serial}: no such bar`];
  const fine = fineWeight(payload.gross_milli_oz, payload.fineness);
  const difference = fine - bar.fine_milli_oz;
  const owner = bar.owner_account_id;
  const lines = [
    `Reweigh bar ${bar.refiner} ${bar.serial} (${bar.year}) on ${payload.date}, held in ${owner} (${bar.state})`,
    ...reweighChangeLines(bar, payload),
  ];
  if (difference === 0n) {
    lines.push('Journalled: the weights only; the fine weight, and so the account, is unchanged');
  } else {
    lines.push(`Journalled: ${owner} ${signedOunces(difference)} oz fine, against the outside world`);
    const account = await accountBalance(tx, owner);
    lines.push(goldBalanceLine(owner, account?.balance, difference));
  }
  lines.push(`Reason: ${oneLine(payload.reason)}`);
  return lines;
}

/**
 * Carries out an approved reweighing in the approval's transaction: the bar's weights, the
 * `bar_reweighed` entry (its memo, which the entry's hash covers, states both weights), a posting
 * of the difference in fine weight, and the reweighing's row.
 */
export async function applyReweigh(
  tx: Tx,
  ingot: Ingot,
  payload: ReweighPayload,
  actors: Actors,
): Promise<CustodyOutcome<Record<string, unknown>>> {
  const bar = await loadBar(tx, payload.refiner, payload.serial);
  const problem = (await barProblem(tx, bar, payload.refiner, payload.serial)) ?? weightProblem(payload);
  if (problem) return problem;
  if (!bar) throw new Error('unreachable: a bar checked is a bar');
  const fine = fineWeight(payload.gross_milli_oz, payload.fineness);
  const difference = fine - bar.fine_milli_oz;
  const checker = actors.checker?.id ?? '';
  const entryId = await nextEntryId(tx);
  const w = (gross: bigint, fineness: bigint, f: bigint) =>
    `${formatOunces(gross)} oz gross at ${formatFineness(fineness)}‰, ${formatOunces(f)} oz fine`;
  await insertEntry(tx, entryId, {
    kind: 'bar_reweighed',
    value_date: payload.date,
    recorded_at: ingot.now(),
    memo:
      `bar ${bar.refiner} ${bar.serial} in ${bar.owner_account_id} reweighed: ` +
      `${w(bar.gross_milli_oz, bar.fineness, bar.fine_milli_oz)} → ${w(payload.gross_milli_oz, payload.fineness, fine)}; ` +
      `${payload.reason}; by ${actors.maker.id}, checked by ${checker}`,
  });
  if (difference !== 0n) {
    const external = await ensureExternalAccount(tx, 'XAU', ingot.now());
    const posted = await addPostings(tx, entryId, [
      { account_id: bar.owner_account_id, unit: 'XAU', amount: difference },
      { account_id: external, unit: 'XAU', amount: -difference },
    ]);
    if (!posted.ok) return refuseCustody('invalid_input', posted.message, 'gross');
  }
  const number = (await lastReweighNumber(tx, bar.id)) + 1n;
  await recordReweigh(tx, {
    bar_id: bar.id,
    number,
    entry_id: entryId,
    reweigh_date: payload.date,
    gross_before: bar.gross_milli_oz,
    fineness_before: bar.fineness,
    fine_before: bar.fine_milli_oz,
    gross_milli_oz: payload.gross_milli_oz,
    fineness: payload.fineness,
    fine_milli_oz: fine,
    reason: payload.reason,
    made_by: actors.maker.id,
    checked_by: checker,
  });
  await setBarWeights(tx, bar.id, {
    gross_milli_oz: payload.gross_milli_oz,
    fineness: payload.fineness,
    fine_milli_oz: fine,
  });
  await sealEntry(tx, entryId);
  return {
    ok: true,
    entry_id: entryId,
    bar: `${bar.refiner} ${bar.serial}`,
    fine_milli_oz: fine,
    difference_milli_oz: difference,
  };
}
