// The desk in a real browser (Debian's Chromium through playwright-core): a client bank accepts part
// of an offer, the depository allocates and settles it (each confirmed in the desk's dialog), and the
// bar lists open and filter.
// Screenshots go to test-artifacts/browser/. Without /usr/bin/chromium the tests are skipped loudly,
// unless CI=true, where they must run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, type Served, servedWorld } from '../api/support.ts';
import {
  launchDesk,
  openTab as openDeskTab,
  shot as saveShot,
  signIn as signInAs,
} from '../support/desk-page.ts';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-artifacts', 'browser');
const available = existsSync(CHROMIUM) || process.env.CI === 'true';
if (!available) {
  process.stderr.write(
    `\n*** browser tests SKIPPED: ${CHROMIUM} is absent (apt-get install -y chromium); with CI=true they run ***\n`,
  );
}

let served: Served;
let page: Page;
let closeDesk: (() => Promise<void>) | undefined;

function signIn(user: string): Promise<void> {
  return signInAs(page, served.url, user, PASSWORD);
}

function openTab(name: string): Promise<void> {
  return openDeskTab(page, name);
}

function shot(name: string): Promise<void> {
  return saveShot(page, name);
}

/** Confirms what the desk asks with the dialog's verb. */
async function confirm(verb: string): Promise<void> {
  await page.getByRole('dialog').getByRole('button', { name: verb, exact: true }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

describe.skipIf(!available)('the desk in Chromium', () => {
  beforeAll(async () => {
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`building the desk failed: ${built.stderr}`);
    mkdirSync(SHOTS, { recursive: true });
    served = await servedWorld(300);
    const desk = await launchDesk();
    page = desk.page;
    closeDesk = desk.close;
  });
  afterAll(async () => {
    await closeDesk?.();
    await served?.close();
  });

  it('lets the client bank accept part of an offer, with the cost shown first', async () => {
    await signIn('nbc-signatory');
    await openTab('Buy gold');
    await page.locator('input[name="asked"]').fill('1,000 oz');
    const quote = page.locator('.quote');
    await expect.poll(() => quote.textContent()).toContain('Buys 1,000.000 fine oz');
    expect(await quote.textContent()).toContain('£12,700');
    await shot('1-client-quote');
    await page.getByRole('button', { name: /^Accept on/ }).click();
    await confirm('Accept');
    await expect.poll(() => page.locator('.notice').textContent()).toContain('TRADE-1: accepted');
    await shot('2-client-accepted');
  });

  it('lets the depository allocate and settle it', async () => {
    await signIn('operator');
    await openTab('Trades');
    const row = page.locator('tr[data-trade="TRADE-1"]');
    await row.getByRole('button', { name: 'Allocate' }).click();
    await confirm('Allocate');
    await expect.poll(() => row.locator('.state').textContent()).toBe('allocated');
    await row.getByRole('button', { name: /^Settle/ }).click();
    await confirm('Settle');
    await expect.poll(() => row.locator('.state').textContent()).toBe('settled');
    expect(await row.textContent()).toContain('1961-01-31');
    await shot('3-depository-settled');
  });

  it('shows the client its bars, and the vault’s bar list filters', async () => {
    await signIn('nbc-signatory');
    await openTab('Holdings');
    await expect.poll(() => page.locator('.bar-list .count').textContent()).toMatch(/^[1-3] bars$/);
    expect(await page.locator('.bar-row[data-serial]').count()).toBeGreaterThan(0);
    await shot('4-client-holdings');
    await signIn('operator');
    await openTab('Vault');
    await expect.poll(() => page.locator('.bar-list .count').textContent()).toMatch(/^29\d bars$/);
    // Only the rows in view are drawn; scrolling to the end fetches the last block and draws it.
    await page.locator('.bar-scroll').evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    const lastRow = page.locator('.bar-row').last();
    await expect.poll(() => lastRow.getAttribute('data-serial')).toMatch(/^1002\d\d$/);
    expect(await page.locator('.bar-row').count()).toBeLessThan(40);
    await page.locator('.bar-list input[name="refiner"]').fill('msk');
    await expect.poll(() => page.locator('.bar-list .count').textContent()).toBe('60 bars');
    // The rows drawn from the filtered list, which may come a moment after its count.
    const refiners = page.locator('.bar-row[data-serial] span:nth-child(2)');
    await expect.poll(async () => new Set(await refiners.allTextContents())).toEqual(new Set(['MSK']));
    // The heading toggles the order: the second click only once the first is drawn (ascending).
    const fine = page.getByRole('button', { name: /^Fine oz/ });
    await fine.click();
    await expect.poll(() => fine.textContent()).toContain('↑');
    await fine.click();
    await expect.poll(() => fine.textContent()).toContain('↓');
    await shot('5-vault-filtered');
  });
  it('takes a fixing entered by hand under four eyes: the operator proposes, the supervisor approves', async () => {
    await signIn('operator');
    await openTab('Fixings');
    const entry = page.locator('form.inline');
    await entry.locator('input[type="date"]').fill('1961-02-01');
    await entry.locator('input').nth(1).fill('250s 7½d');
    await entry.locator('input').nth(2).fill('The Times, 2 February 1961');
    await entry.getByRole('button', { name: 'Propose the fixing' }).click();
    await confirm('Propose the fixing');
    await expect.poll(() => page.locator('.notice').textContent()).toContain('proposed');
    await signIn('supervisor');
    await openTab('Fixings');
    const pending = page.locator('tr[data-approval]');
    await pending.getByRole('button', { name: 'Approve' }).click();
    await confirm('Approve');
    await expect.poll(() => page.locator('.notice').textContent()).toContain('approved and recorded');
    await expect.poll(() => page.locator('table.grid').last().textContent()).toContain('250s 7½d');
    await shot('6-fixing-approved');
  });
});
