// Messages written from the books: each builder takes what the store loaded and returns the
// message the depository (or the client) sends. Pure; the caller checks with `checkMessage`.
import type { AcceptanceMessage } from '../messages/acceptance.ts';
import type { BarListMessage, ListedBar } from '../messages/barlist.ts';
import type { Message } from '../messages/index.ts';
import type { Metal } from '../messages/metal.ts';
import type { TradeConfirmation } from '../messages/mt600.ts';
import type { TransferOrder } from '../messages/mt604.ts';
import type { DebitAdvice } from '../messages/mt606.ts';
import type { CreditAdvice } from '../messages/mt607.ts';
import type { MetalStatement } from '../messages/mt608.ts';
import type { FreeFormat } from '../messages/mt699.ts';
import type { OfferMessage } from '../messages/offer.ts';
import type { Party } from '../messages/party.ts';
import type { StatementLine } from '../messages/statement-line.ts';
import { type FxRate, formatMoney, type Money, type PricePerOz } from '../money.ts';
import type { Offer } from '../offer.ts';
import { barNumberOf } from './view.ts';

/** SWIFT references (20, 21) hold at most 16 characters. */
export const REFERENCE_CHARACTERS_MAXIMUM = 16;
const PARTY_LINE_CHARACTERS_MAXIMUM = 35;
const LOCATION_CHARACTERS_MAXIMUM = 15;

/** A bank as its correspondents name it. */
export interface BankName {
  readonly id: string;
  readonly name: string;
}

/** A bar as the books hold it, in the list's terms, with the vault it lies in. */
export interface BookBar extends ListedBar {
  readonly vault: string | null;
}

/** A reference of at most 16 characters: the base and a suffix, the base shortened from the left. */
export function referenceOf(base: string, suffix = ''): string {
  const clean = base.replace(/[^A-Za-z0-9-]/g, '-');
  const room = REFERENCE_CHARACTERS_MAXIMUM - suffix.length;
  const kept = clean.length > room ? clean.slice(clean.length - room) : clean;
  return `${kept.replace(/^[-/]+/, '')}${suffix}`;
}

/** A party by name and address (option D), the name wrapped at 35 characters, after an identifier. */
export function partyOf(name: string, identifier: string | null): Party {
  const lines: string[] = [];
  let line = '';
  for (const word of name
    .replace(/[/:]/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (next.length <= PARTY_LINE_CHARACTERS_MAXIMUM) line = next;
    else {
      if (line !== '') lines.push(line);
      line = word.slice(0, PARTY_LINE_CHARACTERS_MAXIMUM);
    }
  }
  if (line !== '') lines.push(line);
  const id = identifier === null ? null : `/${identifier.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 34)}`;
  return { option: 'D', identifier: id, lines: lines.slice(0, 4).length > 0 ? lines.slice(0, 4) : ['-'] };
}

/** 26C for allocated gold bars held at a location (the vault's name, in SWIFT's set). */
export function metalAt(location: string | null): Metal {
  const place = (location ?? '')
    .toUpperCase()
    .replace(/[^A-Z0-9 -]/g, '')
    .trim();
  return {
    delivery: null,
    location: (place === '' ? 'VAULT' : place).slice(0, LOCATION_CHARACTERS_MAXIMUM).trim(),
    allocation: 'ALLOC',
    commodity: 'GOLD',
    denomination: null,
    form: 'BARS',
  };
}

/** The vault most of these bars lie in, or null. */
export function vaultOf(bars: readonly BookBar[]): string | null {
  return bars.find((bar) => bar.vault !== null)?.vault ?? null;
}

/** The offer as Ingot's offer message. */
export function composeOffer(
  offer: Offer,
  seller: BankName,
  buyer: BankName,
  location: string | null,
): OfferMessage {
  return {
    type: 'INGOT-OFFER',
    reference: referenceOf(offer.id),
    seller: partyOf(seller.name, seller.id),
    buyer: partyOf(buyer.name, buyer.id),
    metal: metalAt(location),
    maximum_fine_milli_oz: offer.maximum_fine_milli_oz,
    minimum_fineness_per10k: offer.minimum_fineness,
    pricing: { currency: offer.currency, rule: offer.pricing },
    custody_fee_per_year_per10k: offer.custody_fee_per_year_per10k,
    valid_from: offer.valid_from,
    valid_until: offer.valid_until,
    terms:
      `Delivery to ${offer.buyer_custody_account_id} ` +
      `against payment from ${offer.buyer_cash_account_id}.`,
  };
}

/** What a settled trade's confirmation states. */
export interface SettledTrade {
  readonly trade_id: string;
  readonly accepted_on: string;
  readonly settlement_date: string;
  readonly seller: BankName;
  readonly buyer: BankName;
  readonly seller_cash_account_id: string;
  readonly buyer_custody_account_id: string;
  readonly buyer_cash_account_id: string;
  readonly fine_milli_oz: bigint;
  readonly price: PricePerOz;
  readonly consideration: Money;
  readonly bars: readonly BookBar[];
}

/** MT600: the trade confirmation; the depository receives the consideration (34R). */
export function composeConfirmation(trade: SettledTrade): TradeConfirmation {
  return {
    type: 'MT600',
    reference: referenceOf(trade.trade_id),
    related_reference: null,
    function: { code: 'NEW', common_reference: null },
    party_a: partyOf(trade.seller.name, trade.seller_cash_account_id),
    party_b: partyOf(trade.buyer.name, trade.buyer_custody_account_id),
    trade_date: trade.accepted_on,
    metal: metalAt(vaultOf(trade.bars)),
    quantity_fine_milli_oz: trade.fine_milli_oz,
    price: trade.price,
    consideration: { direction: 'received', value_date: trade.settlement_date, amount: trade.consideration },
    settlement_institution: null,
    sender_to_receiver: 'Price: the London fixing of the day of payment. Delivery versus payment.',
  };
}

/** What an advice of bars moved states. */
export interface BarsMoved {
  readonly reference: string;
  readonly related_reference: string;
  readonly account_id: string;
  readonly value_date: string;
  readonly bars: readonly BookBar[];
  readonly narrative: string | null;
}

/** The advice's common fields: the bars by number and their total fine weight. */
function adviceFields(moved: BarsMoved) {
  return {
    reference: referenceOf(moved.reference),
    related_reference: referenceOf(moved.related_reference),
    account: moved.account_id,
    metal: metalAt(vaultOf(moved.bars)),
    value_date: moved.value_date,
    bar_numbers: moved.bars.map(barNumberOf),
    quantity_fine_milli_oz: moved.bars.reduce((sum, bar) => sum + bar.fine_milli_oz, 0n),
    sender_to_receiver: moved.narrative,
  };
}

/** MT607: gold credited to the owner's account, bar by bar. */
export function composeCreditAdvice(moved: BarsMoved): CreditAdvice {
  return { type: 'MT607', ...adviceFields(moved) };
}

/** MT606: gold debited from the owner's account, bar by bar. */
export function composeDebitAdvice(moved: BarsMoved): DebitAdvice {
  return { type: 'MT606', ...adviceFields(moved) };
}

/** What a bar list states. */
export interface ListedHoldings {
  readonly reference: string;
  readonly related_reference: string | null;
  readonly account_id: string;
  readonly date: string;
  readonly custodian: BankName;
  readonly owner: BankName;
  readonly bars: readonly BookBar[];
}

/** INGOT-BARLIST: the bars of an account on a date with their weights. */
export function composeBarList(holdings: ListedHoldings): BarListMessage {
  const bars = holdings.bars.map(({ vault: _vault, ...bar }) => bar);
  return {
    type: 'INGOT-BARLIST',
    reference: referenceOf(holdings.reference),
    related_reference: holdings.related_reference === null ? null : referenceOf(holdings.related_reference),
    account: holdings.account_id,
    date: holdings.date,
    custodian: partyOf(holdings.custodian.name, holdings.custodian.id),
    owner: partyOf(holdings.owner.name, holdings.account_id),
    metal: metalAt(vaultOf(holdings.bars)),
    count: bars.length,
    bars,
    total_fine_milli_oz: bars.reduce((sum, bar) => sum + bar.fine_milli_oz, 0n),
    sender_to_receiver: null,
  };
}

/** MT699: the debit of the client's cash account, Category 6 having no cash advice of its own. */
export function composeCashDebitAdvice(advice: {
  reference: string;
  related_reference: string;
  account_id: string;
  value_date: string;
  amount: Money;
  narrative: string;
}): FreeFormat {
  const lines = [
    'DEBIT ADVICE',
    `ACCOUNT ${advice.account_id}`,
    `VALUE DATE ${advice.value_date}`,
    `AMOUNT ${formatMoney(advice.amount, advice.value_date)}`,
    advice.narrative,
  ];
  return {
    type: 'MT699',
    reference: referenceOf(advice.reference),
    related_reference: referenceOf(advice.related_reference),
    narrative: lines.join('\n'),
  };
}

/** A settled trade's messages to the buyer, in the order sent: the confirmation (MT600), the credit
 * advice with the bars' numbers (MT607), the cash debit advice (MT699) and the bar list. */
export function composeSettlement(trade: SettledTrade): { message: Message; subject: string }[] {
  const { trade_id: id, settlement_date: date, bars } = trade;
  const custody = trade.buyer_custody_account_id;
  const moved = { related_reference: id, account_id: custody, value_date: date, bars };
  const credit = composeCreditAdvice({
    ...moved,
    reference: referenceOf(id, '-CR'),
    narrative: 'Delivery versus payment.',
  });
  const cash = composeCashDebitAdvice({
    reference: referenceOf(id, '-DR'),
    related_reference: id,
    account_id: trade.buyer_cash_account_id,
    value_date: date,
    amount: trade.consideration,
    narrative: `PAYMENT FOR GOLD UNDER ${id}, DELIVERY VERSUS PAYMENT`,
  });
  const list = composeBarList({
    reference: referenceOf(id, '-BL'),
    related_reference: id,
    account_id: custody,
    date,
    custodian: trade.seller,
    owner: trade.buyer,
    bars,
  });
  return [
    { message: composeConfirmation(trade), subject: `Trade confirmation ${id}` },
    { message: credit, subject: `Credit advice: ${bars.length} bars to ${custody} under ${id}` },
    { message: cash, subject: `Debit advice: ${trade.buyer_cash_account_id} for ${id}` },
    { message: list, subject: `Bar list of the gold delivered under ${id}` },
  ];
}

/** A movement of a metal account in the books, signed (credit positive). */
export interface BookMovement {
  readonly entry_id: bigint;
  readonly value_date: string;
  readonly amount: bigint;
  readonly owner_reference: string | null;
  readonly advised_by: 'MT606' | 'MT607' | null;
}

/** A statement of an account over a period. */
export interface BookStatement {
  readonly reference: string;
  readonly account_id: string;
  readonly statement_number: number;
  readonly location: string | null;
  readonly from: string;
  readonly to: string;
  readonly opening: bigint;
  readonly movements: readonly BookMovement[];
  readonly closing: bigint;
}

/** One movement as a statement line: mark, amount, S606/S607 when an advice told it, else NMSC. */
function lineOf(movement: BookMovement): StatementLine {
  return {
    value_date: movement.value_date,
    entry_date: null,
    mark: movement.amount < 0n ? 'D' : 'C',
    funds_code: null,
    fine_milli_oz: movement.amount < 0n ? -movement.amount : movement.amount,
    transaction_type: movement.advised_by === null ? 'NMSC' : `S${movement.advised_by.slice(2)}`,
    owner_reference: movement.owner_reference === null ? 'NONREF' : referenceOf(movement.owner_reference),
    servicer_reference: `E${movement.entry_id}`,
    details: null,
  };
}

/** MT608: the statement of a metal account; it adds up by construction. */
export function composeStatement(statement: BookStatement): MetalStatement {
  const balance = (signed: bigint, date: string) => ({
    intermediate: false,
    mark: signed < 0n ? ('D' as const) : ('C' as const),
    date,
    fine_milli_oz: signed < 0n ? -signed : signed,
  });
  return {
    type: 'MT608',
    reference: referenceOf(statement.reference),
    account: statement.account_id,
    statement_number: { statement_number: statement.statement_number, page_number: null },
    metal: metalAt(statement.location),
    opening: balance(statement.opening, statement.from),
    lines: statement.movements.map(lineOf),
    closing: balance(statement.closing, statement.to),
  };
}

/** What an acceptance asks: a quantity, or a sum with the rate converting it. */
export type AcceptanceAsked =
  | { readonly kind: 'quantity'; readonly fine_milli_oz: bigint }
  | { readonly kind: 'amount'; readonly amount: Money; readonly rate: FxRate | null };

/** The client's acceptance of an offer, for a quantity or for a sum (with the rate if converted). */
export function composeAcceptance(acceptance: {
  reference: string;
  offer_reference: string;
  accepted_on: string;
  asked: AcceptanceAsked;
  narrative: string | null;
}): AcceptanceMessage {
  const { asked } = acceptance;
  return {
    type: 'INGOT-ACCEPTANCE',
    reference: referenceOf(acceptance.reference),
    offer_reference: referenceOf(acceptance.offer_reference),
    accepted_on: acceptance.accepted_on,
    quantity_fine_milli_oz: asked.kind === 'quantity' ? asked.fine_milli_oz : null,
    amount: asked.kind === 'amount' ? asked.amount : null,
    exchange_rate: asked.kind === 'amount' ? asked.rate : null,
    narrative: acceptance.narrative,
  };
}

/** MT604 from the owner: deliver the named bars to a representative (or transfer them to an account). */
export function composeTransferOrder(order: {
  reference: string;
  kind: 'DELIVERY' | 'TRANSFER';
  account_id: string;
  value_date: string;
  bars: readonly { refiner: string; serial: string; year: number; fine_milli_oz: bigint | null }[];
  quantity_fine_milli_oz: bigint;
  beneficiary_id: string;
  beneficiary_name: string;
  location: string | null;
  narrative: string | null;
}): TransferOrder {
  return {
    type: 'MT604',
    reference: referenceOf(order.reference),
    related_reference: null,
    further_identification: order.kind,
    metal: metalAt(order.location),
    account: order.account_id,
    value_date: order.value_date,
    bar_numbers: order.bars.map(barNumberOf),
    quantity_fine_milli_oz: order.quantity_fine_milli_oz,
    instructing_party: null,
    receiver: null,
    beneficiary: partyOf(order.beneficiary_name, order.beneficiary_id),
    sender_to_receiver: order.narrative,
  };
}

/** MT699: a letter. */
export function composeLetter(letter: {
  reference: string;
  related_reference: string | null;
  text: string;
}): FreeFormat {
  return {
    type: 'MT699',
    reference: referenceOf(letter.reference),
    related_reference: letter.related_reference === null ? null : referenceOf(letter.related_reference),
    narrative: letter.text,
  };
}
