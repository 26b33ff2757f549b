// The account of what an approval or a signature will do, in words a checker reads: every amount
// with its unit, every bar by refiner and serial, every account, and the charges. The lines are
// composed from the books, digested with SHA-256, and the digest is what the checker sends back:
// approving the digest approves exactly the lines it was shown, and nothing else.
import { createHash } from 'node:crypto';
import { type CurrencyCode, formatMoney, type Money } from '../money.ts';
import { assert } from '../outcome.ts';
import { describeWeight, type FineMilliOz } from '../weight.ts';

/** Bumped when the wording changes, so an account is never compared across two wordings. */
export const ACCOUNT_FORMAT_VERSION = 'ingot-account-1';
/** A digest as sent and stored: SHA-256, 64 lower-case hexadecimal digits. */
export const DIGEST_PATTERN = '^[0-9a-f]{64}$';

/** An account as shown: its lines, in order, and their digest. */
export interface AccountText {
  readonly lines: readonly string[];
  readonly digest: string;
}

/** Digests the lines, one a line, under the format version. */
export function accountOf(lines: readonly string[]): AccountText {
  assert(lines.length > 0, 'an account with no lines');
  assert(
    lines.every((line) => !line.includes('\n')),
    'an account line spans lines',
  );
  const hash = createHash('sha256').update(ACCOUNT_FORMAT_VERSION);
  for (const line of lines) hash.update('\n').update(line);
  return { lines, digest: hash.digest('hex') };
}

/** The first line that differs between two accounts, in words, or undefined when they are equal. */
export function firstDifference(before: readonly string[], now: readonly string[]): string | undefined {
  const length = Math.max(before.length, now.length);
  for (let index = 0; index < length; index += 1) {
    const was = before[index];
    const is = now[index];
    if (was === is) continue;
    if (was === undefined) return `line ${index + 1} is new: "${is}"`;
    if (is === undefined) return `line ${index + 1} is gone: "${was}"`;
    return `line ${index + 1} was "${was}" and is now "${is}"`;
  }
  return undefined;
}

const MINOR_UNIT_NAMES: Readonly<Record<CurrencyCode, string>> = {
  GBP: '1/4800 £',
  USD: 'cents',
  EUR: 'cents',
};

/** An amount as its date wrote it, with its minor units: "£3,700 0s 0d (17760000 of 1/4800 £)". */
export function amountText(amount: Money, date?: string): string {
  return `${formatMoney(amount, date)} (${amount.minor} of ${MINOR_UNIT_NAMES[amount.currency]})`;
}

/** Gold with its unit: "800.000 fine oz (0.025 t)". */
export function goldText(fine: FineMilliOz): string {
  return describeWeight(fine);
}

/**
 * A gold account's balance before and after a move of `change` (negative when gold leaves it):
 * "Gold NBC-GOLD: balance before 1,200.000 fine oz (0.037 t), after 800.000 fine oz (0.025 t)".
 * An account the move opens has a balance of nothing before it.
 */
export function goldBalanceLine(
  account_id: string,
  before: FineMilliOz | undefined,
  change: FineMilliOz,
): string {
  const opened = before === undefined ? ' (the move opens it)' : '';
  const held = before ?? 0n;
  return (
    `Gold ${account_id}: balance before ${goldText(held)}${opened}, ` + `after ${goldText(held + change)}`
  );
}

/** A cash balance before and after a charge, or the reason there is none to bear it. */
export function balanceLine(
  cash: { readonly account_id: string; readonly balance: Money } | null,
  charge: Money,
  date: string,
): string {
  if (cash === null) return `Cash: no ${charge.currency} account to bear the charges`;
  const after = { currency: charge.currency, minor: cash.balance.minor - charge.minor };
  const shortfall = after.minor < 0n ? ' (insufficient funds: nothing would move)' : '';
  return (
    `Cash ${cash.account_id}: balance before ${amountText(cash.balance, date)}, ` +
    `after ${amountText(after, date)}${shortfall}`
  );
}

/** A balance line as goldBalanceLine and balanceLine compose it: the account, before and after. */
const BALANCE_LINE = /^(?:Gold|Cash) ([^\s:]+): balance before (.*?)(?: \(the move opens it\))?, after (.*)$/;
/** A move of gold between two accounts of the books, as an instruction's account states it. */
const MOVE_LINE = /^Gold moves: ([^\s:]+) → ([^\s:]+)(?: \(in transit\))?$/;
const SHORTFALL = ' (insufficient funds: nothing would move)';
/** balanceLine's words when there is no cash account to bear a charge: nothing would move either. */
const NO_CASH_ACCOUNT = /^Cash: no \S+ account to bear the charges$/;

/** Whether the line says the step would be refused for want of cash, moving nothing. */
function refusedForCash(line: string): boolean {
  return line.endsWith(SHORTFALL) || NO_CASH_ACCOUNT.test(line);
}

/** An account whose balance an account of an approval shows, and whether approving it moves it. */
export interface BalanceShown {
  readonly account_id: string;
  readonly moved: boolean;
}

/**
 * The balances an account shows, read back from the lines goldBalanceLine and balanceLine wrote:
 * a balance is moved when its after differs from its before. Where the cash falls short, or there
 * is no cash account to bear a charge, the step is refused whole and moves nothing.
 */
export function balancesShown(lines: readonly string[]): BalanceShown[] {
  const refused = lines.some(refusedForCash);
  return lines.flatMap((line) => {
    const found = BALANCE_LINE.exec(line);
    if (!found) return [];
    const [, account_id = '', before, after = ''] = found;
    return [{ account_id, moved: !refused && before !== after }];
  });
}

/**
 * The accounts approving it would move: those whose balance it shows changing, and both ends of a
 * move of gold between accounts (a transfer into another bank's account names it, never its
 * balance). Nothing when the step would be refused for want of cash.
 */
export function accountsMoved(lines: readonly string[]): Set<string> {
  if (lines.some(refusedForCash)) return new Set();
  const moved = new Set(
    balancesShown(lines)
      .filter((b) => b.moved)
      .map((b) => b.account_id),
  );
  for (const line of lines) {
    const found = MOVE_LINE.exec(line);
    if (found) for (const account of found.slice(1)) if (account) moved.add(account);
  }
  return moved;
}

/**
 * Which of the approvals waiting would each void if approved: those whose accounts show the balance
 * of an account it moves (an approval is carried out only on the account it was shown, so a balance
 * changed since makes it one to decline and propose again). By approval, in the order given.
 */
export function voidedBy<Id>(
  waiting: readonly { readonly id: Id; readonly account: readonly string[] }[],
): Map<Id, Id[]> {
  const shown = waiting.map((approval) => ({
    id: approval.id,
    balances: balancesShown(approval.account),
    moves: accountsMoved(approval.account),
  }));
  return new Map(
    shown.map(({ id, moves }) => {
      const voided = shown.filter(
        (other) => other.id !== id && other.balances.some((b) => moves.has(b.account_id)),
      );
      return [id, voided.map((other) => other.id)];
    }),
  );
}
