// Failed sign-ins are slowed, then refused for a while, so that a password cannot be guessed by
// trying. The address is locked first: one address's failures lock that address; a user id's
// failures from addresses it never signed in from lock the user id for those addresses only, so
// an attacker elsewhere can never lock a user out of the device it uses. A user id that does not
// exist is counted and refused exactly like one that does. Pure: the counts come from the books.

export interface SignInLimits {
  /** Failures within the window answered at once. */
  readonly failures_free: number;
  /** Each failure beyond those is answered only after a delay, doubling from this… */
  readonly delay_ms_first: number;
  /** …up to this. */
  readonly delay_ms_max: number;
  /** Failures of one user id from one address after which that pair is refused. */
  readonly pair_failures_max: number;
  /** Failures of one user id from addresses it never signed in from, after which those are refused. */
  readonly user_failures_max: number;
  /** Failures from one address, of any user ids, after which the address is refused. */
  readonly address_failures_max: number;
  /** How long failures are remembered, and how long a refusal lasts after the last of them. */
  readonly window_ms: number;
  /** An address a user signed in from within this long is its known address. */
  readonly known_ms: number;
}

export const SIGN_IN_LIMITS: SignInLimits = {
  failures_free: 3,
  delay_ms_first: 250,
  delay_ms_max: 2000,
  pair_failures_max: 10,
  user_failures_max: 10,
  address_failures_max: 50,
  window_ms: 15 * 60_000,
  known_ms: 90 * 86_400_000,
};

/** Recent failures (and attempts under way) that bear on one attempt, with the newest of each. */
export interface SignInCounts {
  readonly pair: number;
  /** Of the user id, from addresses other than its known ones. */
  readonly user_elsewhere: number;
  readonly address: number;
  /** Whether the address is one the user signed in from lately. */
  readonly known_address: boolean;
  /** When the newest failure counted was, in ms since the epoch; 0 when there is none. */
  readonly newest_at_ms: number;
}

export type SignInDecision =
  | { readonly refused: true; readonly retry_after_s: number }
  | { readonly refused: false; readonly delay_ms_if_failed: number };

/** Whether an attempt may go ahead, and how long to wait before answering it should it fail. */
export function decideSignIn(counts: SignInCounts, now_ms: number, limits: SignInLimits): SignInDecision {
  const locked =
    counts.pair >= limits.pair_failures_max ||
    counts.address >= limits.address_failures_max ||
    (!counts.known_address && counts.user_elsewhere >= limits.user_failures_max);
  if (locked) {
    const wait_ms = Math.max(1, counts.newest_at_ms + limits.window_ms - now_ms);
    return { refused: true, retry_after_s: Math.ceil(wait_ms / 1000) };
  }
  // This attempt, should it fail, is the next failure of the pair and of the address.
  const count = Math.max(counts.pair, counts.address, counts.known_address ? 0 : counts.user_elsewhere) + 1;
  const beyond = count - limits.failures_free;
  const delay = beyond <= 0 ? 0 : Math.min(limits.delay_ms_max, limits.delay_ms_first * 2 ** (beyond - 1));
  return { refused: false, delay_ms_if_failed: delay };
}
