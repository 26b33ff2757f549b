// The depository applies what its clients send: an acceptance records a trade, a transfer or
// delivery order (MT604) drafts and signs an instruction in the name of the signatory named for
// the client's channel. Both run inside the transaction that registers the message.
import { readBarNumber } from '../../domain/correspondence/view.ts';
import type { InstructionDetails } from '../../domain/custody/instruction.ts';
import { formatScaled } from '../../domain/decimal.ts';
import type { AcceptanceMessage } from '../../domain/messages/acceptance.ts';
import type { Message } from '../../domain/messages/index.ts';
import type { TransferOrder } from '../../domain/messages/mt604.ts';
import { writeFineOunces } from '../../domain/messages/values.ts';
import { convert, formatMoney } from '../../domain/money.ts';
import type { Asked } from '../../domain/offer.ts';
import type { Tx } from '../../store/store.ts';
import { draft, step } from '../custody/instructions.ts';
import type { Ingot } from '../kernel/context.ts';
import { findOffer } from '../trading/offers.ts';
import { acceptOffer } from '../trading/trades.ts';
import type { Applied } from './client-view.ts';
import { accountOwner, barByNumber } from './queries-books.ts';
import { channelSignatory } from './queries-channel.ts';

/** What was received: from whom, under which message id. */
export interface Arrival {
  readonly sender: string;
  readonly message_id: string;
}

/** Not applied, and why; the message stays registered as received. */
function notApplied(reason: string): Applied {
  return { applied: `not applied: ${reason}`, linked: null };
}

/** What an acceptance asks, in the offer's currency (a sum in another converted at its rate). */
function askedOf(message: AcceptanceMessage, currency: string): Asked | string {
  if (message.quantity_fine_milli_oz !== null)
    return { kind: 'quantity', fine_milli_oz: message.quantity_fine_milli_oz };
  const amount = message.amount;
  if (amount === null) return 'the acceptance asks for nothing';
  if (amount.currency === currency) return { kind: 'amount', budget: amount, stated: formatMoney(amount) };
  const rate = message.exchange_rate;
  const converts = rate !== null && [rate.base, rate.quote].includes(currency as typeof rate.base);
  if (rate === null || !converts) return `a sum in ${amount.currency} needs a rate to ${currency} (36)`;
  const budget = convert(
    amount,
    rate,
    amount.currency === rate.base ? rate.quote : rate.base,
    message.accepted_on,
  );
  const shown = formatScaled(rate.quote_per_base_e10, 10).replace(/\.?0+$/, '');
  const stated = `${formatMoney(amount)} at ${rate.quote} ${shown} per ${rate.base}`;
  return { kind: 'amount', budget, stated };
}

/** Records the trade an acceptance makes, once: its message id is the idempotency key. */
async function applyAcceptance(ingot: Ingot, arrival: Arrival, message: AcceptanceMessage): Promise<Applied> {
  const found = await findOffer(ingot.store.db, message.offer_reference);
  if (!found.ok) return notApplied(found.message);
  const asked = askedOf(message, found.offer.currency);
  if (typeof asked === 'string') return notApplied(asked);
  const accepted = await acceptOffer(ingot, {
    offer_id: found.offer.id,
    by_party_id: arrival.sender,
    date: message.accepted_on,
    asked,
    key: `message:${arrival.message_id}`,
  });
  if (!accepted.ok) return notApplied(`${accepted.code}: ${accepted.message}`);
  return { applied: `trade ${accepted.trade_id} recorded, awaiting allocation`, linked: accepted.trade_id };
}

/** The bars an order names, by their ids in the books, and their fine weight. */
async function orderedBars(tx: Tx, order: TransferOrder): Promise<{ ids: bigint[]; fine: bigint } | string> {
  if (order.bar_numbers === null) return 'the order names no bars (26D); allocated gold moves by bar';
  const ids: bigint[] = [];
  let fine = 0n;
  for (const line of order.bar_numbers) {
    const number = readBarNumber(line);
    if (!number.ok) return number.reason;
    const bar = await barByNumber(tx, number.value);
    if (!bar || Number(bar.year) !== number.value.year) return `bar ${line} is not in the books`;
    ids.push(bar.id);
    fine += bar.fine_milli_oz;
  }
  if (fine !== order.quantity_fine_milli_oz) {
    const stated = writeFineOunces(order.quantity_fine_milli_oz);
    return `the bars named weigh ${writeFineOunces(fine)} FOZ fine, the order says ${stated} (32F)`;
  }
  return { ids, fine };
}

/** The instruction an order asks for: a delivery to a representative or a transfer to an account. */
function detailsOf(order: TransferOrder): InstructionDetails | string {
  const beneficiary = (order.beneficiary.identifier ?? '').replace(/^\//, '');
  if (beneficiary === '') return 'the beneficiary (88a) names no representative or account after "/"';
  const kind = order.further_identification.toUpperCase();
  if (kind === 'DELIVERY' || kind === 'RELEASE') {
    return { kind: 'release', representative_id: beneficiary, release_on: order.value_date };
  }
  if (kind === 'TRANSFER')
    return { kind: 'transfer', target: { kind: 'existing_account', account_id: beneficiary } };
  return `23 "${order.further_identification}" is not DELIVERY, RELEASE or TRANSFER; left to the desk`;
}

/** Drafts and signs the instruction an order asks for, in the name of the channel's signatory. */
async function applyOrder(ingot: Ingot, arrival: Arrival, order: TransferOrder): Promise<Applied> {
  const tx = ingot.store.db;
  const peer = await channelSignatory(tx, arrival.sender);
  const signatory = peer?.signatory_user_id ?? null;
  if (signatory === null)
    return notApplied(`no signatory is named for ${arrival.sender}'s orders (keys pin --signatory)`);
  if (order.account === null) return notApplied('the order names no account (25)');
  const account = await accountOwner(tx, order.account);
  if (account?.party_id !== arrival.sender)
    return notApplied(`account ${order.account} is not ${arrival.sender}'s`);
  const bars = await orderedBars(tx, order);
  if (typeof bars === 'string') return notApplied(bars);
  const details = detailsOf(order);
  if (typeof details === 'string') return notApplied(details);
  const date = order.value_date;
  const drafted = await draft(ingot, {
    by_user_id: signatory,
    source_account_id: order.account,
    selection: { kind: 'bars', bar_ids: bars.ids },
    details,
    date,
  });
  if (!drafted.ok) return notApplied(`${drafted.code}: ${drafted.message}`);
  const id = drafted.instruction_id;
  const signed = await step(ingot, {
    instruction_id: id,
    event: { kind: 'sign' },
    date,
    by_user_id: signatory,
  });
  if (!signed.ok) return { applied: `instruction ${id} drafted, not signed: ${signed.message}`, linked: id };
  return { applied: `instruction ${id} drafted and signed (${signed.state})`, linked: id };
}

/** Applies a message received by the depository: acceptances and orders; the rest is recorded. */
export async function applyToBooks(ingot: Ingot, arrival: Arrival, message: Message): Promise<Applied> {
  switch (message.type) {
    case 'INGOT-ACCEPTANCE':
      return applyAcceptance(ingot, arrival, message);
    case 'MT604':
      return applyOrder(ingot, arrival, message);
    default:
      return { applied: 'recorded', linked: null };
  }
}
