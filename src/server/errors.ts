// One error shape for every refusal over HTTP, `{ code, message, field }`, and one table from code
// to status. Refusals are ordinary results; only a bug becomes a 500, and never with a stack trace.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { CorrespondenceOnlyRefusalCode } from '../domain/correspondence/refusal.ts';
import type { CustodyOnlyRefusalCode } from '../domain/custody/refusal.ts';
import { InvariantError, type Refusal, type RefusalCode } from '../domain/outcome.ts';
import type { TreasuryOnlyRefusalCode } from '../domain/treasury.ts';
import { InputError } from '../service/kernel/input-error.ts';
import { StorageFault } from '../store/faults.ts';

/** Codes the HTTP edge adds to the core's refusal codes. */
export const HTTP_CODES = [
  'unauthenticated',
  'forbidden',
  'route_not_found',
  'token_not_found',
  'import_not_found',
  'payload_too_large',
  'download_too_large',
  'unsupported_media_type',
  'too_many_requests',
  'service_unavailable',
  'storage_failed',
  'internal_error',
] as const;
export type HttpCode = (typeof HTTP_CODES)[number];
export type ErrorCode =
  | RefusalCode
  | CustodyOnlyRefusalCode
  | CorrespondenceOnlyRefusalCode
  | TreasuryOnlyRefusalCode
  | HttpCode;

/** The body of every error response. */
export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  /** The field at fault (a body property, query parameter or header), or null when none is. */
  readonly field: string | null;
  /** For a refused bar list or fixing list: every row at fault. */
  readonly problems?: readonly { row: number; column: string | null; reason: string }[];
}

/** The custody domain's codes: controls are 403, missing objects 404, states 409, rules 422. */
const CUSTODY_STATUS: Readonly<Record<CustodyOnlyRefusalCode, number>> = {
  user_not_active: 403,
  user_not_found: 404,
  password_too_weak: 422,
  enrolment_invalid: 401,
  enrolment_needs_second_administrator: 409,
  role_not_for_party: 403,
  role_may_not_perform_action: 403,
  user_acts_for_another_party: 403,
  second_user_approval_required: 403,
  checker_is_maker: 403,
  role_may_not_approve_action: 403,
  account_not_visible_to_party: 404,
  signing_rule_invalid: 422,
  signer_not_on_signatory_list: 403,
  signatory_already_signed: 409,
  too_few_signatures: 422,
  approval_changed: 409,
  step_already_pending: 409,
  instruction_not_found: 404,
  event_not_for_instruction_kind: 409,
  instruction_is_closed: 409,
  event_not_allowed_in_state: 409,
  step_dated_before_previous_step: 422,
  source_account_not_custody: 422,
  target_account_not_custody: 422,
  target_is_source_account: 422,
  quote_expired: 422,
  remark_is_empty: 400,
  remark_too_long: 400,
  remark_dated_before_previous: 422,
  selection_is_empty: 400,
  bar_listed_twice: 400,
  bar_not_in_account: 422,
  bar_reserved_by_another_instruction: 409,
  quantity_exceeds_holdings: 422,
  quantity_exceeds_free_gold: 422,
  proposal_exceeds_quantity: 422,
  proposal_short_of_quantity: 422,
  representative_not_found: 404,
  representative_not_registered_for_account: 422,
  representative_not_named_in_instruction: 422,
  authority_not_yet_valid: 422,
  authority_lapsed: 422,
  authority_revoked: 422,
  release_date_not_reached: 422,
  exceeds_representative_limit: 422,
  identity_not_checked: 422,
  fee_schedule_invalid: 422,
};

/** Correspondence: a user not cleared for a letter is 403; keys and the relay are the server's state. */
const CORRESPONDENCE_STATUS: Readonly<Record<CorrespondenceOnlyRefusalCode, number>> = {
  own_keys_not_generated: 409,
  own_keys_exist: 409,
  key_file_exists: 409,
  key_file_unreadable: 422,
  key_file_not_private: 422,
  key_already_pinned: 409,
  fingerprint_mismatch: 422,
  correspondent_not_pinned: 422,
  message_not_found: 404,
  message_invalid: 422,
  not_cleared: 403,
  clearance_exceeds_granter: 403,
  document_not_available: 404,
  relay_unreachable: 503,
  relay_refused: 422,
  key_passphrase_missing: 422,
  key_passphrase_wrong: 422,
  key_file_not_encrypted: 422,
};

/** The treasury: another bank's is not found; a record already closed is a conflict of state. */
const TREASURY_STATUS: Readonly<Record<TreasuryOnlyRefusalCode, number>> = {
  treasury_not_found: 404,
  correspondent_not_found: 404,
  correspondent_exists: 409,
  transfer_not_found: 404,
  transfer_target_is_source: 422,
  transfer_is_closed: 409,
  transfer_dated_before_sending: 422,
  earmark_not_found: 404,
  earmark_ends_before_it_starts: 422,
  earmark_already_released: 409,
  rate_missing: 422,
};

/**
 * The status of each code, in one table. Not found → 404. Malformed requests → 400. A conflict
 * with the present state of the object (it exists already, is already settled or cancelled) →
 * 409. A well-formed request that a business rule refuses (funds, stock, dates, limits) → 422.
 * An idempotency key reused for a different request → 422, as the IETF Idempotency-Key draft says.
 */
export const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  invalid_input: 400,
  bar_list_invalid: 400,
  fixing_list_invalid: 400,
  party_not_found: 404,
  account_not_found: 404,
  bar_not_found: 404,
  offer_not_found: 404,
  trade_not_found: 404,
  route_not_found: 404,
  token_not_found: 404,
  import_not_found: 404,
  party_exists: 409,
  depository_exists: 409,
  account_exists: 409,
  fixing_exists_with_different_price: 409,
  trade_already_allocated: 409,
  trade_not_allocated: 409,
  trade_already_settled: 409,
  trade_cancelled: 409,
  offer_fully_taken: 409,
  account_unit_mismatch: 422,
  account_not_owned_by_party: 422,
  insufficient_funds: 422,
  insufficient_gold: 422,
  balance_exceeds_limit: 422,
  no_fixing_for_date: 422,
  offer_not_yet_valid: 422,
  offer_expired: 422,
  offer_exceeds_seller_stock: 422,
  not_offer_buyer: 422,
  currency_mismatch: 422,
  exceeds_offer_maximum: 422,
  settlement_before_acceptance: 422,
  insufficient_stock: 422,
  cost_exceeds_accepted_amount: 422,
  idempotency_key_reused: 422,
  unauthenticated: 401,
  forbidden: 403,
  payload_too_large: 413,
  // The answer asked for is past what the server makes (a PDF of too many bars): 422, not 413,
  // which is about the request's own body.
  download_too_large: 422,
  unsupported_media_type: 415,
  too_many_requests: 429,
  service_unavailable: 503,
  storage_failed: 503,
  internal_error: 500,
  ...CUSTODY_STATUS,
  ...CORRESPONDENCE_STATUS,
  ...TREASURY_STATUS,
};

/** The status of a code; an unknown code is a bug in the edge. */
export function statusOf(code: string): number {
  return (STATUS_OF as Record<string, number | undefined>)[code] ?? 500;
}

/** True for every code the API may answer with. */
export function isErrorCode(code: string): code is ErrorCode {
  // The status table names every code: the core's, the custody domain's and the edge's own.
  return Object.hasOwn(STATUS_OF, code);
}

/** A refusal raised by the HTTP edge itself (authentication, permissions, request checks). */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

/**
 * A refusal to hand back as it is: a service's `Refusal` (a list's with its problems), or an
 * `ApiError`/`InputError` thrown at the edge, whose field is null when it names none.
 */
export type RefusalLike = Pick<Refusal<string>, 'code' | 'message'> & {
  readonly field?: string | null | undefined;
  readonly problems?: readonly { row: number; column: string | null; reason: string }[];
};

/** Sends a refusal in the one error shape with the status from the table. */
export function sendRefusal(reply: FastifyReply, refusal: RefusalLike): FastifyReply {
  const code: ErrorCode = isErrorCode(refusal.code) ? refusal.code : 'internal_error';
  const status = statusOf(code);
  // A malformed request always names what is wrong; with no field given, that is the body.
  const body: ErrorBody = {
    code,
    message: refusal.message,
    field: refusal.field ?? (status === 400 ? 'body' : null),
    ...(refusal.problems ? { problems: refusal.problems } : {}),
  };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** Names the part of a request a schema failure is about. */
const PART_NAMES: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

interface SchemaIssue {
  readonly instancePath?: string;
  readonly keyword?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

/** The field a schema issue names: the property missing, unexpected, or holding a bad value. */
function fieldOf(issue: SchemaIssue, part: string): string {
  const path = (issue.instancePath ?? '').split('/').filter((s) => s !== '');
  const params = issue.params ?? {};
  const listed = (key: string) => {
    const value = params[key];
    return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
  };
  const extra = listed('requiredProperties') ?? listed('additionalProperties');
  if (extra) path.push(extra);
  return path.length > 0 ? path.join('.') : part;
}

/** Picks the issue to report: the deepest, so a union reports the member that came closest. */
function mainIssue(issues: readonly SchemaIssue[]): SchemaIssue | undefined {
  let best: SchemaIssue | undefined;
  for (const issue of issues) {
    if (issue.keyword === 'anyOf' && issues.length > 1) continue;
    if (!best || (issue.instancePath ?? '').length > (best.instancePath ?? '').length) best = issue;
  }
  return best ?? issues[0];
}

/** Fastify's schema error formatter: one error naming the field at fault. */
export function formatSchemaError(issues: readonly SchemaIssue[], dataVar: string): Error {
  const part = PART_NAMES[dataVar] ?? dataVar;
  const issue = mainIssue(issues);
  const field = issue ? fieldOf(issue, part) : part;
  const detail = issue?.message ?? 'is not valid';
  const error = new ApiError(
    'invalid_input',
    `${part} ${field === part ? '' : `field ${field} `}${detail}`,
    field,
  );
  return Object.assign(error, { statusCode: 400 });
}

/** Fastify errors for malformed requests, by code, and what the API answers. */
const FASTIFY_CODES: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'content-type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['invalid_input', 'content-length'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', 'body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['invalid_input', 'body'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['invalid_input', 'body'],
  FST_ERR_BAD_URL: ['invalid_input', 'url'],
  FST_ERR_ASYNC_CONSTRAINT: ['invalid_input', 'url'],
};

/** Maps any error thrown while handling a request to the one shape; logs the bugs. */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ApiError || error instanceof InputError) return sendRefusal(reply, error);
  if (error instanceof StorageFault) return sendStorageFault(request, reply, error);
  const fastifyCode = 'code' in error && typeof error.code === 'string' ? error.code : '';
  const known = FASTIFY_CODES[fastifyCode];
  if (known) return sendRefusal(reply, { code: known[0], message: error.message, field: known[1] });
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500 && !(error instanceof InvariantError)) {
    // Anything else Fastify refuses before the handler runs (a malformed body, say) is bad input.
    const code: ErrorCode =
      status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'invalid_input';
    return sendRefusal(reply, { code, message: error.message, field: status === 400 ? 'body' : null });
  }
  request.log.error({ err: error }, 'request failed on a bug');
  return sendRefusal(reply, {
    code: 'internal_error',
    message: `internal error; the server log names it under request ${request.id}`,
  });
}

/** When to retry after a fault of the storage, in seconds: a failover takes a few. */
export const STORAGE_RETRY_AFTER_S = 2;

/**
 * A fault of the storage (a database gone away, a failover under way, a full disk) is not a bug:
 * 503 with Retry-After, naming the cause and what became of the request's write.
 */
function sendStorageFault(request: FastifyRequest, reply: FastifyReply, fault: StorageFault) {
  request.log.warn({ err: fault }, 'request failed on a fault of the storage');
  reply.header('retry-after', String(STORAGE_RETRY_AFTER_S));
  return sendRefusal(reply, {
    code: 'storage_failed',
    message: `${fault.reason} (${fault.code}); ${writtenBy(request, fault)}`,
  });
}

/** What the books hold after a request met a fault of the storage, in words. */
function writtenBy(request: FastifyRequest, fault: StorageFault): string {
  if (request.method === 'GET' || request.method === 'HEAD') return 'a read writes nothing: retry shortly';
  if (fault.connection_lost) {
    return (
      'the connection broke while the request was under way, so whether its write was made is not ' +
      'known: retry with the same Idempotency-Key, which makes it at most once'
    );
  }
  return 'the write under way was rolled back whole, nothing of it was written: retry with the same Idempotency-Key';
}
