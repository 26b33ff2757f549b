// The desk fits the screen and the assistive technologies, on the 1961 books, in Chromium: every
// page of a depository user and of a client bank's user at 390, 768 and 1280 px wide has no
// sideways scroll of the page (wide tables scroll inside themselves), one h1, its tab marked
// selected, and no serious or critical violation that axe-core finds. The business date stays as
// the user left it across reloads and sign-ins, and Holdings' downloads hold what the page shows.
// axe runs through @axe-core/playwright, which takes playwright-core as its peer (no `playwright`).
// The violations found are written per page to test-artifacts/browser/axe.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatScaled } from '../../src/domain/decimal.ts';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { grantClearance } from '../../src/service/correspondence/register.ts';
import { type ScenarioServed, servedScenario1961 } from '../api/scenario.ts';
import { ok } from '../support/desk.ts';
import {
  buildDesk,
  CHROMIUM_AVAILABLE,
  launchDesk,
  openTab,
  SHOTS,
  shot,
  signIn,
} from '../support/desk-page.ts';

const WIDTHS = [390, 768, 1280] as const;

/** The rules axe runs: WCAG 2.x A and AA, and its best practices. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * Problems known and left for a page's owner, by user and page: none today. An entry lets the
 * check still fail on anything new while a known problem waits; each would name its owner.
 */
const KNOWN: Record<string, readonly RegExp[]> = {};

/** The problems not already known for a page. */
function unknown(user: string, name: string, problems: readonly string[]): string[] {
  const known = KNOWN[`${user}/${name}`] ?? [];
  const news = problems.filter((problem) => !known.some((pattern) => pattern.test(problem)));
  for (const problem of problems.filter((p) => !news.includes(p)))
    process.stderr.write(`known, reported: ${user} ${name}: ${problem}\n`);
  return news;
}

/**
 * A depository user and a client bank's user, with every tab each one has: each tab is checked in
 * a test of its own, and a test checks the desk shows exactly these tabs, so none goes unchecked.
 */
const TABS: Readonly<Record<string, readonly string[]>> = {
  'gosbank-operator': [
    'Vault',
    'Bars',
    'Offers',
    'Trades',
    'Instructions',
    'Approvals',
    'Fee schedules',
    'Fixings',
    'Journal',
    'Correspondence',
    'Banks',
    'Users',
  ],
  'nbc-signatory-1': [
    'Holdings',
    'Buy gold',
    'Trades',
    'Treasury',
    'Instructions',
    'Approvals',
    'Representatives',
    'Fee schedules',
    'Correspondence',
    'Fixings',
    'Users',
  ],
};

interface Finding {
  readonly user: string;
  readonly page: string;
  readonly width: number;
  readonly problems: string[];
}

let served: ScenarioServed;
let desk: Awaited<ReturnType<typeof launchDesk>>;
let page: Page;
const findings: Finding[] = [];
const saved: Download[] = [];

async function as(user: string): Promise<void> {
  await signIn(page, served.url, user, SCENARIO_1961_DEMO_PASSWORD);
}

/** Waits until the page has nothing left saying it is loading (bounded: a page may keep a note). */
async function settled(): Promise<void> {
  await page
    .waitForFunction(() => !/Loading/.test(document.querySelector('main')?.textContent ?? ''), null, {
      timeout: 5000,
    })
    .catch(() => undefined);
}

/** What is wrong with the page as it stands at `width`: layout, heading, tab, axe. */
async function problemsAt(width: number, tab: string | undefined): Promise<string[]> {
  await page.setViewportSize({ width, height: 900 });
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(undefined))));
  const problems: string[] = [];
  const { scrollWidth, innerWidth, h1 } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    h1: document.querySelectorAll('h1').length,
  }));
  if (scrollWidth > innerWidth) problems.push(`the page is ${scrollWidth} px wide in ${innerWidth} px`);
  if (h1 !== 1) problems.push(`${h1} h1 headings`);
  if (tab !== undefined) {
    const selected = await page
      .locator('[role="tablist"] [role="tab"][aria-selected="true"]')
      .allTextContents();
    if (selected.length !== 1 || selected[0] !== tab) problems.push(`tabs selected: ${selected.join(', ')}`);
  }
  // Every rule at the phone's width and the desk's; between them only what the width changes.
  const builder = new AxeBuilder({ page });
  const axe = await (width === 768
    ? builder.withRules(['scrollable-region-focusable'])
    : builder.withTags(AXE_TAGS)
  ).analyze();
  for (const violation of axe.violations) {
    if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
    const where = violation.nodes
      .slice(0, 3)
      .map((node) => node.target.join(' '))
      .join('; ');
    problems.push(`axe ${violation.impact} ${violation.id}: ${violation.help} (${where})`);
  }
  return problems;
}

async function check(user: string, name: string, tab: string | undefined): Promise<string[]> {
  const all: string[] = [];
  for (const width of WIDTHS) {
    const problems = await problemsAt(width, tab);
    findings.push({ user, page: name, width, problems });
    all.push(...problems.map((problem) => `${width} px: ${problem}`));
    await shot(page, `layout-${user}-${name.replaceAll(' ', '-').toLowerCase()}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  return all;
}

/** Clicks a download button and waits for the browser to be handed the file; returns its text. */
async function downloadBy(label: string): Promise<{ name: string; text: string }> {
  const before = saved.length;
  await page.locator(`[data-download="${label}"]`).first().getByRole('button', { name: label }).click();
  await expect.poll(() => saved.length).toBe(before + 1);
  const file = saved[before] as Download;
  const { readFileSync } = await import('node:fs');
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

async function businessDate(): Promise<string> {
  return page.getByLabel('Business date', { exact: true }).inputValue();
}

describe.skipIf(!CHROMIUM_AVAILABLE)('the desk fits the screen and assistive technologies', () => {
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
    desk = await launchDesk();
    page = desk.page;
    page.on('download', (file) => saved.push(file));
  }, 60_000);
  afterAll(async () => {
    writeFileSync(join(SHOTS, 'axe.json'), `${JSON.stringify(findings, null, 2)}\n`);
    await desk?.close();
    await served?.close();
  });

  it('fits the sign-in page', async () => {
    await page.goto(served.url);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await check('anyone', 'Sign in', undefined)).toEqual([]);
  });

  for (const [user, tabs] of Object.entries(TABS)) {
    it(`shows ${user} exactly the tabs checked here`, async () => {
      await as(user);
      expect(await page.getByRole('tab').allTextContents()).toEqual(tabs);
    });
    for (const tab of tabs) {
      it(`fits the ${tab} page of ${user} at ${WIDTHS.join(', ')} px`, async () => {
        await as(user);
        await openTab(page, tab);
        await settled();
        expect(unknown(user, tab, await check(user, tab, tab))).toEqual([]);
      }, 60_000);
    }
  }

  it('moves between tabs with the arrow keys, the focus and the selection together', async () => {
    await as('nbc-signatory-1');
    await openTab(page, 'Holdings');
    await page.getByRole('tab', { name: 'Holdings' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Buy gold');
    // The focus moves at the key; the selection and the page follow the URL's hash a moment later.
    await expect
      .poll(() => page.getByRole('tab', { name: 'Buy gold' }).getAttribute('aria-selected'))
      .toBe('true');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Buy gold');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Buy gold');
    await page.keyboard.press('End');
    const last = (await page.getByRole('tab').allTextContents()).at(-1);
    await expect.poll(() => page.locator('h1').textContent()).toBe(last);
    await page.keyboard.press('Home');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Holdings');
  });

  it('keeps the business date as the user left it across a reload and a sign-out and sign-in', async () => {
    await as('nbc-signatory-1');
    const first = await businessDate();
    expect(first).toMatch(/^1961-/);
    await page.getByLabel('Business date', { exact: true }).fill('1961-03-01');
    await expect.poll(() => page.locator('#date-origin').textContent()).toBe('as you set it');
    await page.reload();
    await expect.poll(businessDate).toBe('1961-03-01');
    await as('nbc-signatory-1');
    expect(await businessDate()).toBe('1961-03-01');
    // A second user of the same bank at this browser starts from the date the first one set.
    await as('nbc-signatory-2');
    expect(await businessDate()).toBe('1961-03-01');
    expect(await page.locator('#date-origin').textContent()).toBe('as last set by your bank at this desk');
    // A page's forms follow a changed date: the statement starts at the new date's year.
    await as('nbc-signatory-1');
    await openTab(page, 'Holdings');
    await page.getByLabel('Business date', { exact: true }).fill('1962-01-10');
    await expect.poll(() => page.getByLabel('From', { exact: true }).inputValue()).toBe('1962-01-01');
    await page.getByLabel('Business date', { exact: true }).fill('1961-01-31');
    await expect.poll(() => page.getByLabel('From', { exact: true }).inputValue()).toBe('1961-01-01');
  });

  it('downloads from Holdings exactly what the page shows, in units a person reads', async () => {
    await as('nbc-signatory-1');
    await openTab(page, 'Holdings');
    // 1961-01-31: the day of the settlement; the shipment of 20 February has moved bars out since.
    expect(await businessDate()).toBe('1961-01-31');
    const closing = page.locator('table.statement tr.total [data-closing]');
    const closingMilli = (await closing.getAttribute('data-closing')) ?? '';
    expect(closingMilli).toBe('562429696');
    // The balance in the table of accounts is the statement's closing balance, not today's.
    expect(await page.locator('[data-balance="NBC-GOLD"]').textContent()).toBe(await closing.textContent());
    await expect.poll(() => page.locator('.bar-list .count').textContent()).toBe('1,401 bars');
    const csv = await downloadBy('Bar list CSV');
    expect(csv.name).toBe('NBC-GOLD-bars-1961-01-31.csv');
    const rows = csv.text.trim().split('\n');
    expect(rows[0]).toBe('serial,refiner,year,gross_oz,fineness,fine_oz,vault,location,bar_id');
    expect(rows.length - 1).toBe(1401);
    const fine = rows
      .slice(1)
      .reduce((sum, row) => sum + BigInt((row.split(',')[5] ?? '').replace('.', '')), 0n);
    expect(fine.toString()).toBe(closingMilli);
    const first = await page.locator('.bar-row[data-serial]').first().getAttribute('data-serial');
    expect(rows[1]?.startsWith(`${first},`)).toBe(true);
    const statement = await downloadBy('Statement CSV');
    const lines = statement.text.trim().split('\n');
    expect(lines[0]).toBe('value_date,entry_id,kind,memo,amount (fine oz),balance (fine oz)');
    expect(lines.at(-1)).toBe(
      `1961-01-31,,closing,closing balance,,${formatScaled(BigInt(closingMilli), 3)}`,
    );
    // The cash statement in £sd, and the minor-unit form still there for programs.
    await page.getByRole('button', { name: 'NBC-GBP' }).click();
    const cash = await downloadBy('Statement CSV');
    expect(cash.text.split('\n')[0]).toBe('value_date,entry_id,kind,memo,amount (£ s d),balance (£ s d)');
    expect(cash.text).toContain('"-£7,142,857 2s 9½d"');
    const program = await (await served.as('nbc-signatory-1')).get(
      '/accounts/NBC-GBP/statement.csv?from=1961-01-01&to=1961-01-31&units=minor',
    );
    expect(program.text).toContain('-34285714270');
    expect(program.text.split('\n')[0]).toBe('value_date,entry_id,kind,memo,amount,balance,unit');
    await shot(page, 'layout-holdings-downloaded');
  });

  it('shows the bars held now, searchable, once the date is after the last movement', async () => {
    await page.getByLabel('Business date', { exact: true }).fill('1961-12-31');
    await page.getByRole('button', { name: 'NBC-GOLD', exact: true }).click();
    const closing = await page
      .locator('table.statement tr.total [data-closing]')
      .getAttribute('data-closing');
    expect(closing).toBe('496528238');
    await expect.poll(() => page.locator('.bar-list input[name="search"]').count()).toBe(1);
    // The count once the server has given it (an ellipsis until then).
    await expect.poll(() => page.locator('.bar-list .count').textContent()).toMatch(/^[\d,]+ bars$/);
    const count = await page.locator('.bar-list .count').textContent();
    const csv = await downloadBy('Bar list CSV');
    expect(`${(csv.text.trim().split('\n').length - 1).toLocaleString('en-GB')} bars`).toBe(count);
  });
});
