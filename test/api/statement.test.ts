// The statement over HTTP, on both stores: its bar list is streamed as it is read (a vault holds
// millions of bars), yet the document is the one the OpenAPI schema describes, and a bar list that
// does not add up to its balance breaks off instead of ending as if it were whole.
import { sql } from 'kysely';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateStock } from '../../src/scenario/stock.ts';
import { Statement } from '../../src/server/routes/vault/reports.ts';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { ingotOver } from '../../src/service/kernel/context.ts';
import { addParty, openAccount } from '../../src/service/parties/parties.ts';
import { importBars } from '../../src/service/vault/bars.ts';
import { STATEMENT_BAR_PAGE } from '../../src/service/vault/statement.ts';
import { ok } from '../support/desk.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { addUsers, type Client, clearUsers, type Served, serveOver } from './support.ts';

/** More bars than a page of the store's reads, so the list spans pages and pieces of text. */
const VAULT_BARS = STATEMENT_BAR_PAGE + 1001;
const PERIOD = 'from=1961-01-01&to=1961-01-31';

interface StatementBody {
  closing: string;
  bars: { id: string; fine_milli_oz: string }[] | null;
}

describe.each(STORE_KINDS)('the statement over HTTP on $name', (kind) => {
  if (kind.unavailable) {
    test.skip(`skipped: ${kind.unavailable}`, () => undefined);
    return;
  }
  let served: Served;
  let auditor: Client;

  beforeAll(async () => {
    const ingot = ingotOver(await kind.open(), 'setup');
    ok(await addParty(ingot, { id: 'GOSBANK', name: 'State Bank of the USSR', role: 'depository' }));
    ok(await openAccount(ingot, { id: 'GOSBANK-VAULT', party_id: 'GOSBANK', kind: 'custody', unit: 'XAU' }));
    ok(await openAccount(ingot, { id: 'GOSBANK-GBP', party_id: 'GOSBANK', kind: 'cash', unit: 'GBP' }));
    const rules = { minimum_fineness: 9950n, good_delivery: true };
    const lines = generateStock(VAULT_BARS);
    const stock = { account_id: 'GOSBANK-VAULT', lines, rules, date: '1961-01-02', key: 'stock' };
    ok(await importBars(ingot, { ...stock, source: 'stock.csv' }));
    ok(await openAccount(ingot, { id: 'GOSBANK-SPARE', party_id: 'GOSBANK', kind: 'custody', unit: 'XAU' }));
    const spare = {
      ...stock,
      account_id: 'GOSBANK-SPARE',
      lines: generateStock(3, 5, 900_000),
      key: 'spare',
    };
    ok(await importBars(ingot, { ...spare, source: 'spare.csv' }));
    await addUsers(ingot, [['auditor', 'GOSBANK', 'auditor']]);
    await clearUsers(ingot, ['auditor']);
    served = await serveOver(ingot);
    auditor = await served.signIn('auditor');
  });
  afterAll(() => served.close());

  test('lists every bar behind the closing balance, in custody order, as the schema says', async () => {
    const answer = await auditor.get(`/accounts/GOSBANK-VAULT/statement?${PERIOD}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/json');
    const schema = Compile(Statement);
    expect(schema.Errors(answer.body)).toEqual([]);
    const body = answer.body as StatementBody;
    const bars = body.bars ?? [];
    expect(bars).toHaveLength(VAULT_BARS);
    expect(bars.reduce((sum, bar) => sum + BigInt(bar.fine_milli_oz), 0n)).toBe(BigInt(body.closing));
    expect(bars.map((bar) => bar.id)).toEqual(bars.map((_bar, index) => String(index + 1)));
  });

  test('without the bars, and for a cash account, the list is null', async () => {
    const without = await auditor.get(`/accounts/GOSBANK-VAULT/statement?${PERIOD}&bars=false`);
    expect(without.body).toMatchObject({ bars: null });
    const cash = await auditor.get(`/accounts/GOSBANK-GBP/statement?${PERIOD}`);
    expect(cash.body).toMatchObject({ closing: '0', bars: null });
    expect(Compile(Statement).Check(cash.body)).toBe(true);
  });

  test('bars altered behind Ingot’s back: no list is passed off as whole; the server goes on', async () => {
    // The last bar weighs an ounce more than the books say: its account no longer adds up.
    await sql`update bars set fine_milli_oz = fine_milli_oz + 1000 where id = ${BigInt(VAULT_BARS)}`.execute(
      served.ingot.store.db,
    );
    const broken = auditor.get(`/accounts/GOSBANK-VAULT/statement?${PERIOD}`);
    await expect(broken).rejects.toThrow(/terminated/);
    // A short list is sent whole, so its failure is an ordinary error answer.
    await sql`update bars set fine_milli_oz = fine_milli_oz + 1000 where id = ${BigInt(VAULT_BARS + 1)}`.execute(
      served.ingot.store.db,
    );
    const short = await auditor.get(`/accounts/GOSBANK-SPARE/statement?${PERIOD}`);
    expect([short.status, (short.body as { code: string }).code]).toEqual([500, 'internal_error']);
    expect((await auditor.get('/healthz')).status).toBe(200);
    const verified = await verifyStore(served.ingot);
    const named = verified.breaches.map((breach) => breach.detail).join('\n');
    expect(named).toContain('GOSBANK-VAULT');
    expect(named).toContain('GOSBANK-SPARE');
  });
});
