// Failed sign-ins as stored: the attempts counted and the addresses a user is known to sign in
// from. Each function runs on the transaction it is given, so sign-in-limit.ts keeps every count
// and write of one attempt in one write transaction (and, on PostgreSQL, under its lock).
import type { Tx } from '../../store/store.ts';

/** How many attempts matched and the time of the newest, as the database counts them. */
export interface AttemptTally {
  readonly n: string | number | bigint;
  readonly newest: string | number | bigint | null;
}

/** The highest id of any attempt (0 before the first). */
export async function lastAttemptId(tx: Tx): Promise<bigint> {
  const last = await tx
    .selectFrom('sign_in_attempts')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return BigInt(last?.id ?? 0);
}

/** Records an attempt, counted as failed until it proves right. */
export async function recordAttempt(
  tx: Tx,
  attempt: { id: bigint; user_id: string; address: string; at_ms: bigint },
): Promise<void> {
  await tx
    .insertInto('sign_in_attempts')
    .values({ ...attempt, state: 'pending' })
    .execute();
}

/** Marks an attempt failed. */
export async function markAttemptFailed(tx: Tx, attempt_id: bigint): Promise<void> {
  await tx.updateTable('sign_in_attempts').set({ state: 'failed' }).where('id', '=', attempt_id).execute();
}

/** Deletes one attempt. */
export async function deleteAttempt(tx: Tx, attempt_id: bigint): Promise<void> {
  await tx.deleteFrom('sign_in_attempts').where('id', '=', attempt_id).execute();
}

/** Forgives a user's attempts from one address. */
export async function forgiveAttempts(tx: Tx, user_id: string, address: string): Promise<void> {
  await tx
    .updateTable('sign_in_attempts')
    .set({ state: 'forgiven' })
    .where('user_id', '=', user_id)
    .where('address', '=', address)
    .execute();
}

/** Records that a user signed in from an address at a time (the latest time kept). */
export async function recordKnownAddress(
  tx: Tx,
  user_id: string,
  address: string,
  last_at_ms: bigint,
): Promise<void> {
  await tx
    .insertInto('sign_in_known')
    .values({ user_id, address, last_at_ms })
    .onConflict((c) => c.columns(['user_id', 'address']).doUpdateSet({ last_at_ms }))
    .execute();
}

/** The addresses a user signed in from after `after_ms`. */
export async function knownAddressesOf(tx: Tx, user_id: string, after_ms: bigint): Promise<string[]> {
  const known = await tx
    .selectFrom('sign_in_known')
    .select('address')
    .where('user_id', '=', user_id)
    .where('last_at_ms', '>', after_ms)
    .execute();
  return known.map((row) => row.address);
}

/** A user's unforgiven attempts after `since`, from any address but those given. */
export function attemptsOfUser(
  tx: Tx,
  user_id: string,
  since: bigint,
  exceptAddresses: readonly string[],
): Promise<AttemptTally[]> {
  return tx
    .selectFrom('sign_in_attempts')
    .select((eb) => [eb.fn.countAll<bigint>().as('n'), eb.fn.max('at_ms').as('newest')])
    .where('user_id', '=', user_id)
    .where('at_ms', '>', since)
    .where('state', '!=', 'forgiven')
    .$if(exceptAddresses.length > 0, (q) => q.where('address', 'not in', exceptAddresses))
    .execute();
}

/** Every attempt from an address after `since`, forgiven or not. */
export function attemptsFromAddress(tx: Tx, address: string, since: bigint): Promise<AttemptTally[]> {
  return tx
    .selectFrom('sign_in_attempts')
    .select((eb) => [eb.fn.countAll<bigint>().as('n'), eb.fn.max('at_ms').as('newest')])
    .where('address', '=', address)
    .where('at_ms', '>', since)
    .execute();
}

/** A user's unforgiven attempts from one address after `since`. */
export function attemptsOfUserFrom(
  tx: Tx,
  user_id: string,
  address: string,
  since: bigint,
): Promise<AttemptTally[]> {
  return tx
    .selectFrom('sign_in_attempts')
    .select((eb) => [eb.fn.countAll<bigint>().as('n'), eb.fn.max('at_ms').as('newest')])
    .where('user_id', '=', user_id)
    .where('address', '=', address)
    .where('at_ms', '>', since)
    .where('state', '!=', 'forgiven')
    .execute();
}

/** Deletes a user's attempts made at or before `before`. */
export async function deleteAttemptsOfUserUpTo(tx: Tx, user_id: string, before: bigint): Promise<void> {
  await tx
    .deleteFrom('sign_in_attempts')
    .where('user_id', '=', user_id)
    .where('at_ms', '<=', before)
    .execute();
}

/** Deletes an address's attempts made at or before `before`. */
export async function deleteAttemptsFromAddressUpTo(tx: Tx, address: string, before: bigint): Promise<void> {
  await tx
    .deleteFrom('sign_in_attempts')
    .where('address', '=', address)
    .where('at_ms', '<=', before)
    .execute();
}
