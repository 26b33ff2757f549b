// Fee schedules on the desk, in Chromium, on the 1961 books: the terms in force for each client
// bank (the 1961 terms until one is agreed); an operator proposes new terms after a confirmation
// stating them, a supervisor approves them after one showing the digest, and from then they are
// the terms in force. A client bank sees only its own.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { type ScenarioServed, servedScenario1961 } from '../api/scenario.ts';
import {
  buildDesk,
  CHROMIUM,
  CHROMIUM_AVAILABLE,
  confirmWith as confirmOn,
  launchDesk,
  openTab,
  rendered,
  shot,
  signIn as signInAs,
} from '../support/desk-page.ts';

if (!CHROMIUM_AVAILABLE) {
  process.stderr.write(`\n*** fee schedules SKIPPED: ${CHROMIUM} is absent; with CI=true they run ***\n`);
}

let served: ScenarioServed;
let page: Page;
let closeDesk: (() => Promise<void>) | undefined;

const signIn = (user: string) => signInAs(page, served.url, user, SCENARIO_1961_DEMO_PASSWORD);
const dialog = () => page.getByRole('dialog');
const row = (party: string) => page.locator(`table.fee-schedules tr[data-party="${party}"]`);
const outcome = () => page.locator('[data-notices="fee-schedule"]');

const confirmWith = (verb: string, figures: readonly (string | RegExp)[]) => confirmOn(page, verb, figures);

describe.skipIf(!CHROMIUM_AVAILABLE)('fee schedules in the desk', () => {
  beforeAll(async () => {
    buildDesk();
    served = await servedScenario1961();
    const desk = await launchDesk();
    page = desk.page;
    closeDesk = desk.close;
  }, 60_000);
  afterAll(async () => {
    await closeDesk?.();
    await served?.close();
  });

  it('proposes a schedule with its terms stated, a supervisor approves it, and it is in force', async () => {
    await signIn('gosbank-operator');
    await openTab(page, 'Fee schedules');
    await expect.poll(() => row('NBC').locator('.source').textContent()).toContain('the 1961 terms');
    const form = page.locator('form.fee-form');
    await form.locator('select[name="fee_party"]').selectOption('NBC');
    await form.locator('input[name="fee_agreement"]').fill('custody agreement of 1962');
    await form.locator('select[name="fee_custody"]').selectOption('rate_of_value');
    await form.locator('input[name="fee_custody_value"]').fill('5');
    await form.locator('input[name="fee_release"]').fill('£25');
    await form.locator('input[name="fee_transfer"]').fill('£10');
    await form.locator('input[name="fee_shipment"]').fill('£50');
    await form.locator('input[name="fee_shipment"]').press('Enter');
    await rendered(page);
    expect(await dialog().count()).toBe(0);
    await form.getByRole('button', { name: 'Propose…' }).click();
    await confirmWith('Propose', [
      'Fee schedule of NBC: agreement custody agreement of 1962, in GBP',
      'Custody fee: 5 per 10,000 of the value a year',
      /Handling: £25 0s 0d a release, £10 0s 0d a transfer, £50 0s 0d a shipment/,
    ]);
    await expect.poll(() => outcome().textContent()).toMatch(/approval #\d+ waits for a supervisor/);
    // Nothing is in force before the approval.
    expect(await row('NBC').locator('.source').textContent()).toContain('the 1961 terms');
    await shot(page, 'fee-schedules-1-proposed');

    await signIn('gosbank-supervisor');
    await openTab(page, 'Fee schedules');
    const waiting = page.locator('tr[data-approval]', { hasText: 'NBC' });
    const digest = (await waiting.locator('pre.account').getAttribute('data-digest')) ?? '';
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    await waiting.getByRole('button', { name: 'Approve…' }).click();
    await confirmWith('Approve', [digest]);
    await expect.poll(() => outcome().textContent()).toMatch(/approved/);
    await expect
      .poll(() => row('NBC').locator('.source').textContent())
      .toBe('by gosbank-operator, approved by gosbank-supervisor');
    expect(await row('NBC').textContent()).toContain('5 per 10,000 of the value a year');
    expect((await verifyStore(served.ingot)).breaches).toEqual([]);
    await shot(page, 'fee-schedules-2-approved');
  });

  it('shows a client bank only its own schedule, and no form to change it', async () => {
    const nbc = await served.as('nbc-signatory-1');
    const answer = await nbc.get('/fee-schedules');
    expect((answer.body as { items: { party_id: string }[] }).items.map((item) => item.party_id)).toEqual([
      'NBC',
    ]);
    await signIn('nbc-signatory-1');
    await openTab(page, 'Fee schedules');
    await expect.poll(() => page.locator('table.fee-schedules tr[data-party]').count()).toBe(1);
    expect(await row('NBC').textContent()).toContain('custody agreement of 1962');
    expect(await page.locator('form.fee-form').count()).toBe(0);
  });
});
