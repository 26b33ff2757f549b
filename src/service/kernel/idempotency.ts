// Requests that move value carry an idempotency key: a repeat returns the first result, moving
// nothing twice. Only successes are remembered: a refusal changed nothing, so a retry may succeed.
import { createHash, randomUUID } from 'node:crypto';
import { type Outcome, type Refusal, refuse } from '../../domain/outcome.ts';
import { prepare } from '../../store/prepared.ts';
import type { IdempotencyRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from './context.ts';
import { fromJson, toJson } from './json.ts';

/** Thrown inside a write transaction to roll it back and hand the refusal to the caller. */
class RollBack extends Error {
  constructor(readonly refusal: { readonly ok: false; readonly message: string }) {
    super(refusal.message);
  }
}

const seenKey = prepare((db, $) => db.selectFrom('idempotency').selectAll().where('key', '=', $('key')));
const rememberKey = prepare((db, $) =>
  db.insertInto('idempotency').values({
    key: $('key'),
    command: $('command'),
    request_hash: $('request_hash'),
    response: $('response'),
    created_at: $('created_at'),
  }),
);

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
  return { ...fromJson<Extract<R, { ok: true }>>(seen.response), replayed: true };
}

/** A fresh key for callers that did not bring one. */
export function newIdempotencyKey(): string {
  return randomUUID();
}

export type Replayable<T> = Outcome<T & { replayed: boolean }>;

/** An outcome of any closed set of refusals, marked as replayed or not when it succeeded. */
export type ReplayableOf<R extends { readonly ok: boolean }> =
  | (Extract<R, { ok: true }> & { replayed: boolean })
  | Exclude<R, { ok: true }>
  | Refusal;

/**
 * Runs `work` in one write transaction under an idempotency key. A refusal rolls back everything
 * `work` wrote. A key seen before with the same request returns the stored result; with a
 * different request it is refused.
 */
export async function idempotent<R extends { readonly ok: boolean }>(
  ingot: Ingot,
  key: string,
  command: string,
  request: unknown,
  work: (tx: Tx) => Promise<R>,
): Promise<ReplayableOf<R>> {
  const hash = requestHash(request);
  try {
    return await ingot.store.write(async (tx): Promise<ReplayableOf<R>> => {
      const [seen] = (await seenKey.run(tx, { key })).rows;
      if (seen) return answerSeen<R>(seen, command, hash);
      const outcome = await work(tx);
      if (!outcome.ok) throw new RollBack(outcome as unknown as { ok: false; message: string });
      await rememberKey.run(tx, {
        key,
        command,
        request_hash: hash,
        response: toJson(outcome),
        created_at: ingot.now(),
      });
      return { ...(outcome as Extract<R, { ok: true }>), replayed: false };
    });
  } catch (error) {
    if (error instanceof RollBack) return error.refusal as unknown as ReplayableOf<R>;
    throw error;
  }
}

/**
 * Runs `work` in one write transaction; a refusal rolls back everything it wrote. Any closed set of
 * refusals will do (the core's, the custody domain's).
 */
export async function atomically<R extends { readonly ok: boolean }>(
  ingot: Ingot,
  work: (tx: Tx) => Promise<R>,
): Promise<R> {
  try {
    return await ingot.store.write(async (tx) => {
      const outcome = await work(tx);
      if (!outcome.ok) throw new RollBack(outcome as unknown as { ok: false; message: string });
      return outcome;
    });
  } catch (error) {
    if (error instanceof RollBack) return error.refusal as unknown as R;
    throw error;
  }
}
