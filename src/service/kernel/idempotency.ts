// Requests that move value carry an idempotency key: a repeat returns the first result, moving
// nothing twice. Only successes are remembered: a refusal changed nothing, so a retry may succeed.
import { createHash, randomUUID } from 'node:crypto';
import { type Outcome, type Refusal, refuse } from '../../domain/outcome.ts';
import type { IdempotencyRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from './context.ts';
import { fromJson, toJson } from './json.ts';
import { idempotencyRecord, recordIdempotency } from './queries.ts';

/** Thrown inside a write transaction to roll it back; the refusal goes back by `inWrite`. */
class RollBack extends Error {}

/**
 * Runs `body` in one write transaction. `body` refuses by calling `rollBack`, which undoes
 * everything it wrote and makes the refusal the result. Only an exception rolls a transaction
 * back, so the refusal leaves by one and comes back beside it, keeping its type.
 */
async function inWrite<S, C extends string>(
  ingot: Ingot,
  body: (tx: Tx, rollBack: (refusal: Refusal<C>) => never) => Promise<S>,
): Promise<S | Refusal<C>> {
  const refused: { refusal?: Refusal<C> } = {};
  const rollBack = (refusal: Refusal<C>): never => {
    refused.refusal = refusal;
    throw new RollBack(refusal.message);
  };
  try {
    return await ingot.store.write((tx) => body(tx, rollBack));
  } catch (error) {
    if (error instanceof RollBack && refused.refusal) return refused.refusal;
    throw error;
  }
}

/** The digest of a request stored with its key, to tell a retry from another request. */
export function requestHash(request: unknown): string {
  return createHash('sha256').update(toJson(request)).digest('hex');
}

/**
 * The answer to a request whose key was seen before: the first result when it is the same
 * request (the same command and request digest), else a refusal naming the key.
 */
export function answerSeen<R extends { readonly ok: boolean }>(
  seen: IdempotencyRow,
  command: string,
  hash: string,
): ReplayableOf<R> {
  if (seen.command !== command || seen.request_hash !== hash) {
    return refuse(
      'idempotency_key_reused',
      `idempotency key ${seen.key} was used for a different request (${seen.command})`,
      'key',
    );
  }
  return { ...fromJson<R & { readonly ok: true }>(seen.response), replayed: true };
}

/** A fresh key for callers that did not bring one. */
export function newIdempotencyKey(): string {
  return randomUUID();
}

export type Replayable<T> = Outcome<T & { replayed: boolean }>;

/**
 * An outcome of any closed set of refusals, marked as replayed or not when it succeeded, or the
 * refusal of a key reused for another request.
 */
export type ReplayableOf<R extends { readonly ok: boolean }> =
  | (R & { readonly ok: true; replayed: boolean })
  | (R & { readonly ok: false })
  | Refusal;

/**
 * Runs `work` in one write transaction under an idempotency key. A refusal rolls back everything
 * `work` wrote. A key seen before with the same request returns the stored result; with a
 * different request it is refused. `kept` is what of a success is stored to answer a replay (a
 * secret shown once is left out of it, and so out of the books).
 */
export async function idempotent<T, C extends string>(
  ingot: Ingot,
  key: string,
  command: string,
  request: unknown,
  work: (tx: Tx) => Promise<Outcome<T, C>>,
  kept: (done: Outcome<T, C>) => Outcome<T, C> = (done) => done,
): Promise<ReplayableOf<Outcome<T, C>>> {
  const hash = requestHash(request);
  return inWrite<ReplayableOf<Outcome<T, C>>, C>(ingot, async (tx, rollBack) => {
    const seen = await idempotencyRecord(tx, key);
    if (seen) return answerSeen<Outcome<T, C>>(seen, command, hash);
    const outcome = await work(tx);
    if (!outcome.ok) return rollBack(outcome);
    await recordIdempotency(tx, {
      key,
      command,
      request_hash: hash,
      response: toJson(kept(outcome)),
      created_at: ingot.now(),
    });
    return { ...outcome, replayed: false };
  });
}

/**
 * Runs `work` in one write transaction; a refusal rolls back everything it wrote. Any closed set of
 * refusals will do (the core's, the custody domain's).
 */
export async function atomically<T, C extends string>(
  ingot: Ingot,
  work: (tx: Tx) => Promise<Outcome<T, C>>,
): Promise<Outcome<T, C>> {
  return inWrite<Outcome<T, C>, C>(ingot, async (tx, rollBack) => {
    const outcome = await work(tx);
    return outcome.ok ? outcome : rollBack(outcome);
  });
}
