// Vault counts and reweighing as events of a bar's life, over HTTP on the 1961 books: an operator
// proposes a bar's new weights and a supervisor approves them (four eyes), the difference in fine
// weight is journalled and the books still verify and balance; a count recorded says of each bar
// in custody whether it was seen or missing, and of a bar the books did not hold that it was
// found. The depository sees every event, NBC only those while it owned the bar.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeWeight } from '../../src/domain/weight.ts';
import { unitSums } from '../support/books.ts';
import { type BarItem, countOfVault as countOf, firstFree } from '../support/vault-count.ts';
import { type ScenarioServed, servedScenario1961 } from './scenario.ts';
import { type Client, clearUsers, proposeLighter, REWEIGH_REASON } from './support.ts';

interface Shown {
  events: {
    kind: string;
    date: string;
    entry_id: string | null;
    reference: string | null;
    documents: { id: string; kind: string }[];
    weights?: { gross_milli_oz: string; fineness: string; fine_milli_oz: string } | null;
    weights_before?: { gross_milli_oz: string; fineness: string; fine_milli_oz: string } | null;
    description: string;
  }[];
}

let served: ScenarioServed;
let operator: Client;
let supervisor: Client;
let auditor: Client;
let viewer: Client;

async function history(client: Client, bar: { refiner: string; serial: string }): Promise<Shown> {
  const answer = await client.get(`/bars/${bar.refiner}/${bar.serial}/history`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body as Shown;
}

async function balance(account: string): Promise<bigint> {
  const row = await served.ingot.store.db
    .selectFrom('accounts')
    .select('balance')
    .where('id', '=', account)
    .executeTakeFirstOrThrow();
  return BigInt(row.balance);
}

async function expectSound(): Promise<void> {
  const verified = await auditor.get('/verify');
  expect(verified.status).toBe(200);
  expect((verified.body as { breaches: unknown[] }).breaches).toEqual([]);
  for (const [unit, total] of Object.entries(await unitSums(served.ingot.store)))
    expect(total, unit).toBe(0n);
}

const firstHeld = (account: string) => firstFree(auditor, account);

const countOfVault = (leaveOut: readonly string[], extra: readonly string[]) =>
  countOf(served.ingot, leaveOut, extra);

beforeAll(async () => {
  served = await servedScenario1961();
  await clearUsers(served.ingot, ['gosbank-supervisor', 'gosbank-auditor', 'gosbank-operator', 'nbc-viewer']);
  operator = await served.as('gosbank-operator');
  supervisor = await served.as('gosbank-supervisor');
  auditor = await served.as('gosbank-auditor');
  viewer = await served.as('nbc-viewer');
});
afterAll(() => served?.close());

describe('reweighing a bar under four eyes', () => {
  test('the new weights wait for a supervisor; approved, the fine weight difference is journalled', async () => {
    const bar = await firstHeld('NBC-GOLD');
    const before = await balance('NBC-GOLD');
    const { answer: proposed, gross } = await proposeLighter(operator, bar);
    expect(proposed.status, proposed.text).toBe(202);
    expect(await balance('NBC-GOLD')).toBe(before);
    const id = (proposed.body as { pending_approval: string }).pending_approval;
    const shown = (await supervisor.get(`/approvals/${id}`)).body as { digest: string; account: string[] };
    expect(shown.account.join('\n')).toContain('Journalled: NBC-GOLD −0.0');
    // The maker cannot approve its own proposal.
    expect((await operator.post(`/approvals/${id}/approve`, { digest: shown.digest })).status).toBe(403);
    const approved = await supervisor.post(`/approvals/${id}/approve`, { digest: shown.digest });
    expect(approved.status, approved.text).toBe(200);
    const newFine = (gross * BigInt(bar.fineness)) / 10_000n;
    expect(await balance('NBC-GOLD')).toBe(before - BigInt(bar.fine_milli_oz) + newFine);
    await expectSound();
    for (const client of [auditor, viewer]) {
      const last = (await history(client, bar)).events.at(-1);
      expect(last).toMatchObject({
        kind: 'reweighed',
        date: '1961-03-01',
        reference: REWEIGH_REASON,
        weights: { gross_milli_oz: String(gross), fine_milli_oz: String(newFine) },
        weights_before: { gross_milli_oz: bar.gross_milli_oz, fine_milli_oz: bar.fine_milli_oz },
      });
      expect(last?.entry_id).not.toBeNull();
    }
  });

  test('a bar out of custody, a weight off the 0.025 oz step and an unknown bar are refused', async () => {
    const free = await firstHeld('GOSBANK-VAULT');
    const asked = [
      ['/bars/MSK/100000/reweigh', '400.000', 'bar'],
      [`/bars/${free.refiner}/${free.serial}/reweigh`, '400.010', 'gross'],
      ['/bars/MSK/999999/reweigh', '400.000', 'bar'],
    ] as const;
    for (const [path, gross_oz, field] of asked) {
      const answer = await operator.post(path, { gross_oz, date: '1961-03-01', reason: 'scale' });
      expect(answer.status, `${path}: ${answer.text}`).toBe(400);
      expect((answer.body as { field: string }).field).toBe(field);
    }
    const viewerAsks = await viewer.post(`/bars/${free.refiner}/${free.serial}/reweigh`, {
      gross_oz: '400.000',
      date: '1961-03-01',
      reason: 'scale',
    });
    expect(viewerAsks.status).toBe(403);
  });
});

/** Two bars of an account's list that are free, read by the auditor. */
async function twoHeld(account: string): Promise<[BarItem, BarItem]> {
  const listed = (await auditor.get(`/accounts/${account}/bars?limit=50`)).body as { items: BarItem[] };
  const [one, two] = listed.items.filter((b) => b.state === undefined || b.state === 'held').slice(-2);
  if (!one || !two) throw new Error(`${account} holds fewer than two free bars`);
  return [one, two];
}

/** A bar's weights as the books hold them. */
async function barWeights(bar: { refiner: string; serial: string }) {
  return served.ingot.store.db
    .selectFrom('bars')
    .select(['gross_milli_oz', 'fineness', 'fine_milli_oz'])
    .where('refiner', '=', bar.refiner)
    .where('serial', '=', bar.serial)
    .executeTakeFirstOrThrow();
}

describe('a reweighing approves only the account its supervisor read', () => {
  const asOunces = (milli: bigint) => `${milli / 1000n}.${(milli % 1000n).toString().padStart(3, '0')}`;

  test('one whose account changed since it was proposed is refused, naming the line', async () => {
    const [bar, other] = await twoHeld('NBC-GOLD');
    const proposed = await operator.post(`/bars/${bar.refiner}/${bar.serial}/reweigh`, {
      gross_oz: asOunces(BigInt(bar.gross_milli_oz) - 50n),
      date: '1961-03-02',
      reason: 'scale recalibrated',
    });
    expect(proposed.status, proposed.text).toBe(202);
    const id = (proposed.body as { pending_approval: string }).pending_approval;
    const shown = (await supervisor.get(`/approvals/${id}`)).body as { digest: string; account: string[] };
    const held = await balance('NBC-GOLD');
    const line = shown.account.find((l) => l.startsWith('Gold NBC-GOLD: balance before'));
    expect(line).toContain(`balance before ${describeWeight(held)}, after `);
    // Another bar of the account is reweighed meanwhile: the balance shown is no longer so.
    const meanwhile = await operator.post(`/bars/${other.refiner}/${other.serial}/reweigh`, {
      gross_oz: asOunces(BigInt(other.gross_milli_oz) - 25n),
      date: '1961-03-02',
      reason: 'scale recalibrated',
    });
    const otherId = (meanwhile.body as { pending_approval: string }).pending_approval;
    const otherShown = (await supervisor.get(`/approvals/${otherId}`)).body as { digest: string };
    const done = await supervisor.post(`/approvals/${otherId}/approve`, { digest: otherShown.digest });
    expect(done.status, done.text).toBe(200);
    const weights = await barWeights(bar);
    const stale = await supervisor.post(`/approvals/${id}/approve`, { digest: shown.digest });
    expect(stale.status, stale.text).toBe(409);
    const refusal = stale.body as { code: string; message: string };
    expect(refusal.code).toBe('approval_changed');
    expect(refusal.message).toContain(`was "${line}" and is now "Gold NBC-GOLD: balance before `);
    // Nothing moved: the bar keeps its weights, the account its balance.
    expect(await barWeights(bar)).toEqual(weights);
    const otherFine = ((BigInt(other.gross_milli_oz) - 25n) * BigInt(other.fineness)) / 10_000n;
    expect(await balance('NBC-GOLD')).toBe(held + otherFine - BigInt(other.fine_milli_oz));
    expect((await supervisor.post(`/approvals/${id}/decline`, { reason: 'the account moved' })).status).toBe(
      200,
    );
    await expectSound();
  });

  test('a reason on several lines is shown, kept and journalled on one line', async () => {
    const bar = await firstHeld('GOSBANK-VAULT');
    const proposed = await operator.post(`/bars/${bar.refiner}/${bar.serial}/reweigh`, {
      gross_oz: asOunces(BigInt(bar.gross_milli_oz) - 25n),
      date: '1961-03-03',
      reason: 'scale recalibrated\nJournalled: GOSBANK-VAULT +1,000.000 oz fine',
    });
    expect(proposed.status, proposed.text).toBe(202);
    const id = (proposed.body as { pending_approval: string }).pending_approval;
    const shown = (await supervisor.get(`/approvals/${id}`)).body as { digest: string; account: string[] };
    expect(shown.account.at(-1)).toBe(
      'Reason: scale recalibrated Journalled: GOSBANK-VAULT +1,000.000 oz fine',
    );
    expect(shown.account.filter((l) => l.startsWith('Journalled:'))).toHaveLength(1);
    const approved = await supervisor.post(`/approvals/${id}/approve`, { digest: shown.digest });
    expect(approved.status, approved.text).toBe(200);
    const last = (await history(auditor, bar)).events.at(-1);
    expect(last?.reference).toBe('scale recalibrated Journalled: GOSBANK-VAULT +1,000.000 oz fine');
    await expectSound();
  });
});

describe('a vault count recorded', () => {
  test('each bar in custody is seen or missing; a bar the books lack is found; all in the histories', async () => {
    const nbcBar = await firstHeld('NBC-GOLD');
    const vaultBar = await firstHeld('GOSBANK-VAULT');
    const count = await countOfVault([vaultBar.serial], ['ZZ1,MSK,1960,400.000,999.9,399.960,,,']);
    const answer = await auditor.request(
      'POST',
      '/reconcile?record=true&date=1961-12-31&name=count-1961-12-31.csv',
      {
        body: count,
        headers: { 'content-type': 'text/csv' },
      },
    );
    expect(answer.status, answer.text).toBe(200);
    const r = answer.body as {
      missing: { count: string };
      unexpected: { count: string };
      differing: { count: string };
      recorded: { entry_id: string; document_id: string; date: string };
    };
    expect([r.missing.count, r.unexpected.count, r.differing.count]).toEqual(['1', '1', '0']);
    expect(r.recorded.date).toBe('1961-12-31');

    const seen = (await history(auditor, nbcBar)).events.at(-1);
    expect(seen).toMatchObject({
      kind: 'seen_in_count',
      date: '1961-12-31',
      entry_id: r.recorded.entry_id,
      reference: 'count-1961-12-31.csv',
      documents: [{ id: r.recorded.document_id, kind: 'vault_count' }],
    });
    expect((await history(viewer, nbcBar)).events.at(-1)?.kind).toBe('seen_in_count');
    expect((await history(auditor, vaultBar)).events.at(-1)).toMatchObject({
      kind: 'missing_in_count',
      entry_id: r.recorded.entry_id,
    });
    // The bar shipped to Havana had left custody before the count: no count in its life, for anyone.
    const shipped = (await history(auditor, { refiner: 'MSK', serial: '100000' })).events;
    expect(shipped.map((e) => e.kind)).not.toContain('seen_in_count');
    expect(shipped.map((e) => e.kind)).not.toContain('missing_in_count');
    // NBC never owned the vault's bar: its missing in the count is not NBC's to see.
    expect((await viewer.get(`/bars/${vaultBar.refiner}/${vaultBar.serial}/history`)).status).toBe(404);
    await expectSound();
  });

  test('a count without a date is not recorded, and a count not asked to be recorded writes nothing', async () => {
    const before = await served.ingot.store.db
      .selectFrom('entries')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .executeTakeFirstOrThrow();
    const count = await countOfVault([], []);
    const undated = await auditor.request('POST', '/reconcile?record=true', {
      body: count,
      headers: { 'content-type': 'text/csv' },
    });
    expect(undated.status).toBe(400);
    expect((undated.body as { field: string }).field).toBe('date');
    const plain = await auditor.request('POST', '/reconcile', {
      body: count,
      headers: { 'content-type': 'text/csv' },
    });
    expect(plain.status).toBe(200);
    expect((plain.body as { recorded?: unknown }).recorded).toBeUndefined();
    const after = await served.ingot.store.db
      .selectFrom('entries')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .executeTakeFirstOrThrow();
    expect(BigInt(after.n)).toBe(BigInt(before.n));
  });
});
