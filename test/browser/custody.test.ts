// Custody and correspondence in the desk, in Chromium, on the 1961 books with the scenario's users:
// a release drafted and signed by one NBC signatory and signed by the second, accepted and executed
// by the depository once its supervisor approves; and a sealed letter (MT699) from the depository
// opened by an NBC user cleared for it. Screenshots go to test-artifacts/browser/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { type ScenarioServed, sendLetterToNbc, servedScenario1961 } from '../api/scenario.ts';
import { openTab as openDeskTab, shot as saveShot, signIn as signInAs } from '../support/desk-page.ts';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-artifacts', 'browser');
const available = existsSync(CHROMIUM) || process.env.CI === 'true';
const LETTER = 'Loading at the vault on 1 March; our embassy will attend.';

let served: ScenarioServed;
let context: BrowserContext;
let page: Page;
let profile: string;
let barId: string;
let letter: bigint;

function signIn(user: string): Promise<void> {
  return signInAs(page, served.url, user, SCENARIO_1961_DEMO_PASSWORD);
}

function openTab(name: string): Promise<void> {
  return openDeskTab(page, name);
}

function shot(name: string): Promise<void> {
  return saveShot(page, name);
}

/** Opens an instruction in the Instructions tab and takes one step by its button. */
async function stepOn(id: string, button: string, expected: RegExp): Promise<void> {
  await openTab('Instructions');
  await page.locator(`tr[data-row="${id}"]`).getByRole('button', { name: id }).click();
  await page.locator(`section[data-instruction="${id}"]`).getByRole('button', { name: button }).click();
  await expect.poll(() => page.locator('p.message').textContent()).toMatch(expected);
}

describe.skipIf(!available)('custody and correspondence in the desk', () => {
  beforeAll(async () => {
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`building the desk failed: ${built.stderr}`);
    mkdirSync(SHOTS, { recursive: true });
    served = await servedScenario1961();
    const first = await served.as('nbc-signatory-1');
    const proposed = await first.post('/representatives', {
      id: 'REP-3',
      name: 'Third representative of NBC (test)',
      identity_document: 'diplomatic passport Cuba D-0003',
      authority_valid_from: '1961-01-01',
      authority_valid_until: '1961-12-31',
      account_ids: ['NBC-GOLD'],
      limit_fine_milli_oz: null,
    });
    const approval = (proposed.body as { pending_approval: string }).pending_approval;
    const second = await served.as('nbc-signatory-2');
    const { digest } = (await second.get(`/approvals/${approval}`)).body as { digest: string };
    await second.post(`/approvals/${approval}/approve`, { digest });
    const bar = await served.ingot.store.db
      .selectFrom('bars')
      .select('id')
      .where('owner_account_id', '=', 'NBC-GOLD')
      .where('state', '=', 'held')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    barId = bar.id.toString();
    letter = await sendLetterToNbc(served.ingot, LETTER);
    profile = mkdtempSync(join(tmpdir(), 'ingot-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await served?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('drafts a release with one signatory and signs it with the second', async () => {
    await signIn('nbc-signatory-1');
    await openTab('Instructions');
    await page.locator('input[name="bars"]').fill(barId);
    await page.locator('select[name="representative"]').selectOption('REP-3');
    await page.getByRole('button', { name: 'Draft', exact: true }).click();
    await expect.poll(() => page.locator('p.message').textContent()).toMatch(/INS-4 drafted/);
    await page.locator('tr[data-row="INS-4"]').getByRole('button', { name: 'INS-4' }).click();
    // The signatory sees what it signs: the representative, the bar by refiner and serial, the cash.
    const account = page.locator('section[data-instruction="INS-4"] pre.account');
    await expect.poll(() => account.textContent()).toMatch(/To representative REP-3: Third representative/);
    await expect.poll(() => account.textContent()).toMatch(/Bar \S+\/\S+ \(bar id \d+\): [\d,.]+ fine oz/);
    await expect.poll(() => account.textContent()).toMatch(/Cash NBC-GBP: balance before/);
    await stepOn('INS-4', 'Sign', /INS-4 is now drafted/);
    await shot('custody-1-drafted-and-signed-once');
    await signIn('nbc-signatory-2');
    await stepOn('INS-4', 'Sign', /INS-4 is now signed/);
    await page.locator('input[name="remark"]').fill('Our representative comes at ten.');
    await page.getByRole('button', { name: 'Add remark' }).click();
    await expect.poll(() => page.locator('ul.remarks').textContent()).toContain('comes at ten');
    await shot('custody-2-signed-by-both');
  });

  it('has the depository accept and execute it, the supervisor approving the execution', async () => {
    await signIn('gosbank-operator');
    await stepOn('INS-4', 'Accept', /INS-4 is now accepted/);
    await page.locator('input[name="handover_representative"]').fill('REP-3');
    await page.locator('input[name="identity_checked"]').check();
    await page.locator('section[data-instruction="INS-4"]').getByRole('button', { name: 'Execute' }).click();
    await expect.poll(() => page.locator('p.message').textContent()).toMatch(/waits for a second user/);
    await signIn('gosbank-supervisor');
    await openTab('Approvals');
    const row = page.locator('tr[data-approval]', { hasText: 'INS-4' });
    // The supervisor approves what it is shown: the hand-over, the bars, where they go, the charges.
    await expect.poll(() => row.locator('pre.account').textContent()).toMatch(/Hand-over: to REP-3/);
    await expect.poll(() => row.locator('pre.account').textContent()).toMatch(/Gold moves: NBC-GOLD →/);
    await shot('custody-3-approval-waiting');
    await row.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.locator('p.message').textContent()).toMatch(/approved/);
    const state = await served.ingot.store.db
      .selectFrom('instructions')
      .select('state')
      .where('id', '=', 'INS-4')
      .executeTakeFirstOrThrow();
    expect(state.state).toBe('executed');
  });

  it('opens the sealed letter for a cleared NBC user', async () => {
    await signIn('nbc-signatory-1');
    await openTab('Correspondence');
    const row = page.locator(`tr[data-message="${letter}"]`);
    await expect.poll(() => row.textContent()).toContain('Loading at the vault');
    await row.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.locator('section.letter').textContent()).toContain('embassy will attend');
    await shot('correspondence-letter-opened');
  });
});
