// Downloads and imports in the desk, in Chromium, on the 1961 books: bar lists, statements and
// confirmations saved as CSV and PDF, each ending with what was saved; a user not cleared to print
// told so instead of getting a broken file; the depository receiving a bar list of 20,000 bars with
// its progress (bytes sent, bars written) and outcome, or every row at fault. Screenshots as artifacts.
import { readFileSync } from 'node:fs';
import type { Download } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { generateStock } from '../../src/scenario/stock.ts';
import { grantClearance } from '../../src/service/correspondence/register.ts';
import { type ScenarioServed, servedScenario1961 } from '../api/scenario.ts';
import { ok } from '../support/desk.ts';
import { buildDesk, CHROMIUM_AVAILABLE, launchDesk, openTab, shot, signIn } from '../support/desk-page.ts';

let served: ScenarioServed;
let desk: Awaited<ReturnType<typeof launchDesk>>;
const saved: Download[] = [];

async function as(user: string, tab: string): Promise<void> {
  await signIn(desk.page, served.url, user, SCENARIO_1961_DEMO_PASSWORD);
  await openTab(desk.page, tab);
}

/** How long a download may take to be handed to the browser (a loaded machine draws PDFs slowly). */
const DOWNLOAD_WAIT_MS = 30_000;

/** Clicks a download button and waits for the browser to be handed the file; returns its text. */
async function downloadBy(label: string): Promise<{ name: string; text: string }> {
  const before = saved.length;
  await desk.page.locator(`[data-download="${label}"]`).first().getByRole('button', { name: label }).click();
  // A PDF is drawn as it streams: the browser is handed it once the server starts sending.
  await expect.poll(() => saved.length, { timeout: DOWNLOAD_WAIT_MS }).toBe(before + 1);
  const file = saved[before] as Download;
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, 'latin1') };
}

async function csvOf(count: number, firstSerial: number): Promise<string> {
  let text = '';
  for await (const line of generateStock(count, 11, firstSerial)) text += `${line}\n`;
  return text;
}

async function vaultBars(): Promise<number> {
  const rows = await served.ingot.store.db
    .selectFrom('bars')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where('owner_account_id', '=', 'GOSBANK-VAULT')
    .executeTakeFirstOrThrow();
  return Number(rows.n);
}

describe.skipIf(!CHROMIUM_AVAILABLE)('downloads and imports in the desk', () => {
  beforeAll(async () => {
    buildDesk();
    served = await servedScenario1961();
    ok(
      await grantClearance(served.ingot, { user_id: 'gosbank-supervisor', level: 'top_secret', by: 'test' }),
    );
    ok(
      await grantClearance(served.ingot, {
        user_id: 'nbc-signatory-1',
        level: 'confidential',
        by: 'gosbank-supervisor',
      }),
    );
    // The operator exports the vault's bar list: confidential in every form, so cleared for it.
    ok(
      await grantClearance(served.ingot, {
        user_id: 'gosbank-operator',
        level: 'confidential',
        by: 'gosbank-supervisor',
      }),
    );
    desk = await launchDesk();
    desk.page.on('download', (file) => saved.push(file));
  }, 60_000);
  afterAll(async () => {
    await desk?.close();
    await served?.close();
  });

  it('saves the client’s bar list and statement as CSV and PDF, saying what was saved', async () => {
    await as('nbc-signatory-1', 'Holdings');
    const csv = await downloadBy('Bar list CSV');
    const held = csv.text.trim().split('\n').length - 1;
    // The bars of the business date, as the page shows them.
    expect(csv.name).toBe('NBC-GOLD-bars-1961-01-31.csv');
    expect(csv.text.startsWith('serial,refiner,year,gross_oz,fineness,fine_oz')).toBe(true);
    expect(await desk.page.locator('[data-download="Bar list CSV"] .saved').textContent()).toContain(
      `Saved NBC-GOLD-bars-1961-01-31.csv: ${held.toLocaleString('en-GB')} rows`,
    );
    await expect
      .poll(() => desk.page.locator('.bar-list .count').textContent())
      .toBe(`${held.toLocaleString('en-GB')} bars`);
    const pdf = await downloadBy('Bar list PDF');
    expect(pdf.text.startsWith('%PDF')).toBe(true);
    // The PDF made a moment later lists the same bars as the CSV: those of the page's date.
    expect(await desk.page.locator('[data-download="Bar list PDF"] .saved').textContent()).toContain(
      `: ${held.toLocaleString('en-GB')} rows`,
    );
    const statement = (await downloadBy('Statement CSV')).text;
    expect(statement).toContain('opening balance');
    expect(statement.split('\n')[0]).toContain('(fine oz)');
    expect((await downloadBy('Statement PDF')).text.startsWith('%PDF')).toBe(true);
    await shot(desk.page, 'downloads-1-client-saved');
  });

  it('saves a trade’s confirmation as PDF and its documents as CSV', async () => {
    await openTab(desk.page, 'Trades');
    const confirmation = await downloadBy('Confirmation PDF');
    expect(confirmation.name).toBe('confirmation-TRADE-1.pdf');
    expect(confirmation.text.startsWith('%PDF')).toBe(true);
    expect((await downloadBy('Documents CSV')).text).toContain('TRADE-1');
  });

  it('tells a user not cleared to print why, and hands the browser no file', async () => {
    await as('nbc-viewer', 'Holdings');
    const before = saved.length;
    await desk.page.getByRole('button', { name: 'Bar list PDF' }).click();
    const refusal = desk.page.locator('[data-download="Bar list PDF"] .refused');
    await expect
      .poll(() => refusal.textContent())
      .toMatch(/not printed: .*may not print a document classified confidential/);
    expect(saved.length).toBe(before);
    await shot(desk.page, 'downloads-2-not-cleared');
  });

  it('receives 20,000 bars into the vault showing the bytes sent and the bars written, then the outcome', async () => {
    await as('gosbank-operator', 'Vault');
    const before = await vaultBars();
    const form = desk.page.locator('form.bar-import');
    const csv = await csvOf(20_000, 3_000_000);
    await form.locator('input[name="bar-list"]').setInputFiles({
      name: 'arrivals-1961-03.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await form.getByRole('button', { name: 'Import' }).click();
    await expect
      .poll(() => form.locator('.import-outcome').textContent(), { timeout: 60_000 })
      .toContain('Received 20,000 bars into GOSBANK-VAULT');
    const sent = form.locator('[data-stage="Sent"]');
    expect(await sent.textContent()).toContain(`${Buffer.byteLength(csv).toLocaleString('en-GB')} of`);
    const written = form.locator('[data-stage="Checked and written"]');
    await expect.poll(() => written.textContent()).toContain('20,000 of 20,000 bars');
    expect(await written.locator('progress').evaluate((p: HTMLProgressElement) => p.value === p.max)).toBe(
      true,
    );
    expect(await vaultBars()).toBe(before + 20_000);
    await shot(desk.page, 'downloads-3-import-done');
    const auditor = await served.as('gosbank-auditor');
    expect((await auditor.get('/verify')).body).toMatchObject({ breaches: [] });
  });

  it('shows every row at fault when a list is refused whole, and receives nothing', async () => {
    const before = await vaultBars();
    const form = desk.page.locator('form.bar-import');
    const csv = (await csvOf(50, 3_100_000)).replace(/,99[5-9]\.[0-9],/, ',985.0,');
    await form.locator('input[name="bar-list"]').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await form.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => form.locator('.import-outcome').textContent()).toContain('Nothing was imported');
    expect(await form.locator('.import-outcome li').first().textContent()).toMatch(/^row 2 \(fineness\)/);
    expect(await vaultBars()).toBe(before);
    await shot(desk.page, 'downloads-4-import-refused');
  });

  it('exports the whole vault with its rows counted against the count the server gave', async () => {
    // A date after the last movement: the bars held now, counted by the server before they are sent.
    await desk.page.getByLabel('Business date', { exact: true }).fill('1961-12-31');
    const held = await vaultBars();
    const csv = await downloadBy('Bar list CSV');
    expect(csv.text.trim().split('\n').length - 1).toBe(held);
    expect(await desk.page.locator('[data-download="Bar list CSV"] .saved').textContent()).toContain(
      `Saved GOSBANK-VAULT-bars-1961-12-31.csv: ${held.toLocaleString('en-GB')} rows`,
    );
  });
});
