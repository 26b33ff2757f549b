// The desk's wire types (web/src/types.ts) are the Static types of schemas in src/server/schemas.ts.
// Here each route the desk reads must answer with exactly that schema, so what the desk is typed
// against is what the route declares, checks in the API tests (checkResponses) and documents in
// OpenAPI. A route that answers with a schema of its own, differing from the shared one, fails here.
import type { RouteOptions } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server/app.ts';
import type { Api } from '../src/server/context.ts';
import {
  Account,
  AccountStock,
  Approval,
  Bar,
  BarHistory,
  FeeScheduleInForce,
  Fixing,
  InstructionShown,
  InstructionSummary,
  Items,
  JournalEntry,
  Offer,
  Page,
  Party,
  Proposal,
  Quote,
  RegisterEntry,
  RepresentativeUsage,
  Session,
  Statement,
  StepDone,
  Trade,
  TreasuryView,
  User,
} from '../src/server/schemas.ts';
import { ingotOver } from '../src/service/kernel/context.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';

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
];

/** A schema as JSON Schema says it, so that equal copies compare equal. */
function plain(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema));
}

let app: Api;
const declared = new Map<string, unknown>();

beforeAll(async () => {
  const ingot = ingotOver(await openSqliteStore(':memory:'), 'test');
  app = buildServer({ ingot });
  app.addHook('onRoute', (route: RouteOptions) => {
    const response = route.schema?.response as Record<number, unknown> | undefined;
    for (const method of [route.method].flat()) declared.set(`${method} ${route.url}`, response?.[200]);
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

describe('the desk’s wire types are the server’s schemas', () => {
  it.each(DESK_READS)('%s %s answers with the shared schema', (method, url, schema) => {
    const route = `${method} ${url}`;
    expect(declared.has(route), `${route} is a route`).toBe(true);
    expect(declared.get(route), `${route} declares a 200 response schema`).toBeDefined();
    expect(plain(declared.get(route))).toEqual(plain(schema));
  });
});
