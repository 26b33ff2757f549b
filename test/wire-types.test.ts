// The desk's wire types (web/src/types.ts) are the Static types of schemas in src/server/schemas.ts.
// Here each route the desk reads, and each write whose answer it reads, must answer with exactly
// that schema, so what the desk is typed against is what the route declares, checks in the API
// tests (checkResponses) and documents in OpenAPI. A route that answers with a schema of its own,
// differing from the shared one, fails here. Then real answers, over the 1961 books, are held to
// their schemas both ways: every field declared is sent, and nothing is sent that is not declared
// (so the desk's type holds all of the answer).
import type { RouteOptions } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server/app.ts';
import type { Api } from '../src/server/context.ts';
import {
  Account,
  AccountStock,
  Allocation,
  Approval,
  Approved,
  AuthorizedRepresentative,
  Bar,
  BarHistory,
  BarsImported,
  CashBooked,
  Created,
  Enrolled,
  FeeScheduleInForce,
  Fixing,
  FixingsProposed,
  ImportProgress,
  InstructionDrafted,
  InstructionShown,
  InstructionSummary,
  Items,
  JournalEntry,
  LetterOpened,
  LetterQueued,
  Offer,
  OfferAccepted,
  OfferMade,
  Page,
  Party,
  Pending,
  Proposal,
  Quote,
  Reconciliation,
  Recorded,
  Refiner,
  RefinersImported,
  RegisterEntry,
  RepresentativeUsage,
  Session,
  SessionsEnded,
  Settlement,
  SignedIn,
  Statement,
  StepDone,
  TokenCreated,
  TokenView,
  Trade,
  TradeShown,
  TreasuryView,
  User,
  UserProposed,
  Verification,
} from '../src/server/schemas.ts';
import { ingotOver } from '../src/service/kernel/context.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { type ScenarioServed, servedScenario1961 } from './api/scenario.ts';
import { clearUsers } from './api/support.ts';

/** The steps of an instruction the desk takes, each answering StepDone. */
const INSTRUCTION_STEPS = [
  'sign',
  'cancel',
  'accept',
  'reject',
  'execute',
  'fail',
  'quote',
  'accept-quote',
  'decline-quote',
  'dispatch',
  'deliver',
  'return',
] as const;

/** Each answer the desk reads: the route, and the schema its type in web/src/types.ts is made from. */
const DESK_READS: readonly [method: string, url: string, schema: TSchema][] = [
  ['GET', '/session', Session],
  ['GET', '/users', Type.Array(User)],
  ['GET', '/parties', Type.Array(Party)],
  ['GET', '/accounts', Type.Array(Account)],
  ['GET', '/accounts/:id/bars', Page(Bar)],
  ['GET', '/bars/:refiner/:serial/history', BarHistory],
  ['GET', '/vault/stock', Items(AccountStock)],
  ['GET', '/accounts/:id/statement', Statement],
  ['GET', '/offers', Type.Array(Offer)],
  ['POST', '/offers/:id/quote', Quote],
  ['GET', '/prices', Type.Array(Fixing)],
  ['GET', '/trades', Page(Trade)],
  ['GET', '/journal', Page(JournalEntry)],
  ['GET', '/treasury/:id', TreasuryView],
  ['GET', '/approvals', Type.Array(Approval)],
  ['GET', '/instructions', Type.Array(InstructionSummary)],
  ['GET', '/instructions/:id', InstructionShown],
  ['GET', '/instructions/:id/proposal', Proposal],
  ['GET', '/fee-schedules', Items(FeeScheduleInForce)],
  ['GET', '/representatives/received', Items(RepresentativeUsage)],
  ...INSTRUCTION_STEPS.map((step): [string, string, TSchema] => [
    'POST',
    `/instructions/:id/${step}`,
    StepDone,
  ]),
  ['GET', '/correspondence', Type.Array(RegisterEntry)],
  ['POST', '/correspondence/:id/open', LetterOpened],
  ['GET', '/trades/:id', TradeShown],
  ['GET', '/representatives', Type.Array(AuthorizedRepresentative)],
  ['GET', '/verify', Verification],
  ['POST', '/reconcile', Reconciliation],
  ['GET', '/refiners', Type.Array(Refiner)],
  ['GET', '/tokens', Type.Array(TokenView)],
  ['GET', '/bars/import/progress', ImportProgress],
];

/** Each write whose answer the desk reads: the route, the status of that answer, and its schema. */
const DESK_WRITES: readonly [method: string, url: string, status: number, schema: TSchema][] = [
  ['POST', '/session', 200, SignedIn],
  ['POST', '/enrolment', 200, Enrolled],
  ['POST', '/tokens', 201, TokenCreated],
  ['POST', '/users', 202, UserProposed],
  ['POST', '/users/:id/role', 202, Pending],
  ['POST', '/users/:id/disable', 202, Pending],
  ['POST', '/users/:id/end-sessions', 200, SessionsEnded],
  ['POST', '/signing-rules', 202, Pending],
  ['POST', '/prices', 202, Pending],
  ['POST', '/prices/import', 200, FixingsProposed],
  ['POST', '/prices/import', 202, FixingsProposed],
  ['POST', '/offers', 201, OfferMade],
  ['POST', '/offers/:id/accept', 201, OfferAccepted],
  ['POST', '/trades/:id/allocate', 200, Allocation],
  ['POST', '/trades/:id/settle', 201, Settlement],
  ['POST', '/bars/import', 201, BarsImported],
  ['POST', '/bars/:refiner/:serial/reweigh', 202, Pending],
  ['POST', '/refiners/import', 200, RefinersImported],
  ['POST', '/cash/deposits', 201, CashBooked],
  ['POST', '/cash/withdrawals', 201, CashBooked],
  ['POST', '/instructions', 201, InstructionDrafted],
  ['POST', '/representatives', 202, Pending],
  ['POST', '/representatives/:id/revoke', 202, Pending],
  ['POST', '/fee-schedules', 202, Pending],
  ['POST', '/approvals/:id/approve', 200, Approved],
  ['POST', '/treasury/:id/correspondents', 201, Created],
  ['POST', '/treasury/:id/balances', 201, Recorded],
  ['POST', '/treasury/:id/transfers', 201, Recorded],
  ['POST', '/treasury/:id/earmarks', 201, Recorded],
  ['POST', '/correspondence/letters', 202, LetterQueued],
];

/** A schema as JSON Schema says it, so that equal copies compare equal. */
function plain(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema));
}

let app: Api;
/** The response schemas each route declares, by status. */
const declared = new Map<string, Record<number, unknown> | undefined>();

beforeAll(async () => {
  const ingot = ingotOver(await openSqliteStore(':memory:'), 'test');
  app = buildServer({ ingot });
  app.addHook('onRoute', (route: RouteOptions) => {
    const response = route.schema?.response as Record<number, unknown> | undefined;
    for (const method of [route.method].flat()) declared.set(`${method} ${route.url}`, response);
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

/** Checks that a route declares `schema`, exactly, as its answer of `status`. */
function expectDeclared(method: string, url: string, status: number, schema: TSchema): void {
  const route = `${method} ${url}`;
  expect(declared.has(route), `${route} is a route`).toBe(true);
  const answer = declared.get(route)?.[status];
  expect(answer, `${route} declares a ${status} response schema`).toBeDefined();
  expect(plain(answer)).toEqual(plain(schema));
}

describe('the desk’s wire types are the server’s schemas', () => {
  it.each(DESK_READS)('%s %s answers with the shared schema', (method, url, schema) => {
    expectDeclared(method, url, 200, schema);
  });
  it.each(DESK_WRITES)('%s %s answers %i with the shared schema', (method, url, status, schema) => {
    expectDeclared(method, url, status, schema);
  });
  it('a route answering with a copy that differs from the shared schema is told apart', () => {
    const copy = Type.Array(Type.Record(Type.String(), Type.Unknown()));
    expect(plain(copy)).not.toEqual(plain(Type.Array(AuthorizedRepresentative)));
  });
});

/** A schema as JSON Schema says it: the parts this check reads. */
interface JsonSchema {
  readonly type?: string;
  readonly properties?: Record<string, JsonSchema>;
  readonly patternProperties?: Record<string, JsonSchema>;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
}

/**
 * The paths of the fields of `value` that `schema` does not declare. A record declares any key; an
 * unknown value (no type) anything; of a union, the branch that leaves out the fewest.
 */
function undeclared(schema: JsonSchema, value: unknown, at = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (schema.anyOf) {
    const kind = Array.isArray(value) ? 'array' : 'object';
    const tried = schema.anyOf
      .filter((branch) => branch.type === kind || branch.type === undefined)
      .map((branch) => undeclared(branch, value, at));
    return tried.sort((a, b) => a.length - b.length)[0] ?? [];
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    return items ? value.flatMap((item, index) => undeclared(items, item, `${at}/${index}`)) : [];
  }
  if (schema.type !== 'object') return [];
  const fields = Object.entries(value as Record<string, unknown>);
  const pattern = Object.values(schema.patternProperties ?? {})[0];
  if (pattern) return fields.flatMap(([key, item]) => undeclared(pattern, item, `${at}/${key}`));
  const properties = schema.properties ?? {};
  return fields.flatMap(([key, item]) => {
    const property = properties[key];
    return property ? undeclared(property, item, `${at}/${key}`) : [`${at}/${key}`];
  });
}

describe('a real answer is what its schema declares, no more and no less', () => {
  let served: ScenarioServed;
  beforeAll(async () => {
    served = await servedScenario1961();
    // Cleared for what is confidential (bar lists, statements, the journal), as the desk's users are.
    await clearUsers(served.ingot, ['gosbank-supervisor', 'gosbank-operator', 'nbc-signatory-1']);
  }, 60_000);
  afterAll(() => served?.close());

  /** Reads of the desk over the 1961 books, each as a user of the bank whose page makes it. */
  const READS: readonly [user: string, path: string, schema: TSchema][] = [
    ['nbc-signatory-1', '/representatives', Type.Array(AuthorizedRepresentative)],
    ['gosbank-operator', '/representatives', Type.Array(AuthorizedRepresentative)],
    ['nbc-signatory-1', '/representatives/received', Items(RepresentativeUsage)],
    ['nbc-signatory-1', '/session', Session],
    ['gosbank-operator', '/users', Type.Array(User)],
    ['gosbank-operator', '/parties', Type.Array(Party)],
    ['gosbank-operator', '/accounts', Type.Array(Account)],
    ['gosbank-operator', '/offers', Type.Array(Offer)],
    ['gosbank-operator', '/prices', Type.Array(Fixing)],
    ['gosbank-operator', '/trades', Page(Trade)],
    ['gosbank-operator', '/journal', Page(JournalEntry)],
    ['gosbank-supervisor', '/approvals', Type.Array(Approval)],
    ['nbc-signatory-1', '/instructions', Type.Array(InstructionSummary)],
    ['gosbank-operator', '/fee-schedules', Items(FeeScheduleInForce)],
    ['gosbank-operator', '/vault/stock', Items(AccountStock)],
    ['gosbank-operator', '/correspondence', Type.Array(RegisterEntry)],
    ['gosbank-auditor', '/verify', Verification],
    ['gosbank-operator', '/refiners', Type.Array(Refiner)],
    ['nbc-signatory-1', '/tokens', Type.Array(TokenView)],
    ['nbc-signatory-1', '/treasury/NBC', TreasuryView],
  ];
  /** The first item's id of a list the user reads. */
  const firstOf = async (user: string, path: string): Promise<string> => {
    const body = (await (await served.as(user)).get(path)).body as
      | { id: string }[]
      | { items: { id: string }[] };
    const id = (Array.isArray(body) ? body : body.items)[0]?.id;
    if (id === undefined) throw new Error(`${path} lists nothing`);
    return id;
  };
  /** Reads of one thing the desk shows, named by the first of its list. */
  const SHOWN: readonly [user: string, list: string, path: (id: string) => string, schema: TSchema][] = [
    ['nbc-signatory-1', '/instructions', (id) => `/instructions/${id}`, InstructionShown],
    ['gosbank-operator', '/trades', (id) => `/trades/${id}`, TradeShown],
    ['nbc-signatory-1', '/accounts', (id) => `/accounts/${id}/statement`, Statement],
  ];
  it.each(SHOWN)('%s: GET %s/…', async (user, list, path, schema) => {
    await expectAnswered(user, path(await firstOf(user, list)), schema);
  });
  it.each(READS)('%s: GET %s', async (user, path, schema) => {
    await expectAnswered(user, path, schema);
  });
  async function expectAnswered(user: string, path: string, schema: TSchema): Promise<void> {
    const answer = await (await served.as(user)).get(path);
    expect(answer.status, answer.text).toBe(200);
    expect(Value.Check(schema, answer.body), `${path} answers every field it declares`).toBe(true);
    expect(
      undeclared(plain(schema) as JsonSchema, answer.body),
      `${path} sends only what it declares`,
    ).toEqual([]);
  }

  it('the representatives sent are the ones registered, with every field the desk reads', async () => {
    const answer = await (await served.as('nbc-signatory-1')).get('/representatives');
    const listed = answer.body as { id: string; limit_fine_milli_oz: string | null }[];
    expect(listed.map((r) => r.id)).toEqual(['REP-1', 'REP-2']);
    expect(listed[0]).toMatchObject({
      client_party_id: 'NBC',
      account_ids: ['NBC-GOLD'],
      limit_fine_milli_oz: '1000000',
      revoked_on: null,
      made_by: 'nbc-signatory-1',
      checked_by: 'nbc-signatory-2',
    });
  });

  it('a field an answer sends but its schema leaves out is found', () => {
    const sent = [{ id: 'REP-1', secret: 'x', account_ids: ['A'] }];
    expect(undeclared(plain(Type.Array(Type.Object({ id: Type.String() }))) as JsonSchema, sent)).toEqual([
      '/0/secret',
      '/0/account_ids',
    ]);
  });
});
