// Custody instructions over HTTP, on the 1961 books: a representative registered under four eyes,
// a release drafted by one NBC signatory and signed by the second (NBC-GOLD's two-signature rule),
// accepted by the depository, executed with the hand-over record once a supervisor approves; what
// another bank may not see; remarks, signing rules and fee schedules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioServed, servedScenario1961 } from './scenario.ts';
import { type Client, clearUsers } from './support.ts';

let served: ScenarioServed;
let barId: string;
let instructionId: string;

interface Refusal {
  code: string;
  field: string | null;
}

beforeAll(async () => {
  served = await servedScenario1961();
  // An instruction's account names its bars: who signs or approves one is cleared to read them.
  await clearUsers(served.ingot, ['gosbank-supervisor', 'nbc-signatory-1', 'nbc-signatory-2']);
  const bar = await served.ingot.store.db
    .selectFrom('bars')
    .select('id')
    .where('owner_account_id', '=', 'NBC-GOLD')
    .where('state', '=', 'held')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  barId = bar.id.toString();
}, 30_000);
afterAll(() => served.close());

/** What a checker sends: the digest of the approval's account as it is shown the approval. */
async function seen(client: Client, approval: string): Promise<{ digest: string }> {
  return { digest: ((await client.get(`/approvals/${approval}`)).body as { digest: string }).digest };
}

/** What a signatory sends: the digest of the instruction's account as it is shown it. */
async function read(client: Client, id: string, date: string) {
  const shown = (await client.get(`/instructions/${id}`)).body as { digest: string };
  return { date, digest: shown.digest };
}

const representative = {
  id: 'REP-3',
  name: 'Third representative of NBC (test)',
  identity_document: 'diplomatic passport Cuba D-0003',
  authority_valid_from: '1961-04-01',
  authority_valid_until: '1961-12-31',
  account_ids: ['NBC-GOLD'],
  limit_fine_milli_oz: null,
};

describe('representatives under four eyes', () => {
  it('is proposed by one signatory; the same one may not approve it; the second does', async () => {
    const first = await served.as('nbc-signatory-1');
    const proposed = await first.post('/representatives', representative);
    expect(proposed.status).toBe(202);
    const approval = (proposed.body as { pending_approval: string }).pending_approval;
    const own = await first.post(`/approvals/${approval}/approve`, await seen(first, approval));
    expect(own.status).toBe(403);
    expect((own.body as Refusal).code).toBe('checker_is_maker');
    const second = await served.as('nbc-signatory-2');
    expect((await second.post(`/approvals/${approval}/approve`, await seen(second, approval))).status).toBe(
      200,
    );
    const listed = await first.get('/representatives');
    expect((listed.body as { id: string }[]).map((r) => r.id)).toEqual(['REP-1', 'REP-2', 'REP-3']);
    const bnb = await served.as('bnb-signatory');
    expect((await bnb.get('/representatives')).body).toEqual([]);
    expect((await bnb.post('/representatives/REP-3/revoke', { revoked_on: '1961-05-01' })).status).toBe(404);
  });
});

describe('a release under the two-signature rule', () => {
  it('is drafted by the first signatory and signed by both', async () => {
    const first = await served.as('nbc-signatory-1');
    const drafted = await first.post('/instructions', {
      kind: 'release',
      account: 'NBC-GOLD',
      bars: [barId],
      representative_id: 'REP-3',
      release_on: '1961-04-10',
      date: '1961-04-03',
    });
    expect(drafted.status).toBe(201);
    instructionId = (drafted.body as { instruction_id: string }).instruction_id;
    const signed = await first.post(
      `/instructions/${instructionId}/sign`,
      await read(first, instructionId, '1961-04-03'),
    );
    expect(signed.status).toBe(200);
    expect((signed.body as { state: string }).state).toBe('drafted');
    const again = await first.post(
      `/instructions/${instructionId}/sign`,
      await read(first, instructionId, '1961-04-03'),
    );
    expect(again.status).toBe(409);
    expect((again.body as Refusal).code).toBe('signatory_already_signed');
    const second = await served.as('nbc-signatory-2');
    const both = await second.post(
      `/instructions/${instructionId}/sign`,
      await read(second, instructionId, '1961-04-04'),
    );
    expect(both.status).toBe(200);
    expect((both.body as { state: string }).state).toBe('signed');
  });

  it('is neither seen nor touched by another bank, nor drafted by a viewer', async () => {
    const bnb = await served.as('bnb-signatory');
    expect((await bnb.get('/instructions')).body).toEqual([]);
    const shown = await bnb.get(`/instructions/${instructionId}`);
    expect(shown.status).toBe(404);
    expect((shown.body as Refusal).code).toBe('instruction_not_found');
    expect((await bnb.post(`/instructions/${instructionId}/cancel`, { reason: 'no' })).status).toBe(404);
    expect((await bnb.post(`/instructions/${instructionId}/remarks`, { text: 'hello' })).status).toBe(404);
    const viewer = await served.as('nbc-viewer');
    const refused = await viewer.post('/instructions', {
      kind: 'release',
      account: 'NBC-GOLD',
      bars: [barId],
      representative_id: 'REP-3',
    });
    expect(refused.status).toBe(403);
    expect((await viewer.get('/instructions')).body).toHaveLength(4);
  });

  it('is accepted by the depository, whose execution waits for the supervisor', async () => {
    const operator = await served.as('gosbank-operator');
    const accepted = await operator.post(`/instructions/${instructionId}/accept`, { date: '1961-04-05' });
    expect(accepted.status).toBe(200);
    expect((accepted.body as { state: string }).state).toBe('accepted');
    const executed = await operator.post(`/instructions/${instructionId}/execute`, {
      date: '1961-04-10',
      representative_id: 'REP-3',
      identity_document_checked: true,
    });
    expect(executed.status).toBe(200);
    const { pending_approval, state } = executed.body as { pending_approval: string; state: string };
    expect(state).toBe('accepted');
    const byOperator = await operator.post(
      `/approvals/${pending_approval}/approve`,
      await seen(operator, pending_approval),
    );
    expect(byOperator.status).toBe(403);
    const supervisor = await served.as('gosbank-supervisor');
    const waiting = await supervisor.get('/approvals?status=pending');
    expect((waiting.body as { id: string }[]).map((a) => a.id)).toContain(pending_approval);
    expect(
      (
        await supervisor.post(
          `/approvals/${pending_approval}/approve`,
          await seen(supervisor, pending_approval),
        )
      ).status,
    ).toBe(200);
    const shown = await (await served.as('nbc-signatory-1')).get(`/instructions/${instructionId}`);
    const body = shown.body as { instruction: { state: string }; steps: { event: string }[]; bars: string[] };
    expect(body.instruction.state).toBe('executed');
    expect(body.steps.map((s) => s.event)).toContain('execute');
    expect(body.bars).toEqual([barId]);
    const twice = await operator.post(`/instructions/${instructionId}/execute`, {
      date: '1961-04-11',
      representative_id: 'REP-3',
      identity_document_checked: true,
    });
    expect([403, 409]).toContain(twice.status);
  });

  it('keeps a remarks thread written by both banks', async () => {
    const client = await served.as('nbc-signatory-1');
    const operator = await served.as('gosbank-operator');
    expect((await client.post(`/instructions/${instructionId}/remarks`, { text: 'Thank you.' })).status).toBe(
      201,
    );
    expect((await operator.post(`/instructions/${instructionId}/remarks`, { text: 'Noted.' })).status).toBe(
      201,
    );
    const thread = await client.get(`/instructions/${instructionId}/remarks`);
    expect((thread.body as { text: string }[]).map((r) => r.text)).toEqual(['Thank you.', 'Noted.']);
    const empty = await client.post(`/instructions/${instructionId}/remarks`, { text: '' });
    expect(empty.status).toBe(400);
  });

  it('refuses malformed steps with the field at fault', async () => {
    const client = await served.as('nbc-signatory-1');
    const noReason = await client.post(`/instructions/${instructionId}/cancel`, {});
    expect(noReason.status).toBe(400);
    expect((noReason.body as Refusal).field).toBe('reason');
    const missing = await client.post('/instructions/INS-999/sign', {});
    expect(missing.status).toBe(404);
  });
});

describe('signing rules and fee schedules', () => {
  it('a signing rule is the client’s: one signatory proposes, a second approves, the depository may not', async () => {
    const operator = await served.as('gosbank-operator');
    const supervisor = await served.as('gosbank-supervisor');
    const first = await served.as('nbc-signatory-1');
    const second = await served.as('nbc-signatory-2');
    const rule = { account_id: 'NBC-GOLD', required_signatures: 1, signatory_user_ids: ['nbc-signatory-1'] };
    // The depository decides nothing of who signs for NBC: neither its operator nor its supervisor.
    for (const staff of [operator, supervisor]) {
      const byStaff = await staff.post('/signing-rules', rule);
      expect([byStaff.status, (byStaff.body as Refusal).code]).toEqual([403, 'forbidden']);
    }
    // Another bank cannot propose one for NBC's account, nor learn that the account exists.
    const bnb = await served.as('bnb-signatory');
    const foreign = await bnb.post('/signing-rules', rule);
    const missing = await bnb.post('/signing-rules', { ...rule, account_id: 'NBC-NOTHING' });
    const body = (answer: { body: unknown }) => ({ ...(answer.body as Refusal), message: '' });
    expect([foreign.status, body(foreign)]).toEqual([missing.status, body(missing)]);
    expect((foreign.body as { message: string }).message).toBe('account NBC-GOLD does not exist');
    expect(foreign.status).toBe(404);

    const proposed = await first.post('/signing-rules', rule);
    expect(proposed.status).toBe(202);
    const approval = (proposed.body as { pending_approval: string }).pending_approval;
    const own = await first.post(`/approvals/${approval}/approve`, await seen(first, approval));
    expect([own.status, (own.body as Refusal).code]).toEqual([403, 'checker_is_maker']);
    const bySupervisor = await supervisor.post(
      `/approvals/${approval}/approve`,
      await seen(supervisor, approval),
    );
    expect(bySupervisor.status).toBe(403);
    const byBnb = await bnb.post(`/approvals/${approval}/approve`, { digest: '0'.repeat(64) });
    expect(byBnb.status).toBe(400);
    const stored = async () => {
      const row = await served.ingot.store.db
        .selectFrom('signing_rules')
        .select('body')
        .where('id', '=', 'NBC-GOLD')
        .executeTakeFirst();
      return row ? (JSON.parse(row.body) as unknown) : undefined;
    };
    // Another rule is approved meanwhile: the one shown would now replace it, so it is refused.
    const shown = await seen(second, approval);
    const both = {
      ...rule,
      required_signatures: 2,
      signatory_user_ids: ['nbc-signatory-1', 'nbc-signatory-2'],
    };
    const meanwhile = await second.post('/signing-rules', {
      ...both,
      signatory_user_ids: ['nbc-signatory-2', 'nbc-signatory-1'],
    });
    const meanwhileId = (meanwhile.body as { pending_approval: string }).pending_approval;
    expect(
      (await first.post(`/approvals/${meanwhileId}/approve`, await seen(first, meanwhileId))).status,
    ).toBe(200);
    const before = await stored();
    const stale = await second.post(`/approvals/${approval}/approve`, shown);
    expect([stale.status, (stale.body as Refusal).code]).toEqual([409, 'approval_changed']);
    expect(await stored()).toEqual(before);
    expect((await second.post(`/approvals/${approval}/decline`, { reason: 'changed since' })).status).toBe(
      200,
    );
    // Proposed again, the rule is approved by the second signatory as shown.
    const again = await first.post('/signing-rules', rule);
    const againId = (again.body as { pending_approval: string }).pending_approval;
    const approved = await second.post(`/approvals/${againId}/approve`, await seen(second, againId));
    expect(approved.status, approved.text).toBe(200);
    expect(await stored()).toEqual(rule);
  });

  it('a fee schedule is proposed by an operator and waits for a supervisor', async () => {
    const operator = await served.as('gosbank-operator');
    const fees = await operator.post('/fee-schedules', {
      party_id: 'NBC',
      agreement_id: 'NBC-1961',
      currency: 'GBP',
      custody: { kind: 'none' },
      handling_per_release_minor: '0',
      handling_per_transfer_minor: '0',
      handling_per_shipment_minor: '0',
      shipment_costs_payer: 'client',
    });
    expect(fees.status).toBe(202);
    const client = await served.as('nbc-signatory-1');
    const malformed = await client.post('/signing-rules', { account_id: 'NBC-GOLD' });
    expect(malformed.status).toBe(400);
    expect((malformed.body as Refusal).field).toBe('required_signatures');
  });
});
