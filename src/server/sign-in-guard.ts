// Every check of a secret (a sign-in, a password asked again for a token, an enrolment secret)
// goes through the books' count of failed sign-ins: counted before it is checked, slowed after a
// few failures, refused with 429 and Retry-After at the limits (src/domain/sign-in.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from './context.ts';
import { sendRefusal } from './errors.ts';

/** What an outcome says of the secret: wrong, right, or not checked at all (a refusal before). */
export type Verdict = 'wrong' | 'right' | 'unchecked';

/**
 * Runs `check` of a secret of `user_id` under the limits: the outcome, or the 429 already sent.
 * A failure is answered only after the delay its count calls for.
 */
export async function guardedCheck<T extends { ok: boolean }>(
  context: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  user_id: string,
  check: () => Promise<T>,
  verdict: (outcome: T) => Verdict = (outcome) => (outcome.ok ? 'right' : 'wrong'),
): Promise<T | FastifyReply> {
  const started = await context.signIns.begin(user_id, request.ip);
  if (started.refused) {
    reply.header('retry-after', String(started.retry_after_s));
    return sendRefusal(reply, {
      code: 'too_many_requests',
      message: `too many failed attempts; try again in ${started.retry_after_s} seconds`,
      field: 'user_id',
    });
  }
  const outcome = await check();
  const judged = verdict(outcome);
  if (judged === 'wrong') {
    await context.signIns.failed(started.attempt_id);
    if (started.delay_ms_if_failed > 0) await sleep(started.delay_ms_if_failed);
  } else if (judged === 'right') {
    await context.signIns.succeeded(started.attempt_id, user_id, request.ip);
  } else {
    await context.signIns.withdrawn(started.attempt_id);
  }
  return outcome;
}
