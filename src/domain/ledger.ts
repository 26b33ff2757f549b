// Double-entry books for cash and gold. Every entry balances per unit; balances never go below
// zero except on external accounts, which stand for the world outside the depository.
import { type CurrencyCode, MINOR_MAX, withinMinorRange } from './money.ts';
import { assert, type Outcome, refuse } from './outcome.ts';

/** A ledger unit: a currency (in its minor unit) or XAU (fine gold, in 0.001 fine oz). */
export type LedgerUnit = CurrencyCode | 'XAU';
export const LEDGER_UNITS: readonly LedgerUnit[] = ['GBP', 'USD', 'EUR', 'XAU'];

/**
 * cash: a party's money at the depository. custody: a party's allocated gold, the sum of its bars.
 * external: the outside world (gold received into or delivered out of the vault, money paid in or out).
 */
export type AccountKind = 'cash' | 'custody' | 'external';

export interface Account {
  readonly id: string;
  readonly party_id: string;
  readonly kind: AccountKind;
  readonly unit: LedgerUnit;
  readonly balance: bigint;
}

/** One line of an entry: `amount` is added to the account's balance (negative takes away). */
export interface Posting {
  readonly account_id: string;
  readonly unit: LedgerUnit;
  readonly amount: bigint;
}

export const EXTERNAL_PARTY_ID = 'EXTERNAL';

/** The external account for a unit: where value enters and leaves the books. */
export function externalAccountId(unit: LedgerUnit): string {
  return `EXTERNAL-${unit}`;
}

/** Sums postings per unit; an entry balances when every sum is zero. */
export function sumsByUnit(postings: readonly Posting[]): Map<LedgerUnit, bigint> {
  const sums = new Map<LedgerUnit, bigint>();
  for (const posting of postings) {
    sums.set(posting.unit, (sums.get(posting.unit) ?? 0n) + posting.amount);
  }
  return sums;
}

/** True when the postings sum to zero in every unit. */
export function isBalanced(postings: readonly Posting[]): boolean {
  for (const sum of sumsByUnit(postings).values()) if (sum !== 0n) return false;
  return true;
}

/**
 * Checks postings against their accounts and returns the balances after them, or the first rule
 * they break. Writes nothing: the caller writes only on success.
 */
export function applyPostings(
  postings: readonly Posting[],
  accounts: ReadonlyMap<string, Account>,
): Outcome<{ balances: Map<string, bigint> }> {
  assert(isBalanced(postings), 'entry does not balance');
  const balances = new Map<string, bigint>();
  for (const posting of postings) {
    const account = accounts.get(posting.account_id);
    if (!account) return refuse('account_not_found', `account ${posting.account_id} does not exist`);
    if (account.unit !== posting.unit) {
      return refuse(
        'account_unit_mismatch',
        `account ${account.id} holds ${account.unit}, not ${posting.unit}`,
      );
    }
    const before = balances.get(account.id) ?? account.balance;
    balances.set(account.id, before + posting.amount);
    if (!withinMinorRange(posting.amount)) return beyondLimit(account, posting.amount, 'would move');
  }
  for (const [id, balance] of balances) {
    const account = accounts.get(id);
    assert(account, `account ${id} vanished`);
    if (account.kind !== 'external' && balance < 0n) {
      const code = account.unit === 'XAU' ? 'insufficient_gold' : 'insufficient_funds';
      return refuse(code, `account ${id} would fall to ${balance} ${account.unit} minor units`);
    }
  }
  const beyond = beyondRange(balances, accounts);
  if (beyond) return beyondLimit(beyond.account, beyond.balance, 'would hold');
  return { ok: true, balances };
}

/** The first balance past ±MINOR_MAX: a party's account before the outside world's. */
function beyondRange(
  balances: ReadonlyMap<string, bigint>,
  accounts: ReadonlyMap<string, Account>,
): { account: Account; balance: bigint } | undefined {
  const past: { account: Account; balance: bigint }[] = [];
  for (const [id, balance] of balances) {
    const account = accounts.get(id);
    if (account && !withinMinorRange(balance)) past.push({ account, balance });
  }
  return past.find((p) => p.account.kind !== 'external') ?? past[0];
}

/**
 * The refusal of an amount or balance past ±MINOR_MAX minor units (18 digits, what the stores and
 * the API hold): nothing moves, rather than a balance overflowing its column.
 */
function beyondLimit(account: Account, amount: bigint, verb: string): Outcome<never> {
  return refuse(
    'balance_exceeds_limit',
    `account ${account.id} ${verb} ${amount} ${account.unit} minor units, beyond the limit of ±${MINOR_MAX}`,
    'amount',
  );
}
