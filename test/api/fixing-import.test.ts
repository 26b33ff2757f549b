// Fixings imported over HTTP are under four eyes as those entered by hand: the insider's price of
// £5 an ounce, sent as a one-line CSV "from the LBMA", is only proposed; a supervisor other than its
// maker approves what the approval's account lists, and until then nothing is recorded.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { type Answer, type Client, errorOf, type Served, servedWorld } from './support.ts';

let served: Served;

afterEach(async () => {
  // The books verify after every test, whatever it tried.
  if (served) expect((await verifyStore(served.ingot)).breaches).toEqual([]);
});
let operator: Client;
let supervisor: Client;

beforeAll(async () => {
  served = await servedWorld(20);
  operator = await served.signIn('operator');
  supervisor = await served.signIn('supervisor');
});
afterAll(async () => {
  expect((await verifyStore(served.ingot)).breaches).toEqual([]);
  await served.close();
});

interface Proposed {
  pending_approval: string | null;
  proposed: number;
  unchanged: number;
}

function importCsv(client: Client, csv: string, source = 'LBMA'): Promise<Answer> {
  return client.request('POST', `/prices/import?format=csv&source=${encodeURIComponent(source)}`, {
    body: csv,
    headers: { 'content-type': 'text/csv' },
  });
}

async function recorded(): Promise<{ date: string; minor_per_oz: string; entered_by: string }[]> {
  return (await supervisor.get('/prices')).body as {
    date: string;
    minor_per_oz: string;
    entered_by: string;
  }[];
}

async function pendingCount(): Promise<number> {
  return ((await supervisor.get('/approvals?status=pending')).body as unknown[]).length;
}

async function shown(client: Client, id: string): Promise<{ account: string[]; digest: string }> {
  return (await client.get(`/approvals/${id}`)).body as { account: string[]; digest: string };
}

describe('an imported fixing', () => {
  it('is only proposed: nothing is recorded until a supervisor other than its maker approves', async () => {
    const before = await recorded();
    const answer = await importCsv(operator, 'date,currency,price\n1961-04-06,GBP,5\n');
    expect(answer.status, answer.text).toBe(202);
    const { pending_approval, proposed, unchanged } = answer.body as Proposed;
    expect([proposed, unchanged]).toEqual([1, 0]);
    const id = pending_approval ?? '';
    expect(await recorded()).toEqual(before);
    const own = await operator.post(`/approvals/${id}/approve`, {
      digest: (await shown(operator, id)).digest,
    });
    expect([own.status, errorOf(own).code]).toEqual([403, 'forbidden']);
    const seen = await shown(supervisor, id);
    expect(seen.account.join('\n')).toContain(
      'Fixing of 1961-04-06 in GBP: £5 0s 0d (24000 of 1/4800 £) per fine oz; source LBMA',
    );
    expect(seen.digest).toMatch(/^[0-9a-f]{64}$/);
    // The supervisor sees £5 an ounce (the fixing was near £12 14s) and declines it: nothing recorded.
    const declined = await supervisor.post(`/approvals/${id}/decline`, {
      reason: 'not the fixing of that day',
    });
    expect(declined.status).toBe(200);
    expect(await recorded()).toEqual(before);
  });

  it('a list is one approval listing every fixing; approved, all are recorded under both names', async () => {
    const rows = ['02', '03', '06', '07', '08', '09'].map((day) => `1961-03-${day},GBP,250s 8d`);
    const answer = await importCsv(operator, `date,currency,price\n${rows.join('\n')}\n`, 'The Times');
    expect(answer.status, answer.text).toBe(202);
    const id = (answer.body as Proposed).pending_approval ?? '';
    const approval = (await supervisor.get(`/approvals/${id}`)).body as {
      subject: string;
      account: string[];
    };
    expect(approval.subject).toBe('fixings 6 from 1961-03-02 to 1961-03-09');
    const fixingLines = approval.account.filter((line) => line.startsWith('Fixing of 1961-03-'));
    expect(fixingLines).toHaveLength(6);
    const approved = await supervisor.post(`/approvals/${id}/approve`, {
      digest: (await shown(supervisor, id)).digest,
    });
    expect(approved.status, approved.text).toBe(200);
    const march = (await recorded()).filter((f) => f.date.startsWith('1961-03-'));
    expect(march.map((f) => f.entered_by)).toEqual(Array(6).fill('operator, checked by supervisor'));
    // The same list again has nothing to propose.
    const again = await importCsv(operator, `date,currency,price\n${rows.join('\n')}\n`, 'The Times');
    expect([again.status, again.body]).toEqual([
      200,
      { pending_approval: null, proposed: 0, unchanged: 6, skipped: [] },
    ]);
  });

  it('is refused at once, naming what is wrong, and nothing is proposed', async () => {
    const pending = await pendingCount();
    const before = await recorded();
    const malformed = await importCsv(
      operator,
      'date,currency,price\n1961-04-10,GBP,250s 8d\n1961-04-11,GBP,lots\n',
    );
    expect([malformed.status, errorOf(malformed).code]).toEqual([400, 'fixing_list_invalid']);
    const problems = (malformed.body as { problems: { row: number; reason: string }[] }).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]?.row).toBe(3);
    const other = await importCsv(operator, 'date,currency,price\n1961-03-02,GBP,250s 9d\n');
    expect([other.status, errorOf(other).code]).toEqual([409, 'fixing_exists_with_different_price']);
    expect(errorOf(other).message).toContain('the GBP fixing of 1961-03-02 is already recorded');
    const client = await served.signIn('nbc-signatory');
    const byClient = await importCsv(client, 'date,currency,price\n1961-04-12,GBP,250s 8d\n');
    expect(byClient.status).toBe(403);
    expect(await pendingCount()).toBe(pending);
    expect(await recorded()).toEqual(before);
  });

  it('is refused approval once a fixing it lists was recorded since it was shown', async () => {
    const answer = await importCsv(operator, 'date,currency,price\n1961-04-13,GBP,250s 8d\n');
    const id = (answer.body as Proposed).pending_approval ?? '';
    const seen = await shown(supervisor, id);
    const byHand = await operator.post('/prices', {
      date: '1961-04-13',
      currency: 'GBP',
      minor_per_oz: '60160',
      source: 'The Times',
    });
    const hand = (byHand.body as { pending_approval: string }).pending_approval;
    const handApproved = await supervisor.post(`/approvals/${hand}/approve`, {
      digest: (await shown(supervisor, hand)).digest,
    });
    expect(handApproved.status).toBe(200);
    const stale = await supervisor.post(`/approvals/${id}/approve`, { digest: seen.digest });
    expect([stale.status, errorOf(stale).code]).toEqual([409, 'approval_changed']);
    expect(errorOf(stale).message).toContain('Already recorded for that date');
  });
});
