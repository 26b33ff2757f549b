// Custody on the desk as a bank's back office uses it, in Chromium, on the 1961 books: every flow
// completed in the browser, each step through a confirmation that states the instruction's account
// (and approvals their digest), reasons asked in the dialog, refusals kept beside their row.
// A representative proposed by one NBC signatory and approved by the other; a release of bars
// chosen by serial; a transfer to a third party; two shipments quoted, their quotes accepted by
// both signatories, dispatched, one delivered and one returned. Each flow ends with the books
// verified and a screenshot in test-artifacts/browser/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { grantClearance } from '../../src/service/correspondence/register.ts';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { openAccount } from '../../src/service/parties/parties.ts';
import { type ScenarioServed, servedScenario1961 } from '../api/scenario.ts';
import { ok } from '../support/desk.ts';
import {
  buildDesk,
  CHROMIUM,
  CHROMIUM_AVAILABLE,
  confirmWith as confirmOn,
  launchDesk,
  openInstruction as openDeskInstruction,
  openTab as openDeskTab,
  rendered,
  shot as saveShot,
  signIn as signInAs,
} from '../support/desk-page.ts';

if (!CHROMIUM_AVAILABLE) {
  process.stderr.write(`\n*** custody flows SKIPPED: ${CHROMIUM} is absent; with CI=true they run ***\n`);
}

interface HeldBar {
  readonly id: string;
  readonly serial: string;
}

let served: ScenarioServed;
let page: Page;
let closeDesk: (() => Promise<void>) | undefined;
/** Free bars of NBC-GOLD: one released, one transferred, one shipped and returned. */
let bars: HeldBar[] = [];

const signIn = (user: string) => signInAs(page, served.url, user, SCENARIO_1961_DEMO_PASSWORD);
const openTab = (name: string) => openDeskTab(page, name);
const dialog = () => page.getByRole('dialog');
const section = (id: string) => page.locator(`section[data-instruction="${id}"]`);
const notices = (key: string) => page.locator(`[data-notices="${key}"]`);

async function shot(name: string): Promise<void> {
  const { breaches } = await verifyStore(served.ingot);
  expect(breaches).toEqual([]);
  await saveShot(page, name);
}

async function stateOf(id: string): Promise<string> {
  const row = await served.ingot.store.db
    .selectFrom('instructions')
    .select('state')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.state;
}

async function barOf(id: string): Promise<{ owner_account_id: string; state: string }> {
  return served.ingot.store.db
    .selectFrom('bars')
    .select(['owner_account_id', 'state'])
    .where('id', '=', BigInt(id))
    .executeTakeFirstOrThrow();
}

/** Confirms the open dialog with its verb, after checking it states `figures`; types a reason. */
const confirmWith = (verb: string, figures: readonly (string | RegExp)[], reason?: string) =>
  confirmOn(page, verb, figures, reason);

const openInstruction = (id: string) => openDeskInstruction(page, id);

/** Takes a step by its button, confirms it (checking `figures`), waits for its notice. */
async function step(
  id: string,
  button: string,
  expected: RegExp,
  figures: readonly (string | RegExp)[] = [],
  reason?: string,
): Promise<void> {
  await openInstruction(id);
  await section(id)
    .getByRole('button', { name: `${button}…`, exact: true })
    .click();
  await confirmWith(button, figures, reason);
  await expect.poll(() => notices(id).textContent()).toMatch(expected);
}

/** Approves, as the signed-in supervisor, what waits for the instruction's `event`. */
async function approve(subject: string, figures: readonly (string | RegExp)[] = []): Promise<void> {
  await openTab('Approvals');
  const row = page.locator('tr[data-approval]', { hasText: subject });
  const digest = (await row.locator('pre.account').getAttribute('data-digest')) ?? '';
  expect(digest).toMatch(/^[0-9a-f]{64}$/);
  const number = await row.getAttribute('data-approval');
  await row.getByRole('button', { name: 'Approve…' }).click();
  await confirmWith('Approve', [...figures, digest]);
  // This approval's own notice: the page's notice may still be the previous approval's.
  await page
    .getByRole('status')
    .filter({ hasText: new RegExp(`^#${number} .*: approved`) })
    .waitFor();
}

/** Drafts an instruction from the open Instructions tab, confirming it; answers its id. */
async function draft(figures: readonly (string | RegExp)[]): Promise<string> {
  const status = notices('draft').getByRole('status');
  const before = (await status.count()) > 0 ? await status.textContent() : null;
  await page.getByRole('button', { name: 'Draft…' }).click();
  await confirmWith('Draft', figures);
  // The previous draft's notice stays until this one is answered: wait for a new one.
  await expect.poll(() => status.textContent()).not.toBe(before);
  const text = (await status.textContent()) ?? '';
  const id = /^(INS-\d+) drafted/.exec(text)?.[1];
  if (!id) throw new Error(`no instruction drafted: ${text}`);
  return id;
}

/** Ticks a bar in the draft form's picker, found by its serial. */
async function pickBar(serial: string): Promise<void> {
  // The picker's first list read before the search is typed: an answer to the unsearched read
  // arriving after the searched one would replace the rows found (web/src/pages/custody/BarPicker.tsx).
  await page.locator('.bar-picker tr[data-serial]').first().waitFor();
  await page.locator('input[name="bar_search"]').fill(serial);
  await page.locator(`.bar-picker tr[data-serial="${serial}"] input[type="checkbox"]`).check();
  await expect.poll(() => page.locator('.bar-picker .chosen').getAttribute('data-chosen')).toBe(serial);
}

/** Opens a closed instruction as the depository, showing closed ones too, for its screenshot. */
async function showClosed(id: string): Promise<void> {
  await openTab('Instructions');
  await page.getByLabel('show closed ones too').check();
  await openInstruction(id);
}

describe.skipIf(!CHROMIUM_AVAILABLE)('custody flows in the desk', () => {
  beforeAll(async () => {
    buildDesk();
    served = await servedScenario1961();
    // The bar list is confidential: both NBC signatories are cleared to read their own, and the
    // operator who accepts an instruction, whose account names its bars.
    ok(await grantClearance(served.ingot, { user_id: 'gosbank-supervisor', level: 'top_secret', by: 't' }));
    for (const user of ['nbc-signatory-1', 'nbc-signatory-2', 'gosbank-operator'])
      ok(
        await grantClearance(served.ingot, {
          user_id: user,
          level: 'confidential',
          by: 'gosbank-supervisor',
        }),
      );
    ok(await openAccount(served.ingot, { id: 'BNB-GOLD', party_id: 'BNB', kind: 'custody', unit: 'XAU' }));
    const rows = await served.ingot.store.db
      .selectFrom('bars')
      .select(['id', 'serial'])
      .where('owner_account_id', '=', 'NBC-GOLD')
      .where('state', '=', 'held')
      .orderBy('serial', 'desc')
      .limit(3)
      .execute();
    bars = rows.map((row) => ({ id: row.id.toString(), serial: row.serial }));
    const desk = await launchDesk();
    page = desk.page;
    closeDesk = desk.close;
  }, 60_000);
  afterAll(async () => {
    await closeDesk?.();
    await served?.close();
  });

  it('registers a representative: proposed by one signatory, approved by the other', async () => {
    await signIn('nbc-signatory-1');
    await openTab('Representatives');
    await page.locator('input[name="rep_id"]').fill('REP-7');
    await page.locator('input[name="rep_name"]').fill('Seventh representative of NBC (test)');
    await page.locator('input[name="rep_document"]').fill('diplomatic passport Cuba D-0007');
    await page.locator('input[name="rep_until"]').fill('1961-12-31');
    await page.locator('input[name="rep_limit"]').press('Enter');
    await page.locator('input[name="rep_limit"]').fill('1,000 oz');
    await page.locator('input[name="rep_limit"]').press('Enter');
    // Enter proposes nothing: only the button opens the confirmation.
    await rendered(page);
    expect(await dialog().count()).toBe(0);
    await page.getByRole('button', { name: 'Propose…' }).click();
    await confirmWith('Propose', ['Representative REP-7', 'Limit: 1,000.000 fine oz']);
    await expect.poll(() => notices('propose').textContent()).toMatch(/REP-7 proposed: approval #\d+/);
    // Its maker may only withdraw it.
    const row = page.locator('tr[data-approval]', { hasText: 'REP-7' });
    await row.waitFor();
    expect(await row.getByRole('button', { name: 'Approve…' }).count()).toBe(0);

    await signIn('nbc-signatory-2');
    await openTab('Representatives');
    const waiting = page.locator('tr[data-approval]', { hasText: 'REP-7' });
    const digest = (await waiting.locator('pre.account').getAttribute('data-digest')) ?? '';
    await waiting.getByRole('button', { name: 'Approve…' }).click();
    await confirmWith('Approve', ['Representative REP-7 of NBC', 'Limit: 1,000.000 fine oz', digest]);
    await page.locator('tr[data-representative="REP-7"]').waitFor();
    expect(await page.locator('tr[data-representative="REP-7"]').textContent()).toContain(
      'approved by nbc-signatory-2',
    );
    await shot('custody-flow-1-representative-approved');
  });

  it('releases a bar chosen by serial to the representative', async () => {
    const [bar] = bars;
    if (!bar) throw new Error('no free bar');
    await signIn('nbc-signatory-1');
    await openTab('Instructions');
    await pickBar(bar.serial);
    await page.locator('select[name="representative"]').selectOption('REP-7');
    // The representative's authority and limit are shown before anything is submitted.
    await expect
      .poll(() => page.locator('.representative-terms').textContent())
      .toMatch(/Limit: 1,000\.000 fine oz .*in all/);
    const id = await draft([`/${bar.serial}`, 'Representative REP-7', 'Limit: 1,000.000 fine oz']);
    await step(id, 'Sign', new RegExp(`${id} is now drafted`), [/Bar \S+\/\S+ \(bar id \d+\)/]);
    await signIn('nbc-signatory-2');
    await step(id, 'Sign', new RegExp(`${id} is now signed`), [`To representative REP-7`]);

    await signIn('gosbank-operator');
    await step(id, 'Accept', new RegExp(`${id} is now accepted`));
    await expect
      .poll(() => section(id).locator('select[name="handover_representative"]').inputValue())
      .toBe('REP-7');
    await section(id).locator('input[name="identity_checked"]').check();
    await step(id, 'Execute', /execute waits for a second user/, ['Hand-over to REP-7']);
    await signIn('gosbank-supervisor');
    await approve(`instruction ${id}: execute`, ['Hand-over: to REP-7']);
    expect(await stateOf(id)).toBe('executed');
    expect((await barOf(bar.id)).owner_account_id).not.toBe('NBC-GOLD');
    await showClosed(id);
    await shot('custody-flow-2-release-executed');
  });

  it('transfers a bar chosen by serial to a third party', async () => {
    const bar = bars[1];
    if (!bar) throw new Error('no free bar');
    await signIn('nbc-signatory-1');
    await openTab('Instructions');
    await page.locator('select[name="kind"]').selectOption('transfer');
    await pickBar(bar.serial);
    await page.locator('input[name="to"]').fill('BNB-GOLD');
    const id = await draft([`/${bar.serial}`, 'To custody account BNB-GOLD']);
    await step(id, 'Sign', new RegExp(`${id} is now drafted`));
    await signIn('nbc-signatory-2');
    await step(id, 'Sign', new RegExp(`${id} is now signed`), ['BNB-GOLD']);
    await signIn('gosbank-operator');
    await step(id, 'Accept', new RegExp(`${id} is now accepted`));
    await step(id, 'Execute', /execute waits for a second user/);
    await signIn('gosbank-supervisor');
    await approve(`instruction ${id}: execute`, ['BNB-GOLD']);
    expect(await stateOf(id)).toBe('executed');
    expect((await barOf(bar.id)).owner_account_id).toBe('BNB-GOLD');
    await showClosed(id);
    await shot('custody-flow-3-transfer-executed');
  });

  it('ships two consignments through quote, acceptance and dispatch: one delivered, one returned', async () => {
    const bar = bars[2];
    if (!bar) throw new Error('no free bar');
    await signIn('nbc-signatory-1');
    await openTab('Instructions');
    await page.locator('select[name="kind"]').selectOption('shipment');
    await page.locator('input[name="choice"][value="quantity"]').check();
    await page.locator('input[name="quantity"]').fill('800 oz');
    await page.locator('input[name="destination"]').fill('Havana, National Bank of Cuba');
    await page.locator('input[name="carrier"]').fill('air freight (test)');
    await page.locator('input[name="insurance"]').fill('£100,000');
    const delivered = await draft(['800.000 fine oz', 'Havana']);
    await page.locator('select[name="kind"]').selectOption('shipment');
    await pickBar(bar.serial);
    await page.locator('input[name="destination"]').fill('Sofia');
    await page.locator('input[name="carrier"]').fill('rail (test)');
    await page.locator('input[name="insurance"]').fill('£50,000');
    const returned = await draft([`/${bar.serial}`, 'Sofia']);
    for (const id of [delivered, returned]) await step(id, 'Sign', new RegExp(`${id} is now drafted`));
    await signIn('nbc-signatory-2');
    for (const id of [delivered, returned]) await step(id, 'Sign', new RegExp(`${id} is now signed`));

    await signIn('gosbank-operator');
    for (const id of [delivered, returned]) {
      await step(id, 'Accept', new RegExp(`${id} is now accepted`));
      // A shipment is quoted, never executed: its accepted steps shown (the quote's fields), no Execute.
      await section(id).locator('input[name="transport"]').waitFor();
      expect(await section(id).getByRole('button', { name: 'Execute…' }).count()).toBe(0);
      await section(id).locator('input[name="transport"]').fill('£250');
      await section(id).locator('input[name="quote_insurance"]').fill('£120');
      await section(id).locator('input[name="valid_until"]').fill('1961-12-31');
      await step(id, 'Quote', /quote waits for a second user/, ['transport £250 0s 0d']);
    }
    await signIn('gosbank-supervisor');
    for (const id of [delivered, returned]) await approve(`instruction ${id}: quote`, ['transport']);

    // Both signatories accept each quote, seeing the charges and the cash before and after. One
    // quote at a time: accepting the first debits the cash, so an acceptance of the second signed
    // before that showed another balance, and its second signatory would be refused (as it must).
    for (const id of [delivered, returned]) {
      for (const [user, state] of [
        ['nbc-signatory-1', 'quoted'],
        ['nbc-signatory-2', 'quote_accepted'],
      ] as const) {
        await signIn(user);
        await step(id, 'Accept quote', new RegExp(`${id} is now ${state}`), [
          'Charges on acceptance of the quote: £370 0s 0d',
          /Cash NBC-GBP: balance before .*, after /,
        ]);
      }
    }
    // Both dispatches proposed at once: each account shows NBC-GOLD's balance before and after, so
    // approving one voids the other. The supervisor is told so on both rows and before approving;
    // the voided one is refused, declined, and the operator proposes it again.
    await signIn('gosbank-operator');
    for (const id of [delivered, returned]) await step(id, 'Dispatch', /dispatch waits for a second user/);
    await signIn('gosbank-supervisor');
    await openTab('Approvals');
    const rowOf = (id: string) =>
      page.locator('tr[data-approval]', { hasText: `instruction ${id}: dispatch` });
    const [first, second] = [
      await rowOf(delivered).getAttribute('data-approval'),
      await rowOf(returned).getAttribute('data-approval'),
    ];
    const sameBalance = (other: string | null) =>
      `This and #${other} show the same balance: approving one voids the other, which must then be declined and proposed again.`;
    await expect.poll(() => rowOf(delivered).locator('.voids').textContent()).toBe(sameBalance(second));
    expect(await rowOf(returned).locator('.voids').textContent()).toBe(sameBalance(first));
    await shot('custody-flow-4-dispatches-void-each-other');
    await approve(`instruction ${delivered}: dispatch`, [`Approving it voids #${second}`]);
    const voided = rowOf(returned);
    await voided.getByRole('button', { name: 'Approve…' }).click();
    await confirmWith('Approve', ['Gold NBC-GOLD: balance before']);
    await expect
      .poll(() => voided.textContent())
      .toMatch(/not approved: .*has changed since it was proposed/);
    await voided.getByRole('button', { name: 'Decline…' }).click();
    await confirmWith('Decline', [], 'NBC-GOLD moved by the dispatch approved before it');
    await signIn('gosbank-operator');
    await step(returned, 'Dispatch', /dispatch waits for a second user/);
    await signIn('gosbank-supervisor');
    await approve(`instruction ${returned}: dispatch`);
    expect(await stateOf(delivered)).toBe('in_transit');
    await signIn('gosbank-operator');
    await step(delivered, 'Confirm delivery', /confirm delivery waits for a second user/);
    await signIn('gosbank-supervisor');
    await approve(`instruction ${delivered}: confirm_delivery`);
    await signIn('gosbank-operator');
    await step(
      returned,
      'Report return',
      /report return waits/,
      [],
      'The train was turned back at the border.',
    );
    await signIn('gosbank-supervisor');
    await approve(`instruction ${returned}: report_return`, ['turned back']);
    expect(await stateOf(delivered)).toBe('delivered');
    expect(await stateOf(returned)).toBe('returned');
    expect(await barOf(bar.id)).toEqual({ owner_account_id: 'NBC-GOLD', state: 'held' });
    await showClosed(delivered);
    await openInstruction(returned);
    await shot('custody-flow-4-shipments-delivered-and-returned');
  });
});
