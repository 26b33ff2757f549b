// The statements of offers: made, read one by one or listed, and what their trades have taken.
import { prepare, ZERO } from '../../store/prepared.ts';
import type { OfferRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';

/** How many offers have been made. */
export async function offerCount(tx: Tx): Promise<bigint> {
  const count = await tx
    .selectFrom('offers')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .executeTakeFirstOrThrow();
  return BigInt(count.n);
}

/** Records a new offer. */
export async function recordOffer(tx: Tx, offer: OfferRow): Promise<void> {
  await tx.insertInto('offers').values(offer).execute();
}

const offerById = prepare((db, $) => db.selectFrom('offers').selectAll().where('id', '=', $('id')));

/** An offer's row, or undefined when there is no such offer. */
export async function offerRow(tx: Tx, id: string): Promise<OfferRow | undefined> {
  const [row] = (await offerById.run(tx, { id })).rows;
  return row;
}

/** Offers in the order they were made, optionally only those a party sells or buys. */
export async function offerRows(ingot: Ingot, party?: string): Promise<OfferRow[]> {
  let query = ingot.store.db.selectFrom('offers').selectAll().orderBy('created_at');
  if (party)
    query = query.where((eb) => eb.or([eb('seller_party_id', '=', party), eb('buyer_party_id', '=', party)]));
  return query.execute();
}

/**
 * The fine weight already committed to an offer's live tranches: the database sums what
 * `committedWeight` (src/domain/offer.ts) says of each trade, so the cost does not grow with them.
 */
export async function takenFromOffer(tx: Tx, offerId: string, exceptTradeId?: string): Promise<bigint> {
  const row = await tx
    .selectFrom('trades')
    .select((eb) =>
      eb.fn
        .coalesce(
          eb.fn.sum<bigint>(
            eb
              .case()
              .when('state', '=', 'cancelled')
              .then(ZERO)
              .when('allocated_fine_milli_oz', 'is not', null)
              .then(eb.ref('allocated_fine_milli_oz'))
              .when('asked_kind', '=', 'quantity')
              .then(eb.ref('asked_fine_milli_oz'))
              .else(ZERO)
              .end(),
          ),
          ZERO,
        )
        .as('taken'),
    )
    .where('offer_id', '=', offerId)
    .where('id', '!=', exceptTradeId ?? '')
    .executeTakeFirstOrThrow();
  return BigInt(row.taken ?? 0n);
}
