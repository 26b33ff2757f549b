// Steps the browser tests share: signing in to the desk, opening a tab, saving a screenshot.
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export const SHOTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'browser');

/** Signs `user` in at `url`, signing out whoever was signed in first. */
export async function signIn(page: Page, url: string, user: string, password: string): Promise<void> {
  await page.goto(url);
  await page
    .getByRole('button', { name: 'Sign out' })
    .click({ timeout: 2000 })
    .catch(() => undefined);
  await page.locator('input[name="user"]').fill(user);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Opens a tab of the desk by its name. */
export async function openTab(page: Page, name: string): Promise<void> {
  await page.locator('nav.tabs').getByRole('button', { name, exact: true }).click();
}

/** Saves a full-page screenshot as a test artifact. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
