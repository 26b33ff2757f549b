// A bar's detail on the desk, in Chromium, on the 1961 books: a bar of a bar list opens (by a click
// or by Enter on its serial) with its chain of custody from GET /bars/{refiner}/{serial}/history.
// The depository sees the bar's whole life; NBC only the part while its accounts owned the bar.
// The focus goes to the detail and comes back to the list when it is closed.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { grantClearance } from '../../src/service/correspondence/register.ts';
import { type ScenarioServed, servedScenario1961 } from '../api/scenario.ts';
import { ok } from '../support/desk.ts';
import {
  buildDesk,
  CHROMIUM,
  CHROMIUM_AVAILABLE,
  launchDesk,
  openTab,
  SHOTS,
  shot,
  signIn as signInAs,
} from '../support/desk-page.ts';

if (!CHROMIUM_AVAILABLE) {
  process.stderr.write(`\n*** bar detail SKIPPED: ${CHROMIUM} is absent; with CI=true it runs ***\n`);
}

let served: ScenarioServed;
let page: Page;
let closeDesk: (() => Promise<void>) | undefined;

const signIn = (user: string) => signInAs(page, served.url, user, SCENARIO_1961_DEMO_PASSWORD);
const detail = () => page.locator('section.bar-detail');

interface Shown {
  readonly bar: string;
  readonly events: string[];
}

/** Opens the first bar of NBC-GOLD's list from the tab `tab`; answers the bar and its events' kinds. */
async function openFirstBar(tab: string): Promise<Shown> {
  await openTab(page, tab);
  await page.getByRole('button', { name: 'NBC-GOLD', exact: true }).click();
  const row = page.locator('.bar-row[data-serial]').first();
  const serial = (await row.getAttribute('data-serial')) ?? '';
  const refiner = (await row.locator('span').nth(1).textContent()) ?? '';
  await row.getByRole('button', { name: serial, exact: true }).click();
  await detail().locator('table.bar-events').waitFor();
  const bar = `${refiner}/${serial}`;
  expect(await detail().getAttribute('data-bar')).toBe(bar);
  const events = await detail()
    .locator('tr[data-event]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-event') ?? ''));
  return { bar, events };
}

async function historyKinds(user: string, bar: string): Promise<string[]> {
  const answer = await (await served.as(user)).get(`/bars/${bar}/history`);
  expect(answer.status, answer.text).toBe(200);
  return (answer.body as { events: { kind: string }[] }).events.map((event) => event.kind);
}

describe.skipIf(!CHROMIUM_AVAILABLE)('a bar’s detail and history in the desk', () => {
  beforeAll(async () => {
    buildDesk();
    served = await servedScenario1961();
    ok(await grantClearance(served.ingot, { user_id: 'gosbank-supervisor', level: 'top_secret', by: 't' }));
    for (const user of ['gosbank-operator', 'nbc-signatory-1'])
      ok(
        await grantClearance(served.ingot, {
          user_id: user,
          level: 'confidential',
          by: 'gosbank-supervisor',
        }),
      );
    const desk = await launchDesk();
    page = desk.page;
    closeDesk = desk.close;
  }, 60_000);
  afterAll(async () => {
    await closeDesk?.();
    await served?.close();
  });

  it('shows the depository a bar’s whole life and NBC only its own part of it', async () => {
    await signIn('gosbank-operator');
    const whole = await openFirstBar('Vault');
    expect(whole.events).toEqual(await historyKinds('gosbank-operator', whole.bar));
    // The bar came into the depository's vault before NBC bought it.
    expect(whole.events[0]).toBe('received');
    expect(await detail().locator('tr[data-event="received"]').textContent()).toContain('GOSBANK-VAULT');
    await shot(page, 'bar-detail-1-depository');

    await signIn('nbc-signatory-1');
    const part = await openFirstBar('Holdings');
    expect(part.bar).toBe(whole.bar);
    expect(part.events).toEqual(await historyKinds('nbc-signatory-1', part.bar));
    expect(part.events.length).toBeGreaterThan(0);
    expect(part.events.length).toBeLessThan(whole.events.length);
    expect(part.events).not.toContain('received');
    // Its part starts when the bar came to NBC-GOLD at the settlement.
    expect(part.events[0]).toBe('owner_changed');
    expect(await detail().locator('tr[data-event]').first().textContent()).toContain('NBC-GOLD');
    await shot(page, 'bar-detail-2-client-part');
  });

  it('opens with Enter on the serial, takes the focus, and gives it back to the list when closed', async () => {
    await signIn('nbc-signatory-1');
    await openTab(page, 'Holdings');
    await page.getByRole('button', { name: 'NBC-GOLD', exact: true }).click();
    const row = page.locator('.bar-row[data-serial]').nth(1);
    const serial = (await row.getAttribute('data-serial')) ?? '';
    await row.getByRole('button', { name: serial, exact: true }).focus();
    await page.keyboard.press('Enter');
    await detail().locator('table.bar-events').waitFor();
    expect(await detail().getAttribute('data-bar')).toContain(`/${serial}`);
    const heading = detail().getByRole('heading');
    expect(await heading.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await detail().waitFor({ state: 'detached' });
    expect(await page.locator('.bar-scroll').evaluate((element) => element === document.activeElement)).toBe(
      true,
    );
  });

  it('opens a bar of a trade’s bar list with its history, the trade among its events', async () => {
    await signIn('gosbank-operator');
    await openTab(page, 'Trades');
    await page.locator('tr[data-trade="TRADE-1"]').getByRole('button', { name: 'Show the bars' }).click();
    const first = page.locator('tr[data-bars-for="TRADE-1"] tr[data-serial]').first();
    const serial = (await first.getAttribute('data-serial')) ?? '';
    const opener = first.getByRole('button', { name: serial, exact: true });
    await opener.click();
    await detail().locator('table.bar-events').waitFor();
    expect(await detail().getAttribute('data-bar')).toContain(`/${serial}`);
    const events = await detail().locator('tr[data-event]').allTextContents();
    expect(events.some((event) => event.includes('TRADE-1'))).toBe(true);
    // The trade lists some 1,400 bars: the screenshot is of the detail, not of the whole page.
    await detail().screenshot({ path: join(SHOTS, 'bar-detail-3-from-a-trade.png') });
    await detail().getByRole('button', { name: 'Close the bar' }).click();
    await detail().waitFor({ state: 'detached' });
    expect(await opener.evaluate((element) => element === document.activeElement)).toBe(true);
  });
});
