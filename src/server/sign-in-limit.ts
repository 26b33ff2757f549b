// Failed sign-ins are slowed, then refused for a while, per user id and per address, so a password
// cannot be guessed by trying. A user id that does not exist is counted and refused exactly like one
// that does, so the answers never tell which ids exist. Counts live in the server's memory.

export interface SignInLimits {
  /** Failures within the window answered at once. */
  readonly failures_free: number;
  /** Each failure beyond those is answered only after a delay, doubling from this… */
  readonly delay_ms_first: number;
  /** …up to this. */
  readonly delay_ms_max: number;
  /** Failures of one user id within the window after which its sign-ins are refused. */
  readonly user_failures_max: number;
  /** Failures from one address (of any user ids) after which its sign-ins are refused. */
  readonly address_failures_max: number;
  /** How long failures are remembered, and how long a refusal lasts after the last of them. */
  readonly window_ms: number;
  /** User ids and addresses remembered at most; the longest quiet are forgotten first. */
  readonly entries_max: number;
}

export const SIGN_IN_LIMITS: SignInLimits = {
  failures_free: 3,
  delay_ms_first: 250,
  delay_ms_max: 2000,
  user_failures_max: 10,
  address_failures_max: 50,
  window_ms: 15 * 60_000,
  entries_max: 10_000,
};

export type SignInCheck =
  | { readonly refused: false }
  | { readonly refused: true; readonly retry_after_s: number };

/** Counts failed sign-ins by user id and by address over a sliding window. */
export class SignInLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #limits: SignInLimits;
  readonly #now: () => number;

  constructor(limits: Partial<SignInLimits> = {}, now: () => number = Date.now) {
    this.#limits = { ...SIGN_IN_LIMITS, ...limits };
    this.#now = now;
  }

  /** Whether a sign-in may be tried now; refused while either count is at its limit. */
  check(user_id: string, address: string): SignInCheck {
    const waits = [
      this.#lockedFor(`user:${user_id}`, this.#limits.user_failures_max),
      this.#lockedFor(`address:${address}`, this.#limits.address_failures_max),
    ];
    const wait = Math.max(...waits);
    return wait > 0 ? { refused: true, retry_after_s: Math.ceil(wait / 1000) } : { refused: false };
  }

  /** Records a failure; returns how long to wait before answering it. */
  failed(user_id: string, address: string): number {
    const user = this.#record(`user:${user_id}`);
    const from = this.#record(`address:${address}`);
    const beyond = Math.max(user, from) - this.#limits.failures_free;
    if (beyond <= 0) return 0;
    return Math.min(this.#limits.delay_ms_max, this.#limits.delay_ms_first * 2 ** (beyond - 1));
  }

  /** A successful sign-in forgets the user id's failures (not the address's). */
  succeeded(user_id: string): void {
    this.#failures.delete(`user:${user_id}`);
  }

  /** Milliseconds until a key's failures in the window fall below `max`; 0 when they are. */
  #lockedFor(key: string, max: number): number {
    const recent = this.#recent(key);
    if (recent.length < max) return 0;
    const last = recent.at(-1) ?? 0;
    return Math.max(1, last + this.#limits.window_ms - this.#now());
  }

  #recent(key: string): number[] {
    const since = this.#now() - this.#limits.window_ms;
    const recent = (this.#failures.get(key) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, recent);
    return recent;
  }

  #record(key: string): number {
    const recent = this.#recent(key);
    recent.push(this.#now());
    // Only as many as decide a refusal are kept; a key re-inserted moves to the end (most recent).
    const kept = recent.slice(-Math.max(this.#limits.user_failures_max, this.#limits.address_failures_max));
    this.#failures.delete(key);
    this.#failures.set(key, kept);
    while (this.#failures.size > this.#limits.entries_max) {
      const oldest = this.#failures.keys().next().value;
      if (oldest === undefined) break;
      this.#failures.delete(oldest);
    }
    return recent.length;
  }
}
