// Business outcomes are values: a closed list of refusal codes whose names read as sentences.

/** Every reason Ingot may refuse a request, grouped by the object at fault. */
export const REFUSAL_CODES = [
  'invalid_input',
  'party_not_found',
  'party_exists',
  'depository_exists',
  'account_not_found',
  'account_exists',
  'account_unit_mismatch',
  'account_not_owned_by_party',
  'insufficient_funds',
  'insufficient_gold',
  'balance_exceeds_limit',
  'bar_list_invalid',
  'bar_not_found',
  'fixing_list_invalid',
  'fixing_exists_with_different_price',
  'no_fixing_for_date',
  'offer_not_found',
  'offer_not_yet_valid',
  'offer_expired',
  'offer_exceeds_seller_stock',
  'not_offer_buyer',
  'currency_mismatch',
  'exceeds_offer_maximum',
  'offer_fully_taken',
  'trade_not_found',
  'trade_already_allocated',
  'trade_not_allocated',
  'trade_already_settled',
  'trade_cancelled',
  'settlement_before_acceptance',
  'insufficient_stock',
  'cost_exceeds_accepted_amount',
  'idempotency_key_reused',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

/**
 * A refused request: its code, a sentence for people, and the field at fault when there is one.
 * One shape for every feature; `C` is the feature's closed list of codes (the core's by default).
 */
export interface Refusal<C extends string = RefusalCode> {
  readonly ok: false;
  readonly code: C;
  readonly message: string;
  readonly field?: string;
}

/** A list refused whole (a bar list, a weight list, a count): the refusal and the problems found, each naming its row. */
export interface ListRefusal<P, C extends string = RefusalCode> extends Refusal<C> {
  readonly problems: readonly P[];
}

/** The outcome of a rule or request: the result, or the refusal with a code from `C`. */
export type Outcome<T, C extends string = RefusalCode> = ({ readonly ok: true } & T) | Refusal<C>;

/**
 * Builds a refusal. The codes are the core's unless the list is named, `refuse<CustodyRefusalCode>(…)`:
 * the code never widens the list, so a misspelt code does not compile.
 */
export function refuse<C extends string = RefusalCode>(
  code: NoInfer<C>,
  message: string,
  field?: string,
): Refusal<C> {
  return field === undefined ? { ok: false, code, message } : { ok: false, code, message, field };
}

/** Asserts an invariant; a broken invariant is a bug and stops the operation. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

/** A broken invariant: never a refused request, always a bug. */
export class InvariantError extends Error {
  override name = 'InvariantError';
}
