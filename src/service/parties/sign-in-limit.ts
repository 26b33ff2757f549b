// Failed sign-ins kept in the books (src/domain/sign-in.ts has the rule): every process of one
// deployment counts them alike, and an attempt is counted before its password is checked, in one
// write transaction, so no number of simultaneous attempts gets more tries than the limit.
import { decideSignIn, SIGN_IN_LIMITS, type SignInCounts, type SignInLimits } from '../../domain/sign-in.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';

export type SignInStart =
  | { readonly refused: true; readonly retry_after_s: number }
  | { readonly refused: false; readonly attempt_id: bigint; readonly delay_ms_if_failed: number };

/** Failed sign-ins of one deployment, counted in its books. */
export class SignInLedger {
  readonly #ingot: Ingot;
  readonly #limits: SignInLimits;
  readonly #now: () => number;

  constructor(ingot: Ingot, limits: Partial<SignInLimits> = {}, now: () => number = Date.now) {
    this.#ingot = ingot;
    this.#limits = { ...SIGN_IN_LIMITS, ...limits };
    this.#now = now;
  }

  /** Counts an attempt as failed until it proves right, or refuses it while a limit is reached. */
  begin(user_id: string, address: string): Promise<SignInStart> {
    return this.#ingot.store.write(async (tx) => {
      const now = this.#now();
      await this.#forget(tx, user_id, address, now);
      const decided = decideSignIn(await this.#counts(tx, user_id, address, now), now, this.#limits);
      if (decided.refused) return decided;
      const last = await tx
        .selectFrom('sign_in_attempts')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst();
      const attempt_id = BigInt(last?.id ?? 0) + 1n;
      await tx
        .insertInto('sign_in_attempts')
        .values({ id: attempt_id, user_id, address, at_ms: BigInt(now), state: 'pending' })
        .execute();
      return { refused: false, attempt_id, delay_ms_if_failed: decided.delay_ms_if_failed };
    });
  }

  /** The attempt failed: it stays counted. */
  async failed(attempt_id: bigint): Promise<void> {
    await this.#ingot.store.write((tx) =>
      tx.updateTable('sign_in_attempts').set({ state: 'failed' }).where('id', '=', attempt_id).execute(),
    );
  }

  /** The attempt was refused before its secret was checked: it does not count. */
  async withdrawn(attempt_id: bigint): Promise<void> {
    await this.#ingot.store.write((tx) =>
      tx.deleteFrom('sign_in_attempts').where('id', '=', attempt_id).execute(),
    );
  }

  /**
   * The attempt succeeded: the user's failures from this address are forgiven (they still count for
   * the address), and the address becomes one the user is known to sign in from.
   */
  async succeeded(attempt_id: bigint, user_id: string, address: string): Promise<void> {
    const now = BigInt(this.#now());
    await this.#ingot.store.write(async (tx) => {
      await tx.deleteFrom('sign_in_attempts').where('id', '=', attempt_id).execute();
      // Forgiven, they still count against the address: guessing many ids from one place stays bounded.
      await tx
        .updateTable('sign_in_attempts')
        .set({ state: 'forgiven' })
        .where('user_id', '=', user_id)
        .where('address', '=', address)
        .execute();
      await tx
        .insertInto('sign_in_known')
        .values({ user_id, address, last_at_ms: now })
        .onConflict((c) => c.columns(['user_id', 'address']).doUpdateSet({ last_at_ms: now }))
        .execute();
    });
  }

  async #counts(tx: Tx, user_id: string, address: string, now: number): Promise<SignInCounts> {
    const since = BigInt(now - this.#limits.window_ms);
    const known = await tx
      .selectFrom('sign_in_known')
      .select('address')
      .where('user_id', '=', user_id)
      .where('last_at_ms', '>', BigInt(now - this.#limits.known_ms))
      .execute();
    const knownAddresses = known.map((row) => row.address);
    const count = (rows: { n: string | number | bigint; newest: string | number | bigint | null }[]) => ({
      n: Number(rows[0]?.n ?? 0),
      newest: Number(rows[0]?.newest ?? 0),
    });
    const byUser = await tx
      .selectFrom('sign_in_attempts')
      .select((eb) => [eb.fn.countAll<bigint>().as('n'), eb.fn.max('at_ms').as('newest')])
      .where('user_id', '=', user_id)
      .where('at_ms', '>', since)
      .where('state', '!=', 'forgiven')
      .$if(knownAddresses.length > 0, (q) => q.where('address', 'not in', knownAddresses))
      .execute();
    const byAddress = await tx
      .selectFrom('sign_in_attempts')
      .select((eb) => [eb.fn.countAll<bigint>().as('n'), eb.fn.max('at_ms').as('newest')])
      .where('address', '=', address)
      .where('at_ms', '>', since)
      .execute();
    const byPair = await tx
      .selectFrom('sign_in_attempts')
      .select((eb) => [eb.fn.countAll<bigint>().as('n'), eb.fn.max('at_ms').as('newest')])
      .where('user_id', '=', user_id)
      .where('address', '=', address)
      .where('at_ms', '>', since)
      .where('state', '!=', 'forgiven')
      .execute();
    const [user, from, pair] = [count(byUser), count(byAddress), count(byPair)];
    return {
      pair: pair.n,
      user_elsewhere: user.n,
      address: from.n,
      known_address: knownAddresses.includes(address),
      newest_at_ms: Math.max(user.newest, from.newest, pair.newest),
    };
  }

  /** Failures older than the window no longer count: they are deleted as they are met. */
  async #forget(tx: Tx, user_id: string, address: string, now: number): Promise<void> {
    const before = BigInt(now - this.#limits.window_ms);
    await tx
      .deleteFrom('sign_in_attempts')
      .where('user_id', '=', user_id)
      .where('at_ms', '<=', before)
      .execute();
    await tx
      .deleteFrom('sign_in_attempts')
      .where('address', '=', address)
      .where('at_ms', '<=', before)
      .execute();
  }
}
