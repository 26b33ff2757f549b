// Charges under an agreement's fee schedule, computed exactly and posted to the ledger.
//
// Rounding rule C1: a charge is computed exactly as a fraction and rounded once, DOWN to the coin
// of the charge date (roundToCoinDown, money.ts): the depository never charges more than the
// schedule gives. Custody fees accrue on actual days over a 365-day year (actual/365 fixed).
import { isBalanced, type Posting } from '../ledger.ts';
import {
  type CurrencyCode,
  coinOf,
  formatMoney,
  type Money,
  money,
  type PricePerOz,
  roundToCoinDown,
} from '../money.ts';
import { assert } from '../outcome.ts';
import type { FineMilliOz } from '../weight.ts';
import type { InstructionKind, ShipmentQuote } from './instruction.ts';
import { type CustodyOutcome, refuseCustody } from './refusal.ts';

/** Days in the fee year (actual/365 fixed). */
export const FEE_DAYS_PER_YEAR = 365n;
/** Parts per ten thousand in a whole: a rate of 10,000 would charge the whole value a year. */
export const PER10K_WHOLE = 10_000n;
const MILLI_OZ_PER_OZ = 1000n;

/** The custody fee: none, a yearly rate of the gold's value, or a yearly amount per bar. */
export type CustodyFee =
  | { readonly kind: 'none' }
  | { readonly kind: 'rate_of_value'; readonly per_year_per10k: bigint }
  | { readonly kind: 'per_bar'; readonly per_bar_per_year_minor: bigint };

/** The fees of one agreement, in its currency. */
export interface FeeSchedule {
  readonly agreement_id: string;
  readonly currency: CurrencyCode;
  readonly custody: CustodyFee;
  readonly handling_per_release_minor: bigint;
  readonly handling_per_transfer_minor: bigint;
  readonly handling_per_shipment_minor: bigint;
  /** Who bears a shipment's transport and insurance. */
  readonly shipment_costs_payer: 'client' | 'depository';
}

/** The 1961 terms: no custody fee, no handling fee, transport costs borne by the client. */
export function feeSchedule1961(agreement_id: string): FeeSchedule {
  return {
    agreement_id,
    currency: 'GBP',
    custody: { kind: 'none' },
    handling_per_release_minor: 0n,
    handling_per_transfer_minor: 0n,
    handling_per_shipment_minor: 0n,
    shipment_costs_payer: 'client',
  };
}

/** Checks a schedule before it is set: no negative fee, a rate below the whole value. */
export function checkFeeSchedule(schedule: FeeSchedule): CustodyOutcome<object> {
  const custody = schedule.custody;
  if (
    custody.kind === 'rate_of_value' &&
    (custody.per_year_per10k < 0n || custody.per_year_per10k >= PER10K_WHOLE)
  ) {
    return invalid(`a custody rate of ${custody.per_year_per10k}/10,000 a year is out of range`, 'custody');
  }
  if (custody.kind === 'per_bar' && custody.per_bar_per_year_minor < 0n) {
    return invalid('the custody fee per bar cannot be negative', 'custody');
  }
  for (const [field, amount] of [
    ['handling_per_release', schedule.handling_per_release_minor],
    ['handling_per_transfer', schedule.handling_per_transfer_minor],
    ['handling_per_shipment', schedule.handling_per_shipment_minor],
  ] as const) {
    if (amount < 0n) return invalid(`the ${field.replaceAll('_', ' ')} fee cannot be negative`, field);
  }
  return { ok: true };
}

function invalid(message: string, field: string) {
  return refuseCustody('fee_schedule_invalid', message, field);
}

/** What the custody fee of a period is computed on. */
export interface CustodyPeriod {
  readonly days: bigint;
  readonly fine_milli_oz: FineMilliOz;
  readonly bars: bigint;
  /** The price the gold is valued at (a fixing of the charge date); needed only for a rate of value. */
  readonly price: PricePerOz | null;
  /** The charge date: its coin is the rounding step. */
  readonly date: string;
}

/** The custody fee of a period, rounded down to the coin of the date (rule C1). */
export function custodyFee(schedule: FeeSchedule, period: CustodyPeriod): Money {
  assert(period.days >= 0n && period.fine_milli_oz >= 0n && period.bars >= 0n, 'negative custody period');
  const coin = coinOf(schedule.currency, period.date);
  const custody = schedule.custody;
  switch (custody.kind) {
    case 'none':
      return money(schedule.currency, 0n);
    case 'per_bar': {
      const numerator = custody.per_bar_per_year_minor * period.bars * period.days;
      return money(schedule.currency, roundToCoinDown(numerator, FEE_DAYS_PER_YEAR, coin));
    }
    case 'rate_of_value': {
      const price = period.price;
      assert(price !== null, 'a custody fee on value needs a price');
      assert(price.currency === schedule.currency, 'custody valued in a currency other than the schedule');
      const numerator = price.minor_per_oz * period.fine_milli_oz * custody.per_year_per10k * period.days;
      const denominator = MILLI_OZ_PER_OZ * PER10K_WHOLE * FEE_DAYS_PER_YEAR;
      return money(schedule.currency, roundToCoinDown(numerator, denominator, coin));
    }
  }
}

/** The flat handling fee for executing one instruction of a kind. */
export function handlingFee(schedule: FeeSchedule, kind: InstructionKind): Money {
  const minor = {
    release: schedule.handling_per_release_minor,
    transfer: schedule.handling_per_transfer_minor,
    shipment: schedule.handling_per_shipment_minor,
  }[kind];
  return money(schedule.currency, minor);
}

/** What a client pays when it accepts a shipment quote: the costs it bears and the handling fee. */
export function shipmentCharge(schedule: FeeSchedule, quote: ShipmentQuote): Money {
  assert(quote.transport.currency === schedule.currency, 'transport quoted in another currency');
  assert(quote.insurance.currency === schedule.currency, 'insurance quoted in another currency');
  const costs =
    schedule.shipment_costs_payer === 'client' ? quote.transport.minor + quote.insurance.minor : 0n;
  return money(schedule.currency, costs + schedule.handling_per_shipment_minor);
}

/** The two cash accounts a charge moves between. */
export interface ChargeAccounts {
  readonly client_cash_account_id: string;
  readonly fee_income_account_id: string;
}

/** The postings of a charge: client cash to the depository's fee income; none for a zero charge. */
export function chargePostings(amount: Money, accounts: ChargeAccounts): Posting[] {
  assert(amount.minor >= 0n, 'a charge cannot be negative; a refund reverses it');
  assert(accounts.client_cash_account_id !== accounts.fee_income_account_id, 'a charge to the payer itself');
  if (amount.minor === 0n) return [];
  const postings: Posting[] = [
    { account_id: accounts.client_cash_account_id, unit: amount.currency, amount: -amount.minor },
    { account_id: accounts.fee_income_account_id, unit: amount.currency, amount: amount.minor },
  ];
  assert(isBalanced(postings), 'charge postings do not balance');
  return postings;
}

/** The postings that undo others, line for line: how a charge is refunded (never by editing it). */
export function reversalPostings(postings: readonly Posting[]): Posting[] {
  const reversed = postings.map((posting) => ({ ...posting, amount: -posting.amount }));
  assert(isBalanced(reversed), 'reversal of an unbalanced entry');
  return reversed;
}

/** A one-line description of a charge for the journal memo and the statement. */
export function describeCharge(what: string, amount: Money, date: string): string {
  return `${what}: ${formatMoney(amount, date)}`;
}
