// The failover test's clients: three settling trades over HTTP and one taking custody transfers
// through every step, all passing one gate that lets through as many requests as a phase of the
// test asks for, so the stream is spent exactly as planned and cannot run dry before a phase ends.
import { expect } from 'vitest';
import { approve } from '../../src/service/custody/approvals.ts';
import { step } from '../../src/service/custody/instructions.ts';
import type { Ingot } from '../../src/service/kernel/context.ts';
import { StorageFault } from '../../src/store/faults.ts';
import { type Client, errorOf } from '../api/support.ts';
import { STREAM_DATES } from '../support/stream.ts';

/** A client retries an unanswered request this long after, with the same key. */
const RETRY_MS = 200;
/** A request unanswered for this long means the cluster did not recover: the test fails. */
export const UNANSWERED_MS_MAX = 90_000;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lets through as many requests as it was opened for, in the order the clients came to it. */
export class Gate {
  /** Requests the gate may still let through. */
  allowance = 0;
  /** Requests let through and not answered yet. */
  inFlight = 0;
  private waiting: (() => void)[] = [];

  /** Waits for the client's turn; the caller then makes one request and calls leave(). */
  enter(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.admit();
    });
  }

  leave(): void {
    this.inFlight -= 1;
    expect(this.inFlight).toBeGreaterThanOrEqual(0);
  }

  /** Gives back a turn taken by a client that found nothing left to do. */
  giveBack(): void {
    this.leave();
    this.open(1);
  }

  open(requests: number): void {
    this.allowance += requests;
    this.admit();
  }

  /** Whether a client is waiting at the gate. */
  queued(): boolean {
    return this.waiting.length > 0;
  }

  private admit(): void {
    while (this.allowance > 0 && this.waiting.length > 0) {
      this.allowance -= 1;
      this.inFlight += 1;
      this.waiting.shift()?.();
    }
  }
}

/** What the clients were answered. */
export interface Answers {
  answered: number;
  unavailable: number;
  /** Settlements answered as replays: their first attempt committed, its answer was lost. */
  replayed: number;
  settled: Set<string>;
  transferred: Set<string>;
}

/** The stream: the items left, the gate, and what was answered. */
export class Stream {
  readonly gate = new Gate();
  readonly answers: Answers = {
    answered: 0,
    unavailable: 0,
    replayed: 0,
    settled: new Set(),
    transferred: new Set(),
  };
  /** Why a client stopped, if one did. */
  failure: unknown = null;
  /** Whether the custody client is taking a transfer through its steps. */
  transferUnderWay = false;
  /** Called when a custody step has just been answered: a kill may wait for it. */
  onStep: () => void = () => undefined;
  /** Held from a transfer's execution to its approval, which must see NBC's cash unchanged. */
  private held: Promise<void> | null = null;
  private release: () => void = () => undefined;
  private settling = 0;

  constructor(
    readonly settles: string[],
    readonly transfers: string[],
  ) {}

  /** Whether no item is left and no request is under way: no phase can go on. */
  dry(): boolean {
    const left = this.settles.length + this.transfers.length;
    return left === 0 && !this.transferUnderWay && this.gate.inFlight === 0;
  }

  /**
   * Holds settlements back (those under way end first): the supervisor approves the account of a
   * transfer it was shown, NBC's cash included, which a settlement meanwhile would change.
   */
  async hold(): Promise<void> {
    this.held = new Promise((resolve) => {
      this.release = resolve;
    });
    while (this.settling > 0) await sleep(5);
  }

  unhold(): void {
    this.held = null;
    this.release();
  }

  /** Runs a settlement request once no transfer holds them back. */
  async settlement<T>(request: () => Promise<T>): Promise<T> {
    while (this.held) await this.held;
    this.settling += 1;
    try {
      return await request();
    } finally {
      this.settling -= 1;
    }
  }

  /** Runs `attempt` until it is answered; an unanswered attempt is retried with the same key. */
  async untilAnswered<T>(what: string, attempt: () => Promise<T | 'unavailable'>): Promise<T> {
    const started = Date.now();
    for (;;) {
      const answer = await attempt();
      if (answer !== 'unavailable') {
        this.answers.answered += 1;
        return answer;
      }
      this.answers.unavailable += 1;
      if (Date.now() - started > UNANSWERED_MS_MAX) throw new Error(`${what}: never answered`);
      await sleep(RETRY_MS);
    }
  }
}

/** A client settling trades over HTTP, each under its own Idempotency-Key. */
export async function settlingClient(stream: Stream, client: Client): Promise<void> {
  for (;;) {
    await stream.gate.enter();
    const tradeId = stream.settles.shift();
    if (tradeId === undefined) {
      stream.gate.giveBack();
      return;
    }
    await stream.untilAnswered(`settle ${tradeId}`, async () => {
      const body = { date: STREAM_DATES.settle };
      const answer = await stream.settlement(() =>
        client.post(`/trades/${tradeId}/settle`, body, `ha-${tradeId}`),
      );
      if (answer.status === 503) {
        // During a switch: the cause named, when to retry said.
        expect(errorOf(answer).code).toBe('storage_failed');
        expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
        return 'unavailable';
      }
      expect([answer.status, answer.text]).toEqual([201, expect.any(String)]);
      if ((answer.body as { replayed?: boolean }).replayed) stream.answers.replayed += 1;
      return answer;
    });
    stream.answers.settled.add(tradeId);
    stream.gate.leave();
  }
}

/** A service call answered, or 'unavailable' when the storage failed under it. */
async function called<T extends { ok: boolean }>(call: () => Promise<T>): Promise<T | 'unavailable'> {
  try {
    const outcome = await call();
    if (!outcome.ok) {
      const text = JSON.stringify(outcome, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v));
      throw new Error(`refused: ${text}`);
    }
    return outcome;
  } catch (error) {
    if (error instanceof StorageFault) return 'unavailable';
    throw error;
  }
}

const STEPS = [
  ['sign', 'nbc-signatory-1'],
  ['sign', 'nbc-signatory-2'],
  ['accept', 'gosbank-operator'],
  ['execute', 'gosbank-operator'],
] as const;

/**
 * A client taking transfers through every step, each under its own key, the last under four eyes.
 * Each step passes the gate; the approval goes with the execution it approves.
 */
export async function custodyClient(stream: Stream, ingot: Ingot): Promise<void> {
  for (let next = stream.transfers.shift(); next; next = stream.transfers.shift()) {
    const instruction_id = next;
    stream.transferUnderWay = true;
    let approval: bigint | null = null;
    for (const [index, [kind, by_user_id]] of STEPS.entries()) {
      await stream.gate.enter();
      if (kind === 'execute') await stream.hold();
      const command = { instruction_id, event: { kind }, date: STREAM_DATES.instruct, by_user_id };
      const done = await stream.untilAnswered(`${instruction_id} ${kind}`, () =>
        called(() => step(ingot, command, `${instruction_id}-${index}-${kind}`)),
      );
      approval = done.ok ? done.pending_approval : null;
      if (kind !== 'execute') stream.gate.leave();
      stream.onStep();
    }
    const request = { approval_id: approval ?? 0n, by_user_id: 'gosbank-supervisor' };
    await stream.untilAnswered(`${instruction_id} approve`, () =>
      called(() => approve(ingot, request, `${instruction_id}-approve`)),
    );
    stream.unhold();
    stream.gate.leave();
    stream.answers.transferred.add(instruction_id);
    stream.transferUnderWay = false;
  }
}
