// A release of a quantity on the desk, in Chromium, on the 1961 books: the depository sees the bars
// its engine proposes before it accepts, the confirmation names them, and accepting reserves
// exactly those; the hand-over executes them. The trading desk reads the vault's free stock from
// the books (GET /vault/stock, the depository's staff only), not from pages of trades. Each flow
// ends with the books verified and a screenshot in test-artifacts/browser/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { grantClearance } from '../../src/service/correspondence/register.ts';
import { verifyStore } from '../../src/service/journal/verify.ts';
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
  shot as saveShot,
  signIn as signInAs,
} from '../support/desk-page.ts';

if (!CHROMIUM_AVAILABLE) {
  process.stderr.write(
    `\n*** release by quantity SKIPPED: ${CHROMIUM} is absent; with CI=true it runs ***\n`,
  );
}

let served: ScenarioServed;
let page: Page;
let closeDesk: (() => Promise<void>) | undefined;

const signIn = (user: string) => signInAs(page, served.url, user, SCENARIO_1961_DEMO_PASSWORD);
const openTab = (name: string) => openDeskTab(page, name);
const section = (id: string) => page.locator(`section[data-instruction="${id}"]`);
const notices = (key: string) => page.locator(`[data-notices="${key}"]`);

async function shot(name: string): Promise<void> {
  expect((await verifyStore(served.ingot)).breaches).toEqual([]);
  await saveShot(page, name);
}

/** Registers a representative of NBC for NBC-GOLD over HTTP: proposed by one signatory, approved by the other. */
async function registerRepresentative(id: string, limit: string): Promise<void> {
  const maker = await served.as('nbc-signatory-1');
  const proposed = await maker.post('/representatives', {
    id,
    name: `Representative ${id} of NBC (test)`,
    identity_document: `diplomatic passport Cuba ${id}`,
    authority_valid_from: '1961-01-01',
    authority_valid_until: '1961-12-31',
    account_ids: ['NBC-GOLD'],
    limit_fine_milli_oz: limit,
  });
  expect(proposed.status, proposed.text).toBe(202);
  const approval = (proposed.body as { pending_approval: string }).pending_approval;
  const checker = await served.as('nbc-signatory-2');
  const shown = (await checker.get(`/approvals/${approval}`)).body as { digest: string };
  const approved = await checker.post(`/approvals/${approval}/approve`, { digest: shown.digest });
  expect(approved.status, approved.text).toBe(200);
}

const confirmWith = (verb: string, figures: readonly (string | RegExp)[]) => confirmOn(page, verb, figures);

const openInstruction = (id: string) => openDeskInstruction(page, id);

async function step(
  id: string,
  button: string,
  expected: RegExp,
  figures: readonly (string | RegExp)[] = [],
) {
  await openInstruction(id);
  await section(id)
    .getByRole('button', { name: `${button}…`, exact: true })
    .click();
  const text = await confirmWith(button, figures);
  await expect.poll(() => notices(id).textContent()).toMatch(expected);
  return text;
}

/** The serials of the bars an instruction holds, from the books. */
/** Fine milli-oz as the desk shows ounces: "1,200.044". */
function ounces(milli: bigint): string {
  return `${(milli / 1000n).toLocaleString('en-GB')}.${(milli % 1000n).toString().padStart(3, '0')}`;
}

async function heldSerials(id: string): Promise<string[]> {
  const rows = await served.ingot.store.db
    .selectFrom('instruction_bars')
    .innerJoin('bars', 'bars.id', 'instruction_bars.bar_id')
    .select('bars.serial')
    .where('instruction_bars.instruction_id', '=', id)
    .execute();
  return rows.map((row) => row.serial).sort();
}

describe.skipIf(!CHROMIUM_AVAILABLE)('a release of a quantity, the depository proposing the bars', () => {
  beforeAll(async () => {
    buildDesk();
    served = await servedScenario1961();
    ok(await grantClearance(served.ingot, { user_id: 'gosbank-supervisor', level: 'top_secret', by: 't' }));
    // An instruction's account names its bars: who signs, accepts or approves one is cleared for them.
    for (const user_id of ['gosbank-operator', 'nbc-signatory-1', 'nbc-signatory-2'])
      ok(await grantClearance(served.ingot, { user_id, level: 'confidential', by: 'gosbank-supervisor' }));
    await registerRepresentative('REP-8', '2000000');
    const desk = await launchDesk();
    page = desk.page;
    closeDesk = desk.close;
  }, 60_000);
  afterAll(async () => {
    await closeDesk?.();
    await served?.close();
  });

  it('shows the proposed bars before accepting, and accepting reserves exactly those', async () => {
    await signIn('nbc-signatory-1');
    await openTab('Instructions');
    await page.locator('input[name="choice"][value="quantity"]').check();
    await page.locator('input[name="quantity"]').fill('800 oz');
    await page.locator('select[name="representative"]').selectOption('REP-8');
    await page.getByRole('button', { name: 'Draft…' }).click();
    await confirmWith('Draft', ['800.000 fine oz', 'Representative REP-8']);
    await expect.poll(() => notices('draft').textContent()).toMatch(/INS-\d+ drafted/);
    const id = /(INS-\d+) drafted/.exec((await notices('draft').textContent()) ?? '')?.[1] ?? '';
    await step(id, 'Sign', new RegExp(`${id} is now drafted`));
    await signIn('nbc-signatory-2');
    await step(id, 'Sign', new RegExp(`${id} is now signed`));

    await signIn('gosbank-operator');
    await openInstruction(id);
    const proposal = section(id).locator(`[data-proposal="${id}"]`);
    await expect.poll(() => proposal.textContent()).toMatch(/The bars the depository proposes for 800\.000/);
    const proposed = (await proposal
      .locator('tr[data-serial]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-serial') ?? ''))) as string[];
    expect(proposed.length).toBeGreaterThan(0);
    await shot('release-quantity-1-bars-proposed');
    // Nothing is reserved by looking.
    expect(await heldSerials(id)).toEqual([]);
    const text = await step(id, 'Accept', new RegExp(`${id} is now accepted`), [
      /Bars proposed: \d+, [\d,.]+ fine oz .*of the 800\.000 fine oz/,
    ]);
    for (const serial of proposed.slice(0, 12)) expect(text).toContain(`/${serial}`);
    expect(await heldSerials(id)).toEqual([...proposed].sort());
    // Before the hand-over the bars held are shown again.
    await expect.poll(() => proposal.textContent()).toMatch(/The bars of this instruction/);
    await section(id).locator('input[name="identity_checked"]').check();
    await step(id, 'Execute', /execute waits for a second user/, ['Hand-over to REP-8']);
    await signIn('gosbank-supervisor');
    await openTab('Approvals');
    const row = page.locator('tr[data-approval]', { hasText: `instruction ${id}: execute` });
    await row.getByRole('button', { name: 'Approve…' }).click();
    await confirmWith('Approve', ['REP-8']);
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/approved/);
    const owners = await served.ingot.store.db
      .selectFrom('bars')
      .select('owner_account_id')
      .where('serial', 'in', proposed)
      .execute();
    expect(owners.every((bar) => bar.owner_account_id !== 'NBC-GOLD')).toBe(true);
    await shot('release-quantity-2-executed');
  });

  it('reads the vault’s free stock from the books for the trading desk; a client bank may not', async () => {
    const operator = await served.as('gosbank-operator');
    const answer = await operator.get('/vault/stock');
    expect(answer.status).toBe(200);
    const { items } = answer.body as { items: { account_id: string; free_fine_milli_oz: string }[] };
    const vault = items.find((item) => item.account_id === 'GOSBANK-VAULT');
    if (!vault) throw new Error(`no GOSBANK-VAULT in ${answer.text}`);
    expect((await (await served.as('nbc-signatory-1')).get('/vault/stock')).status).toBe(403);
    await signIn('gosbank-operator');
    const read = page.waitForResponse((response) => response.url().endsWith('/vault/stock'));
    await openTab('Offers');
    expect((await read).status()).toBe(200);
    const ounces = (BigInt(vault.free_fine_milli_oz) / 1000n).toLocaleString('en-GB');
    await expect
      .poll(() => page.locator('form.new-offer .stock').textContent())
      .toMatch(new RegExp(`Free stock in GOSBANK-VAULT: ${ounces}\\.\\d{3} fine oz`));
    await shot('release-quantity-3-free-stock');
  });

  it('shows what each representative has received so far against its limit, and warns before a draft above it', async () => {
    const usage = await (await served.as('nbc-signatory-1')).get('/representatives/received');
    const items = (usage.body as { items: { representative_id: string; received_fine_milli_oz: string }[] })
      .items;
    const received = BigInt(
      items.find((item) => item.representative_id === 'REP-8')?.received_fine_milli_oz ?? '0',
    );
    // REP-8 received the bars of the release executed above, and nothing else.
    expect(received).toBeGreaterThan(700_000n);
    const left = 2_000_000n - received;
    const bnb = await (await served.as('bnb-signatory')).get('/representatives/received');
    expect((bnb.body as { items: unknown[] }).items).toEqual([]);

    await signIn('nbc-signatory-1');
    await openTab('Representatives');
    const row = page.locator('tr[data-representative="REP-8"] td.received');
    await expect.poll(() => row.textContent()).toContain(`${ounces(received)} fine oz`);
    expect(await row.textContent()).toContain(`${ounces(left)} fine oz (0.037 t) left`);
    await openTab('Instructions');
    await page.locator('input[name="choice"][value="quantity"]').check();
    await page.locator('input[name="quantity"]').fill('1,300 oz');
    await page.locator('select[name="representative"]').selectOption('REP-8');
    const terms = page.locator('.representative-terms');
    await expect.poll(() => terms.textContent()).toContain(`Received so far: ${ounces(received)} fine oz`);
    expect(await terms.textContent()).toContain(
      `Careful: this release, 1,300.000 fine oz (0.040 t), is above the ${ounces(left)} fine oz (0.037 t) left of its limit`,
    );
    await shot('release-quantity-4-representative-received-so-far');
  });
});
