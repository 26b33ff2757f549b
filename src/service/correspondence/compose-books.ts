// The depository's messages, written from its books: the offer, the settlement advices and bar
// list of a trade, the debit advice of an executed instruction, statements and bar lists on request.
import type { Classification } from '../../domain/correspondence/classification.ts';
import {
  type BankName,
  type BookBar,
  type BookMovement,
  composeBarList,
  composeDebitAdvice,
  composeOffer,
  composeSettlement,
  composeStatement,
  referenceOf,
} from '../../domain/correspondence/compose.ts';
import { type CorrespondenceOutcome, refuseCorrespondence } from '../../domain/correspondence/refusal.ts';
import type { CurrencyCode } from '../../domain/money.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { inSnapshot } from '../kernel/snapshot.ts';
import { depositoryPartyId } from '../parties/users.ts';
import { findOffer } from '../trading/offers.ts';
import { type BarView, barView } from '../vault/bar-view.ts';
import { barsAtDate, type Statement, statement, statementBars } from '../vault/statement.ts';
import type { Outgoing } from './outbox.ts';
import {
  barsMovedBy,
  entriesOfInstruction,
  instructionById,
  instructionStepsOfEntries,
  partyName,
  tradeById,
  tradesOfEntries,
  vaultOfStock,
} from './queries-books.ts';
import { orderReferenceOf, statementsSent } from './queries-register.ts';

/** A party's name for the messages, or its id when it has none. */
async function bankName(tx: Tx, id: string): Promise<BankName> {
  return { id, name: (await partyName(tx, id)) ?? id };
}

/** A bar as shown (`barView`) in the messages' terms: its number, weights and vault. */
function bookBar(bar: BarView): BookBar {
  const { refiner, serial, year, gross_milli_oz, fineness, fine_milli_oz, vault } = bar;
  return { refiner, serial, year, gross_milli_oz, fineness, fine_milli_oz, vault };
}

/** The bars a journal entry moved out of (or into) an account, in custody order. */
async function barsMoved(tx: Tx, entryIds: readonly bigint[], account: { source?: string; target?: string }) {
  if (entryIds.length === 0) return [];
  return (await barsMovedBy(tx, entryIds, account)).map((row) => bookBar(barView(row)));
}

/** The offer, to its buyer. */
export async function offerOutgoing(
  ingot: Ingot,
  offerId: string,
  classification: Classification,
): Promise<CorrespondenceOutcome<{ outgoing: Outgoing[] }>> {
  const tx = ingot.store.db;
  const found = await findOffer(tx, offerId);
  if (!found.ok) return found;
  const { offer } = found;
  const seller = await bankName(tx, offer.seller_party_id);
  const buyer = await bankName(tx, offer.buyer_party_id);
  const stock = await vaultOfStock(tx, offer.seller_stock_account_id);
  const message = composeOffer(offer, seller, buyer, stock?.vault ?? null);
  const subject = `Offer ${offer.id}: gold of ${seller.name} to ${buyer.name}`;
  const outgoing = {
    to: buyer.id,
    classification,
    subject,
    message,
    origin: `offer:${offer.id}`,
    linked: offer.id,
    date: offer.valid_from,
  };
  return { ok: true, outgoing: [outgoing] };
}

/** A settled trade's confirmation (MT600), credit advice with bar numbers (MT607), cash debit advice
 * (MT699) and bar list, to the buyer, in that order. */
export async function settlementOutgoing(
  ingot: Ingot,
  tradeId: string,
  classification: Classification,
): Promise<CorrespondenceOutcome<{ outgoing: Outgoing[] }>> {
  const tx = ingot.store.db;
  const trade = await tradeById(tx, tradeId);
  if (!trade) return refuseCorrespondence('trade_not_found', `trade ${tradeId} does not exist`, 'trade');
  const {
    settlement_date: date,
    settlement_entry_id: entry,
    price_minor_per_oz: price,
    consideration_minor: paid,
  } = trade;
  if (trade.state !== 'settled' || date === null || entry === null || price === null || paid === null) {
    return refuseCorrespondence('document_not_available', `trade ${tradeId} is not settled`, 'trade');
  }
  const found = await findOffer(tx, trade.offer_id);
  if (!found.ok) return found;
  const { offer } = found;
  const seller = await bankName(tx, offer.seller_party_id);
  const buyer = await bankName(tx, offer.buyer_party_id);
  const bars = await barsMoved(tx, [entry], { target: offer.buyer_custody_account_id });
  const currency: CurrencyCode = offer.currency;
  const items = composeSettlement({
    trade_id: trade.id,
    accepted_on: trade.accepted_on,
    settlement_date: date,
    seller,
    buyer,
    seller_cash_account_id: offer.seller_cash_account_id,
    buyer_custody_account_id: offer.buyer_custody_account_id,
    buyer_cash_account_id: offer.buyer_cash_account_id,
    fine_milli_oz: bars.reduce((sum, bar) => sum + bar.fine_milli_oz, 0n),
    price: { currency, minor_per_oz: price },
    consideration: { currency, minor: paid },
    bars,
  });
  const outgoing = items.map(({ message, subject }) => ({
    to: buyer.id,
    classification,
    subject,
    message,
    origin: `settlement:${trade.id}:${message.type}`,
    linked: trade.id,
    date,
  }));
  return { ok: true, outgoing };
}

/** The client's reference for an instruction it sent by message, if it did. */
async function clientReference(tx: Tx, instructionId: string): Promise<string | null> {
  const row = await orderReferenceOf(tx, instructionId);
  return row?.reference ?? null;
}

/** The debit advice (MT606) of the bars an instruction took out of the client's account. */
export async function instructionOutgoing(
  ingot: Ingot,
  instructionId: string,
  classification: Classification,
): Promise<CorrespondenceOutcome<{ outgoing: Outgoing[] }>> {
  const tx = ingot.store.db;
  const instruction = await instructionById(tx, instructionId);
  if (!instruction)
    return refuseCorrespondence(
      'instruction_not_found',
      `instruction ${instructionId} does not exist`,
      'instruction',
    );
  const steps = await entriesOfInstruction(tx, instructionId);
  const bars = await barsMoved(
    tx,
    steps.map((s) => s.id),
    { source: instruction.source_account_id },
  );
  const date = steps[steps.length - 1]?.value_date;
  if (bars.length === 0 || date === undefined) {
    return refuseCorrespondence(
      'document_not_available',
      `instruction ${instructionId} has moved no bars yet`,
      'instruction',
    );
  }
  const related = (await clientReference(tx, instructionId)) ?? instructionId;
  const message = composeDebitAdvice({
    reference: referenceOf(instructionId, '-DR'),
    related_reference: related,
    account_id: instruction.source_account_id,
    value_date: date,
    bars,
    narrative: `Executed under your instruction ${related} (${instruction.kind}).`,
  });
  const subject = `Debit advice: ${bars.length} bars from ${instruction.source_account_id} under ${related}`;
  const origin = `instruction:${instructionId}:MT606`;
  const outgoing = {
    to: instruction.client_party_id,
    classification,
    subject,
    message,
    origin,
    linked: instructionId,
    date,
  };
  return { ok: true, outgoing: [outgoing] };
}

/** The owner's reference and the advice that told it, for each entry of a statement. */
async function movementReferences(tx: Tx, entryIds: readonly bigint[]): Promise<Map<bigint, string>> {
  const references = new Map<bigint, string>();
  if (entryIds.length === 0) return references;
  const trades = await tradesOfEntries(tx, entryIds);
  for (const row of trades) if (row.trade_id !== null) references.set(row.id, row.trade_id);
  const steps = await instructionStepsOfEntries(tx, entryIds);
  for (const step of steps) {
    if (step.entry_id === null) continue;
    references.set(step.entry_id, (await clientReference(tx, step.instruction_id)) ?? step.instruction_id);
  }
  return references;
}

/** The vault of the first bar behind a statement that names one, reading no further than it. */
async function vaultHolding(ingot: Ingot, st: Statement): Promise<string | null> {
  for await (const bar of barsAtDate(ingot, st.account.id, st.to)) {
    if (bar.vault !== null) return bar.vault;
  }
  return null;
}

/** A statement (MT608) of a custody account for a period, to its owner. */
export async function statementOutgoing(
  ingot: Ingot,
  request: { account_id: string; from: string; to: string; classification: Classification },
): Promise<CorrespondenceOutcome<{ outgoing: Outgoing[] }>> {
  const made = await statement(ingot, request);
  if (!made.ok) return made;
  const st = made.statement;
  if (st.account.unit !== 'XAU') {
    return refuseCorrespondence(
      'document_not_available',
      `${st.account.id} is not a metal account`,
      'account',
    );
  }
  const tx = ingot.store.db;
  const kinds = new Map(st.lines.map((line) => [line.entry_id, line.kind]));
  const references = await movementReferences(tx, [...kinds.keys()]);
  const movements: BookMovement[] = st.lines.map((line) => ({
    entry_id: line.entry_id,
    value_date: line.value_date,
    amount: line.amount,
    owner_reference: references.get(line.entry_id) ?? null,
    advised_by: line.kind === 'settlement' ? 'MT607' : line.kind.startsWith('instruction_') ? 'MT606' : null,
  }));
  const number = Number((await statementsSent(tx, st.account.id)) ?? 0n) + 1;
  const message = composeStatement({
    reference: `ST${st.to.slice(2).replaceAll('-', '')}-${number}`,
    account_id: st.account.id,
    statement_number: number,
    location: await vaultHolding(ingot, st),
    from: st.from,
    to: st.to,
    opening: st.opening,
    movements,
    closing: st.closing,
  });
  const subject = `Statement ${number} of ${st.account.id}, ${st.from} to ${st.to}`;
  const origin = `statement:${st.account.id}:${st.from}:${st.to}`;
  const outgoing = {
    to: st.account.party_id,
    classification: request.classification,
    subject,
    message,
    origin,
    linked: st.account.id,
    date: st.to,
  };
  return { ok: true, outgoing: [outgoing] };
}

/** The bar list of a custody account at the end of a date, to its owner. */
export async function barListOutgoing(
  ingot: Ingot,
  request: { account_id: string; date: string; classification: Classification },
): Promise<CorrespondenceOutcome<{ outgoing: Outgoing[] }>> {
  // The balance and the bars it lists read from one state of the books.
  return inSnapshot(ingot, (reading) => barListRead(reading, request));
}

async function barListRead(
  ingot: Ingot,
  request: { account_id: string; date: string; classification: Classification },
): Promise<CorrespondenceOutcome<{ outgoing: Outgoing[] }>> {
  const made = await statement(ingot, {
    account_id: request.account_id,
    from: request.date,
    to: request.date,
  });
  if (!made.ok) return made;
  const { account } = made.statement;
  // The message carries every bar, so it is the one place the list is gathered: a bar list
  // message is sealed and registered whole.
  const bars: BookBar[] = [];
  for await (const bar of statementBars(ingot, made.statement)) bars.push(bookBar(barView(bar)));
  if (bars.length === 0) {
    return refuseCorrespondence(
      'document_not_available',
      `${account.id} holds no bars on ${request.date}`,
      'account',
    );
  }
  const tx = ingot.store.db;
  const depository = await depositoryPartyId(ingot);
  const message = composeBarList({
    reference: `BL-${request.date.slice(2).replaceAll('-', '')}`,
    related_reference: null,
    account_id: account.id,
    date: request.date,
    custodian: await bankName(tx, depository ?? ''),
    owner: await bankName(tx, account.party_id),
    bars,
  });
  const subject = `Bar list of ${account.id} on ${request.date}: ${bars.length} bars`;
  const origin = `barlist:${account.id}:${request.date}`;
  const outgoing = {
    to: account.party_id,
    classification: request.classification,
    subject,
    message,
    origin,
    linked: account.id,
    date: request.date,
  };
  return { ok: true, outgoing: [outgoing] };
}
