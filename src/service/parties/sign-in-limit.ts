// Failed sign-ins kept in the books (src/domain/sign-in.ts has the rule): every process of one
// deployment counts them alike, and an attempt is counted before its password is checked, in one
// write transaction, so no number of simultaneous attempts gets more tries than the limit.
import { decideSignIn, SIGN_IN_LIMITS, type SignInCounts, type SignInLimits } from '../../domain/sign-in.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import {
  type AttemptTally,
  attemptsFromAddress,
  attemptsOfUser,
  attemptsOfUserFrom,
  deleteAttempt,
  deleteAttemptsFromAddressUpTo,
  deleteAttemptsOfUserUpTo,
  forgiveAttempts,
  knownAddressesOf,
  lastAttemptId,
  markAttemptFailed,
  recordAttempt,
  recordKnownAddress,
} from './queries-sign-in.ts';

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
      const attempt_id = (await lastAttemptId(tx)) + 1n;
      await recordAttempt(tx, { id: attempt_id, user_id, address, at_ms: BigInt(now) });
      return { refused: false, attempt_id, delay_ms_if_failed: decided.delay_ms_if_failed };
    });
  }

  /** The attempt failed: it stays counted. */
  async failed(attempt_id: bigint): Promise<void> {
    await this.#ingot.store.write((tx) => markAttemptFailed(tx, attempt_id));
  }

  /** The attempt was refused before its secret was checked: it does not count. */
  async withdrawn(attempt_id: bigint): Promise<void> {
    await this.#ingot.store.write((tx) => deleteAttempt(tx, attempt_id));
  }

  /**
   * The attempt succeeded: the user's failures from this address are forgiven (they still count for
   * the address), and the address becomes one the user is known to sign in from.
   */
  async succeeded(attempt_id: bigint, user_id: string, address: string): Promise<void> {
    const now = BigInt(this.#now());
    await this.#ingot.store.write(async (tx) => {
      await deleteAttempt(tx, attempt_id);
      // Forgiven, they still count against the address: guessing many ids from one place stays bounded.
      await forgiveAttempts(tx, user_id, address);
      await recordKnownAddress(tx, user_id, address, now);
    });
  }

  async #counts(tx: Tx, user_id: string, address: string, now: number): Promise<SignInCounts> {
    const since = BigInt(now - this.#limits.window_ms);
    const knownAddresses = await knownAddressesOf(tx, user_id, BigInt(now - this.#limits.known_ms));
    const count = (rows: AttemptTally[]) => ({
      n: Number(rows[0]?.n ?? 0),
      newest: Number(rows[0]?.newest ?? 0),
    });
    const byUser = await attemptsOfUser(tx, user_id, since, knownAddresses);
    const byAddress = await attemptsFromAddress(tx, address, since);
    const byPair = await attemptsOfUserFrom(tx, user_id, address, since);
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
    await deleteAttemptsOfUserUpTo(tx, user_id, before);
    await deleteAttemptsFromAddressUpTo(tx, address, before);
  }
}
