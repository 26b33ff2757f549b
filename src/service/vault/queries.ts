// The vault's small reads and writes of the store: the books' last value date, users, settlement
// documents, the stock of custody accounts and the Good Delivery List of refiners. The larger topics
// have their own modules: queries-bars.ts, queries-pages.ts, queries-history.ts,
// queries-reports.ts, queries-reconcile.ts. Each function runs on the executor it is given (the
// store's handle, a snapshot's, or a transaction), so it runs where its caller's statements run.
import type { Refiner } from '../../domain/refiners.ts';
import type { DocumentRow, RefinerRow, UserRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** The latest value date of any entry in the books; empty books have none. */
export async function lastValueDate(db: Tx): Promise<string | null | undefined> {
  const latest = await db
    .selectFrom('entries')
    .select((eb) => eb.fn.max('value_date').as('date'))
    .executeTakeFirst();
  return latest?.date;
}

/** The registered user of an id, as stored, if any. */
export function userById(db: Tx, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Settlement documents in the order they were written, of one party or one trade or all; with
 * `page`, only those after an id, at most `limit` of them.
 */
export function settlementDocuments(
  db: Tx,
  filter: { readonly party_id?: string; readonly trade_id?: string },
  page?: { readonly after: bigint; readonly limit: number },
): Promise<DocumentRow[]> {
  let query = db.selectFrom('documents').selectAll().orderBy('id');
  if (filter.party_id) query = query.where('party_id', '=', filter.party_id);
  if (filter.trade_id) query = query.where('trade_id', '=', filter.trade_id);
  if (page) query = query.where('id', '>', page.after).limit(page.limit);
  return query.execute();
}

/** The ids of a party's custody accounts, in id order. */
export async function custodyAccountsOf(db: Tx, party: string): Promise<string[]> {
  const rows = await db
    .selectFrom('accounts')
    .select('id')
    .where('party_id', '=', party)
    .where('kind', '=', 'custody')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/** How many bars, and how much fine gold, each of the accounts holds in each of the states. */
export function barTotalsByState(
  db: Tx,
  accountIds: readonly string[],
  states: readonly string[],
): Promise<{ owner_account_id: string; state: string; bars: bigint; fine: bigint }[]> {
  return db
    .selectFrom('bars')
    .select(['owner_account_id', 'state'])
    .select((eb) => [eb.fn.countAll<bigint>().as('bars'), eb.fn.sum<bigint>('fine_milli_oz').as('fine')])
    .where('owner_account_id', 'in', accountIds)
    .where('state', 'in', states)
    .groupBy(['owner_account_id', 'state'])
    .execute();
}

/** The refiners of the present Good Delivery List, as stored, in brand-code order. */
export function presentRefiners(db: Tx): Promise<RefinerRow[]> {
  return db
    .selectFrom('refiners')
    .selectAll()
    .where('replaced_at', 'is', null)
    .orderBy('brand_code')
    .execute();
}

/** Marks the present list replaced at `now`, so that the next one takes its place. */
export async function replacePresentRefiners(tx: Tx, now: string): Promise<void> {
  await tx.updateTable('refiners').set({ replaced_at: now }).where('replaced_at', 'is', null).execute();
}

/** The highest id of any refiner ever recorded (0 before the first list). */
export async function lastRefinerId(tx: Tx): Promise<bigint> {
  const last = await tx
    .selectFrom('refiners')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return last?.id ?? 0n;
}

/** Records a new present list, its refiners numbered from `first`, recorded at `now` by `by`. */
export async function recordRefiners(
  tx: Tx,
  refiners: readonly Refiner[],
  first: bigint,
  recorded: { readonly now: string; readonly by: string },
): Promise<void> {
  await tx
    .insertInto('refiners')
    .values(
      refiners.map((r, index) => ({
        id: first + BigInt(index),
        ...r,
        recorded_at: recorded.now,
        recorded_by: recorded.by,
        replaced_at: null,
      })),
    )
    .execute();
}
