// Bar-level reports over HTTP on both stores (docs/BAR-REPORTING.md): the 1961 books' holdings at a
// date, as CSV, JSON Lines and a JSON array, add up bar for bar to the custody accounts' balances
// at that date, before and after a bar is reweighed; the events of January hold TRADE-1's sale;
// a client bank's user is refused, and so is a date that is no date.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EVENTS_FIELDS, HOLDINGS_FIELDS } from '../../src/domain/bar-report.ts';
import { runScenario1961 } from '../../src/scenario/1961.ts';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { ingotOver } from '../../src/service/kernel/context.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { type Client, clearUsers, type Served, serveOver } from './support.ts';

function milli(text: string): bigint {
  expect(text).toMatch(/^\d+\.\d{3}$/);
  return BigInt(text.replace('.', ''));
}

describe.each(STORE_KINDS)('bar-level reports over HTTP on $name', (kind) => {
  let served: Served;
  const clients = new Map<string, Client>();
  const as = async (user: string): Promise<Client> => {
    const known = clients.get(user);
    if (known) return known;
    const answer = await served
      .client(null)
      .post('/session', { user_id: user, password: SCENARIO_1961_DEMO_PASSWORD });
    if (answer.status !== 200) throw new Error(`sign-in of ${user}: ${answer.text}`);
    const client = served.client((answer.body as { token: string }).token);
    clients.set(user, client);
    return client;
  };

  beforeAll(async () => {
    if (kind.unavailable) return;
    const ingot = ingotOver(await kind.open(), 'setup');
    const replay = await runScenario1961(ingot, () => undefined);
    if (!replay.verified) throw new Error('the 1961 scenario did not verify');
    await clearUsers(ingot, ['gosbank-auditor', 'gosbank-operator', 'gosbank-supervisor']);
    served = await serveOver(ingot);
  }, 120_000);
  afterAll(async () => {
    if (!served) return;
    const store = served.ingot.store;
    await served.close();
    await store.close();
  });

  /** The custody accounts' balances at the end of `date`, from the postings. */
  async function custodyAt(date: string): Promise<bigint> {
    const row = await served.ingot.store.db
      .selectFrom('postings')
      .innerJoin('entries', 'entries.id', 'postings.entry_id')
      .innerJoin('accounts', 'accounts.id', 'postings.account_id')
      .select((eb) => eb.fn.sum<bigint>('postings.amount').as('sum'))
      .where('accounts.kind', '=', 'custody')
      .where('entries.value_date', '<=', date)
      .executeTakeFirstOrThrow();
    return BigInt(row.sum);
  }

  async function holdings(date: string): Promise<Record<string, string>[]> {
    const auditor = await as('gosbank-auditor');
    const answer = await auditor.get(`/reports/holdings?date=${date}&format=jsonl`);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/x-ndjson');
    return answer.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
  }

  const fineOf = (bars: Record<string, string>[]) =>
    bars.reduce((sum, bar) => sum + milli(bar.fine_weight_oz ?? ''), 0n);

  test.skipIf(kind.unavailable)(
    'the holdings at a date, in every format, are the custody balances',
    async () => {
      const auditor = await as('gosbank-auditor');
      const csv = await auditor.get('/reports/holdings?date=1961-01-31');
      expect(csv.status, csv.text).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const lines = csv.text.trim().split('\n');
      expect(lines[0]).toBe(HOLDINGS_FIELDS.join(','));
      expect(lines).toHaveLength(2501);
      const jsonl = await holdings('1961-01-31');
      expect(fineOf(jsonl)).toBe(await custodyAt('1961-01-31'));
      const json = await auditor.get('/reports/holdings?date=1961-01-31&format=json');
      expect(json.status).toBe(200);
      expect(json.body).toEqual(jsonl);
    },
  );

  test.skipIf(kind.unavailable)(
    'a reweighing changes today’s holdings, not those of a date before it',
    async () => {
      const before = await holdings('1961-01-31');
      const bar = (await holdings('1961-12-31')).find((b) => b.account === 'GOSBANK-VAULT');
      if (!bar) throw new Error('the vault keeps bars');
      const operator = await as('gosbank-operator');
      const proposed = await operator.post(`/bars/${bar.brand}/${bar.serial_number}/reweigh`, {
        gross_oz: '400.000',
        fineness: '995.0',
        date: '1961-06-30',
        reason: 'assayed again',
      });
      expect(proposed.status, proposed.text).toBe(202);
      const id = (proposed.body as { pending_approval: string }).pending_approval;
      const supervisor = await as('gosbank-supervisor');
      const { digest } = (await supervisor.get(`/approvals/${id}`)).body as { digest: string };
      expect((await supervisor.post(`/approvals/${id}/approve`, { digest })).status).toBe(200);
      expect(await holdings('1961-01-31')).toEqual(before);
      const after = await holdings('1961-12-31');
      expect(fineOf(after)).toBe(await custodyAt('1961-12-31'));
      expect(after.find((b) => b.serial_number === bar.serial_number)).toMatchObject({
        gross_weight_oz: '400.000',
        fineness: '995.0',
        fine_weight_oz: '398.000',
      });
      const auditor = await as('gosbank-auditor');
      const verified = (await auditor.get('/verify')).body as { breaches: unknown[] };
      expect(verified.breaches).toEqual([]);
    },
  );

  test.skipIf(kind.unavailable)('the events of January hold the sale of TRADE-1’s bars', async () => {
    const auditor = await as('gosbank-auditor');
    const answer = await auditor.get('/reports/events?from=1961-01-01&to=1961-01-31&format=csv');
    expect(answer.status, answer.text).toBe(200);
    const [header, ...rows] = answer.text.trim().split('\n');
    expect(header).toBe(EVENTS_FIELDS.join(','));
    const sold = rows.filter((row) => row.startsWith('ownership_change,') && row.includes(',TRADE-1'));
    expect(sold.length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.startsWith('stock_in,'))).toHaveLength(2500);
  });

  test.skipIf(kind.unavailable)('a client bank’s user is refused, and a date that is no date', async () => {
    const viewer = await as('nbc-viewer');
    expect((await viewer.get('/reports/holdings?date=1961-01-31')).status).toBe(403);
    expect((await viewer.get('/reports/events?from=1961-01-01')).status).toBe(403);
    const auditor = await as('gosbank-auditor');
    const bad = await auditor.get('/reports/holdings?date=1961-02-30');
    expect(bad.status).toBe(400);
    const backwards = await auditor.get('/reports/events?from=1961-02-01&to=1961-01-01');
    expect(backwards.status).toBe(400);
    expect((backwards.body as { field: string }).field).toBe('from');
  });
});
