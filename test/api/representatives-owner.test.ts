// A representative's id is held by one bank: another bank that proposes a representative under the
// same id (to take it over, and with it what it has received) is refused at the proposal and again
// at the approval, exactly as a representative that does not exist is refused; the holder's
// representative and its history stay as they were. On the 1961 books over HTTP, with a second
// BNB signatory and a BNB custody account. The books verify after each test.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { openAccount } from '../../src/service/parties/parties.ts';
import { addUser } from '../../src/service/parties/users.ts';
import { ok } from '../support/desk.ts';
import { type ScenarioServed, servedScenario1961 } from './scenario.ts';
import { type Answer, type Client, errorOf } from './support.ts';

let served: ScenarioServed;

beforeAll(async () => {
  served = await servedScenario1961();
  ok(
    await addUser(served.ingot, {
      id: 'bnb-signatory-2',
      name: 'Second signatory of the BNB',
      party_id: 'BNB',
      role: 'client_signatory',
      password: SCENARIO_1961_DEMO_PASSWORD,
      created_by: 'test',
    }),
  );
  ok(await openAccount(served.ingot, { id: 'BNB-GOLD', party_id: 'BNB', kind: 'custody', unit: 'XAU' }));
}, 30_000);
afterEach(async () => {
  expect((await verifyStore(served.ingot)).breaches).toEqual([]);
});
afterAll(() => served.close());

const as = (user: string) => served.as(user);

function terms(id: string) {
  return {
    id,
    name: `Representative ${id} of the BNB (test)`,
    identity_document: 'passport Bulgaria 7',
    authority_valid_from: '1961-04-01',
    authority_valid_until: '1961-12-31',
    account_ids: ['BNB-GOLD'],
    limit_fine_milli_oz: null,
  };
}

function pendingOf(answer: Answer): string {
  expect(answer.status, answer.text).toBe(202);
  return (answer.body as { pending_approval: string }).pending_approval;
}

async function approveAs(client: Client, approval: string): Promise<Answer> {
  const digest = ((await client.get(`/approvals/${approval}`)).body as { digest: string }).digest;
  return client.post(`/approvals/${approval}/approve`, { digest });
}

/** What each side reads of representatives: NBC's own, and what BNB is shown as its own. */
async function views(): Promise<unknown[]> {
  const nbc = await as('nbc-signatory-1');
  const bnb = await as('bnb-signatory');
  const reads = [nbc.get('/representatives'), nbc.get('/representatives/received')];
  reads.push(bnb.get('/representatives'), bnb.get('/representatives/received'));
  return (await Promise.all(reads)).map((answer) => [answer.status, answer.body]);
}

/** The refusal of a representative that does not exist, with its id masked. */
async function refusalOfNone(): Promise<[number, string, string, string | null]> {
  const none = await (await as('bnb-signatory')).post('/representatives/REP-NONE/revoke', {
    revoked_on: '1961-05-01',
  });
  const error = errorOf(none);
  return [none.status, error.code, error.message.replace('REP-NONE', 'X'), error.field];
}

function masked(answer: Answer, id: string): [number, string, string, string | null] {
  const error = errorOf(answer);
  return [answer.status, error.code, error.message.replace(id, 'X'), error.field];
}

describe('a representative id held by another bank', () => {
  it('is refused at the proposal exactly as a representative that does not exist', async () => {
    const before = await views();
    const taken = await (await as('bnb-signatory')).post('/representatives', terms('REP-1'));
    expect(masked(taken, 'REP-1')).toEqual(await refusalOfNone());
    expect(await views()).toEqual(before);
    const nbc = (await (await as('nbc-signatory-1')).get('/representatives')).body as { id: string }[];
    expect(nbc.map((r) => r.id)).toContain('REP-1');
  });

  it('is refused again at the approval when another bank took the id in between', async () => {
    const bnbProposal = pendingOf(await (await as('bnb-signatory')).post('/representatives', terms('REP-9')));
    const nbcTerms = { ...terms('REP-9'), name: 'Ninth representative of NBC', account_ids: ['NBC-GOLD'] };
    const nbcProposal = pendingOf(await (await as('nbc-signatory-1')).post('/representatives', nbcTerms));
    expect((await approveAs(await as('nbc-signatory-2'), nbcProposal)).status).toBe(200);
    const before = await views();
    const late = await approveAs(await as('bnb-signatory-2'), bnbProposal);
    expect(masked(late, 'REP-9')).toEqual(await refusalOfNone());
    expect(await views()).toEqual(before);
    const nbc = (await (await as('nbc-signatory-1')).get('/representatives')).body as {
      id: string;
      name: string;
    }[];
    expect(nbc.find((r) => r.id === 'REP-9')?.name).toBe('Ninth representative of NBC');
    const bnb = (await (await as('bnb-signatory')).get('/representatives')).body as { id: string }[];
    expect(bnb.map((r) => r.id)).not.toContain('REP-9');
  });

  it('is still the holder’s to amend, and a bank’s own new id is registered', async () => {
    const own = pendingOf(await (await as('bnb-signatory')).post('/representatives', terms('REP-BNB-1')));
    expect((await approveAs(await as('bnb-signatory-2'), own)).status).toBe(200);
    const amended = { ...terms('REP-BNB-1'), name: 'Renamed representative of the BNB' };
    const again = pendingOf(await (await as('bnb-signatory')).post('/representatives', amended));
    expect((await approveAs(await as('bnb-signatory-2'), again)).status).toBe(200);
    const bnb = (await (await as('bnb-signatory')).get('/representatives')).body as { name: string }[];
    expect(bnb.map((r) => r.name)).toEqual(['Renamed representative of the BNB']);
  });
});

describe('another bank’s representative named in a release', () => {
  /** NBC drafts a release from its own gold to `representative`, released on `release_on`. */
  async function draftTo(representative: string, release_on: string): Promise<Answer> {
    return (await as('nbc-signatory-1')).post('/instructions', {
      kind: 'release',
      account: 'NBC-GOLD',
      quantity_fine_milli_oz: '1000',
      representative_id: representative,
      release_on,
      date: '1961-04-03',
    });
  }

  it('is refused exactly as a representative that does not exist, whatever else is wrong', async () => {
    const own = pendingOf(await (await as('bnb-signatory')).post('/representatives', terms('REP-BNB-2')));
    expect((await approveAs(await as('bnb-signatory-2'), own)).status).toBe(200);
    const before = await views();
    for (const release_on of ['1961-04-10', '1961-04-01']) {
      const none = await draftTo('REP-NONE', release_on);
      const foreign = await draftTo('REP-BNB-2', release_on);
      expect(none.status).toBe(404);
      expect(masked(foreign, 'REP-BNB-2')).toEqual(masked(none, 'REP-NONE'));
    }
    expect(await views()).toEqual(before);
  });
});
