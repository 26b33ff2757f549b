// A client bank's own view of its gold, fed only by the messages it receives: credit and debit
// advices move bars in and out (by their numbers, 26D), bar lists tell their weights, statements
// are reconciled against it. Pure: the store loads the bars held and writes the plan.
import type { Parsed } from '../decimal.ts';
import type { BarListMessage } from '../messages/barlist.ts';
import type { DebitAdvice } from '../messages/mt606.ts';
import type { CreditAdvice } from '../messages/mt607.ts';
import type { MetalStatement } from '../messages/mt608.ts';
import { signedBalance } from '../messages/statement-fields.ts';
import { writeFineOunces } from '../messages/values.ts';
import { type CorrespondenceOutcome, refuseCorrespondence } from './refusal.ts';

/** A bar as its number names it: refiner, serial and year ("MSK/100000/1955"). */
export interface BarIdentity {
  readonly refiner: string;
  readonly serial: string;
  readonly year: number;
}

/** A bar in the view: weights are unknown until a bar list tells them. */
export interface ViewBar extends BarIdentity {
  readonly account_id: string;
  readonly gross_milli_oz: bigint | null;
  readonly fineness: bigint | null;
  readonly fine_milli_oz: bigint | null;
}

/** How bars are keyed in the view: refiner (upper case) and serial. */
export function viewKey(bar: { readonly refiner: string; readonly serial: string }): string {
  return `${bar.refiner.toUpperCase()}/${bar.serial}`;
}

/** A bar number as 26D writes it. */
export function barNumberOf(bar: BarIdentity): string {
  return `${bar.refiner}/${bar.serial}/${bar.year}`;
}

/** Reads a line of 26D, "REFINER/SERIAL/YEAR". */
export function readBarNumber(line: string): Parsed<BarIdentity> {
  const parts = line.split('/');
  const [refiner = '', serial = '', year = ''] = parts;
  if (parts.length !== 3 || refiner === '' || serial === '' || !/^\d{4}$/.test(year)) {
    return { ok: false, reason: `bar number "${line}" is not REFINER/SERIAL/YEAR` };
  }
  return { ok: true, value: { refiner, serial, year: Number.parseInt(year, 10) } };
}

/** What an advice does to the view: one entry on the account and the bars it moves. */
export interface AdvicePlan {
  readonly account_id: string;
  readonly value_date: string;
  readonly mark: 'C' | 'D';
  readonly fine_milli_oz: bigint;
  readonly reference: string;
  readonly bars: readonly BarIdentity[];
  /** Differences worth a person's attention, e.g. bars whose weights do not add up to 32F. */
  readonly notes: readonly string[];
}

/** The bars an advice names, read and checked: an account, bar numbers, none twice. */
function advisedBars(advice: CreditAdvice | DebitAdvice): CorrespondenceOutcome<{ bars: BarIdentity[] }> {
  if (advice.account === null) {
    return refuseCorrespondence(
      'message_invalid',
      `${advice.type} ${advice.reference} names no account (25)`,
      '25',
    );
  }
  if (advice.bar_numbers === null) {
    const message = `${advice.type} ${advice.reference} names no bars (26D); allocated gold moves by bar`;
    return refuseCorrespondence('message_invalid', message, '26D');
  }
  const bars: BarIdentity[] = [];
  const seen = new Set<string>();
  for (const line of advice.bar_numbers) {
    const bar = readBarNumber(line);
    if (!bar.ok) return refuseCorrespondence('message_invalid', bar.reason, '26D');
    if (seen.has(viewKey(bar.value))) {
      return refuseCorrespondence('message_invalid', `bar ${line} is named twice`, '26D');
    }
    seen.add(viewKey(bar.value));
    bars.push(bar.value);
  }
  return { ok: true, bars };
}

/** A note when the bars' known weights do not add up to the advised quantity. */
function weightNote(fine: readonly (bigint | null)[], quantity: bigint): string[] {
  if (fine.some((weight) => weight === null)) return [];
  const sum = fine.reduce<bigint>((total, weight) => total + (weight ?? 0n), 0n);
  if (sum === quantity) return [];
  return [`the bars weigh ${writeFineOunces(sum)} FOZ fine, the advice says ${writeFineOunces(quantity)}`];
}

/** Plans a credit advice: every bar it names comes into the account; none may be held already. */
export function planCredit(
  advice: CreditAdvice,
  held: ReadonlyMap<string, ViewBar>,
): CorrespondenceOutcome<{ plan: AdvicePlan }> {
  const read = advisedBars(advice);
  if (!read.ok) return read;
  const already = read.bars.find((bar) => held.has(viewKey(bar)));
  if (already !== undefined) {
    const message = `bar ${barNumberOf(already)} is already held; the advice is not applied`;
    return refuseCorrespondence('message_invalid', message, '26D');
  }
  const plan: AdvicePlan = {
    account_id: advice.account ?? '',
    value_date: advice.value_date,
    mark: 'C',
    fine_milli_oz: advice.quantity_fine_milli_oz,
    reference: advice.reference,
    bars: read.bars,
    notes: [],
  };
  return { ok: true, plan };
}

/** Plans a debit advice: every bar it names must be held in the account, and leaves it. */
export function planDebit(
  advice: DebitAdvice,
  held: ReadonlyMap<string, ViewBar>,
): CorrespondenceOutcome<{ plan: AdvicePlan }> {
  const read = advisedBars(advice);
  if (!read.ok) return read;
  const bars = read.bars.map((bar) => held.get(viewKey(bar)));
  const missing = read.bars.find((_bar, index) => bars[index]?.account_id !== advice.account);
  if (missing !== undefined) {
    const message = `bar ${barNumberOf(missing)} is not held in ${advice.account}; the advice is not applied`;
    return refuseCorrespondence('message_invalid', message, '26D');
  }
  const plan: AdvicePlan = {
    account_id: advice.account ?? '',
    value_date: advice.value_date,
    mark: 'D',
    fine_milli_oz: advice.quantity_fine_milli_oz,
    reference: advice.reference,
    bars: read.bars,
    notes: weightNote(
      bars.map((bar) => bar?.fine_milli_oz ?? null),
      advice.quantity_fine_milli_oz,
    ),
  };
  return { ok: true, plan };
}

/** What a bar list does to the view: the weights of the bars held, and what does not match. */
export interface ListPlan {
  readonly account_id: string;
  readonly weighed: BarListMessage['bars'];
  readonly notes: readonly string[];
}

/** Plans a bar list: it weighs the bars held in its account; bars it lists but not held are noted. */
export function planBarList(list: BarListMessage, held: ReadonlyMap<string, ViewBar>): ListPlan {
  const inAccount = (bar: { refiner: string; serial: string }) =>
    held.get(viewKey(bar))?.account_id === list.account;
  const weighed = list.bars.filter(inAccount);
  const strangers = list.bars.filter((bar) => !inAccount(bar));
  const notes: string[] = [];
  if (strangers.length > 0) {
    const first = strangers[0];
    const named = first ? `${first.refiner}/${first.serial}` : '';
    notes.push(
      `${strangers.length} listed bars are not held in ${list.account} by the advices (first ${named})`,
    );
  }
  const changed = weighed.filter((bar) => {
    const known = held.get(viewKey(bar));
    return known?.fine_milli_oz != null && known.fine_milli_oz !== bar.fine_milli_oz;
  });
  if (changed.length > 0) notes.push(`${changed.length} bars are listed with other weights than before`);
  return { account_id: list.account, weighed, notes };
}

/** Fine ounces with a sign: "-12,5" for a debit balance. */
function signedOunces(milli: bigint): string {
  return milli < 0n ? `-${writeFineOunces(-milli)}` : writeFineOunces(milli);
}

/** Reconciles a statement with the view's balance of its account: a sentence for the register. */
export function reconcileStatement(statement: MetalStatement, viewBalance: bigint): string {
  const closing = signedBalance(statement.closing);
  if (closing === viewBalance) {
    return `statement of ${statement.account} agrees with the view: ${signedOunces(closing)} FOZ`;
  }
  return (
    `statement of ${statement.account} closes at ${signedOunces(closing)} FOZ ` +
    `but the advices received make ${signedOunces(viewBalance)} FOZ`
  );
}
