// Generated bad requests against every route over real HTTP: none may get a 500, and every
// rejection is the one error shape with a known code; a 400 names the field at fault.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isErrorCode } from '../../src/server/errors.ts';
import type { Answer, Client, Served } from './support.ts';
import { servedWorld } from './support.ts';

interface Route {
  readonly method: string;
  readonly path: string;
  /** The names of the body's properties, from the OpenAPI document. */
  readonly fields: readonly string[];
}

let served: Served;
let callers: Client[];
let routes: Route[];

beforeAll(async () => {
  served = await servedWorld(60);
  callers = [
    await served.signIn('operator'),
    await served.signIn('nbc-signatory'),
    await served.signIn('auditor'),
    served.client(null),
  ];
  const doc = (await served.client(null).get('/openapi.json')).body as {
    paths: Record<
      string,
      Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: object } }> } }>
    >;
  };
  routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      fields: Object.keys(operation.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
    })),
  );
});
afterAll(() => served.close());

/** JSON-ish values that are usually wrong for a field: numbers, huge strings, nested junk. */
const junk = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    '',
    '-1',
    '0',
    '1961-02-30',
    '99999999999999999999999999999999999999999999',
    'GBP',
    'NBC-GOLD',
    'OFFER-1',
    'TRADE-1',
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

const segment = fc.oneof(
  fc.constantFrom(
    'OFFER-1',
    'TRADE-1',
    'NBC-GOLD',
    'GOSBANK-VAULT',
    '0123456789abcdef',
    '..',
    '%2e%2e',
    '%00',
    'a b',
  ),
  fc.string({ minLength: 1, maxLength: 50 }).map(encodeURIComponent),
);

const request = fc.record({
  route: fc.nat(),
  caller: fc.nat(),
  id: segment,
  body: fc.oneof(
    fc.constant(undefined),
    junk,
    fc.string({ maxLength: 60 }),
    fc.record({ picks: fc.array(fc.tuple(fc.nat(), junk), { maxLength: 6 }) }),
  ),
  contentType: fc.constantFrom(
    'application/json',
    'text/csv',
    'text/plain',
    'application/xml',
    'multipart/form-data',
    '',
  ),
  query: fc.array(
    fc.tuple(
      fc.constantFrom(
        'limit',
        'cursor',
        'date',
        'from',
        'to',
        'sort',
        'order',
        'account',
        'state',
        'bars',
        'x',
      ),
      fc.string({ maxLength: 12 }),
    ),
    { maxLength: 3 },
  ),
  key: fc.option(fc.string({ minLength: 0, maxLength: 140 }), { nil: undefined }),
});

function bodyText(body: unknown, fields: readonly string[]): string | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'object' && body !== null && 'picks' in body) {
    const picks = (body as { picks: [number, unknown][] }).picks;
    const object: Record<string, unknown> = {};
    for (const [index, value] of picks) object[fields[index % Math.max(1, fields.length)] ?? 'x'] = value;
    return JSON.stringify(object);
  }
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function checkAnswer(answer: Answer, what: string): void {
  expect(answer.status, `${what} → ${answer.text.slice(0, 200)}`).toBeLessThan(500);
  if (answer.status < 400) return;
  const body = answer.body as { code?: unknown; message?: unknown; field?: unknown };
  expect(typeof body, `${what}: not JSON: ${answer.text.slice(0, 200)}`).toBe('object');
  expect(isErrorCode(String(body.code)), `${what}: code ${String(body.code)}`).toBe(true);
  expect(typeof body.message === 'string' && body.message.length > 0, what).toBe(true);
  expect(answer.text, what).not.toMatch(/\n\s+at /);
  if (answer.status === 400) expect(typeof body.field, `${what}: ${answer.text}`).toBe('string');
}

describe('fuzzing the API with bad requests', () => {
  it('never answers 500, and every rejection names its fault', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const route = routes[r.route % routes.length] as Route;
        const caller = callers[r.caller % callers.length] as Client;
        const query = r.query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        const path = route.path.replaceAll('{id}', r.id) + (query ? `?${query}` : '');
        const body =
          route.method === 'GET' || route.method === 'DELETE' ? undefined : bodyText(r.body, route.fields);
        const headers: Record<string, string> = {};
        if (body !== undefined && r.contentType !== '') headers['content-type'] = r.contentType;
        if (r.key !== undefined && /^[\x20-\x7e]*$/.test(r.key)) headers['idempotency-key'] = r.key;
        const answer = await caller.request(route.method, path, {
          ...(body === undefined ? {} : { body }),
          headers,
        });
        checkAnswer(answer, `${route.method} ${path} ${body?.slice(0, 80) ?? ''}`);
      }),
      { numRuns: 400 },
    );
  });
});
