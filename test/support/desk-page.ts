// Steps the browser tests share: the desk over the 1961 books, signing in, opening a tab,
// confirming what a dialog states, saving a screenshot.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { type ScenarioServed, servedScenario1961 } from '../api/scenario.ts';

export const SHOTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'browser');

/** Signs `user` in at `url`, signing out whoever was signed in first. */
export async function signIn(page: Page, url: string, user: string, password: string): Promise<void> {
  await page.goto(url);
  // The desk asks the server whom it serves first: wait for its answer, however long a loaded
  // machine takes, then sign out whoever it names.
  const out = page.getByRole('button', { name: 'Sign out' });
  await page.locator('input[name="user"]').or(out).first().waitFor();
  if ((await out.count()) > 0) await out.click();
  await page.locator('input[name="user"]').fill(user);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/**
 * Opens a tab of the desk by its name, and waits until it is the selected one: the click only
 * changes the URL's hash, and until the desk hears of it the previous tab's page is still shown.
 */
export async function openTab(page: Page, name: string): Promise<void> {
  const tabs = page.locator('nav.tabs');
  await tabs.getByRole('tab', { name, exact: true }).click();
  await tabs.getByRole('tab', { name, exact: true, selected: true }).waitFor();
}

/**
 * Waits until the page has drawn two frames: whatever a key or click already handled made the desk
 * render (a dialog opened by Enter, say) is on the page by then. For checking that something did
 * not happen, instead of sleeping a guessed while.
 */
export async function rendered(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(undefined)))),
  );
}

/**
 * Opens an instruction under its row in the Instructions tab (it stays open across steps). A row
 * open already (its button expanded; its detail perhaps reloading after the last step) is waited for,
 * not clicked: a click would close it.
 */
export async function openInstruction(page: Page, id: string): Promise<void> {
  await openTab(page, 'Instructions');
  const section = page.locator(`section[data-instruction="${id}"]`);
  // Its row first: a list still loading has no row yet, and a row that then comes in open (a
  // draft the desk opened) must not be clicked.
  const toggle = page.locator(`tr[data-row="${id}"]`).getByRole('button', { name: id, exact: true });
  await toggle.waitFor();
  if ((await toggle.getAttribute('aria-expanded')) === 'true') return section.waitFor();
  await toggle.click();
  await section.waitFor();
}

/** Saves a full-page screenshot as a test artifact. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

export const CHROMIUM = '/usr/bin/chromium';

/** True when the browser tests can run: Chromium is installed, or CI demands it. */
export const CHROMIUM_AVAILABLE = existsSync(CHROMIUM) || process.env.CI === 'true';

/** Builds the desk if it is stale, as `npm start` does. */
export function buildDesk(): void {
  const root = join(import.meta.dirname, '..', '..');
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-web.mjs')], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building the desk failed: ${built.stderr}`);
  mkdirSync(SHOTS, { recursive: true });
}

/** Chromium headless in a fresh profile, with one page; `close` removes the profile. */
export async function launchDesk(): Promise<{ page: Page; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'ingot-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  return {
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Checks that the open confirmation states every figure, types the reason it asks for (if one is
 * given), and confirms with its verb; answers what it stated.
 */
export async function confirmWith(
  page: Page,
  verb: string,
  figures: readonly (string | RegExp)[],
  reason?: string,
): Promise<string> {
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const text = (await dialog.textContent()) ?? '';
  for (const figure of figures) expect(text).toMatch(figure);
  if (reason !== undefined) await dialog.getByRole('textbox').fill(reason);
  await dialog.getByRole('button', { name: verb, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  return text;
}

/** A browser test's desk: the 1961 books served, Chromium on the desk, each user's sign-in. */
export interface ScenarioDesk {
  readonly served: ScenarioServed;
  readonly page: Page;
  signIn(user: string): Promise<void>;
}

/**
 * Serves the 1961 books (after `setup`, if given) and opens the desk in Chromium before a file's
 * tests, and closes both after them. Call it inside the file's describe; read the desk in tests.
 */
export function scenarioDesk(setup?: (served: ScenarioServed) => Promise<void>): () => ScenarioDesk {
  let desk: ScenarioDesk | undefined;
  let close: (() => Promise<void>) | undefined;
  let served: ScenarioServed | undefined;
  beforeAll(async () => {
    buildDesk();
    served = await servedScenario1961();
    await setup?.(served);
    const launched = await launchDesk();
    close = launched.close;
    const { page } = launched;
    const books = served;
    desk = {
      served: books,
      page,
      signIn: (user) => signIn(page, books.url, user, SCENARIO_1961_DEMO_PASSWORD),
    };
  }, 60_000);
  afterAll(async () => {
    await close?.();
    await served?.close();
  });
  return () => {
    if (!desk) throw new Error('the desk is not open: scenarioDesk() runs before the tests');
    return desk;
  };
}
