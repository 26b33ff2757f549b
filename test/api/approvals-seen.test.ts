// Approve what you saw, tried as someone getting around it would, on the 1961 books over HTTP:
// approving with no digest, with a stale one after the client's cash moved, with another approval's;
// signing an instruction whose charges changed, accepting a quote after the balance moved; twenty
// executions proposed at once; a representative named on another bank's account; a second
// signatory signing (or accepting the quote of) another account than the first did; gold moved
// from the account since a step was proposed. The books verify.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeWeight } from '../../src/domain/weight.ts';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { moveCash } from '../../src/service/vault/cash.ts';
import { ok } from '../support/desk.ts';
import { type ScenarioServed, servedScenario1961 } from './scenario.ts';
import { type Answer, type Client, clearUsers, errorOf } from './support.ts';

let served: ScenarioServed;

afterEach(async () => {
  // The books verify after every test, whatever it tried.
  if (served) expect((await verifyStore(served.ingot)).breaches).toEqual([]);
});
let free: string[];
let deposits = 0;

interface Shown {
  account: string[];
  digest: string;
  instruction: {
    state: string;
    signatures: { user_id: string; digest?: string }[];
    quote_signatures: { user_id: string; digest?: string }[];
  };
}

beforeAll(async () => {
  served = await servedScenario1961();
  // An instruction's account names its bars: those who read and sign it are cleared to.
  const readers = ['gosbank-supervisor', 'gosbank-operator', 'nbc-signatory-1', 'nbc-signatory-2'];
  await clearUsers(served.ingot, readers);
  const bars = await served.ingot.store.db
    .selectFrom('bars')
    .select('id')
    .where('owner_account_id', '=', 'NBC-GOLD')
    .where('state', '=', 'held')
    .orderBy('id')
    .limit(10)
    .execute();
  free = bars.map((bar) => bar.id.toString());
}, 30_000);
afterAll(async () => {
  expect((await verifyStore(served.ingot)).breaches).toEqual([]);
  await served.close();
});

const as = (user: string) => served.as(user);

async function shown(client: Client, id: string): Promise<Shown> {
  const answer = await client.get(`/instructions/${id}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body as Shown;
}

async function approval(client: Client, id: string): Promise<{ account: string[]; digest: string }> {
  const answer = await client.get(`/approvals/${id}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body as { account: string[]; digest: string };
}

function pendingOf(answer: Answer): string {
  expect(answer.status, answer.text).toBeLessThan(300);
  const pending = (answer.body as { pending_approval: string | null }).pending_approval;
  if (pending === null) throw new Error(`no approval pending: ${answer.text}`);
  return pending;
}

/** The client's cash moves (a deposit from outside), as any payment in would move it. */
async function deposit(pounds: bigint): Promise<void> {
  deposits += 1;
  const amount = { currency: 'GBP' as const, minor: pounds * 4800n };
  ok(
    await moveCash(served.ingot, 'deposit', {
      account_id: 'NBC-GBP',
      amount,
      date: '1961-04-01',
      key: `seen-${deposits}`,
    }),
  );
}

/** A supervisor approves what it reads. */
/** Puts a fee on each transfer of NBC's, proposed and approved under four eyes. */
async function transferFee(minor: bigint): Promise<void> {
  const operator = await as('gosbank-operator');
  const proposed = await operator.post('/fee-schedules', {
    party_id: 'NBC',
    agreement_id: 'NBC-1961',
    currency: 'GBP',
    custody: { kind: 'none' },
    handling_per_release_minor: '0',
    handling_per_transfer_minor: minor.toString(),
    handling_per_shipment_minor: '0',
    shipment_costs_payer: 'client',
  });
  expect((await approveSeen(pendingOf(proposed))).status).toBe(200);
}

async function approveSeen(id: string): Promise<Answer> {
  const supervisor = await as('gosbank-supervisor');
  return supervisor.post(`/approvals/${id}/approve`, { digest: (await approval(supervisor, id)).digest });
}

/** Drafts an instruction, has both NBC signatories sign what they read, the depository accept it. */
async function accepted(body: Record<string, unknown>): Promise<string> {
  const first = await as('nbc-signatory-1');
  const drafted = await first.post('/instructions', { account: 'NBC-GOLD', date: '1961-04-03', ...body });
  expect(drafted.status, drafted.text).toBe(201);
  const id = (drafted.body as { instruction_id: string }).instruction_id;
  for (const signer of ['nbc-signatory-1', 'nbc-signatory-2']) {
    const client = await as(signer);
    const signed = await client.post(`/instructions/${id}/sign`, {
      date: '1961-04-03',
      digest: (await shown(client, id)).digest,
    });
    expect(signed.status, signed.text).toBe(200);
  }
  const operator = await as('gosbank-operator');
  expect((await operator.post(`/instructions/${id}/accept`, { date: '1961-04-04' })).status).toBe(200);
  return id;
}

function transfer(bar: string | undefined, to: string) {
  return { kind: 'transfer', bars: [bar], to, beneficiary: 'PNB', beneficiary_name: 'Narodowy Bank Polski' };
}

describe('an approval shows what it does, and only that is approved', () => {
  it('refuses no digest, another approval’s digest and a digest the books no longer give', async () => {
    const id = await accepted(transfer(free[0], 'PNB-DISPOSAL-1'));
    const operator = await as('gosbank-operator');
    const proposed = pendingOf(await operator.post(`/instructions/${id}/execute`, { date: '1961-04-05' }));
    const supervisor = await as('gosbank-supervisor');
    const seen = await approval(supervisor, proposed);
    expect(seen.digest).toMatch(/^[0-9a-f]{64}$/);
    const text = seen.account.join('\n');
    expect(text).toContain(`Approval ${proposed}: execute instruction for NBC, proposed by gosbank-operator`);
    expect(text).toContain('To disposal account PNB-DISPOSAL-1, opened for Narodowy Bank Polski (PNB)');
    expect(text).toMatch(/Bar \S+\/\S+ \(bar id \d+\): [\d,]+\.\d{3} fine oz/);
    expect(text).toContain('Gold moves: NBC-GOLD → PNB-DISPOSAL-1');
    // The 1961 terms are free of fees: this step charges nothing, so it shows no cash.
    expect(text).toContain('Charges now: handling fee £0 0s 0d');
    expect(text).not.toContain('Cash NBC-GBP');
    const listed = (await supervisor.get('/approvals?status=pending')).body as {
      id: string;
      digest: string;
    }[];
    expect(listed.find((a) => a.id === proposed)?.digest).toBe(seen.digest);

    const blind = await supervisor.post(`/approvals/${proposed}/approve`, {});
    expect([blind.status, errorOf(blind).field]).toEqual([400, 'digest']);

    const other = pendingOf(
      await operator.post('/prices', {
        date: '1961-04-05',
        currency: 'GBP',
        minor_per_oz: '60960',
        source: 'test',
      }),
    );
    const fixing = await approval(supervisor, other);
    expect(fixing.account.join('\n')).toContain(
      'Fixing of 1961-04-05 in GBP: £12 14s 0d (60960 of 1/4800 £) per fine oz; source test',
    );
    const borrowed = await supervisor.post(`/approvals/${proposed}/approve`, { digest: fixing.digest });
    expect([borrowed.status, errorOf(borrowed).code]).toEqual([409, 'approval_changed']);

    // A payment of the client's meanwhile is nothing this step charges: the approval still stands.
    await deposit(1000n);
    expect((await approval(supervisor, proposed)).digest).toBe(seen.digest);
    // The terms change after the step was proposed: a fee for each transfer, approved meanwhile.
    await transferFee(4800n);
    const stale = await supervisor.post(`/approvals/${proposed}/approve`, { digest: seen.digest });
    expect([stale.status, errorOf(stale).code]).toEqual([409, 'approval_changed']);
    expect(errorOf(stale).message).toContain('Charges now: handling fee £1 0s 0d');
    expect((await shown(supervisor, id)).instruction.state).toBe('accepted');
    // The account shown never changes: the approval is declined, and the step proposed again.
    expect((await approval(supervisor, proposed)).digest).toBe(seen.digest);
    expect(
      (await supervisor.post(`/approvals/${proposed}/decline`, { reason: 'balance moved' })).status,
    ).toBe(200);
    expect((await supervisor.post(`/approvals/${other}/decline`, { reason: 'test' })).status).toBe(200);
    const again = pendingOf(await operator.post(`/instructions/${id}/execute`, { date: '1961-04-05' }));
    // Now the step charges the fee, the account shows the cash that bears it.
    expect((await approval(supervisor, again)).account.join('\n')).toMatch(
      /Cash NBC-GBP: balance before £[\d,]+ \d+s \d+.?d \(\d+ of 1\/4800 £\), after/,
    );
    expect((await approveSeen(again)).status).toBe(200);
    expect((await shown(supervisor, id)).instruction.state).toBe('executed');
    await transferFee(0n);
  });

  it('proposes a step twenty times at once as one approval, and refuses the other nineteen', async () => {
    const id = await accepted(transfer(free[1], 'PNB-DISPOSAL-2'));
    const operator = await as('gosbank-operator');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => operator.post(`/instructions/${id}/execute`, { date: '1961-04-05' })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused.map((a) => [a.status, errorOf(a).code])).toEqual(
      Array.from({ length: 19 }, () => [409, 'step_already_pending']),
    );
    const pending = await served.ingot.store.db
      .selectFrom('approvals')
      .select('id')
      .where('subject', '=', `instruction ${id}: execute`)
      .where('status', '=', 'pending')
      .execute();
    expect(pending).toHaveLength(1);
    const only = answers.find((a) => a.status === 200);
    // A payment of the client's meanwhile is nothing this step charges (no fee): it still approves.
    await deposit(1n);
    expect((await approveSeen(pendingOf(only ?? answers[0] ?? ({} as Answer)))).status).toBe(200);
  });
});

describe('signatories sign and accept the quote of what they read', () => {
  it('refuses a signature on terms changed since they were read, and a quote accepted after the cash moved', async () => {
    const first = await as('nbc-signatory-1');
    const drafted = await first.post('/instructions', {
      kind: 'shipment',
      account: 'NBC-GOLD',
      bars: [free[2]],
      destination: 'Havana, National Bank of Cuba',
      carrier: 'sea freight (test)',
      insurance: { currency: 'GBP', minor: String(200_000n * 4800n) },
      date: '1961-04-03',
    });
    const id = (drafted.body as { instruction_id: string }).instruction_id;
    const read = await shown(first, id);
    expect(read.account.join('\n')).toContain(
      'Destination: Havana, National Bank of Cuba; carrier: sea freight (test)',
    );
    const blind = await first.post(`/instructions/${id}/sign`, { date: '1961-04-03' });
    expect([blind.status, errorOf(blind).field]).toEqual([400, 'digest']);
    // The depository changes the handling fee of a shipment after the signatory read the terms.
    const operator = await as('gosbank-operator');
    const fees = pendingOf(
      await operator.post('/fee-schedules', {
        party_id: 'NBC',
        agreement_id: 'NBC-1961',
        currency: 'GBP',
        custody: { kind: 'none' },
        handling_per_release_minor: '0',
        handling_per_transfer_minor: '0',
        handling_per_shipment_minor: '4800',
        shipment_costs_payer: 'client',
      }),
    );
    const schedule = (await approval(await as('gosbank-supervisor'), fees)).account.join('\n');
    expect(schedule).toContain('Handling fee per shipment: GBP 1.00 (4800 of 1/4800 £)');
    expect((await approveSeen(fees)).status).toBe(200);
    const late = await first.post(`/instructions/${id}/sign`, { date: '1961-04-03', digest: read.digest });
    expect([late.status, errorOf(late).code]).toEqual([409, 'approval_changed']);
    for (const signer of ['nbc-signatory-1', 'nbc-signatory-2']) {
      const client = await as(signer);
      const terms = await shown(client, id);
      expect(terms.account.join('\n')).toContain('handling fee £1 0s 0d');
      const signed = await client.post(`/instructions/${id}/sign`, {
        date: '1961-04-03',
        digest: terms.digest,
      });
      expect(signed.status, signed.text).toBe(200);
    }
    expect((await operator.post(`/instructions/${id}/accept`, { date: '1961-04-04' })).status).toBe(200);
    const costs = {
      transport: { currency: 'GBP', minor: '12000000' },
      insurance: { currency: 'GBP', minor: '5760000' },
    };
    const quote = pendingOf(
      await operator.post(`/instructions/${id}/quote`, {
        date: '1961-04-04',
        valid_until: '1961-04-30',
        ...costs,
      }),
    );
    const quoted = (await approval(await as('gosbank-supervisor'), quote)).account.join('\n');
    expect(quoted).toContain(
      'Quote proposed: transport £2,500 0s 0d (12000000 of 1/4800 £), insurance £1,200 0s 0d',
    );
    expect(quoted).toContain('Charges when the client accepts: £3,701 0s 0d (17764800 of 1/4800 £)');
    expect((await approveSeen(quote)).status).toBe(200);

    const before = await shown(first, id);
    expect(before.account.join('\n')).toContain('Charges on acceptance of the quote: £3,701 0s 0d');
    await deposit(5n);
    const stale = await first.post(`/instructions/${id}/accept-quote`, {
      date: '1961-04-05',
      digest: before.digest,
    });
    expect([stale.status, errorOf(stale).code]).toEqual([409, 'approval_changed']);
    const cash = async () =>
      BigInt(((await first.get('/accounts/NBC-GBP')).body as { balance: string }).balance);
    const balance = await cash();
    for (const signer of ['nbc-signatory-1', 'nbc-signatory-2']) {
      const client = await as(signer);
      const terms = await shown(client, id);
      const line = terms.account.find((l) => l.startsWith('Cash NBC-GBP'));
      expect(line).toContain(`balance before £`);
      const done = await client.post(`/instructions/${id}/accept-quote`, {
        date: '1961-04-05',
        digest: terms.digest,
      });
      expect(done.status, done.text).toBe(200);
    }
    expect((await shown(first, id)).instruction.state).toBe('quote_accepted');
    expect(balance - (await cash())).toBe(17_764_800n);
  });
});

describe('a representative only on the proposing bank’s own accounts', () => {
  it('is refused for another bank’s account exactly as for an account that does not exist', async () => {
    const bnb = await as('bnb-signatory');
    const terms = {
      id: 'REP-BNB',
      name: 'Representative of the BNB (test)',
      identity_document: 'passport Bulgaria 1',
      authority_valid_from: '1961-04-01',
      authority_valid_until: '1961-12-31',
      limit_fine_milli_oz: null,
    };
    const theirs = await bnb.post('/representatives', { ...terms, account_ids: ['NBC-GOLD'] });
    const nowhere = await bnb.post('/representatives', { ...terms, account_ids: ['NO-SUCH-GOLD'] });
    expect([theirs.status, errorOf(theirs).code]).toEqual([404, 'account_not_found']);
    expect([nowhere.status, errorOf(nowhere).code]).toEqual([404, 'account_not_found']);
    expect(errorOf(theirs).message.replace('NBC-GOLD', 'X')).toBe(
      errorOf(nowhere).message.replace('NO-SUCH-GOLD', 'X'),
    );
    const nbc = await as('nbc-signatory-1');
    const own = pendingOf(
      await nbc.post('/representatives', { ...terms, id: 'REP-4', account_ids: ['NBC-GOLD'] }),
    );
    const second = await as('nbc-signatory-2');
    const seen = await approval(second, own);
    expect(seen.account).toEqual([
      `Approval ${own}: register representative for NBC, proposed by nbc-signatory-1`,
      'Representative REP-4 of NBC: Representative of the BNB (test)',
      'Identity document: passport Bulgaria 1',
      'Authority from 1961-04-01 to 1961-12-31 (included)',
      'Accounts: NBC-GOLD (custody, XAU, of NBC)',
      'Limit: none',
    ]);
    expect((await second.post(`/approvals/${own}/approve`, { digest: seen.digest })).status).toBe(200);
  });
});

/** Drafts a transfer of one bar to a new disposal account; returns the instruction's id. */
async function drafted(bar: string | undefined, to: string): Promise<string> {
  const first = await as('nbc-signatory-1');
  const answer = await first.post('/instructions', {
    account: 'NBC-GOLD',
    date: '1961-04-03',
    ...transfer(bar, to),
  });
  expect(answer.status, answer.text).toBe(201);
  return (answer.body as { instruction_id: string }).instruction_id;
}

/** The account and digest a step of the instruction kept, as the books hold them. */
async function kept(id: string, event: string): Promise<{ digest: string | null; account: string[] }> {
  const row = await served.ingot.store.db
    .selectFrom('instruction_steps')
    .select(['digest', 'account'])
    .where('instruction_id', '=', id)
    .where('event', '=', event)
    .orderBy('number', 'desc')
    .executeTakeFirstOrThrow();
  return { digest: row.digest, account: row.account === null ? [] : JSON.parse(row.account) };
}

describe('every signatory signs the same account', () => {
  it('refuses a second signature over terms changed since the first signed, naming the line', async () => {
    const id = await drafted(free[3], 'PNB-DISPOSAL-3');
    const first = await as('nbc-signatory-1');
    const second = await as('nbc-signatory-2');
    const read = await shown(first, id);
    const free0 = 'Charges on execution: handling fee £0 0s 0d';
    expect(read.account.join('\n')).toContain(free0);
    const signed = await first.post(`/instructions/${id}/sign`, { date: '1961-04-03', digest: read.digest });
    expect(signed.status, signed.text).toBe(200);
    // The signature keeps what it signed: its digest in the instruction, its lines with the step.
    const view = await shown(second, id);
    expect(view.instruction.signatures).toEqual([
      { user_id: 'nbc-signatory-1', signed_on: '1961-04-03', digest: read.digest },
    ]);
    expect(await kept(id, 'sign')).toEqual({ digest: read.digest, account: read.account });
    const earlier = view.digest;
    expect(earlier).toBe(read.digest);

    // The depository puts £1,000 on each transfer after the first signature.
    await transferFee(4_800_000n);
    const now = await shown(second, id);
    expect(now.account.join('\n')).toContain('Charges on execution: handling fee £1,000 0s 0d');
    // Shown the account before the change: refused, naming the line that changed since.
    const stale = await second.post(`/instructions/${id}/sign`, { date: '1961-04-03', digest: earlier });
    expect([stale.status, errorOf(stale).code]).toEqual([409, 'approval_changed']);
    expect(errorOf(stale).message).toMatch(
      /has changed since you were shown it: line \d+ was "Charges on execution: handling fee £0 0s 0d .*" and is now "Charges on execution: handling fee £1,000 0s 0d/,
    );
    // Shown the account as it is now: refused all the same, for it is not what the first signed.
    const other = await second.post(`/instructions/${id}/sign`, { date: '1961-04-03', digest: now.digest });
    expect([other.status, errorOf(other).code]).toEqual([409, 'approval_changed']);
    expect(errorOf(other).message).toContain(`is not the one nbc-signatory-1 signed: line`);
    expect(errorOf(other).message).toContain(`was "${free0}`);
    expect(errorOf(other).message).toContain('cancel the instruction and draft it again');
    const after = await shown(second, id);
    expect(after.instruction.state).toBe('drafted');
    expect(after.instruction.signatures.map((s) => s.user_id)).toEqual(['nbc-signatory-1']);
    const cancelled = await first.post(`/instructions/${id}/cancel`, {
      date: '1961-04-03',
      reason: 'the terms changed between the signatures',
    });
    expect(cancelled.status, cancelled.text).toBe(200);
    await transferFee(0n);
  });

  it('refuses a second acceptance of a quote after the cash moved, and takes a new quote by both', async () => {
    const first = await as('nbc-signatory-1');
    const answer = await first.post('/instructions', {
      kind: 'shipment',
      account: 'NBC-GOLD',
      bars: [free[4]],
      destination: 'Havana, National Bank of Cuba',
      carrier: 'sea freight (test)',
      insurance: { currency: 'GBP', minor: String(200_000n * 4800n) },
      date: '1961-04-03',
    });
    const id = (answer.body as { instruction_id: string }).instruction_id;
    for (const signer of ['nbc-signatory-1', 'nbc-signatory-2']) {
      const client = await as(signer);
      const digest = (await shown(client, id)).digest;
      expect((await client.post(`/instructions/${id}/sign`, { date: '1961-04-03', digest })).status).toBe(
        200,
      );
    }
    const operator = await as('gosbank-operator');
    expect((await operator.post(`/instructions/${id}/accept`, { date: '1961-04-04' })).status).toBe(200);
    const quote = async (date: string) => {
      const costs = {
        transport: { currency: 'GBP', minor: '480000' },
        insurance: { currency: 'GBP', minor: '48000' },
      };
      const body = { date, valid_until: '1961-04-30', ...costs };
      const proposed = pendingOf(await operator.post(`/instructions/${id}/quote`, body));
      expect((await approveSeen(proposed)).status).toBe(200);
    };
    await quote('1961-04-04');
    const read = await shown(first, id);
    const accepted = await first.post(`/instructions/${id}/accept-quote`, {
      date: '1961-04-05',
      digest: read.digest,
    });
    expect(accepted.status, accepted.text).toBe(200);
    expect((await kept(id, 'accept_quote')).digest).toBe(read.digest);
    await deposit(9n);
    const second = await as('nbc-signatory-2');
    const now = await shown(second, id);
    const late = await second.post(`/instructions/${id}/accept-quote`, {
      date: '1961-04-05',
      digest: now.digest,
    });
    expect([late.status, errorOf(late).code]).toEqual([409, 'approval_changed']);
    expect(errorOf(late).message).toMatch(
      /is not the one nbc-signatory-1 signed: line \d+ was "Cash NBC-GBP: balance before/,
    );
    expect(errorOf(late).message).toContain('decline the quote and have the depository quote again');
    expect((await shown(second, id)).instruction.state).toBe('quoted');
    // Declined and quoted again, the quote is a new account that both accept.
    const declined = await first.post(`/instructions/${id}/decline-quote`, {
      date: '1961-04-05',
      reason: 'accepted over two accounts',
    });
    expect(declined.status, declined.text).toBe(200);
    await quote('1961-04-05');
    const cash = async () =>
      BigInt(((await first.get('/accounts/NBC-GBP')).body as { balance: string }).balance);
    const before = await cash();
    const terms = await shown(first, id);
    for (const signer of ['nbc-signatory-1', 'nbc-signatory-2']) {
      const client = await as(signer);
      const done = await client.post(`/instructions/${id}/accept-quote`, {
        date: '1961-04-05',
        digest: terms.digest,
      });
      expect(done.status, done.text).toBe(200);
    }
    const after = await shown(first, id);
    expect(after.instruction.state).toBe('quote_accepted');
    expect(after.instruction.quote_signatures.map((s) => s.digest)).toEqual([terms.digest, terms.digest]);
    expect(before - (await cash())).toBe(528_000n);
  });
});

describe('a step that moves gold shows the balances before and after', () => {
  it('shows both accounts; gold moved out of the source since voids the approval, naming the line', async () => {
    const one = await accepted(transfer(free[5], 'PNB-DISPOSAL-5'));
    const two = await accepted(transfer(free[6], 'PNB-DISPOSAL-6'));
    const fine = async (bar: string | undefined) =>
      (
        await served.ingot.store.db
          .selectFrom('bars')
          .select('fine_milli_oz')
          .where('id', '=', BigInt(bar ?? '0'))
          .executeTakeFirstOrThrow()
      ).fine_milli_oz;
    const held = (
      await served.ingot.store.db
        .selectFrom('accounts')
        .select('balance')
        .where('id', '=', 'NBC-GOLD')
        .executeTakeFirstOrThrow()
    ).balance;
    const operator = await as('gosbank-operator');
    const supervisor = await as('gosbank-supervisor');
    const proposed = pendingOf(await operator.post(`/instructions/${one}/execute`, { date: '1961-04-05' }));
    const seen = await approval(supervisor, proposed);
    const moved = await fine(free[5]);
    const source = `Gold NBC-GOLD: balance before ${describeWeight(held)}, after ${describeWeight(held - moved)}`;
    expect(seen.account).toContain(source);
    expect(seen.account).toContain(
      `Gold PNB-DISPOSAL-5: balance before ${describeWeight(0n)} (the move opens it), after ${describeWeight(moved)}`,
    );
    // Another instruction takes gold out of NBC-GOLD meanwhile: the balance shown is no longer so.
    const other = pendingOf(await operator.post(`/instructions/${two}/execute`, { date: '1961-04-05' }));
    // Each shows NBC-GOLD's balance, which approving the other moves: both say so beforehand, to
    // the depository and to NBC, in the list and one by one.
    const voids = async (client: Client, id: string) =>
      ((await client.get(`/approvals/${id}`)).body as { voids: string[] }).voids;
    expect([await voids(supervisor, proposed), await voids(supervisor, other)]).toEqual([
      [other],
      [proposed],
    ]);
    const nbc = await as('nbc-signatory-1');
    const listed = (await nbc.get('/approvals?status=pending')).body as { id: string; voids: string[] }[];
    expect(listed.filter((row) => [proposed, other].includes(row.id))).toEqual([
      expect.objectContaining({ id: proposed, voids: [other] }),
      expect.objectContaining({ id: other, voids: [proposed] }),
    ]);
    // A reader not cleared for their bars is told nothing of which accounts they share.
    const viewer = (await (await as('nbc-viewer')).get('/approvals?status=pending')).body as {
      id: string;
      voids: string[];
    }[];
    const mine = viewer.filter((row) => [proposed, other].includes(row.id));
    expect(mine.map((row) => row.voids)).toEqual([[], []]);
    expect((await approveSeen(other)).status).toBe(200);
    expect(await voids(supervisor, proposed)).toEqual([]);
    const stale = await supervisor.post(`/approvals/${proposed}/approve`, { digest: seen.digest });
    expect([stale.status, errorOf(stale).code]).toEqual([409, 'approval_changed']);
    expect(errorOf(stale).message).toContain(`was "${source}" and is now "Gold NBC-GOLD: balance before `);
    expect((await shown(supervisor, one)).instruction.state).toBe('accepted');
    expect((await supervisor.post(`/approvals/${proposed}/decline`, { reason: 'gold moved' })).status).toBe(
      200,
    );
    const again = pendingOf(await operator.post(`/instructions/${one}/execute`, { date: '1961-04-05' }));
    const now = held - (await fine(free[6]));
    expect((await approval(supervisor, again)).account).toContain(
      `Gold NBC-GOLD: balance before ${describeWeight(now)}, after ${describeWeight(now - moved)}`,
    );
    expect((await approveSeen(again)).status).toBe(200);
    expect((await shown(supervisor, one)).instruction.state).toBe('executed');
  });
});
