// The Bars page of the desk, in Chromium, on the 1961 books: the depository's work on the bars
// themselves. A count of the vault compared with the books, then recorded after a confirmation
// stating its figures (each bar's history shows it); a bar reweighed by an operator and approved by
// a supervisor, who sees the change in figures; the list of refiners replaced and read; the
// bar-level holdings report downloaded and equal to the API's; the books verified from the Journal
// page; an API token created, used and revoked from the Users page. The books verified after each.
import { readFileSync } from 'node:fs';
import type { Download } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { clearUsers } from '../api/support.ts';
import {
  CHROMIUM,
  CHROMIUM_AVAILABLE,
  confirmWith as confirmOn,
  openTab,
  type ScenarioDesk,
  scenarioDesk,
  shot,
} from '../support/desk-page.ts';
import { countOfVault, firstFree } from '../support/vault-count.ts';

if (!CHROMIUM_AVAILABLE) {
  process.stderr.write(`\n*** the Bars page SKIPPED: ${CHROMIUM} is absent; with CI=true it runs ***\n`);
}

/** The desk of this file's tests (set up in its describe, which Chromium's absence skips). */
let desk: () => ScenarioDesk;

interface Shown {
  bar: { gross_milli_oz: string; fine_milli_oz: string };
  events: { kind: string; date: string; reference: string | null }[];
}

async function history(bar: { refiner: string; serial: string }): Promise<Shown> {
  const auditor = await desk().served.as('gosbank-auditor');
  const answer = await auditor.get(`/bars/${bar.refiner}/${bar.serial}/history`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body as Shown;
}

async function expectSound(): Promise<void> {
  expect((await verifyStore(desk().served.ingot)).breaches).toEqual([]);
}

describe.skipIf(!CHROMIUM_AVAILABLE)('the Bars page', () => {
  // Bar lists are confidential: the depository's staff here are cleared to read them.
  desk = scenarioDesk((served) =>
    clearUsers(served.ingot, ['gosbank-supervisor', 'gosbank-auditor', 'gosbank-operator']),
  );
  const saved: Download[] = [];
  let listening = false;
  const signIn = async (user: string) => {
    if (!listening) desk().page.on('download', (file) => saved.push(file));
    listening = true;
    await desk().signIn(user);
  };
  const dialog = () => desk().page.getByRole('dialog');
  const notices = () => desk().page.locator('.bars .notices');
  const confirmWith = (verb: string, figures: readonly (string | RegExp)[]) =>
    confirmOn(desk().page, verb, figures);

  it('compares a count of the vault with the books, then records it after stating its figures', async () => {
    const { page } = desk();
    const missing = await firstFree(await desk().served.as('gosbank-auditor'), 'GOSBANK-VAULT');
    const count = await countOfVault(
      desk().served.ingot,
      [missing.serial],
      ['ZZ1,MSK,1960,400.000,999.9,399.960,,,'],
    );
    await signIn('gosbank-operator');
    await openTab(page, 'Bars');
    const section = page.locator('section.vault-count');
    await section.locator('input[name="count"]').setInputFiles({
      name: 'count-1961-12-31.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(count),
    });
    await section.getByRole('button', { name: 'Compare with the books' }).click();
    const outcome = section.locator('.count-outcome');
    // The comparison reads every bar in custody: on a loaded machine it may take longer than a
    // click's answer. A refusal ends the wait at once, and the test says what it was.
    const refusal = notices().locator('[role="alert"]');
    await outcome.or(refusal).first().waitFor({ timeout: 60_000 });
    if ((await refusal.count()) > 0) throw new Error(`the count was refused: ${await refusal.textContent()}`);
    expect(await outcome.locator('[data-differences="missing"]').textContent()).toContain(
      `MSK ${missing.serial}`,
    );
    expect(await outcome.locator('[data-differences="unexpected"]').textContent()).toContain('MSK ZZ1');
    expect(await outcome.locator('[data-differences="differing"]').count()).toBe(0);
    // Nothing is recorded by comparing: the bar's history has no count yet.
    expect((await history(missing)).events.map((e) => e.kind)).not.toContain('missing_in_count');
    await shot(page, 'bars-1-count-compared');

    await section.locator('input[name="count_date"]').fill('1961-12-31');
    await section.locator('input[name="count_name"]').fill('count-1961-12-31.csv');
    await section.getByRole('button', { name: 'Record the count…' }).click();
    await confirmWith('Record the count', [
      'dated 1961-12-31',
      /1 missing \(booked, not counted\); 1 unexpected/,
      'all custody accounts',
    ]);
    await expect.poll(() => notices().textContent()).toMatch(/count-1961-12-31.csv recorded \(count #\d+/);
    const events = (await history(missing)).events;
    expect(events.at(-1)).toMatchObject({
      kind: 'missing_in_count',
      date: '1961-12-31',
      reference: 'count-1961-12-31.csv',
    });
    // Recorded once: the form to record it again is gone.
    expect(await section.getByRole('button', { name: 'Record the count…' }).count()).toBe(0);
    await shot(page, 'bars-2-count-recorded');
    await expectSound();
  });

  it('an operator proposes a reweighing in figures; a supervisor approves what it sees', async () => {
    const { page } = desk();
    const bar = await firstFree(await desk().served.as('gosbank-auditor'), 'NBC-GOLD');
    await signIn('gosbank-operator');
    await openTab(page, 'Bars');
    const form = page.locator('section.reweigh');
    await form.locator('input[name="reweigh_refiner"]').fill(bar.refiner);
    await form.locator('input[name="reweigh_serial"]').fill(bar.serial);
    await form.getByRole('button', { name: 'Find the bar' }).click();
    const found = form.locator(`form[data-bar="${bar.refiner} ${bar.serial}"]`);
    await found.waitFor();
    // A weight that is no weight is refused before anything is sent.
    await found.locator('input[name="reweigh_reason"]').fill('the scale of 1961-06-01');
    await found.locator('input[name="reweigh_gross"]').fill('four hundred');
    await found.locator('.error').waitFor();
    expect(await found.getByRole('button', { name: 'Propose the reweighing…' }).isDisabled()).toBe(true);
    const gross = (BigInt(bar.gross_milli_oz) - 25n).toString();
    const grossText = `${gross.slice(0, -3)}.${gross.slice(-3)}`;
    await found.locator('input[name="reweigh_gross"]').fill(grossText);
    await expect.poll(() => found.locator('.note').textContent()).toMatch(/oz fine\)$/);
    await found.locator('input[name="reweigh_gross"]').press('Enter');
    expect(await dialog().count()).toBe(0);
    await found.getByRole('button', { name: 'Propose the reweighing…' }).click();
    await confirmWith('Propose the reweighing', [
      `bar ${bar.refiner} ${bar.serial}`,
      `→ ${grossText} oz`,
      'Reason: the scale of 1961-06-01',
    ]);
    await expect.poll(() => notices().textContent()).toMatch(/reweighing of .* proposed \(#\d+\)/);
    // Nothing changes before the approval.
    expect((await history(bar)).bar.gross_milli_oz).toBe(bar.gross_milli_oz);
    await shot(page, 'bars-3-reweigh-proposed');

    await signIn('gosbank-supervisor');
    await openTab(page, 'Approvals');
    const row = page.locator('tr[data-approval]', { hasText: `reweigh bar ${bar.refiner} ${bar.serial}` });
    const digest = (await row.locator('pre.account').getAttribute('data-digest')) ?? '';
    expect(await row.locator('pre.account').textContent()).toContain(`→ ${grossText} oz`);
    await row.getByRole('button', { name: 'Approve…' }).click();
    await confirmWith('Approve', [digest, `→ ${grossText} oz`]);
    await expect.poll(async () => (await history(bar)).bar.gross_milli_oz).toBe(gross);
    // In date order: the count of 1961-12-31 recorded before may come after the reweighing.
    expect((await history(bar)).events.map((e) => e.kind)).toContain('reweighed');
    await expectSound();
  });

  it('replaces the list of refiners after a confirmation, and a client bank has no Bars page', async () => {
    const { page } = desk();
    await signIn('gosbank-operator');
    await openTab(page, 'Bars');
    const list = [
      'brand_code,name,country,status,listed_on,removed_on',
      'MSK,Moscow Refinery,USSR,current,1950-01-01,',
      'OLD,Old Refinery,United Kingdom,former,1934-01-01,1959-06-30',
    ].join('\n');
    await page.locator('input[name="refiners"]').setInputFiles({
      name: 'good-delivery.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(list),
    });
    await confirmWith('Replace the list', ['good-delivery.csv', 'kept as former']);
    await expect.poll(() => notices().textContent()).toContain('good-delivery.csv: 1 current, 1 former');
    await page.locator('tr[data-refiner="MSK"]').waitFor();
    await page.locator('input[name="refiner_filter"]').fill('united');
    await expect.poll(() => page.locator('tr[data-refiner]').count()).toBe(1);
    expect(await page.locator('tr[data-refiner="OLD"]').textContent()).toContain('1959-06-30');
    // A faulty list is refused whole, the refusal kept beside the outcome before it.
    await page.locator('input[name="refiners"]').setInputFiles({
      name: 'faulty.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${list}\nMSK,Again,USSR,current,,`),
    });
    await confirmWith('Replace the list', ['faulty.csv']);
    await expect.poll(() => notices().locator('[role="alert"]').textContent()).toMatch(/faulty.csv: refused/);
    await shot(page, 'bars-4-refiners');

    await signIn('nbc-signatory-1');
    expect(await page.locator('nav.tabs').getByRole('tab', { name: 'Bars', exact: true }).count()).toBe(0);
    const client = await desk().served.as('nbc-signatory-1');
    expect((await client.get('/reports/holdings')).status).toBe(403);
  });

  it('downloads the holdings report the API gives, and verifies the books from the Journal', async () => {
    const { page } = desk();
    await signIn('gosbank-auditor');
    await openTab(page, 'Bars');
    const date = (await page.locator('.page-date strong').textContent()) ?? '';
    const before = saved.length;
    await page
      .locator('[data-download="Holdings CSV"]')
      .getByRole('button', { name: 'Holdings CSV' })
      .click();
    await expect.poll(() => saved.length, { timeout: 30_000 }).toBe(before + 1);
    const file = saved[before] as Download;
    const text = readFileSync(await file.path(), 'utf8');
    const auditor = await desk().served.as('gosbank-auditor');
    const api = await auditor.get(`/reports/holdings?date=${date}`);
    expect(file.suggestedFilename()).toBe(`holdings-${date}.csv`);
    expect(text).toBe(api.text);
    expect(text.split('\n').length).toBeGreaterThan(100);
    // The reweigher's own role may not run the reweighing: an auditor is not shown the form.
    expect(await page.locator('section.reweigh').count()).toBe(0);

    await openTab(page, 'Journal');
    await page.getByRole('button', { name: 'Verify the books' }).click();
    await expect.poll(() => page.locator('[data-verified]').getAttribute('data-verified')).toBe('sound');
    expect(await page.locator('[data-verified]').textContent()).toMatch(/checks, no breach/);
    await shot(page, 'bars-5-verified');
  });

  it('creates an API token once shown, which acts as its user until revoked', async () => {
    const { page } = desk();
    await signIn('gosbank-auditor');
    await openTab(page, 'Users');
    const section = page.locator('section.api-tokens');
    await section.locator('input[name="token_label"]').fill('nightly report');
    await section.locator('input[name="token_password"]').fill('not the password');
    await section.getByRole('button', { name: 'Create a token' }).click();
    await expect.poll(() => section.locator('[role="alert"]').textContent()).toMatch(/no token created/);
    await section.locator('input[name="token_label"]').fill('nightly report');
    await section.locator('input[name="token_password"]').fill(SCENARIO_1961_DEMO_PASSWORD);
    await section.getByRole('button', { name: 'Create a token' }).click();
    const created = section.locator('[data-token-created]');
    await created.waitFor();
    const id = (await created.getAttribute('data-token-created')) ?? '';
    const token = (await created.locator('code').textContent()) ?? '';
    expect(await section.locator('input[name="token_password"]').inputValue()).toBe('');
    const program = desk().served.client(token);
    expect((await program.get('/session')).body).toMatchObject({ user: { id: 'gosbank-auditor' } });
    await shot(page, 'bars-6-token-created');

    await section.getByRole('button', { name: `Revoke token ${id}` }).click();
    await confirmWith('Revoke the token', [id, 'nightly report']);
    await expect.poll(() => section.locator(`tr[data-token="${id}"]`).textContent()).toContain('revoked');
    expect((await program.get('/session')).status).toBe(401);
  });
});
