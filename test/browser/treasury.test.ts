// The treasury in the desk, in Chromium, on the 1961 books: NBC's viewer reads what was left for
// gold on 17 January 1961 at the parity it states; a signatory records a transfer and its arrival,
// an earmark and a correspondent's balance, and the position follows. Screenshots as artifacts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { type ScenarioServed, servedScenario1961 } from '../api/scenario.ts';
import { buildDesk, CHROMIUM_AVAILABLE, launchDesk, openTab, shot, signIn } from '../support/desk-page.ts';

let served: ScenarioServed;
let desk: Awaited<ReturnType<typeof launchDesk>>;

function cell(row: string, column: number) {
  return desk.page.locator(`table.position tr[data-row="${row}"] td`).nth(column);
}

async function openTreasury(user: string, date: string): Promise<void> {
  await signIn(desk.page, served.url, user, SCENARIO_1961_DEMO_PASSWORD);
  await desk.page.locator('header .date input').fill(date);
  await openTab(desk.page, 'Treasury');
  await desk.page.locator('table.position').waitFor();
}

describe.skipIf(!CHROMIUM_AVAILABLE)('the treasury in the desk', () => {
  beforeAll(async () => {
    buildDesk();
    served = await servedScenario1961();
    desk = await launchDesk();
  }, 60_000);
  afterAll(async () => {
    await desk?.close();
    await served?.close();
  });

  it('shows the viewer what was left for gold on 17 January 1961, and in sterling at the rate it states', async () => {
    await openTreasury('nbc-viewer', '1961-01-17');
    // Columns: the label, then GBP, then USD.
    await expect.poll(() => cell('at_correspondents', 2).textContent()).toBe('USD 25,000,000.00');
    expect(await cell('under_way', 2).textContent()).toBe('USD 8,000,000.00');
    expect(await cell('earmarked', 2).textContent()).toBe('USD -13,000,000.00');
    expect(await cell('left', 2).textContent()).toBe('USD 20,000,000.00');
    expect(await cell('set_aside', 1).textContent()).toBe('-£7,142,857 2s 9½d');
    expect(await desk.page.locator('p.sterling').textContent()).toContain('state how many USD make £1');
    await desk.page.locator('input[name="usd_per_gbp"]').fill('2.80');
    await expect.poll(() => cell('left_in_sterling', 2).textContent()).toBe('£7,142,857 2s 10¼d');
    await expect.poll(() => desk.page.locator('p.sterling').textContent()).toContain('£0 0s 0¾d');
    expect(await desk.page.locator('form[data-form]').count()).toBe(0);
    expect(await desk.page.locator('tr[data-transfer="TRF-1"] .state').textContent()).toContain('under way');
    await shot(desk.page, 'treasury-1-viewer-17-january');
  });

  it('lets a signatory record a transfer and its arrival, an earmark and a balance', async () => {
    await openTreasury('nbc-signatory-1', '1961-02-01');
    const page = desk.page;
    const transfer = page.locator('form[data-form="transfer"]');
    await transfer.locator('input[name="amount"]').fill('£100,000');
    await transfer.locator('select[name="from"]').selectOption('o:');
    await transfer.locator('input[name="payer"]').fill('Sugar buyers (test)');
    await transfer.locator('select[name="to"]').selectOption('a:NBC-GBP');
    await transfer.locator('input[name="expected_on"]').fill('1961-02-03');
    await transfer.getByRole('button', { name: 'Record' }).click();
    await expect.poll(() => page.locator('p.notice').textContent()).toContain('TRF-2 recorded');
    await expect.poll(() => cell('under_way', 1).textContent()).toBe('£100,000 0s 0d');
    // Money at the depository is what its books hold: the desk asks to mark it arrived once credited.
    const dialog = page.getByRole('dialog');
    await page.locator('tr[data-transfer="TRF-2"]').getByRole('button', { name: 'Arrived' }).click();
    const asked = (await dialog.textContent()) ?? '';
    expect(asked).toContain('TRF-2: £100,000 0s 0d');
    expect(asked).toContain('only once the depository has credited NBC-GBP');
    await dialog.getByRole('button', { name: 'Arrived', exact: true }).click();
    await expect.poll(() => page.locator('p.notice').textContent()).toContain('TRF-2 arrived on 1961-02-01');
    await expect.poll(() => page.locator('tr[data-transfer="TRF-2"] .state').textContent()).toBe('arrived');
    expect(await cell('under_way', 1).textContent()).toBe('£0 0s 0d');

    const earmark = page.locator('form[data-form="earmark"]');
    await earmark.locator('input[name="amount"]').fill('USD 500,000');
    await earmark.locator('input[name="purpose"]').fill('Oil from the Soviet Union (test)');
    await earmark.getByRole('button', { name: 'Record' }).click();
    await expect.poll(() => page.locator('p.notice').textContent()).toContain('EAR-2 recorded');
    await expect.poll(() => cell('earmarked', 2).textContent()).toBe('USD -13,500,000.00');
    // Releasing an earmark asks first, stating it; Cancel releases nothing.
    const release = page.locator('tr[data-earmark="EAR-2"]').getByRole('button', { name: 'Release' });
    await release.click();
    expect(await dialog.textContent()).toContain(
      'Release EAR-2: USD 500,000.00 earmarked for Oil from the Soviet Union (test)',
    );
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await cell('earmarked', 2).textContent()).toBe('USD -13,500,000.00');
    await release.click();
    await dialog.getByRole('button', { name: 'Release', exact: true }).click();
    await expect.poll(() => page.locator('p.notice').textContent()).toContain('EAR-2 released on 1961-02-01');
    await expect.poll(() => cell('earmarked', 2).textContent()).toBe('USD -13,000,000.00');

    const balance = page.locator('form[data-form="balance"]');
    await balance.locator('input[name="amount"]').fill('11,400,000');
    await balance.getByRole('button', { name: 'Record' }).click();
    await expect.poll(() => page.locator('p.notice').textContent()).toContain('Balance of MNB-LONDON-USD');
    const london = page.locator('tr[data-correspondent="MNB-LONDON-USD"]');
    await expect.poll(() => london.textContent()).toContain('1961-02-01');
    expect(await london.textContent()).toContain('USD 11,400,000.00');
    await shot(desk.page, 'treasury-2-signatory-recorded');
  });

  it('states the same cash at the depository as the holdings, at each date', async () => {
    // Found on the old desk: the treasury and the holdings showed different cash for one date.
    for (const date of ['1961-01-17', '1961-02-01']) {
      await openTreasury('nbc-signatory-1', date);
      const treasury = (await cell('at_depository', 1).textContent()) ?? '';
      expect(treasury).toMatch(/^£[\d,]+ \d+s \d+/);
      await openTab(desk.page, 'Holdings');
      const holdings = desk.page.locator('[data-balance="NBC-GBP"]');
      await expect.poll(() => holdings.textContent(), { message: `NBC-GBP on ${date}` }).toContain(treasury);
    }
    await shot(desk.page, 'treasury-3-holdings-agree');
  });

  it('names what is wrong in a form and records nothing', async () => {
    await openTreasury('nbc-signatory-1', '1961-02-01');
    const page = desk.page;
    const before = await served.ingot.store.db.selectFrom('treasury_transfers').select('id').execute();
    const transfer = page.locator('form[data-form="transfer"]');
    await transfer.locator('input[name="amount"]').fill('USD 5');
    await transfer.locator('select[name="from"]').selectOption('c:MNB-LONDON-USD');
    await transfer.locator('select[name="to"]').selectOption('a:NBC-GBP');
    await transfer.getByRole('button', { name: 'Record' }).click();
    await expect.poll(() => page.locator('p.error').textContent()).toContain('refused');
    expect(await page.locator('p.error').textContent()).toContain('(to_account)');
    expect(await served.ingot.store.db.selectFrom('treasury_transfers').select('id').execute()).toEqual(
      before,
    );
  });
});
