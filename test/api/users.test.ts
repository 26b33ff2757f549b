// Users under four eyes, each bank master of its own people, tried as an insider would: the
// operator who once registered a "supervisor" and a client "signatory" to sell gold to itself.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { addUsers, type Client, errorOf, PASSWORD, type Served, servedWorld } from './support.ts';

let served: Served;

afterEach(async () => {
  // The books verify after every test, whatever it tried.
  if (served) expect((await verifyStore(served.ingot)).breaches).toEqual([]);
});
let operator: Client;
let supervisor: Client;
let nbc: Client;

beforeAll(async () => {
  served = await servedWorld(20);
  // NBC's second administrator, to approve what its first proposes.
  await addUsers(served.ingot, [['nbc-second', 'NBC', 'client_signatory']]);
  operator = await served.signIn('operator');
  supervisor = await served.signIn('supervisor');
  nbc = await served.signIn('nbc-signatory');
});
afterAll(async () => {
  expect((await verifyStore(served.ingot)).breaches).toEqual([]);
  await served.close();
});

async function pendingOf(answer: { status: number; body: unknown; text: string }): Promise<string> {
  expect(answer.status, answer.text).toBe(202);
  return (answer.body as { pending_approval: string }).pending_approval;
}

/** What an approver sends: the digest of the account it is shown (none to see: a digest of nothing). */
async function seen(client: Client, approval: string): Promise<{ digest: string }> {
  const shown = await client.get(`/approvals/${approval}`);
  return { digest: (shown.body as { digest?: string }).digest ?? '0'.repeat(64) };
}

async function signInStatus(user_id: string, password: string): Promise<number> {
  return (await served.client(null).post('/session', { user_id, password })).status;
}

describe('a user registered by one insider', () => {
  it('is only a proposal: it cannot sign in, and its maker cannot approve it', async () => {
    const approval = await pendingOf(
      await operator.post('/users', {
        id: 'mole',
        name: 'Mole',
        party_id: 'GOSBANK',
        role: 'depository_supervisor',
      }),
    );
    expect(await signInStatus('mole', PASSWORD)).toBe(401);
    const own = await operator.post(`/approvals/${approval}/approve`, await seen(operator, approval));
    expect(own.status).toBe(403);
    const users = (await supervisor.get('/users')).body as { id: string }[];
    expect(users.map((u) => u.id)).not.toContain('mole');
  });

  it('approved, its secret is in two parts, its maker’s and its approver’s: neither enrols alone', async () => {
    const proposed = await operator.post('/users', {
      id: 'clerk',
      name: 'Clerk',
      party_id: 'GOSBANK',
      role: 'auditor',
    });
    const approval = await pendingOf(proposed);
    const first = (proposed.body as { enrolment_secret_part: string }).enrolment_secret_part;
    expect(first).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const approved = await supervisor.post(
      `/approvals/${approval}/approve`,
      await seen(supervisor, approval),
    );
    expect(approved.status).toBe(200);
    const second = (approved.body as { outcome: { enrolment_secret_part: string } }).outcome
      .enrolment_secret_part;
    expect(second).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(second).not.toBe(first);
    const listed = (await supervisor.get('/approvals?status=approved')).text;
    for (const part of [first, second]) expect(listed).not.toContain(part);
    expect((await operator.get(`/approvals/${approval}`)).text).not.toContain(first);
    // Before enrolment there is no password that works, not even an empty one.
    expect(await signInStatus('clerk', '')).toBe(400);
    expect(await signInStatus('clerk', PASSWORD)).toBe(401);
    const anonymous = served.client(null);
    const enrol = (secret: string, password = PASSWORD) =>
      anonymous.post('/enrolment', { user_id: 'clerk', secret, password });
    // The maker with its part, the approver with its own, or both swapped: each is refused alike.
    for (const secret of ['guessed', first, second, `${second}.${first}`, `${first}.${first}`]) {
      const wrong = await enrol(secret);
      expect([wrong.status, errorOf(wrong).code], secret).toEqual([401, 'enrolment_invalid']);
    }
    const weak = await enrol(`${first}.${second}`, 'password1234');
    expect([weak.status, errorOf(weak).code]).toEqual([422, 'password_too_weak']);
    const done = await enrol(`${first}.${second}`, 'keeper of the vault, 1961');
    expect(done.status).toBe(200);
    expect(await signInStatus('clerk', 'keeper of the vault, 1961')).toBe(200);
    expect((await enrol(`${first}.${second}`)).status).toBe(401);
  });
});

describe('an enrolment secret', () => {
  it('is not given whole to the approver of a registration proposed before it was split', async () => {
    const user = { id: 'old-clerk', name: 'Old clerk', party_id: 'GOSBANK', role: 'auditor' };
    const approval = await pendingOf(await operator.post('/users', user));
    // As books written before the split keep it: the payload without the first part's hash.
    const db = served.ingot.store.db;
    const id = BigInt(approval);
    const row = await db
      .selectFrom('approvals')
      .select('payload')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const { first_part_hash: _hash, ...before } = JSON.parse(row.payload) as Record<string, unknown>;
    await db
      .updateTable('approvals')
      .set({ payload: JSON.stringify(before) })
      .where('id', '=', id)
      .execute();
    const refused = await supervisor.post(`/approvals/${approval}/approve`, await seen(supervisor, approval));
    expect([refused.status, errorOf(refused).code]).toEqual([409, 'approval_changed']);
    expect(errorOf(refused).message).toContain('decline it and propose it again');
    expect(((await supervisor.get('/users')).body as { id: string }[]).map((u) => u.id)).not.toContain(
      'old-clerk',
    );
  });

  it('is answered once even to an approval retried under its key, and kept nowhere in the books', async () => {
    const approval = await pendingOf(
      await operator.post('/users', { id: 'keyed', name: 'Keyed', party_id: 'GOSBANK', role: 'auditor' }),
    );
    const body = await seen(supervisor, approval);
    const first = await supervisor.post(`/approvals/${approval}/approve`, body, 'approve-keyed');
    expect(first.status, first.text).toBe(200);
    const secret = (first.body as { outcome: { enrolment_secret_part: string } }).outcome
      .enrolment_secret_part;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const again = await supervisor.post(`/approvals/${approval}/approve`, body, 'approve-keyed');
    expect(again.status, again.text).toBe(200);
    expect(again.text).not.toContain(secret);
    expect((again.body as { outcome: { user_id: string } }).outcome.user_id).toBe('keyed');
    const stored = await served.ingot.store.db.selectFrom('idempotency').select('response').execute();
    expect(stored.filter((row) => String(row.response).includes(secret))).toEqual([]);
    expect(
      JSON.stringify(await served.ingot.store.db.selectFrom('approvals').selectAll().execute(), (_k, v) =>
        typeof v === 'bigint' ? `${v}` : v,
      ),
    ).not.toContain(secret);
  });
});

describe('a new client bank', () => {
  it('gets two administrators from the depository before either enrols, then administers itself', async () => {
    expect(
      (await operator.post('/parties', { id: 'SNB', name: 'Swiss National Bank', role: 'client' })).status,
    ).toBe(201);
    const first = { id: 'snb-admin', name: 'Admin', party_id: 'SNB', role: 'client_signatory' };
    // At onboarding the depository registers only SNB's administrators; SNB registers the rest.
    const viewer = await operator.post('/users', { ...first, id: 'snb-clerk', role: 'client_viewer' });
    expect([viewer.status, errorOf(viewer).code, errorOf(viewer).field]).toEqual([
      403,
      'user_acts_for_another_party',
      'role',
    ]);
    /** Registers one of SNB's administrators under four eyes; answers its enrolment secret. */
    const register = async (user: typeof first) => {
      const proposed = await operator.post('/users', user);
      const approval = await pendingOf(proposed);
      const part = (proposed.body as { enrolment_secret_part: string }).enrolment_secret_part;
      const approved = await supervisor.post(
        `/approvals/${approval}/approve`,
        await seen(supervisor, approval),
      );
      expect(approved.status, approved.text).toBe(200);
      const { outcome } = approved.body as { outcome: { enrolment_secret_part: string } };
      return `${part}.${outcome.enrolment_secret_part}`;
    };
    const enrol = (user_id: string, secret: string, password: string) =>
      served.client(null).post('/enrolment', { user_id, secret, password });
    const enrolment_secret = await register(first);
    // One administrator alone could approve nothing, and nobody could register a second for it:
    // none enrols before two are registered. The secret stays good.
    const alone = await enrol('snb-admin', enrolment_secret, 'swiss franc and gold');
    expect([alone.status, errorOf(alone)]).toEqual([
      409,
      {
        code: 'enrolment_needs_second_administrator',
        field: 'user',
        message:
          "SNB has one administrator registered: the depository registers 2 (client_signatory) before any enrols, so that one can approve the other's changes; the secret stays good until it expires",
      },
    ]);
    expect(await signInStatus('snb-admin', 'swiss franc and gold')).toBe(401);
    // A wrong secret is refused as before, saying nothing of the bank.
    const guessed = await enrol('snb-admin', 'guessed', 'swiss franc and gold');
    expect([guessed.status, errorOf(guessed).code]).toEqual([401, 'enrolment_invalid']);
    const secondSecret = await register({ ...first, id: 'snb-admin-2', name: 'Second admin' });
    const second = await pendingOf(
      await operator.post('/users', { ...first, id: 'snb-admin-3', name: 'Third admin' }),
    );
    const enrolled = await enrol('snb-admin', enrolment_secret, 'swiss franc and gold');
    expect(enrolled.status, enrolled.text).toBe(200);
    expect((await enrol('snb-admin-2', secondSecret, 'francs, gold and four eyes')).status).toBe(200);
    // Proposed before, but approved after SNB took over: the rules are checked again when approved.
    const late = await supervisor.post(`/approvals/${second}/approve`, await seen(supervisor, second));
    expect([late.status, errorOf(late).code]).toEqual([403, 'user_acts_for_another_party']);
    const after = await operator.post('/users', { ...first, id: 'snb-admin-4' });
    expect(after.status).toBe(403);
  });
});

describe('a client bank’s users', () => {
  it('cannot be registered, changed or disabled by the depository once the client has enrolled', async () => {
    const forged = await operator.post('/users', {
      id: 'fake-signatory',
      name: 'Fake',
      party_id: 'NBC',
      role: 'client_signatory',
    });
    expect([forged.status, errorOf(forged).code]).toEqual([403, 'user_acts_for_another_party']);
    // A depository user changes only its own bank's users: another bank's is as if it did not exist.
    const role = await operator.post('/users/nbc-viewer/role', { role: 'client_signatory' });
    expect([role.status, errorOf(role).code]).toEqual([404, 'user_not_found']);
    const disable = await operator.post('/users/nbc-signatory/disable', {});
    expect(disable.status).toBe(404);
    const sessions = await operator.post('/users/nbc-signatory/end-sessions', {});
    expect(sessions.status).toBe(404);
  });

  it('are proposed by one of its signatories and approved by another of the same bank', async () => {
    const approval = await pendingOf(
      await nbc.post('/users', { id: 'nbc-clerk', name: 'Clerk', party_id: 'NBC', role: 'client_viewer' }),
    );
    for (const outsider of ['supervisor', 'bnb-signatory']) {
      const client = await served.signIn(outsider);
      const tried = await client.post(`/approvals/${approval}/approve`, await seen(client, approval));
      expect(tried.status, outsider).not.toBe(200);
    }
    const second = await pendingOf(
      await nbc.post('/users', {
        id: 'nbc-signatory-2',
        name: 'Second',
        party_id: 'NBC',
        role: 'client_signatory',
      }),
    );
    expect(second).not.toBe(approval);
    // Its maker cannot approve it alone, and the depository may not step in.
    const alone = await nbc.post(`/approvals/${approval}/approve`, await seen(nbc, approval));
    expect(alone.status).toBe(403);
  });

  it('cannot be proposed for another bank', async () => {
    const tried = await nbc.post('/users', {
      id: 'bnb-mole',
      name: 'Mole',
      party_id: 'BNB',
      role: 'client_signatory',
    });
    expect([tried.status, errorOf(tried).code]).toEqual([403, 'user_acts_for_another_party']);
  });
});

describe('a client bank’s second administrator', () => {
  it('approves a new user, then another role for it, proposed by the first', async () => {
    const nbcSecond = await served.signIn('nbc-second');
    const clerk = { id: 'nbc-clerk-2', name: 'Second clerk', party_id: 'NBC', role: 'client_viewer' };
    const registered = await pendingOf(await nbc.post('/users', clerk));
    const approved = await nbcSecond.post(
      `/approvals/${registered}/approve`,
      await seen(nbcSecond, registered),
    );
    expect(approved.status, approved.text).toBe(200);
    const { outcome } = approved.body as { outcome: { enrolment_secret_part: string } };
    expect(outcome.enrolment_secret_part).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const role = await pendingOf(await nbc.post('/users/nbc-clerk-2/role', { role: 'client_signatory' }));
    expect((await nbcSecond.post(`/approvals/${role}/approve`, await seen(nbcSecond, role))).status).toBe(
      200,
    );
    const users = (await nbc.get('/users')).body as { id: string; role: string; active: boolean }[];
    expect(users.find((u) => u.id === 'nbc-clerk-2')).toMatchObject({
      role: 'client_signatory',
      active: true,
    });
  });

  it('is refused a change of users it was shown, once the books give another account', async () => {
    const nbcSecond = await served.signIn('nbc-second');
    const clerk = { id: 'nbc-clerk-3', name: 'Third clerk', party_id: 'NBC', role: 'client_viewer' };
    const registered = await pendingOf(await nbc.post('/users', clerk));
    await nbcSecond.post(`/approvals/${registered}/approve`, await seen(nbcSecond, registered));
    // The second administrator is shown "disable nbc-clerk-3, now a client_viewer"...
    const disable = await pendingOf(await nbc.post('/users/nbc-clerk-3/disable', {}));
    const shown = await seen(nbcSecond, disable);
    // ...but the clerk is made a signatory meanwhile: the account shown is no longer what it does.
    const role = await pendingOf(await nbc.post('/users/nbc-clerk-3/role', { role: 'client_signatory' }));
    expect((await nbcSecond.post(`/approvals/${role}/approve`, await seen(nbcSecond, role))).status).toBe(
      200,
    );
    const stale = await nbcSecond.post(`/approvals/${disable}/approve`, shown);
    expect([stale.status, errorOf(stale).code]).toEqual([409, 'approval_changed']);
    expect(errorOf(stale).message).toContain('now client_signatory');
    const users = (await nbc.get('/users')).body as { id: string; active: boolean }[];
    expect(users.find((u) => u.id === 'nbc-clerk-3')?.active).toBe(true);
  });
});

describe('declining a change of a client’s users', () => {
  it('is for its maker or a second administrator of the bank; to others it does not exist', async () => {
    const clerk = { id: 'nbc-clerk-4', name: 'Fourth clerk', party_id: 'NBC', role: 'client_viewer' };
    const approval = await pendingOf(await nbc.post('/users', clerk));
    const missing = await operator.post('/approvals/999999/decline', { reason: 'test' });
    const same = (answer: { status: number; body: unknown }) => {
      const error = errorOf(answer as Parameters<typeof errorOf>[0]);
      return [answer.status, error.code, error.field, error.message.replace(/\d+/, 'N')];
    };
    for (const outsider of ['operator', 'supervisor', 'bnb-signatory']) {
      const client = await served.signIn(outsider);
      const tried = await client.post(`/approvals/${approval}/decline`, { reason: 'not mine to say' });
      expect(same(tried), outsider).toEqual(same(missing));
    }
    // The bank's viewer has no part in administering its users: refused, naming why.
    const viewer = await served.signIn('nbc-viewer');
    const byViewer = await viewer.post(`/approvals/${approval}/decline`, { reason: 'no' });
    expect(byViewer.status).toBe(403);
    const still = (await nbc.get(`/approvals/${approval}`)).body as { status: string };
    expect(still.status).toBe('pending');
    const nbcSecond = await served.signIn('nbc-second');
    const declined = await nbcSecond.post(`/approvals/${approval}/decline`, { reason: 'not needed' });
    expect(declined.status, declined.text).toBe(200);
    expect(((await nbc.get(`/approvals/${approval}`)).body as { status: string }).status).toBe('declined');
    // Its maker withdraws one of its own.
    const another = await pendingOf(await nbc.post('/users', { ...clerk, id: 'nbc-clerk-5' }));
    expect((await nbc.post(`/approvals/${another}/decline`, { reason: 'withdrawn' })).status).toBe(200);
    const users = (await nbc.get('/users')).body as { id: string }[];
    expect(users.map((u) => u.id)).not.toContain('nbc-clerk-4');
  });
});

describe('ending a user’s sessions', () => {
  it('by an administrator of its bank ends its sessions and tokens; another bank’s is not found', async () => {
    const signedIn = await served
      .client(null)
      .post('/session', { user_id: 'nbc-viewer', password: PASSWORD });
    expect(signedIn.status).toBe(200);
    const viewer = served.client((signedIn.body as { token: string }).token);
    const token = await viewer.post('/tokens', { password: PASSWORD, label: 'reports' });
    expect(token.status, token.text).toBe(201);
    const program = served.client((token.body as { token: string }).token);
    expect((await program.get('/accounts')).status).toBe(200);
    // Another bank's administrator: as if NBC's viewer did not exist, and nothing ends.
    const bnb = await served.signIn('bnb-signatory');
    const foreign = await bnb.post('/users/nbc-viewer/end-sessions', {});
    const nobody = await bnb.post('/users/nobody-at-all/end-sessions', {});
    expect([foreign.status, errorOf(foreign).code, errorOf(foreign).field]).toEqual([
      nobody.status,
      errorOf(nobody).code,
      errorOf(nobody).field,
    ]);
    expect(foreign.status).toBe(404);
    expect(errorOf(foreign).message.replace('nbc-viewer', 'X')).toBe(
      errorOf(nobody).message.replace('nobody-at-all', 'X'),
    );
    expect((await viewer.get('/session')).status).toBe(200);
    expect((await program.get('/accounts')).status).toBe(200);
    const ended = await nbc.post('/users/nbc-viewer/end-sessions', {});
    expect(ended.status).toBe(200);
    // Its session and token here, and any it opened before.
    expect((ended.body as { ended: number }).ended).toBeGreaterThanOrEqual(2);
    expect((await viewer.get('/session')).status).toBe(401);
    expect((await program.get('/accounts')).status).toBe(401);
  });
});

describe('disabling a user', () => {
  it('takes a second supervisor, and then ends its sessions and tokens at once', async () => {
    const auditor = await served.signIn('auditor');
    const token = await auditor.post('/tokens', { password: PASSWORD, label: 'cron' });
    expect(token.status, token.text).toBe(201);
    const program = served.client((token.body as { token: string }).token);
    expect((await program.get('/parties')).status).toBe(200);
    const approval = await pendingOf(await operator.post('/users/auditor/disable', {}));
    expect((await program.get('/parties')).status).toBe(200);
    expect(
      (await supervisor.post(`/approvals/${approval}/approve`, await seen(supervisor, approval))).status,
    ).toBe(200);
    expect((await program.get('/parties')).status).toBe(401);
    expect(await signInStatus('auditor', PASSWORD)).toBe(401);
  });

  it('is refused for oneself, and the roles change only under four eyes', async () => {
    const self = await pendingOf(
      await operator.post('/users/operator/role', { role: 'depository_supervisor' }),
    );
    const approved = await supervisor.post(`/approvals/${self}/approve`, await seen(supervisor, self));
    expect([approved.status, errorOf(approved).code]).toEqual([403, 'checker_is_maker']);
    const me = (await operator.get('/session')).body as { user: { role: string } };
    expect(me.user.role).toBe('depository_operator');
  });
});

describe('the insider’s attack of the finding, replayed', () => {
  it('fails at every step: no second supervisor, no cheap fixing, no client signatory, no sale', async () => {
    const before = (await supervisor.get('/accounts/NBC-GOLD')).body as { balance: string };
    // 1. A second "supervisor" of the operator's own making waits for a real supervisor.
    const mole = await operator.post('/users', {
      id: 'mole-2',
      name: 'Mole',
      party_id: 'GOSBANK',
      role: 'depository_supervisor',
    });
    expect(mole.status).toBe(202);
    expect(await signInStatus('mole-2', PASSWORD)).toBe(401);
    // 2. A fixing of one farthing per ounce cannot be approved by its maker.
    const farthing = await operator.post('/prices', {
      date: '1961-02-01',
      currency: 'GBP',
      minor_per_oz: '5',
      source: 'insider',
    });
    const { pending_approval } = farthing.body as { pending_approval: string };
    expect(
      (await operator.post(`/approvals/${pending_approval}/approve`, await seen(operator, pending_approval)))
        .status,
    ).toBe(403);
    // 3. A signatory of the client cannot be made by the depository.
    const forged = await operator.post('/users', {
      id: 'nbc-forged',
      name: 'Forged',
      party_id: 'NBC',
      role: 'client_signatory',
    });
    expect(forged.status).toBe(403);
    // 4. So the offer cannot be accepted in the client's name: the operator's role may not accept.
    const accepted = await operator.post(
      '/offers/OFFER-1/accept',
      { quantity_fine_milli_oz: '848000', date: '1961-01-17' },
      'insider',
    );
    expect(accepted.status).toBe(403);
    const after = (await supervisor.get('/accounts/NBC-GOLD')).body as { balance: string };
    expect(after.balance).toBe(before.balance);
  });
});
