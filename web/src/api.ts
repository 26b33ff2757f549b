// Talking to the Ingot API from the desk: the session travels as an HttpOnly cookie; every refusal
// comes back as {code, message, field} and is raised as an ApiRefusal.

/** A refusal from the API, in its one shape. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null,
  ) {
    super(message);
  }
}

export interface CallOptions {
  /** The idempotency key of a value-moving POST. */
  readonly key?: string;
  /** Send the body as it is, with this content type (uploads). */
  readonly contentType?: string;
}

function refusalOf(status: number, body: unknown): ApiRefusal {
  if (typeof body === 'object' && body !== null && 'code' in body && 'message' in body) {
    const { code, message, field } = body as { code: unknown; message: unknown; field?: unknown };
    return new ApiRefusal(status, String(code), String(message), typeof field === 'string' ? field : null);
  }
  return new ApiRefusal(status, 'unexpected_answer', `the server answered ${status}`, null);
}

/** Calls the API; resolves with the JSON answer, rejects with an ApiRefusal. */
export async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.key) headers['idempotency-key'] = options.key;
  let payload: BodyInit | undefined;
  if (body !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    payload = options.contentType ? (body as BodyInit) : JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  const text = await response.text();
  const parsed: unknown = text === '' ? null : JSON.parse(text);
  if (!response.ok) throw refusalOf(response.status, parsed);
  return parsed as T;
}

/** A fresh idempotency key: one per form, so a double click never moves value twice. */
export function newKey(): string {
  return crypto.randomUUID();
}

/** Builds a query string from the defined values. */
export function query(values: Record<string, string | number | boolean | undefined | null>): string {
  const parts = Object.entries(values)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}
