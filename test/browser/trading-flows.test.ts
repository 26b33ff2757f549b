// Trading on the desk as a bank's back office uses it, in Chromium: nothing moves without a
// confirmation stating the figures (and nothing on its Cancel), Enter in a field accepts nothing,
// warnings before the server would refuse (cost above the cash, an offer above the vault, a
// settlement before the acceptance), refusals kept under their row until dismissed, cancellation
// with a reason. Each flow ends with the books verified and a screenshot in test-artifacts/browser/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consideration, formatMoney } from '../../src/domain/money.ts';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { moveCash } from '../../src/service/vault/cash.ts';
import { PASSWORD, type Served, servedWorld } from '../api/support.ts';
import { ok } from '../support/desk.ts';
import {
  buildDesk,
  CHROMIUM,
  CHROMIUM_AVAILABLE,
  confirmWith as confirmOn,
  launchDesk,
  openTab as openDeskTab,
  rendered,
  shot as saveShot,
  signIn as signInAs,
} from '../support/desk-page.ts';

if (!CHROMIUM_AVAILABLE) {
  process.stderr.write(`\n*** trading flows SKIPPED: ${CHROMIUM} is absent; with CI=true they run ***\n`);
}

/** BNB is left this much (in 1/4800 £) of its £5,000,000, less than 1,000 oz costs. */
const BNB_CASH_LEFT = 1_000n * 4800n;
const FIXING = { currency: 'GBP' as const, minor_per_oz: 60_960n };
const BUSINESS_DATE = '1961-01-31';

let served: Served;
let page: Page;
let closeDesk: (() => Promise<void>) | undefined;

const signIn = (user: string) => signInAs(page, served.url, user, PASSWORD);
const openTab = (name: string) => openDeskTab(page, name);
const dialog = () => page.getByRole('dialog');
const row = (id: string) => page.locator(`tr[data-trade="${id}"]`);

async function shot(name: string): Promise<void> {
  const { breaches } = await verifyStore(served.ingot);
  expect(breaches).toEqual([]);
  await saveShot(page, name);
}

/** The trades and offers in the books, as the depository reads them. */
async function tradeIds(): Promise<string[]> {
  const operator = await served.signIn('operator');
  const { items } = (await operator.get('/trades')).body as { items: { id: string }[] };
  return items.map((trade) => trade.id).sort();
}

async function tradeOf(id: string): Promise<{ state: string; allocated_fine_milli_oz: string | null }> {
  const operator = await served.signIn('operator');
  const { items } = (await operator.get('/trades')).body as {
    items: { id: string; state: string; allocated_fine_milli_oz: string | null }[];
  };
  const found = items.find((trade) => trade.id === id);
  if (!found) throw new Error(`${id} is not in the books`);
  return found;
}

async function offerCount(): Promise<number> {
  const operator = await served.signIn('operator');
  return ((await operator.get('/offers')).body as unknown[]).length;
}

/** Confirms the open dialog with its verb, after checking it states `figures`. */
const confirmWith = (verb: string, figures: readonly string[]) => confirmOn(page, verb, figures);

async function cancelDialog(): Promise<void> {
  await dialog().getByRole('button', { name: 'Cancel', exact: true }).click();
  await dialog().waitFor({ state: 'detached' });
}

/** Quotes `asked` on the Buy gold tab and waits for the cost. */
async function quote(asked: string, buys: string): Promise<void> {
  await openTab('Buy gold');
  await page.locator('input[name="asked"]').fill(asked);
  await expect.poll(() => page.locator('.quote').textContent()).toContain(buys);
}

describe.skipIf(!CHROMIUM_AVAILABLE)('trading flows in the desk', () => {
  beforeAll(async () => {
    buildDesk();
    served = await servedWorld(300);
    const amount = { currency: 'GBP' as const, minor: 5_000_000n * 4800n - BNB_CASH_LEFT };
    const withdrawal = { account_id: 'BNB-GBP', amount, date: '1961-01-04', key: 'bnb-out' };
    ok(await moveCash(served.ingot, 'withdrawal', withdrawal));
    const desk = await launchDesk();
    page = desk.page;
    closeDesk = desk.close;
  });
  afterAll(async () => {
    await closeDesk?.();
    await served?.close();
  });

  it('accepts only after a confirmation with the figures; Enter and Cancel move nothing', async () => {
    await signIn('nbc-signatory');
    await quote('1,000 oz', 'Buys 1,000.000 fine oz');
    await page.locator('input[name="asked"]').press('Enter');
    await rendered(page);
    expect(await dialog().count()).toBe(0);
    expect(await tradeIds()).toEqual([]);
    await page.getByRole('button', { name: /^Accept on/ }).click();
    expect(await dialog().textContent()).toContain('£12,700');
    await cancelDialog();
    expect(await tradeIds()).toEqual([]);
    await page.getByRole('button', { name: /^Accept on/ }).click();
    await confirmWith('Accept', ['1,000.000 fine oz', '£12,700', 'NBC-GBP', BUSINESS_DATE]);
    await expect.poll(() => page.locator('.notice').textContent()).toContain('TRADE-1: accepted');
    expect(await tradeIds()).toEqual(['TRADE-1']);
    await shot('trading-1-accept-confirmed');
  });

  it('warns when the cost is above the client’s cash available', async () => {
    await signIn('bnb-signatory');
    await quote('1,000 oz', 'Buys 1,000.000 fine oz');
    const warning = page.locator('.warning');
    await expect.poll(() => warning.textContent()).toContain('above the cash available in BNB-GBP, £1,000');
    await page.getByRole('button', { name: /^Accept on/ }).click();
    await shot('trading-2-cost-above-cash');
    await confirmWith('Accept', ['Warning: the cost, £12,700', '£1,000']);
    await expect.poll(() => page.locator('.notice').textContent()).toContain('TRADE-2: accepted');
  });

  it('shows the vault’s free stock, warns of an offer above it, and makes one only when confirmed', async () => {
    await signIn('operator');
    await openTab('Offers');
    const form = page.locator('form.new-offer');
    await expect.poll(() => form.locator('.stock').textContent()).toContain('Free stock in GOSBANK-VAULT');
    await form.locator('select').selectOption('NBC');
    await form.locator('input[name="maximum"]').fill('500 t');
    await expect.poll(() => form.locator('.warning').textContent()).toContain('above the free stock');
    await form.getByRole('button', { name: 'Make the offer' }).click();
    expect(await dialog().textContent()).toContain('500.000 t');
    await shot('trading-3-offer-above-vault');
    await cancelDialog();
    expect(await offerCount()).toBe(2);
    await form.locator('input[name="maximum"]').fill('1 t');
    await expect.poll(() => form.locator('.warning').count()).toBe(0);
    await form.getByRole('button', { name: 'Make the offer' }).click();
    await confirmWith('Make the offer', ['Offer NBC up to 32,150.747 fine oz (1.000 t)', 'GOSBANK-VAULT']);
    await expect.poll(() => page.locator('.notice').textContent()).toContain('OFFER-3 made to NBC');
    expect(await offerCount()).toBe(3);
  });

  it('allocates with the bar list shown, and settles only when confirmed, with the figures', async () => {
    await signIn('operator');
    await openTab('Trades');
    await row('TRADE-1').getByRole('button', { name: 'Allocate' }).click();
    await confirmWith('Allocate', ['Allocate TRADE-1', '1,000.000 fine oz', 'GOSBANK-VAULT']);
    await expect.poll(() => row('TRADE-1').locator('.state').textContent()).toBe('allocated');
    const bars = page.locator('tr[data-bars-for="TRADE-1"] tr[data-serial]');
    await expect.poll(() => bars.count()).toBeGreaterThan(0);
    const allocated = BigInt((await tradeOf('TRADE-1')).allocated_fine_milli_oz ?? '0');
    const cost = formatMoney(consideration(FIXING, allocated, BUSINESS_DATE), BUSINESS_DATE);
    await row('TRADE-1')
      .getByRole('button', { name: `Settle ${BUSINESS_DATE}` })
      .click();
    expect(await dialog().textContent()).toContain(cost);
    await cancelDialog();
    expect((await tradeOf('TRADE-1')).state).toBe('allocated');
    await row('TRADE-1')
      .getByRole('button', { name: `Settle ${BUSINESS_DATE}` })
      .click();
    await confirmWith('Settle', [cost, '254s 0d', 'NBC-GBP', 'NBC-GOLD']);
    await expect.poll(() => row('TRADE-1').locator('.state').textContent()).toBe('settled');
    await shot('trading-4-allocated-and-settled');
  });

  it('does not offer a settlement on a date before the acceptance', async () => {
    await signIn('operator');
    await openTab('Trades');
    await row('TRADE-2').getByRole('button', { name: 'Allocate' }).click();
    await confirmWith('Allocate', ['Allocate TRADE-2']);
    await expect.poll(() => row('TRADE-2').locator('.state').textContent()).toBe('allocated');
    await row('TRADE-2').locator('input[name="settle-date"]').fill('1961-01-20');
    await expect
      .poll(() => row('TRADE-2').locator('.settle-blocked').textContent())
      .toContain(`before the acceptance on ${BUSINESS_DATE}`);
    expect(
      await row('TRADE-2')
        .getByRole('button', { name: /^Settle/ })
        .count(),
    ).toBe(0);
    await shot('trading-5-settle-before-acceptance');
  });

  it('keeps a refusal under its row until dismissed, and shows why the trade waits', async () => {
    await signIn('operator');
    await openTab('Trades');
    await row('TRADE-2')
      .getByRole('button', { name: `Settle ${BUSINESS_DATE}` })
      .click();
    await confirmWith('Settle', ['Warning: BNB-GBP holds £1,000']);
    const refusal = page.locator('tr[data-notice-for="TRADE-2"] [role="alert"]');
    await expect.poll(() => refusal.textContent()).toContain('TRADE-2: settlement refused');
    await expect.poll(() => row('TRADE-2').locator('.why').textContent()).toContain('BNB holds £1,000');
    // Another action's outcome, and the list read again, leave it in place.
    await row('TRADE-1').getByRole('button', { name: 'Show the bars' }).click();
    await row('TRADE-1').getByRole('button', { name: 'Hide the bars' }).waitFor();
    // Each filter's list read and drawn: TRADE-1, settled, leaves the allocated ones and comes back.
    await page.locator('.filters select').selectOption('allocated');
    await row('TRADE-1').waitFor({ state: 'detached' });
    await page.locator('.filters select').selectOption('');
    await row('TRADE-1').waitFor();
    expect(await refusal.count()).toBe(1);
    expect(await page.locator('.notice', { hasText: 'refused' }).count()).toBe(0);
    await shot('trading-6-refusal-kept');
    await refusal.getByRole('button', { name: 'Dismiss this error' }).click();
    await refusal.waitFor({ state: 'detached' });
    // The focus goes to the trade's own controls, not back to the top of the page.
    const focusedRow = () =>
      page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-trade'));
    expect(await focusedRow()).toBe('TRADE-2');
  });

  it('cancels only with a reason, and a cancelled trade shows no reason in red', async () => {
    await signIn('operator');
    await openTab('Trades');
    await row('TRADE-2').getByRole('button', { name: 'Cancel', exact: true }).click();
    await cancelDialog();
    expect((await tradeOf('TRADE-2')).state).toBe('allocated');
    await row('TRADE-2').getByRole('button', { name: 'Cancel', exact: true }).click();
    const verb = dialog().getByRole('button', { name: 'Cancel the trade' });
    expect(await verb.isDisabled()).toBe(true);
    await dialog().getByRole('textbox').fill('BNB could not pay in time');
    await confirmWith('Cancel the trade', ['Cancel TRADE-2', 'GOSBANK-VAULT']);
    await expect.poll(() => row('TRADE-2').locator('.state').textContent()).toBe('cancelled');
    expect(await row('TRADE-2').locator('.why').textContent()).toBe('');
    expect(await row('TRADE-2').getAttribute('class')).not.toContain('waiting');
    const outcome = page.locator('tr[data-notice-for="TRADE-2"] .notice');
    expect(await outcome.textContent()).toContain('BNB could not pay in time');
    await shot('trading-7-cancelled-with-reason');
  });
});
