// Users and letters in the desk, in Chromium, on the 1961 books: the depository's supervisor
// proposes a user (confirmed in words), a second supervisor approves it (over the API) and is given
// the enrolment secret; the new user enrols on the Enrol screen and signs in. A letter to NBC is
// written and opened in the desk, and the new user, not cleared, is refused in words.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { generateKeys, pinCorrespondent } from '../../src/service/correspondence/keyring.ts';
import { grantClearance } from '../../src/service/correspondence/register.ts';
import { ingotOver } from '../../src/service/kernel/context.ts';
import { addUser } from '../../src/service/parties/users.ts';
import { openSqliteStore } from '../../src/store/sqlite/open.ts';
import { type ScenarioServed, servedScenario1961 } from '../api/scenario.ts';
import { TEST_KEY_PASSPHRASE } from '../support/cli.ts';
import { ok } from '../support/desk.ts';
import { buildDesk, CHROMIUM_AVAILABLE, launchDesk, openTab, shot, signIn } from '../support/desk-page.ts';

const PASSPHRASE_VARIABLE = 'INGOT_KEY_PASSPHRASE';
const NEW_USER = 'gosbank-clerk';
const NEW_PASSWORD = 'vault ledger of nineteen sixty-one';
const LETTER = 'The bars for NBC-GOLD will be loaded on 1 March; your embassy may attend.';

let served: ScenarioServed;
let page: Page;
let closeDesk: () => Promise<void>;
let keys: string;
let passphraseBefore: string | undefined;
/** The two parts of the new user's enrolment secret: its proposer's and its approver's. */
let secret = { first: '', second: '' };

/** The depository's keys (kept for the server to sign letters), NBC's pinned; clearances. */
async function correspondWithNbc(): Promise<void> {
  keys = mkdtempSync(join(tmpdir(), 'ingot-desk-letters-'));
  const generate = (bank: string, ingot = served.ingot) =>
    generateKeys(ingot, {
      bank_id: bank,
      private_path: join(keys, `${bank}.keys.json`),
      public_path: join(keys, `${bank}.public.json`),
      passphrase: TEST_KEY_PASSPHRASE,
    });
  ok(await generate('GOSBANK'));
  const nbcStore = await openSqliteStore(':memory:');
  const nbc = ok(await generate('NBC', ingotOver(nbcStore, 'nbc')));
  await nbcStore.close();
  ok(await pinCorrespondent(served.ingot, { bank_id: 'NBC', file: nbc.public_file, replace: false }));
  ok(await grantClearance(served.ingot, { user_id: 'gosbank-supervisor', level: 'top_secret', by: 'test' }));
}

/** A second supervisor of the depository, to approve what the first proposes. */
async function secondSupervisor(): Promise<void> {
  ok(
    await addUser(served.ingot, {
      id: 'gosbank-supervisor-2',
      name: 'Second supervisor of the State Bank',
      party_id: 'GOSBANK',
      role: 'depository_supervisor',
      password: SCENARIO_1961_DEMO_PASSWORD,
      created_by: 'test',
    }),
  );
}

/** The notice of the page, once it says something matching. */
async function noticeMatching(pattern: RegExp): Promise<string> {
  const notice = page.locator('.notice, .error-notice').first();
  await expect.poll(() => notice.textContent()).toMatch(pattern);
  return (await notice.textContent()) ?? '';
}

describe.skipIf(!CHROMIUM_AVAILABLE)('users and letters in the desk', () => {
  beforeAll(async () => {
    buildDesk();
    passphraseBefore = process.env[PASSPHRASE_VARIABLE];
    process.env[PASSPHRASE_VARIABLE] = TEST_KEY_PASSPHRASE;
    served = await servedScenario1961();
    await correspondWithNbc();
    await secondSupervisor();
    ({ page, close: closeDesk } = await launchDesk());
  }, 60_000);
  afterAll(async () => {
    await closeDesk?.();
    await served?.close();
    if (keys) rmSync(keys, { recursive: true, force: true });
    if (passphraseBefore === undefined) delete process.env[PASSPHRASE_VARIABLE];
    else process.env[PASSPHRASE_VARIABLE] = passphraseBefore;
  });

  it('proposes a user with a confirmation; approved, the secret is given to hand over', async () => {
    await signIn(page, served.url, 'gosbank-supervisor', SCENARIO_1961_DEMO_PASSWORD);
    await openTab(page, 'Users');
    await page.locator('tr[data-user="gosbank-operator"]').waitFor();
    const form = page.locator('form[data-form="propose-user"]');
    await form.locator('input[name="user-id"]').fill(NEW_USER);
    await form.locator('input[name="user-name"]').fill('Clerk of the State Bank');
    await form.locator('select[name="user-role"]').selectOption('depository_operator');
    await form.getByRole('button', { name: 'Propose…' }).click();
    const dialog = page.getByRole('dialog', { name: `Register ${NEW_USER}` });
    await expect.poll(() => dialog.textContent()).toMatch(/becomes a depository operator of GOSBANK/);
    expect(await dialog.textContent()).toMatch(/second administrator of GOSBANK approves/);
    await shot(page, 'users-1-propose-confirmation');
    await dialog.getByRole('button', { name: 'Propose the user' }).click();
    const said = await noticeMatching(/proposed as approval #\d+/);
    const approval = said.match(/#(\d+)/)?.[1] ?? '';
    // The proposer is shown the first part of the secret, once; the approver will be the second.
    const first = said.match(/first part of its enrolment secret, .*: ([A-Za-z0-9_-]{22})$/)?.[1] ?? '';
    expect(first, said).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await shot(page, 'users-2-proposed');
    // The Approvals page is a colleague's: the second supervisor approves over the API.
    const checker = await served.as('gosbank-supervisor-2');
    const { digest } = (await checker.get(`/approvals/${approval}`)).body as { digest: string };
    const approved = await checker.post(`/approvals/${approval}/approve`, { digest });
    expect(approved.status).toBe(200);
    const { outcome } = approved.body as { outcome: { enrolment_secret_part: string } };
    expect(outcome.enrolment_secret_part).toMatch(/^[A-Za-z0-9_-]{22}$/);
    secret = { first, second: outcome.enrolment_secret_part };
  });

  it('enrols the new user on the Enrol screen, who then signs in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: /Enrol with your one-time secret/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Enrol' });
    await dialog.locator('input[name="enrol-user"]').fill(NEW_USER);
    await dialog.locator('input[name="enrol-secret-first"]').fill(secret.first);
    await dialog.locator('input[name="enrol-secret-second"]').fill(secret.second);
    await dialog.locator('input[name="enrol-password"]').fill(NEW_PASSWORD);
    await dialog.locator('input[name="enrol-repeated"]').fill(`${NEW_PASSWORD}!`);
    expect(await dialog.getByRole('button', { name: 'Enrol', exact: true }).isDisabled()).toBe(true);
    await dialog.locator('input[name="enrol-repeated"]').fill(NEW_PASSWORD);
    await shot(page, 'users-3-enrol');
    await dialog.getByRole('button', { name: 'Enrol', exact: true }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toMatch(/gosbank-clerk is enrolled/);
    await dialog.getByRole('button', { name: 'Back to sign in' }).click();
    await signIn(page, served.url, NEW_USER, NEW_PASSWORD);
    await expect.poll(() => page.locator('.top .who').textContent()).toMatch(/depository operator/);
  });

  it('writes a letter to NBC with a confirmation and opens it; a user not cleared is refused', async () => {
    await signIn(page, served.url, 'gosbank-supervisor', SCENARIO_1961_DEMO_PASSWORD);
    await openTab(page, 'Correspondence');
    const form = page.locator('form[data-form="letter"]');
    await form.locator('select[name="letter-to"]').selectOption('NBC');
    await form.locator('input[name="letter-subject"]').fill('Loading at the vault');
    await form.locator('textarea[name="letter-text"]').fill(`Dear colleagues,\n${LETTER}`);
    await form.getByRole('button', { name: 'Send…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send a letter to NBC' });
    await expect.poll(() => dialog.textContent()).toMatch(/From GOSBANK to NBC, dated 1961-\d\d-\d\d/);
    await shot(page, 'letters-1-confirmation');
    await dialog.getByRole('button', { name: 'Send the letter' }).click();
    await noticeMatching(/Letter no\. 1 to NBC, reference LTR-\d{6}-1 is in the outbox/);
    const row = page.locator('tr[data-message]', { hasText: 'Loading at the vault' });
    await row.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.locator('section.letter pre').textContent()).toContain(LETTER);
    await shot(page, 'letters-2-opened');
    await signIn(page, served.url, NEW_USER, NEW_PASSWORD);
    await openTab(page, 'Correspondence');
    await page.locator('tr[data-message]', { hasText: 'Loading at the vault' }).getByRole('button').click();
    const refused = page.locator('section.letter [role="alert"]');
    await expect.poll(() => refused.textContent()).toMatch(/gosbank-clerk \(no clearance\) may not open/);
    await shot(page, 'letters-3-refused');
  });

  it('ends a user’s sessions, confirmed first; the depository is offered no signing rule', async () => {
    const session = await served.client(null).post('/session', { user_id: NEW_USER, password: NEW_PASSWORD });
    const clerk = served.client((session.body as { token: string }).token);
    expect((await clerk.get('/session')).status).toBe(200);
    await signIn(page, served.url, 'gosbank-supervisor', SCENARIO_1961_DEMO_PASSWORD);
    await openTab(page, 'Users');
    await page.locator(`tr[data-user="${NEW_USER}"]`).getByRole('button', { name: 'End sessions' }).click();
    const ending = page.getByRole('dialog', { name: `End the sessions of ${NEW_USER}` });
    await expect.poll(() => ending.textContent()).toMatch(/ends now; it must sign in again/);
    await ending.getByRole('button', { name: 'End sessions now' }).click();
    await noticeMatching(/done, sessions and API tokens ended: 1/);
    expect((await clerk.get('/session')).status).toBe(401);
    // Who signs for a client is the client's business: the depository has no form for it.
    expect(await page.locator('form[data-form="signing-rule"]').count()).toBe(0);
  });

  it('a client’s signatory proposes its signing rule; a second signatory approves it', async () => {
    await signIn(page, served.url, 'nbc-signatory-1', SCENARIO_1961_DEMO_PASSWORD);
    await openTab(page, 'Users');
    const form = page.locator('form[data-form="signing-rule"]');
    await form.locator('select[name="rule-account"]').selectOption('NBC-GOLD');
    await form.getByLabel('nbc-signatory-1').check();
    await form.getByLabel('nbc-signatory-2').check();
    await form.locator('input[name="rule-required"]').fill('1');
    await form.getByRole('button', { name: 'Propose…' }).click();
    const rule = page.getByRole('dialog', { name: 'Signing rule of NBC-GOLD' });
    await expect.poll(() => rule.textContent()).toMatch(/1 of these 2 signatories must sign/);
    expect(await rule.textContent()).toMatch(/until a second signatory of NBC approves it/);
    await shot(page, 'users-4-signing-rule-confirmation');
    await rule.getByRole('button', { name: 'Propose the rule' }).click();
    const said = await noticeMatching(/Signing rule of NBC-GOLD: proposed as approval #\d+/);
    const approval = said.match(/#(\d+)/)?.[1] ?? '';
    await signIn(page, served.url, 'nbc-signatory-2', SCENARIO_1961_DEMO_PASSWORD);
    await openTab(page, 'Approvals');
    const row = page.locator(`tr[data-approval="${approval}"]`);
    await expect.poll(() => row.locator('pre.account').textContent()).toMatch(/NBC-GOLD/);
    await row.getByRole('button', { name: 'Approve…' }).click();
    const confirm = page.getByRole('dialog', { name: new RegExp(`Approve #${approval}`) });
    await confirm.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect
      .poll(() => page.locator('.approvals .notice').first().textContent())
      .toMatch(new RegExp(`#${approval} .*approved and carried out`));
    const stored = await served.ingot.store.db
      .selectFrom('signing_rules')
      .select(['body', 'made_by', 'checked_by'])
      .where('id', '=', 'NBC-GOLD')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(stored.body)).toMatchObject({
      required_signatures: 1,
      signatory_user_ids: ['nbc-signatory-1', 'nbc-signatory-2'],
    });
    expect([stored.made_by, stored.checked_by]).toEqual(['nbc-signatory-1', 'nbc-signatory-2']);
  });
});
