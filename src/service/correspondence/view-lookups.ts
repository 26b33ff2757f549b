// What a client bank looks up in what it received: an offer's currency, the vault its gold lies
// in, and the bars it names in an order, from its own view.
import { type CorrespondenceOutcome, refuseCorrespondence } from '../../domain/correspondence/refusal.ts';
import { readBarNumber, viewKey } from '../../domain/correspondence/view.ts';
import { parseMessageText } from '../../domain/messages/index.ts';
import type { CurrencyCode } from '../../domain/money.ts';
import type { Ingot } from '../kernel/context.ts';
import { metalAdvicesReceived, offerReceived } from './queries-register.ts';
import { heldViewBar } from './queries-view.ts';
import { messageText } from './register.ts';

/** The currency of an offer received from a bank, if it was received. */
export async function receivedOfferCurrency(
  ingot: Ingot,
  from: string,
  offer: string,
): Promise<CurrencyCode | null> {
  const row = await offerReceived(ingot.store.db, from, offer);
  const text = row ? await messageText(ingot.store.db, row) : null;
  const parsed = text ? parseMessageText(text) : null;
  return parsed?.ok && parsed.message.type === 'INGOT-OFFER' ? parsed.message.pricing.currency : null;
}

/** How many of the latest advices and bar lists received are searched for an account's vault. */
const RECEIVED_METAL_SEARCHED = 20;

/** Where the gold of an account lies, by the last advice or bar list received for it. */
export async function receivedMetal(ingot: Ingot, account: string): Promise<string | null> {
  const rows = await metalAdvicesReceived(ingot.store.db, RECEIVED_METAL_SEARCHED);
  for (const row of rows) {
    const text = await messageText(ingot.store.db, row);
    const parsed = text ? parseMessageText(text) : null;
    if (!parsed?.ok) continue;
    const message = parsed.message;
    if ((message.type === 'MT607' || message.type === 'INGOT-BARLIST') && message.account === account) {
      return message.metal.location;
    }
  }
  return null;
}

/** A bar an order names, with its weight if known. */
export interface NamedBar {
  readonly refiner: string;
  readonly serial: string;
  readonly year: number;
  readonly fine_milli_oz: bigint | null;
}

/** The bars an order names, as held in the view of the account, with their weights if known. */
export async function releasedBars(
  ingot: Ingot,
  account: string,
  text: string,
): Promise<CorrespondenceOutcome<{ bars: NamedBar[] }>> {
  const bars: NamedBar[] = [];
  for (const part of text.split(',').map((line) => line.trim())) {
    const number = readBarNumber(part);
    if (!number.ok) return refuseCorrespondence('invalid_input', number.reason, 'bars');
    const held = await heldViewBar(ingot.store.db, number.value);
    if (held?.account_id !== account) {
      const message = `bar ${viewKey(number.value)} is not held in ${account} by the advices received`;
      return refuseCorrespondence('bar_not_in_account', message, 'bars');
    }
    bars.push({ ...number.value, fine_milli_oz: held.fine_milli_oz });
  }
  return { ok: true, bars };
}
