// Offers of gold from the depository to a client bank, with what has been taken of them.
import type { CurrencyCode } from '../../domain/money.ts';
import { checkOfferTerms, type Offer, type PricingRule } from '../../domain/offer.ts';
import { type Outcome, refuse } from '../../domain/outcome.ts';
import type { OfferRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { idempotent, type Replayable } from '../kernel/idempotency.ts';
import { findAccount } from '../parties/parties.ts';
import { offerCount, offerRow, offerRows, recordOffer, takenFromOffer } from './queries-offers.ts';

export type OfferTerms = Omit<Offer, 'id'>;

/** Maps a stored offer to the domain's offer. */
export function toOffer(row: OfferRow): Offer {
  return {
    ...row,
    currency: row.currency as CurrencyCode,
    pricing: row.pricing as PricingRule,
  };
}

/** Makes an offer after checking its terms and that every account belongs to the right party. */
export async function createOffer(
  ingot: Ingot,
  terms: OfferTerms,
  key: string,
): Promise<Replayable<{ offer_id: string }>> {
  const draft: Offer = { ...terms, id: 'new' };
  const checked = checkOfferTerms(draft);
  if (!checked.ok) return checked;
  return idempotent(ingot, key, 'offers.create', terms, async (tx) => {
    const accounts = await checkOfferAccounts(tx, terms);
    if (!accounts.ok) return accounts;
    const id = `OFFER-${(await offerCount(tx)) + 1n}`;
    await recordOffer(tx, { ...terms, id, created_at: ingot.now() });
    return { ok: true, offer_id: id };
  });
}

async function checkOfferAccounts(tx: Tx, terms: OfferTerms): Promise<Outcome<object>> {
  const expected: [string, string, string, 'cash' | 'custody', string][] = [
    [terms.seller_stock_account_id, terms.seller_party_id, 'seller_stock', 'custody', 'XAU'],
    [terms.seller_cash_account_id, terms.seller_party_id, 'seller_cash', 'cash', terms.currency],
    [terms.buyer_custody_account_id, terms.buyer_party_id, 'buyer_custody', 'custody', 'XAU'],
    [terms.buyer_cash_account_id, terms.buyer_party_id, 'buyer_cash', 'cash', terms.currency],
  ];
  for (const [id, party, field, kind, unit] of expected) {
    const found = await findAccount(tx, id, field);
    if (!found.ok) return found;
    if (found.account.party_id !== party) {
      return refuse(
        'account_not_owned_by_party',
        `account ${id} belongs to ${found.account.party_id}, not ${party}`,
        field,
      );
    }
    if (found.account.kind !== kind || found.account.unit !== unit) {
      return refuse('account_unit_mismatch', `account ${id} must be a ${kind} account in ${unit}`, field);
    }
  }
  return { ok: true };
}

/** One offer, or a refusal naming it. */
export async function findOffer(tx: Tx, id: string): Promise<Outcome<{ offer: Offer }>> {
  const row = await offerRow(tx, id);
  return row
    ? { ok: true, offer: toOffer(row) }
    : refuse('offer_not_found', `offer ${id} does not exist`, 'offer');
}

export interface OfferView extends Offer {
  readonly taken_fine_milli_oz: bigint;
  readonly remaining_fine_milli_oz: bigint;
}

/** Offers with what has been taken of each, optionally of one party (as seller or buyer). */
export async function listOffers(ingot: Ingot, party?: string): Promise<OfferView[]> {
  const views: OfferView[] = [];
  for (const row of await offerRows(ingot, party)) {
    const taken = await takenFromOffer(ingot.store.db, row.id);
    views.push({
      ...toOffer(row),
      taken_fine_milli_oz: taken,
      remaining_fine_milli_oz: row.maximum_fine_milli_oz - taken,
    });
  }
  return views;
}
