// What each action on a trade will do, in words and figures, for its confirmation; and why a
// settlement on a date is not offered. Figures by the core's own rules, never floating point.
import { consideration, isCurrencyCode } from '../../../../src/domain/money.ts';
import { showAmount, showFineness, showPrice, showWeight } from '../../format.ts';
import type { Account, Offer, Trade } from '../../types.ts';

/** What the trade asked for: a fine weight, or a sum. */
export function askedOf(trade: Trade): string {
  if (trade.asked_kind === 'quantity' && trade.asked_fine_milli_oz)
    return showWeight(trade.asked_fine_milli_oz);
  if (trade.budget_currency && trade.budget_minor)
    return showAmount(trade.budget_currency, trade.budget_minor, trade.accepted_on);
  return trade.budget_stated ?? '';
}

/** The settlement a date would make: the price of that date's fixing and the consideration. */
export interface SettlementFigures {
  readonly currency: string;
  readonly price_minor_per_oz: string;
  readonly consideration_minor: bigint;
}

/** The figures of settling on `date` at `price` (minor units per fine oz), or none without a price. */
export function figuresOf(
  trade: Trade,
  currency: string,
  price: string | undefined,
  date: string,
): SettlementFigures | undefined {
  if (!price || !trade.allocated_fine_milli_oz || !isCurrencyCode(currency)) return undefined;
  const fine = BigInt(trade.allocated_fine_milli_oz);
  const cost = consideration({ currency, minor_per_oz: BigInt(price) }, fine, date);
  return { currency, price_minor_per_oz: price, consideration_minor: cost.minor };
}

/** Why settling on `date` is not offered, if it is not: before the acceptance, or no fixing. */
export function settlementBlocked(trade: Trade, date: string, figures: SettlementFigures | undefined) {
  if (date === '') return 'give the settlement date';
  if (date < trade.accepted_on)
    return `${date} is before the acceptance on ${trade.accepted_on}: it cannot settle then`;
  if (!figures) return `no London fixing is recorded for ${date}: it cannot settle then`;
  return undefined;
}

/** Warnings a settlement's confirmation carries: cash short, cost above the sum accepted. */
function settlementWarnings(
  trade: Trade,
  offer: Offer,
  figures: SettlementFigures,
  cash: Account | undefined,
  date: string,
): string[] {
  const cost = showAmount(figures.currency, figures.consideration_minor.toString(), date);
  const warnings: string[] = [];
  if (cash && BigInt(cash.balance) < figures.consideration_minor) {
    warnings.push(
      `Warning: ${offer.buyer_cash_account_id} holds ${showAmount(cash.unit, cash.balance, date)}, ` +
        `less than ${cost}: the settlement will be refused and the trade left waiting with the reason.`,
    );
  }
  const budget = trade.budget_currency === figures.currency ? trade.budget_minor : null;
  if (trade.asked_kind === 'amount' && budget && figures.consideration_minor > BigInt(budget)) {
    warnings.push(
      `Warning: ${cost} is above the ${askedOf(trade)} accepted: the settlement will be refused; ` +
        'release the bars and allocate again at this price.',
    );
  }
  return warnings;
}

/** What settling on `date` will do. */
export function settleLines(
  trade: Trade,
  offer: Offer,
  figures: SettlementFigures,
  cash: Account | undefined,
  date: string,
): string[] {
  const fine = trade.allocated_fine_milli_oz ?? '0';
  const cost = showAmount(figures.currency, figures.consideration_minor.toString(), date);
  const price = showPrice(figures.currency, figures.price_minor_per_oz, date);
  const held = cash ? showAmount(cash.unit, cash.balance, date) : 'not known';
  return [
    `Settle ${trade.id} on ${date}, delivery versus payment:`,
    `deliver ${showWeight(fine)} from ${offer.seller_stock_account_id} to ${offer.buyer_custody_account_id};`,
    `pay ${cost} from ${offer.buyer_cash_account_id} to ${offer.seller_cash_account_id},`,
    `at ${price} per fine oz, the London fixing of ${date}.`,
    `${offer.buyer_cash_account_id} holds ${held}.`,
    ...settlementWarnings(trade, offer, figures, cash, date),
  ];
}

/** What allocating will do. */
export function allocateLines(trade: Trade, offer: Offer, date: string): string[] {
  const sized =
    trade.asked_kind === 'quantity'
      ? `${askedOf(trade)}, never above it and at most one Good Delivery bar (430 oz) below it`
      : `what ${askedOf(trade)} buys at the fixing of ${date}, capped by what remains of ${offer.id}`;
  return [
    `Allocate ${trade.id}: reserve bars of at least ${showFineness(offer.minimum_fineness)}`,
    `from ${offer.seller_stock_account_id} making up ${sized}.`,
    'Nothing is paid or delivered until the trade settles; the bar list is shown once reserved.',
  ];
}

/** What releasing the bars will do. */
export function releaseLines(trade: Trade, offer: Offer): string[] {
  return [
    `Release the bars reserved for ${trade.id} (${showWeight(trade.allocated_fine_milli_oz ?? '0')})`,
    `back to the free stock of ${offer.seller_stock_account_id}; the trade waits for allocation again.`,
  ];
}

/** What cancelling will do. */
export function cancelLines(trade: Trade, offer: Offer): string[] {
  const bars = trade.allocated_fine_milli_oz
    ? `its reserved bars (${showWeight(trade.allocated_fine_milli_oz)}) go back to the free stock of ` +
      `${offer.seller_stock_account_id}.`
    : 'no bars are reserved for it.';
  return [
    `Cancel ${trade.id}, accepted by ${offer.buyer_party_id} on ${trade.accepted_on} for ${askedOf(trade)}:`,
    `nothing is paid or delivered, what it took of ${offer.id} is free to accept again, and`,
    bars,
  ];
}
