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
import { grantClearance } from '../../src/service/correspondence/register.ts';
import { type ScenarioServed, sendLetterToNbc, servedScenario1961 } from '../api/scenario.ts';
import { ok } from '../support/desk.ts';
import {
  openInstruction as openDeskInstruction,
  openTab as openDeskTab,
  shot as saveShot,
  signIn as signInAs,
} from '../support/desk-page.ts';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-artifacts', 'browser');
const available = existsSync(CHROMIUM) || process.env.CI === 'true';
const LETTER = 'Loading at the vault on 1 March; our embassy will attend.';

let served: ScenarioServed;
let context: BrowserContext;
let page: Page;
let profile: string;
let barSerial: string;
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

const dialog = () => page.getByRole('dialog');
const section = (id: string) => page.locator(`section[data-instruction="${id}"]`);
const notices = (key: string) => page.locator(`[data-notices="${key}"]`);

const openInstruction = (id: string) => openDeskInstruction(page, id);

/** Takes one step by its button and confirms it in the dialog, which states the account. */
async function stepOn(id: string, button: string, expected: RegExp, reason?: string): Promise<void> {
  await openInstruction(id);
  await section(id)
    .getByRole('button', { name: `${button}…`, exact: true })
    .click();
  expect(await dialog().locator('pre.account').textContent()).toContain(`Instruction ${id}`);
  if (reason !== undefined) await dialog().getByRole('textbox').fill(reason);
  await dialog().getByRole('button', { name: button, exact: true }).click();
  await dialog().waitFor({ state: 'detached' });
  await expect.poll(() => notices(id).textContent()).toMatch(expected);
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
      .select('serial')
      .where('owner_account_id', '=', 'NBC-GOLD')
      .where('state', '=', 'held')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    barSerial = bar.serial;
    letter = await sendLetterToNbc(served.ingot, LETTER);
    // An instruction's account names its bars: who signs, accepts or approves one is cleared for
    // them (the letter cleared the supervisor and the first signatory).
    for (const user_id of ['nbc-signatory-2', 'gosbank-operator'])
      ok(await grantClearance(served.ingot, { user_id, level: 'confidential', by: 'gosbank-supervisor' }));
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
    // The bar is chosen by its serial from NBC's own list; nobody types an id. The picker's first
    // read is in before the search is typed (an answer to it coming later would replace the rows).
    await page.locator('.bar-picker tr[data-serial]').first().waitFor();
    await page.locator('input[name="bar_search"]').fill(barSerial);
    await page.locator(`.bar-picker tr[data-serial="${barSerial}"] input[type="checkbox"]`).check();
    await page.locator('select[name="representative"]').selectOption('REP-3');
    await expect.poll(() => page.locator('.representative-terms').textContent()).toContain('Limit: none');
    await page.getByRole('button', { name: 'Draft…' }).click();
    expect(await dialog().textContent()).toContain(`/${barSerial}`);
    await dialog().getByRole('button', { name: 'Draft', exact: true }).click();
    await expect.poll(() => notices('draft').textContent()).toMatch(/INS-4 drafted/);
    // The signatory sees what it signs: the representative, the bar by refiner and serial, the
    // charges; no cash balance, since a release under this schedule charges nothing.
    const account = section('INS-4').locator('pre.account');
    await expect.poll(() => account.textContent()).toMatch(/To representative REP-3: Third representative/);
    await expect.poll(() => account.textContent()).toMatch(/Bar \S+\/\S+ \(bar id \d+\): [\d,.]+ fine oz/);
    await expect.poll(() => account.textContent()).toMatch(/Charges on execution: handling fee £0 0s 0d/);
    expect(await account.textContent()).not.toMatch(/Cash NBC-GBP/);
    await stepOn('INS-4', 'Sign', /INS-4 is now drafted/);
    await shot('custody-1-drafted-and-signed-once');
    await signIn('nbc-signatory-2');
    await stepOn('INS-4', 'Sign', /INS-4 is now signed/);
    await section('INS-4').locator('textarea[name="remark"]').fill('Our representative comes at ten.');
    await section('INS-4').locator('textarea[name="remark"]').press('Enter');
    expect(await section('INS-4').locator('ul.remarks').textContent()).not.toContain('comes at ten');
    await section('INS-4').getByRole('button', { name: 'Add remark' }).click();
    await expect.poll(() => section('INS-4').locator('ul.remarks').textContent()).toContain('comes at ten');
    await shot('custody-2-signed-by-both');
  });

  it('has the depository accept and execute it, the supervisor approving the execution', async () => {
    await signIn('gosbank-operator');
    await stepOn('INS-4', 'Accept', /INS-4 is now accepted/);
    await section('INS-4').locator('select[name="handover_representative"]').selectOption('REP-3');
    await section('INS-4').locator('input[name="identity_checked"]').check();
    await stepOn('INS-4', 'Execute', /waits for a second user/);
    await signIn('gosbank-supervisor');
    await openTab('Approvals');
    const row = page.locator('tr[data-approval]', { hasText: 'INS-4' });
    // The supervisor approves what it is shown: the hand-over, the bars, where they go, the charges.
    await expect.poll(() => row.locator('pre.account').textContent()).toMatch(/Hand-over: to REP-3/);
    await expect.poll(() => row.locator('pre.account').textContent()).toMatch(/Gold moves: NBC-GOLD →/);
    await shot('custody-3-approval-waiting');
    await row.getByRole('button', { name: 'Approve…' }).click();
    expect(await dialog().textContent()).toMatch(
      /Hand-over: to REP-3[\s\S]*Digest of what you approve: [0-9a-f]{64}/,
    );
    await dialog().getByRole('button', { name: 'Approve', exact: true }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/approved/);
    const state = await served.ingot.store.db
      .selectFrom('instructions')
      .select('state')
      .where('id', '=', 'INS-4')
      .executeTakeFirstOrThrow();
    expect(state.state).toBe('executed');
  });

  it('keeps a refusal beside its instruction until dismissed, and asks a reason to cancel', async () => {
    const first = await served.as('nbc-signatory-1');
    const date = '1961-01-31'; // the desk's business date: the latest fixing's
    const release = { kind: 'release', account: 'NBC-GOLD', representative_id: 'REP-3', release_on: date };
    const drafted = async () => {
      const answer = await first.post('/instructions', {
        ...release,
        quantity_fine_milli_oz: '400000',
        date,
      });
      const id = (answer.body as { instruction_id?: string }).instruction_id;
      if (!id) throw new Error(`not drafted: ${answer.text}`);
      return id;
    };
    const [stale, other] = [await drafted(), await drafted()];
    await signIn('nbc-signatory-2');
    await openInstruction(stale);
    // The other signatory cancels it while this one reads it: signing it is then refused.
    await first.post(`/instructions/${stale}/cancel`, { reason: 'drafted twice', date });
    await stepOn(stale, 'Sign', /refused/);
    await expect.poll(() => notices(stale).getByRole('alert').count()).toBe(1);
    await openInstruction(other);
    await section(other).getByRole('button', { name: 'Cancel instruction…' }).click();
    const cancel = dialog().getByRole('button', { name: 'Cancel instruction', exact: true });
    expect(await cancel.isDisabled()).toBe(true);
    await dialog().getByRole('textbox').fill('not needed after all');
    await cancel.click();
    await expect.poll(() => notices(other).textContent()).toMatch(new RegExp(`${other} is now cancelled`));
    // The refusal is still beside the instruction it concerns, and only there.
    expect(await notices(stale).getByRole('alert').textContent()).toMatch(/Sign refused/);
    expect(await notices(other).getByRole('alert').count()).toBe(0);
    await shot('custody-4-refusal-kept-beside-its-row');
    await notices(stale).getByRole('button', { name: 'Dismiss this error' }).click();
    await notices(stale).getByRole('alert').waitFor({ state: 'detached' });
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
