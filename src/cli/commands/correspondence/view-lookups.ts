// What a client's commands look up in what it received: an offer's currency, the vault its gold
// lies in, and the bars it names in an order, from its own view.
import { readBarNumber, viewKey } from '../../../domain/correspondence/view.ts';
import { parseMessageText } from '../../../domain/messages/index.ts';
import type { CurrencyCode } from '../../../domain/money.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { CliExit, EXIT } from '../../output.ts';

/** The currency of an offer received from a bank, if it was received. */
export async function receivedOfferCurrency(
  ingot: Ingot,
  from: string,
  offer: string,
): Promise<CurrencyCode | null> {
  const row = await ingot.store.db
    .selectFrom('messages')
    .select('text')
    .where('direction', '=', 'in')
    .where('correspondent', '=', from)
    .where('message_type', '=', 'INGOT-OFFER')
    .where('reference', '=', offer)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const parsed = row?.text ? parseMessageText(row.text) : null;
  return parsed?.ok && parsed.message.type === 'INGOT-OFFER' ? parsed.message.pricing.currency : null;
}

/** Where the gold of an account lies, by the last advice or bar list received for it. */
export async function receivedMetal(ingot: Ingot, account: string): Promise<string | null> {
  const rows = await ingot.store.db
    .selectFrom('messages')
    .select('text')
    .where('direction', '=', 'in')
    .where('message_type', 'in', ['MT607', 'INGOT-BARLIST'])
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  for (const row of rows) {
    const parsed = row.text ? parseMessageText(row.text) : null;
    if (!parsed?.ok) continue;
    const message = parsed.message;
    if ((message.type === 'MT607' || message.type === 'INGOT-BARLIST') && message.account === account) {
      return message.metal.location;
    }
  }
  return null;
}

/** The bars an order names, as held in the view of the account, with their weights if known. */
export async function releasedBars(ingot: Ingot, account: string, text: string) {
  const bars: { refiner: string; serial: string; year: number; fine_milli_oz: bigint | null }[] = [];
  for (const part of text.split(',').map((line) => line.trim())) {
    const number = readBarNumber(part);
    if (!number.ok) throw new CliExit(EXIT.bad_input, `invalid_input [--bars]: ${number.reason}`);
    const held = await ingot.store.db
      .selectFrom('view_bars')
      .select(['fine_milli_oz', 'account_id'])
      .where('refiner', '=', number.value.refiner)
      .where('serial', '=', number.value.serial)
      .where('debited_by', 'is', null)
      .executeTakeFirst();
    if (held?.account_id !== account) {
      const message = `bar ${viewKey(number.value)} is not held in ${account} by the advices received`;
      throw new CliExit(EXIT.refused, `bar_not_in_account [--bars]: ${message}`);
    }
    bars.push({ ...number.value, fine_milli_oz: held.fine_milli_oz });
  }
  return bars;
}
