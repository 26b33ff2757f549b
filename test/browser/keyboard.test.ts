// The desk used with the keyboard alone, in Chromium: Tab and Shift+Tab to reach a control, Enter
// or Space to press it, arrow keys in tab lists, radio groups and selects, letters typed. The main
// flows are completed that way: an offer made, accepted, allocated and settled; a custody transfer
// of a quantity drafted, signed by both signatories, accepted with the bars the depository proposes,
// executed, and approved by a second user. Every confirmation starts on Cancel (so Enter cancels),
// keeps Tab inside itself, closes on Escape, and gives the focus back to the control that opened
// it; Enter in a field submits nothing; after an action the focus is on what it came to, never lost
// to the top of the page. Each flow ends with the books verified and a screenshot.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { openAccount } from '../../src/service/parties/parties.ts';
import { type ScenarioServed, servedScenario1961 } from '../api/scenario.ts';
import { clearUsers, PASSWORD, type Served, servedWorld } from '../api/support.ts';
import { ok } from '../support/desk.ts';
import {
  buildDesk,
  CHROMIUM,
  CHROMIUM_AVAILABLE,
  launchDesk,
  rendered,
  shot as saveShot,
} from '../support/desk-page.ts';

if (!CHROMIUM_AVAILABLE) {
  process.stderr.write(`\n*** keyboard flows SKIPPED: ${CHROMIUM} is absent; with CI=true they run ***\n`);
}

/** Presses of Tab allowed to reach a control; a control not reached by then is unreachable. */
const PRESSES_MAX = 200;

let page: Page;
let closeDesk: (() => Promise<void>) | undefined;

const dialog = () => page.getByRole('dialog');

/** True when `target` (its first match) has the focus. */
async function focused(target: Locator): Promise<boolean> {
  if ((await target.count()) === 0) return false;
  return target.first().evaluate((element) => element === document.activeElement);
}

/** What has the focus, for a failure's message. */
function focusNow(): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    return active ? `${active.tagName} ${active.getAttribute('name') ?? ''} ${active.textContent ?? ''}` : '';
  });
}

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails when it cannot be reached. */
async function tabTo(target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  await target.first().waitFor();
  for (let press = 0; press < PRESSES_MAX; press += 1) {
    if (await focused(target)) return;
    await page.keyboard.press(key);
  }
  throw new Error(
    `not reached with ${key} in ${PRESSES_MAX} presses: ${target}; focus on ${await focusNow()}`,
  );
}

/** Replaces the text of the focused field by typing. */
async function typeOver(text: string): Promise<void> {
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

/** Opens a tab of the desk from the tab list with the arrow keys. */
async function openTab(name: string): Promise<void> {
  const selected = page.locator('[role="tablist"] [role="tab"][aria-selected="true"]');
  await tabTo(selected);
  for (let press = 0; press < 12; press += 1) {
    const now = await selected.textContent();
    if (now === name) {
      expect(await focused(selected)).toBe(true);
      return;
    }
    await page.keyboard.press('ArrowRight');
    // The selection follows the URL's hash a moment later: read on only once it has moved, or the
    // next arrow is pressed from a tab the desk has not selected yet.
    await expect.poll(() => selected.textContent()).not.toBe(now);
  }
  throw new Error(`no tab ${name}`);
}

/** Signs out (if someone is signed in) and signs `user` in, with the keyboard. */
async function signIn(url: string, user: string, password: string): Promise<void> {
  await page.goto(url);
  const out = page.getByRole('button', { name: 'Sign out' });
  const field = page.locator('input[name="user"]');
  await field.or(out).first().waitFor();
  if ((await out.count()) > 0) {
    await tabTo(out);
    await page.keyboard.press('Enter');
  }
  await tabTo(field);
  await page.keyboard.type(user);
  await page.keyboard.press('Tab');
  expect(await focused(page.locator('input[name="password"]'))).toBe(true);
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await out.waitFor();
}

/** Expects no dialog to have opened (once the page has drawn what the key pressed made it do). */
async function noDialog(): Promise<void> {
  await rendered(page);
  expect(await dialog().count()).toBe(0);
}

/**
 * Confirms the open dialog with the keyboard: the focus starts on Cancel; a reason is typed in
 * its field (Shift+Tab from Cancel); Tab reaches the verb and Enter presses it.
 */
async function confirmByKeys(verb: string, figures: readonly (string | RegExp)[], reason?: string) {
  await dialog().waitFor();
  expect(await focused(dialog().getByRole('button', { name: 'Cancel', exact: true }))).toBe(true);
  const text = (await dialog().textContent()) ?? '';
  for (const figure of figures) expect(text).toMatch(figure);
  if (reason !== undefined) {
    await page.keyboard.press('Shift+Tab');
    expect(await focused(dialog().getByRole('textbox'))).toBe(true);
    await page.keyboard.type(reason);
    await page.keyboard.press('Enter');
    expect(await dialog().count()).toBe(1);
  }
  await tabTo(dialog().getByRole('button', { name: verb, exact: true }));
  await page.keyboard.press('Enter');
  await dialog().waitFor({ state: 'detached' });
}

/** Checks the dialog opened by `opener` keeps the focus inside, and that Enter and Escape cancel. */
async function dialogKeepsAndReturnsFocus(opener: Locator): Promise<void> {
  await tabTo(opener);
  await page.keyboard.press('Enter');
  await dialog().waitFor();
  const inside = () => page.evaluate(() => document.activeElement?.closest('dialog') !== null);
  for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
    await page.keyboard.press(key);
    expect(await inside(), `focus left the dialog after ${key}: ${await focusNow()}`).toBe(true);
  }
  // Back on Cancel, Enter cancels; the focus goes back to the control that opened the dialog.
  await tabTo(dialog().getByRole('button', { name: 'Cancel', exact: true }));
  await page.keyboard.press('Enter');
  await dialog().waitFor({ state: 'detached' });
  expect(await focused(opener), `focus after Cancel: ${await focusNow()}`).toBe(true);
  await page.keyboard.press('Enter');
  await dialog().waitFor();
  await page.keyboard.press('Escape');
  await dialog().waitFor({ state: 'detached' });
  expect(await focused(opener), `focus after Escape: ${await focusNow()}`).toBe(true);
}

/** The outcome notice that has the focus after an action, its text. */
async function focusedNotice(): Promise<string> {
  const notice = page.locator('[role="status"]:focus, [role="alert"]:focus');
  await expect.poll(() => notice.count(), { message: `focus on ${await focusNow()}` }).toBe(1);
  return (await notice.textContent()) ?? '';
}

describe.skipIf(!CHROMIUM_AVAILABLE)('trading with the keyboard alone', () => {
  let served: Served;
  const signInAs = (user: string) => signIn(served.url, user, PASSWORD);
  const row = (id: string) => page.locator(`tr[data-trade="${id}"]`);

  async function trades(): Promise<{ id: string; state: string }[]> {
    const operator = await served.signIn('operator');
    return ((await operator.get('/trades')).body as { items: { id: string; state: string }[] }).items;
  }

  async function offerCount(): Promise<number> {
    const operator = await served.signIn('operator');
    return ((await operator.get('/offers')).body as unknown[]).length;
  }

  async function shot(name: string): Promise<void> {
    expect((await verifyStore(served.ingot)).breaches).toEqual([]);
    await saveShot(page, name);
  }

  beforeAll(async () => {
    buildDesk();
    served = await servedWorld(300);
    const desk = await launchDesk();
    page = desk.page;
    closeDesk = desk.close;
  }, 60_000);
  afterAll(async () => {
    await closeDesk?.();
    await served?.close();
  });

  it('makes an offer: Enter in a field submits nothing, the dialog keeps and returns the focus', async () => {
    await signInAs('operator');
    await openTab('Offers');
    const form = page.locator('form.new-offer');
    await tabTo(form.locator('select'));
    await page.keyboard.type('NBC');
    expect(await form.locator('select').inputValue()).toBe('NBC');
    await tabTo(form.locator('input[name="maximum"]'));
    await typeOver('1 t');
    await page.keyboard.press('Enter');
    await noDialog();
    expect(await offerCount()).toBe(2);
    const make = form.getByRole('button', { name: 'Make the offer' });
    await dialogKeepsAndReturnsFocus(make);
    expect(await offerCount()).toBe(2);
    await page.keyboard.press('Enter');
    await confirmByKeys('Make the offer', ['Offer NBC up to 32,150.747 fine oz (1.000 t)']);
    expect(await focusedNotice()).toContain('OFFER-3 made to NBC');
    expect(await offerCount()).toBe(3);
    await shot('keyboard-1-offer-made');
  });

  it('accepts an offer: Enter in the weight field accepts nothing, the button asks first', async () => {
    await signInAs('nbc-signatory');
    await openTab('Buy gold');
    await tabTo(page.locator('input[name="asked"]'));
    await page.keyboard.type('1,000 oz');
    await page.keyboard.press('Enter');
    await noDialog();
    await expect.poll(() => page.locator('.quote').textContent()).toContain('Buys 1,000.000 fine oz');
    expect(await trades()).toEqual([]);
    await tabTo(page.getByRole('button', { name: /^Accept on/ }));
    await page.keyboard.press('Enter');
    await confirmByKeys('Accept', ['1,000.000 fine oz', 'NBC-GBP']);
    expect(await focusedNotice()).toContain('TRADE-1: accepted');
    expect(await trades()).toEqual([expect.objectContaining({ id: 'TRADE-1', state: 'accepted' })]);
  });

  it('allocates and settles: the focus goes to each outcome, the next control a Shift+Tab away', async () => {
    await signInAs('operator');
    await openTab('Trades');
    await tabTo(row('TRADE-1').getByRole('button', { name: 'Allocate' }));
    await page.keyboard.press('Enter');
    await confirmByKeys('Allocate', ['Allocate TRADE-1', 'GOSBANK-VAULT']);
    expect(await focusedNotice()).toMatch(/TRADE-1: \d+ bars allocated/);
    await expect.poll(() => row('TRADE-1').locator('.state').textContent()).toBe('allocated');
    await tabTo(row('TRADE-1').getByRole('button', { name: /^Settle 1961/ }), 'Shift+Tab');
    await page.keyboard.press('Enter');
    await confirmByKeys('Settle', ['NBC-GBP', 'NBC-GOLD']);
    expect(await focusedNotice()).toContain('TRADE-1: settled on 1961-01-31');
    await expect.poll(() => row('TRADE-1').locator('.state').textContent()).toBe('settled');
    await shot('keyboard-2-trade-settled');
  });

  it('releases a trade’s bars and cancels it with a reason; the reason is not carried to the next trade', async () => {
    await signInAs('nbc-signatory');
    await openTab('Buy gold');
    const offer = page.locator('form.accept select option:checked');
    let remaining = '';
    for (const trade of ['TRADE-2', 'TRADE-3']) {
      // The offers read again after the last acceptance: until then its quote may be dropped and
      // Accept disabled under the keys (web/src/pages/trading/Accept.tsx, useQuote's offer).
      await expect.poll(() => offer.textContent()).not.toBe(remaining);
      remaining = (await offer.textContent()) ?? '';
      await tabTo(page.locator('input[name="asked"]'));
      await typeOver('500 oz');
      await expect.poll(() => page.locator('.quote').textContent()).toContain('Buys 500.000 fine oz');
      await tabTo(page.getByRole('button', { name: /^Accept on/ }));
      await page.keyboard.press('Enter');
      await confirmByKeys('Accept', ['500.000 fine oz']);
      expect(await focusedNotice()).toContain(`${trade}: accepted`);
    }
    await signInAs('operator');
    await openTab('Trades');
    await tabTo(row('TRADE-2').getByRole('button', { name: 'Allocate' }));
    await page.keyboard.press('Enter');
    await confirmByKeys('Allocate', ['Allocate TRADE-2']);
    expect(await focusedNotice()).toMatch(/TRADE-2: \d+ bars allocated/);
    await tabTo(row('TRADE-2').getByRole('button', { name: 'Release bars' }), 'Shift+Tab');
    await page.keyboard.press('Enter');
    await confirmByKeys('Release the bars', ['TRADE-2']);
    expect(await focusedNotice()).toContain('TRADE-2: bars released; it waits for allocation again');
    await expect.poll(() => row('TRADE-2').locator('.state').textContent()).toBe('accepted');
    await tabTo(row('TRADE-2').getByRole('button', { name: 'Cancel', exact: true }), 'Shift+Tab');
    await page.keyboard.press('Enter');
    await confirmByKeys('Cancel the trade', ['Cancel TRADE-2'], 'asked by NBC by telex');
    expect(await focusedNotice()).toContain('TRADE-2: cancelled (asked by NBC by telex)');
    expect((await trades()).find((trade) => trade.id === 'TRADE-2')?.state).toBe('cancelled');
    // The next trade's cancellation starts with an empty reason, its verb disabled until one is typed.
    await tabTo(row('TRADE-3').getByRole('button', { name: 'Cancel', exact: true }));
    await page.keyboard.press('Enter');
    await dialog().waitFor();
    expect(await dialog().getByRole('textbox').inputValue()).toBe('');
    expect(await dialog().getByRole('button', { name: 'Cancel the trade' }).isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect((await trades()).find((trade) => trade.id === 'TRADE-3')?.state).toBe('accepted');
    expect((await verifyStore(served.ingot)).breaches).toEqual([]);
  });
});

describe.skipIf(!CHROMIUM_AVAILABLE)('custody with the keyboard alone', () => {
  let served: ScenarioServed;
  const signInAs = (user: string) => signIn(served.url, user, SCENARIO_1961_DEMO_PASSWORD);
  const section = (id: string) => page.locator(`section[data-instruction="${id}"]`);

  async function stateOf(id: string): Promise<string> {
    const supervisor = await served.as('gosbank-supervisor');
    return ((await supervisor.get(`/instructions/${id}`)).body as { instruction: { state: string } })
      .instruction.state;
  }

  /** Opens an instruction under its row with the keyboard (unless it is open already). */
  async function openInstruction(id: string): Promise<void> {
    // Its row first: the list may still be loading, and a row that comes in open (the draft
    // just made, which the desk opens) must not be toggled shut by Enter on its button.
    const toggle = page.locator(`tr[data-row="${id}"]`).getByRole('button', { name: id, exact: true });
    await toggle.waitFor();
    if ((await toggle.getAttribute('aria-expanded')) === 'true') return section(id).waitFor();
    await tabTo(toggle);
    await page.keyboard.press('Enter');
    await section(id).waitFor();
  }

  /** Takes a step of an open instruction with the keyboard; answers the outcome's text. */
  async function step(id: string, label: string, figures: readonly (string | RegExp)[] = []) {
    await openInstruction(id);
    await tabTo(section(id).getByRole('button', { name: `${label}…`, exact: true }));
    await page.keyboard.press('Enter');
    await confirmByKeys(label, figures);
    return focusedNotice();
  }

  beforeAll(async () => {
    buildDesk();
    served = await servedScenario1961();
    // An instruction's account names its bars: who signs, accepts or approves one is cleared for them.
    await clearUsers(served.ingot, [
      'gosbank-supervisor',
      'gosbank-operator',
      'nbc-signatory-1',
      'nbc-signatory-2',
    ]);
    ok(await openAccount(served.ingot, { id: 'BNB-GOLD', party_id: 'BNB', kind: 'custody', unit: 'XAU' }));
    const desk = await launchDesk();
    page = desk.page;
    closeDesk = desk.close;
  }, 60_000);
  afterAll(async () => {
    await closeDesk?.();
    await served?.close();
  });

  it('drafts, signs twice, accepts, executes and approves a transfer of a quantity', async () => {
    await signInAs('nbc-signatory-1');
    await openTab('Instructions');
    await tabTo(page.locator('select[name="kind"]'));
    await page.keyboard.type('transfer');
    expect(await page.locator('select[name="kind"]').inputValue()).toBe('transfer');
    // The radio group: its chosen button is one Tab stop, the arrow moves the choice.
    await tabTo(page.locator('input[name="choice"][value="bars"]'));
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('input[name="choice"][value="quantity"]').isChecked()).toBe(true);
    await tabTo(page.locator('input[name="quantity"]'));
    await page.keyboard.type('800 oz');
    await tabTo(page.locator('input[name="to"]'));
    await page.keyboard.type('BNB-GOLD');
    await page.keyboard.press('Enter');
    await noDialog();
    await tabTo(page.getByRole('button', { name: 'Draft…' }));
    await page.keyboard.press('Enter');
    await confirmByKeys('Draft', ['800.000 fine oz', 'BNB-GOLD']);
    const drafted = await focusedNotice();
    const id = /^(INS-\d+) drafted/.exec(drafted)?.[1] ?? '';
    expect(id).toMatch(/^INS-\d+$/);
    expect(await step(id, 'Sign')).toContain(`${id} is now drafted`);

    await signInAs('nbc-signatory-2');
    await openTab('Instructions');
    expect(await step(id, 'Sign', ['BNB-GOLD'])).toContain(`${id} is now signed`);

    await signInAs('gosbank-operator');
    await openTab('Instructions');
    expect(await step(id, 'Accept')).toContain(`${id} is now accepted`);
    expect(await step(id, 'Execute')).toMatch(/execute waits for a second user/);

    await signInAs('gosbank-supervisor');
    await openTab('Approvals');
    const row = page.locator('tr[data-approval]', { hasText: `instruction ${id}: execute` });
    const digest = (await row.locator('pre.account').getAttribute('data-digest')) ?? '';
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    await tabTo(row.getByRole('button', { name: 'Approve…' }));
    await page.keyboard.press('Enter');
    await confirmByKeys('Approve', ['BNB-GOLD', digest]);
    expect(await focusedNotice()).toMatch(/approved and carried out/);
    expect(await stateOf(id)).toBe('executed');
    expect((await verifyStore(served.ingot)).breaches).toEqual([]);
    await saveShot(page, 'keyboard-3-transfer-approved');
  });
});
