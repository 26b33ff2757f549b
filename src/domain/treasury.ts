// The treasury of a client bank: where its money is (accounts at correspondent banks, its cash
// accounts at the depository, transfers under way between them), what is already spoken for (open
// trades, sums earmarked for other needs), and what is left for gold, per currency and in sterling
// at a rate the user states. Planning data of the bank's own: it moves nothing in the books.
import { type CurrencyCode, consideration, convert, type FxRate, type Money } from './money.ts';
import { assert, type Outcome, type Refusal, refuse } from './outcome.ts';

/** Every reason the treasury may refuse a request, besides the core's invalid_input and the like. */
export const TREASURY_REFUSAL_CODES = [
  'treasury_not_found',
  'correspondent_not_found',
  'correspondent_exists',
  'transfer_not_found',
  'transfer_target_is_source',
  'transfer_is_closed',
  'transfer_dated_before_sending',
  'earmark_not_found',
  'earmark_ends_before_it_starts',
  'earmark_already_released',
  'rate_missing',
] as const;
export type TreasuryOnlyRefusalCode = (typeof TREASURY_REFUSAL_CODES)[number];
export type TreasuryRefusalCode =
  | TreasuryOnlyRefusalCode
  | 'invalid_input'
  | 'currency_mismatch'
  | 'account_not_found';

/** A refused treasury request: the one refusal shape, over the treasury's codes. */
export type TreasuryRefusal = Refusal<TreasuryRefusalCode>;
export type TreasuryOutcome<T> = Outcome<T, TreasuryRefusalCode>;

/** Builds a treasury refusal; the treasury always names the field at fault. */
export function refuseTreasury(code: TreasuryRefusalCode, message: string, field: string): TreasuryRefusal {
  return refuse<TreasuryRefusalCode>(code, message, field);
}

/** Largest amount recorded, in minor units: far above any treasury, well inside a 64-bit column. */
export const TREASURY_AMOUNT_MINOR_MAX = 10n ** 17n;
export const BANK_NAME_LENGTH_MAX = 120;
export const PURPOSE_LENGTH_MAX = 200;

/** An account the bank holds at a correspondent bank (a nostro), in one currency. */
export interface Correspondent {
  readonly id: string;
  readonly bank: string;
  readonly currency: CurrencyCode;
  /** The account's number or name at that bank; may be empty. */
  readonly account_reference: string;
}

/** A correspondent's balance as its statement gave it: every movement valued on or before `as_of`. */
export interface CorrespondentBalance {
  readonly correspondent_id: string;
  readonly as_of: string;
  readonly minor: bigint;
  /** Order of recording: for one date, the balance recorded last corrects those before it. */
  readonly sequence: bigint;
}

/** Where a transfer leaves from: one of the bank's correspondents, or a payer outside. */
export type TransferSource =
  | { readonly kind: 'correspondent'; readonly correspondent_id: string }
  | { readonly kind: 'outside'; readonly name: string };
/** Where it goes: one of the bank's correspondents, or its cash account at the depository. */
export type TransferTarget =
  | { readonly kind: 'correspondent'; readonly correspondent_id: string }
  | { readonly kind: 'depository'; readonly account_id: string };

export type TransferState = 'under_way' | 'arrived' | 'cancelled';

/** Money on its way to one of the bank's places. */
export interface Transfer {
  readonly id: string;
  readonly amount: Money;
  readonly source: TransferSource;
  readonly target: TransferTarget;
  /** Its value date at the source: from this day the money has left. */
  readonly sent_on: string;
  readonly expected_on: string;
  readonly state: TransferState;
  /** The day it arrived or was cancelled; null while under way. */
  readonly closed_on: string | null;
}

/** A sum set aside for other needs, from one day until another, unless released sooner. */
export interface Earmark {
  readonly id: string;
  readonly amount: Money;
  readonly purpose: string;
  readonly from: string;
  readonly until: string;
  readonly released_on: string | null;
}

/** A cash account of the bank at the depository, with its balance at the date of the view. */
export interface DepositoryCash {
  readonly account_id: string;
  readonly currency: CurrencyCode;
  readonly minor: bigint;
}

function checkAmount(amount: Money, field: string, positive: boolean): TreasuryRefusal | undefined {
  const magnitude = amount.minor < 0n ? -amount.minor : amount.minor;
  if (positive && amount.minor <= 0n)
    return refuseTreasury('invalid_input', 'the amount must be above zero', field);
  if (magnitude > TREASURY_AMOUNT_MINOR_MAX) {
    return refuseTreasury(
      'invalid_input',
      `the amount is beyond ${TREASURY_AMOUNT_MINOR_MAX} minor units`,
      field,
    );
  }
  return undefined;
}

function checkText(text: string, field: string, max: number, what: string): TreasuryRefusal | undefined {
  const length = [...text.trim()].length;
  if (length === 0) return refuseTreasury('invalid_input', `${what} is empty`, field);
  if (length > max) return refuseTreasury('invalid_input', `${what} is longer than ${max} characters`, field);
  return undefined;
}

/** Checks a new correspondent account of the bank. */
export function checkCorrespondent(
  input: Correspondent,
  existing: readonly Correspondent[],
): TreasuryOutcome<{ correspondent: Correspondent }> {
  const bad = checkText(input.bank, 'bank', BANK_NAME_LENGTH_MAX, 'the bank’s name');
  if (bad) return bad;
  if (input.account_reference.length > BANK_NAME_LENGTH_MAX) {
    return refuseTreasury('invalid_input', 'the account reference is too long', 'account_reference');
  }
  if (existing.some((c) => c.id === input.id)) {
    return refuseTreasury('correspondent_exists', `correspondent account ${input.id} already exists`, 'id');
  }
  const correspondent = {
    ...input,
    bank: input.bank.trim(),
    account_reference: input.account_reference.trim(),
  };
  return { ok: true, correspondent };
}

/** Checks a balance stated by a correspondent; an overdraft (below zero) is a balance too. */
export function checkBalance(
  input: { correspondent_id: string; as_of: string; amount: Money },
  correspondents: readonly Correspondent[],
): TreasuryOutcome<{ correspondent: Correspondent }> {
  const correspondent = correspondents.find((c) => c.id === input.correspondent_id);
  if (!correspondent) {
    return refuseTreasury(
      'correspondent_not_found',
      `no correspondent account ${input.correspondent_id} of yours`,
      'correspondent_id',
    );
  }
  if (input.amount.currency !== correspondent.currency) {
    return refuseTreasury(
      'currency_mismatch',
      `${correspondent.id} is kept in ${correspondent.currency}, not ${input.amount.currency}`,
      'amount',
    );
  }
  return checkAmount(input.amount, 'amount', false) ?? { ok: true, correspondent };
}

/** The bank's places a transfer may name. */
export interface Places {
  readonly correspondents: readonly Correspondent[];
  readonly depository_accounts: readonly { readonly id: string; readonly currency: string }[];
}

function placeCurrency(
  end: TransferSource | TransferTarget,
  places: Places,
  field: string,
): TreasuryOutcome<{ currency: string | undefined }> {
  if (end.kind === 'outside') {
    const bad = checkText(end.name, field, BANK_NAME_LENGTH_MAX, 'the payer’s name');
    return bad ?? { ok: true, currency: undefined };
  }
  if (end.kind === 'correspondent') {
    const found = places.correspondents.find((c) => c.id === end.correspondent_id);
    if (found) return { ok: true, currency: found.currency };
    return refuseTreasury(
      'correspondent_not_found',
      `no correspondent account ${end.correspondent_id} of yours`,
      field,
    );
  }
  const account = places.depository_accounts.find((a) => a.id === end.account_id);
  if (account) return { ok: true, currency: account.currency };
  return refuseTreasury(
    'account_not_found',
    `no cash account ${end.account_id} of yours at the depository`,
    field,
  );
}

/** Checks a transfer under way to one of the bank's places; it starts under way. */
export function draftTransfer(
  input: Omit<Transfer, 'state' | 'closed_on'>,
  places: Places,
): TreasuryOutcome<{ transfer: Transfer }> {
  const bad = checkAmount(input.amount, 'amount', true);
  if (bad) return bad;
  const source = placeCurrency(input.source, places, 'from');
  if (!source.ok) return source;
  const target = placeCurrency(input.target, places, 'to');
  if (!target.ok) return target;
  if (
    input.source.kind === 'correspondent' &&
    input.target.kind === 'correspondent' &&
    input.source.correspondent_id === input.target.correspondent_id
  ) {
    return refuseTreasury('transfer_target_is_source', 'a transfer goes from one place to another', 'to');
  }
  for (const [currency, field] of [
    [source.currency, 'from'],
    [target.currency, 'to'],
  ] as const) {
    if (currency !== undefined && currency !== input.amount.currency) {
      return refuseTreasury(
        'currency_mismatch',
        `${field} is kept in ${currency}, not ${input.amount.currency}`,
        field,
      );
    }
  }
  if (input.expected_on < input.sent_on) {
    return refuseTreasury(
      'transfer_dated_before_sending',
      `expected on ${input.expected_on}, before it was sent on ${input.sent_on}`,
      'expected_on',
    );
  }
  return { ok: true, transfer: { ...input, state: 'under_way', closed_on: null } };
}

/** Marks a transfer under way as arrived or cancelled on a date. */
export function closeTransfer(
  transfer: Transfer,
  event: 'arrive' | 'cancel',
  on: string,
): TreasuryOutcome<{ transfer: Transfer }> {
  if (transfer.state !== 'under_way') {
    return refuseTreasury(
      'transfer_is_closed',
      `${transfer.id} is ${transfer.state === 'arrived' ? 'arrived' : 'cancelled'} already (${transfer.closed_on})`,
      'transfer',
    );
  }
  // A transfer may be called off before it leaves; it cannot arrive before it leaves.
  if (event === 'arrive' && on < transfer.sent_on) {
    return refuseTreasury(
      'transfer_dated_before_sending',
      `${on} is before ${transfer.id} was sent on ${transfer.sent_on}`,
      'date',
    );
  }
  const state: TransferState = event === 'arrive' ? 'arrived' : 'cancelled';
  return { ok: true, transfer: { ...transfer, state, closed_on: on } };
}

/** Checks a sum earmarked for another need. */
export function checkEarmark(input: Omit<Earmark, 'released_on'>): TreasuryOutcome<{ earmark: Earmark }> {
  const bad =
    checkAmount(input.amount, 'amount', true) ??
    checkText(input.purpose, 'purpose', PURPOSE_LENGTH_MAX, 'the purpose');
  if (bad) return bad;
  if (input.until < input.from) {
    return refuseTreasury(
      'earmark_ends_before_it_starts',
      `until ${input.until} is before from ${input.from}`,
      'until',
    );
  }
  return { ok: true, earmark: { ...input, purpose: input.purpose.trim(), released_on: null } };
}

/** Releases an earmark on a date: from then on the sum is free again. */
export function releaseEarmark(earmark: Earmark, on: string): TreasuryOutcome<{ earmark: Earmark }> {
  if (earmark.released_on !== null) {
    return refuseTreasury(
      'earmark_already_released',
      `${earmark.id} was released on ${earmark.released_on}`,
      'earmark',
    );
  }
  if (on < earmark.from) {
    return refuseTreasury('earmark_ends_before_it_starts', `${on} is before ${earmark.id} starts`, 'date');
  }
  return { ok: true, earmark: { ...earmark, released_on: on } };
}

/** Where a transfer stands on a date, whatever happened to it later. */
export type TransferStateOn = 'not_yet_sent' | 'under_way' | 'arrived' | 'cancelled';

export function transferStateOn(transfer: Transfer, on: string): TransferStateOn {
  const closedBy = transfer.closed_on !== null && transfer.closed_on <= on;
  if (transfer.state === 'cancelled' && closedBy) return 'cancelled';
  if (transfer.sent_on > on) return 'not_yet_sent';
  if (transfer.state === 'arrived' && closedBy) return 'arrived';
  return 'under_way';
}

/** True when an earmark holds its sum on a date. */
export function earmarkActiveOn(earmark: Earmark, on: string): boolean {
  const released = earmark.released_on !== null && earmark.released_on <= on;
  return earmark.from <= on && on <= earmark.until && !released;
}

/** The balance stated last on or before a date; for one date, the one recorded last. */
export function balanceOn(
  balances: readonly CorrespondentBalance[],
  correspondent_id: string,
  on: string,
): CorrespondentBalance | undefined {
  let best: CorrespondentBalance | undefined;
  for (const balance of balances) {
    if (balance.correspondent_id !== correspondent_id || balance.as_of > on) continue;
    const later =
      !best ||
      balance.as_of > best.as_of ||
      (balance.as_of === best.as_of && balance.sequence > best.sequence);
    if (later) best = balance;
  }
  return best;
}

/** A correspondent's part of the position on a date. */
export interface CorrespondentPosition {
  readonly correspondent: Correspondent;
  /** The balance stated last on or before the date; undefined when none was (counted as zero). */
  readonly stated: CorrespondentBalance | undefined;
  /** Sent out since the stated balance, less what came back cancelled: the statement still held it. */
  readonly out_since_minor: bigint;
  /** Arrived since the stated balance: the statement did not hold it yet. */
  readonly in_since_minor: bigint;
  readonly minor: bigint;
}

function isAt(end: TransferSource | TransferTarget, correspondent_id: string): boolean {
  return end.kind === 'correspondent' && end.correspondent_id === correspondent_id;
}

/** What a transfer has taken from its source by the end of a day: from sending until cancelled. */
function takenBy(transfer: Transfer, day: string): bigint {
  const returned = transfer.state === 'cancelled' && transfer.closed_on !== null && transfer.closed_on <= day;
  return transfer.sent_on <= day && !returned ? transfer.amount.minor : 0n;
}

/** What a transfer has brought its target by the end of a day: from arrival on. */
function broughtBy(transfer: Transfer, day: string): bigint {
  const arrived = transfer.state === 'arrived' && transfer.closed_on !== null && transfer.closed_on <= day;
  return arrived ? transfer.amount.minor : 0n;
}

/**
 * What a correspondent holds on a date: its last stated balance, moved on by every transfer from
 * or to it between that balance's date and this one, so no transfer is counted both in a balance
 * and under way, or missed by both. With no balance stated, it starts from zero.
 */
export function correspondentPosition(
  correspondent: Correspondent,
  balances: readonly CorrespondentBalance[],
  transfers: readonly Transfer[],
  on: string,
): CorrespondentPosition {
  const stated = balanceOn(balances, correspondent.id, on);
  const since = stated?.as_of ?? '';
  let out = 0n;
  let into = 0n;
  for (const transfer of transfers) {
    if (isAt(transfer.source, correspondent.id)) out += takenBy(transfer, on) - takenBy(transfer, since);
    if (isAt(transfer.target, correspondent.id)) into += broughtBy(transfer, on) - broughtBy(transfer, since);
  }
  const minor = (stated?.minor ?? 0n) - out + into;
  return { correspondent, stated, out_since_minor: out, in_since_minor: into, minor };
}

/** An open trade's terms, as far as its cost is concerned. */
export interface TradeCommitment {
  readonly trade_id: string;
  readonly currency: CurrencyCode;
  readonly state: 'accepted' | 'allocated' | 'settled' | 'cancelled';
  readonly accepted_on: string;
  /** The sum accepted, for a trade accepted by amount: its cost may not exceed it. */
  readonly budget_minor: bigint | null;
  /** The fine weight allocated, or asked while not yet allocated. */
  readonly fine_milli_oz: bigint | null;
  readonly settlement_date: string | null;
  readonly consideration_minor: bigint | null;
}

/**
 * How a sum set aside was found: the budget accepted; the price a trade settled at on a later
 * value date; its weight at the latest fixing (an estimate); or no fixing yet to price it by.
 */
export type SetAsideBasis = 'budget' | 'price_paid' | 'estimate' | 'unpriced';

export interface SetAside {
  readonly trade_id: string;
  readonly amount: Money;
  readonly basis: SetAsideBasis;
  /** The fixing an estimate is priced at. */
  readonly price_date: string | null;
}

/**
 * What an open trade holds back on a date: nothing before it was accepted or once it is paid or
 * cancelled. `fixing` is the latest fixing on or before the date in the trade's currency.
 */
export function setAsideFor(
  trade: TradeCommitment,
  fixing: { readonly date: string; readonly minor_per_oz: bigint } | undefined,
  on: string,
): SetAside | undefined {
  if (trade.accepted_on > on || trade.state === 'cancelled') return undefined;
  const aside = (minor: bigint, basis: SetAsideBasis, price_date: string | null = null): SetAside => ({
    trade_id: trade.trade_id,
    amount: { currency: trade.currency, minor },
    basis,
    price_date,
  });
  if (trade.state === 'settled') {
    assert(trade.settlement_date !== null && trade.consideration_minor !== null, `${trade.trade_id}: unpaid`);
    return trade.settlement_date <= on ? undefined : aside(trade.consideration_minor, 'price_paid');
  }
  if (trade.budget_minor !== null) return aside(trade.budget_minor, 'budget');
  if (!fixing || trade.fine_milli_oz === null) return aside(0n, 'unpriced');
  assert(fixing.date <= on, `fixing of ${fixing.date} is after ${on}`);
  const price = { currency: trade.currency, minor_per_oz: fixing.minor_per_oz };
  return aside(consideration(price, trade.fine_milli_oz, on).minor, 'estimate', fixing.date);
}

/** Everything the bank has told Ingot of its treasury, and what the books say of its cash. */
export interface TreasuryBooks {
  readonly correspondents: readonly Correspondent[];
  readonly balances: readonly CorrespondentBalance[];
  readonly transfers: readonly Transfer[];
  readonly earmarks: readonly Earmark[];
  /** The bank's cash accounts at the depository, at their balance on the date. */
  readonly depository: readonly DepositoryCash[];
  readonly set_aside: readonly SetAside[];
}

/** One currency's position: where the money is, what is spoken for, what is left for gold. */
export interface CurrencyPosition {
  readonly currency: CurrencyCode;
  readonly at_correspondents: bigint;
  readonly at_depository: bigint;
  readonly under_way: bigint;
  readonly set_aside: bigint;
  readonly earmarked: bigint;
  /** at correspondents + at the depository + under way − set aside − earmarked. */
  readonly left: bigint;
}

export interface TreasuryPosition {
  readonly on: string;
  readonly correspondents: readonly CorrespondentPosition[];
  readonly currencies: readonly CurrencyPosition[];
}

const CURRENCY_ORDER: readonly CurrencyCode[] = ['GBP', 'USD', 'EUR'];

function sumIn(currency: CurrencyCode, items: readonly { currency: string; minor: bigint }[]): bigint {
  return items.reduce((sum, item) => (item.currency === currency ? sum + item.minor : sum), 0n);
}

/** The bank's position on a date, per currency, from what it recorded and the books' balances. */
export function treasuryPosition(books: TreasuryBooks, on: string): TreasuryPosition {
  const correspondents = books.correspondents.map((c) =>
    correspondentPosition(c, books.balances, books.transfers, on),
  );
  const atCorrespondents = correspondents.map((p) => ({
    currency: p.correspondent.currency,
    minor: p.minor,
  }));
  const underWay = books.transfers.filter((t) => transferStateOn(t, on) === 'under_way').map((t) => t.amount);
  const earmarked = books.earmarks.filter((e) => earmarkActiveOn(e, on)).map((e) => e.amount);
  const setAside = books.set_aside.map((s) => s.amount);
  const used = new Set<string>([
    ...books.correspondents.map((c) => c.currency),
    ...books.depository.map((d) => d.currency),
    ...[...underWay, ...earmarked, ...setAside].map((m) => m.currency),
  ]);
  const currencies = CURRENCY_ORDER.filter((c) => used.has(c)).map((currency): CurrencyPosition => {
    const parts = {
      at_correspondents: sumIn(currency, atCorrespondents),
      at_depository: sumIn(currency, books.depository),
      under_way: sumIn(currency, underWay),
      set_aside: sumIn(currency, setAside),
      earmarked: sumIn(currency, earmarked),
    };
    const left =
      parts.at_correspondents + parts.at_depository + parts.under_way - parts.set_aside - parts.earmarked;
    return { currency, ...parts, left };
  });
  assert(currencies.length === used.size, `a currency outside ${CURRENCY_ORDER.join(', ')} in the treasury`);
  return { on, correspondents, currencies };
}

/** What is left in one currency, and its sterling equivalent. */
export interface SterlingLine {
  readonly currency: CurrencyCode;
  readonly left_minor: bigint;
  readonly sterling_minor: bigint;
}

/** The name of the rate the user states for a currency: units of it per pound sterling. */
export function rateField(currency: CurrencyCode): string {
  return `${currency.toLowerCase()}_per_gbp`;
}

/**
 * The sterling equivalent of what is left, at the rates the user states (units of each currency
 * per £), each converted by rule R4: rounded down to the coin of the date, so the equivalent never
 * exceeds what the money would fetch, and a shortfall is never understated.
 */
export function sterlingEquivalent(
  currencies: readonly CurrencyPosition[],
  rates: Partial<Record<CurrencyCode, FxRate>>,
  on: string,
): TreasuryOutcome<{ lines: SterlingLine[]; total_minor: bigint }> {
  const lines: SterlingLine[] = [];
  for (const position of currencies) {
    const { currency, left } = position;
    if (currency === 'GBP' || left === 0n) {
      lines.push({ currency, left_minor: left, sterling_minor: currency === 'GBP' ? left : 0n });
      continue;
    }
    const rate = rates[currency];
    if (!rate) {
      return refuseTreasury(
        'rate_missing',
        `state how many ${currency} make £1 to see what is left in sterling`,
        rateField(currency),
      );
    }
    assert(rate.base === 'GBP' && rate.quote === currency, `rate ${rate.quote}/${rate.base} for ${currency}`);
    const sterling = convert({ currency, minor: left }, rate, 'GBP', on).minor;
    lines.push({ currency, left_minor: left, sterling_minor: sterling });
  }
  const total_minor = lines.reduce((sum, line) => sum + line.sterling_minor, 0n);
  return { ok: true, lines, total_minor };
}
