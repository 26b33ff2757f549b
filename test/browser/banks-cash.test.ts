// Banks and cash on the desk, in Chromium, on the 1961 books: an operator registers a client bank
// and opens its custody and cash accounts, each after a confirmation stating what is created; books
// money received into the cash account and paid out of it, each confirmation stating the balance
// before and after; a payment that would overdraw the account is stopped before it is sent; a
// double click books once. A client bank has no Banks page and cannot book cash. Books verified.
import { describe, expect, it } from 'vitest';
import { verifyStore } from '../../src/service/journal/verify.ts';
import {
  CHROMIUM,
  CHROMIUM_AVAILABLE,
  confirmWith as confirmOn,
  openTab,
  scenarioDesk,
  shot,
} from '../support/desk-page.ts';

if (!CHROMIUM_AVAILABLE) {
  process.stderr.write(`\n*** banks and cash SKIPPED: ${CHROMIUM} is absent; with CI=true they run ***\n`);
}

describe.skipIf(!CHROMIUM_AVAILABLE)('banks and cash in the desk', () => {
  const desk = scenarioDesk();
  const signIn = (user: string) => desk().signIn(user);
  const dialog = () => desk().page.getByRole('dialog');
  const confirmWith = (verb: string, figures: readonly (string | RegExp)[]) =>
    confirmOn(desk().page, verb, figures);

  async function balance(account: string): Promise<string> {
    const auditor = await desk().served.as('gosbank-auditor');
    return ((await auditor.get(`/accounts/${account}`)).body as { balance: string }).balance;
  }

  async function cashEntries(account: string): Promise<number> {
    const rows = await desk()
      .served.ingot.store.db.selectFrom('postings')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .where('account_id', '=', account)
      .executeTakeFirstOrThrow();
    return Number(rows.n);
  }

  it('registers a client bank and opens its accounts, each after a confirmation', async () => {
    const { page } = desk();
    await signIn('gosbank-operator');
    await openTab(page, 'Banks');
    await page.locator('input[name="party_id"]').fill('nbp 1');
    await page.locator('input[name="party_name"]').fill('Narodowy Bank Polski');
    await expect
      .poll(() => page.locator('form[aria-labelledby="register-bank"] .error').textContent())
      .toMatch(/NBP 1 may hold/);
    expect(await page.getByRole('button', { name: 'Register…' }).isDisabled()).toBe(true);
    await page.locator('input[name="party_id"]').fill('NBP');
    await page.getByRole('button', { name: 'Register…' }).click();
    await confirmWith('Register the bank', ['client bank NBP: Narodowy Bank Polski']);
    await page.locator('tr[data-party="NBP"]').waitFor();

    for (const [unit, id] of [
      ['XAU', 'NBP-GOLD'],
      ['GBP', 'NBP-GBP'],
    ] as const) {
      await page.locator('select[name="account_party"]').selectOption('NBP');
      await page.locator('select[name="account_unit"]').selectOption(unit);
      await page.getByRole('button', { name: 'Open…' }).click();
      await confirmWith('Open the account', [id, 'for NBP (Narodowy Bank Polski)', 'balance of nil']);
      await page.locator(`tr[data-party="NBP"] li[data-account="${id}"]`).waitFor();
    }
    // The same account twice is refused, and the refusal stays.
    await page.locator('select[name="account_party"]').selectOption('NBP');
    await page.locator('select[name="account_unit"]').selectOption('GBP');
    await page.getByRole('button', { name: 'Open…' }).click();
    await confirmWith('Open the account', ['NBP-GBP']);
    await expect
      .poll(() => page.locator('.banks [role="alert"]').textContent())
      .toMatch(/NBP-GBP: not opened/);
    await shot(page, 'banks-1-registered');
    expect((await verifyStore(desk().served.ingot)).breaches).toEqual([]);
  });

  it('books money received and paid out, stating the balance before and after; never twice', async () => {
    const { page } = desk();
    await signIn('gosbank-operator');
    await openTab(page, 'Vault');
    await page.locator('tr[data-account="NBP-GBP"]').getByRole('button', { name: 'NBP-GBP' }).click();
    const form = page.locator('form.cash-movement');
    await form.waitFor();
    await form.locator('input[name="cash_sum"]').fill('£12,500');
    await form.locator('input[name="cash_memo"]').fill('MT103 of 1961-05-02');
    await form.locator('input[name="cash_memo"]').press('Enter');
    expect(await dialog().count()).toBe(0);
    const before = await cashEntries('NBP-GBP');
    await form.getByRole('button', { name: 'Book…' }).dblclick();
    await confirmWith('Book the receipt', [
      'Credit NBP-GBP (NBP) with £12,500',
      'Balance now £0',
      'after £12,500',
    ]);
    await expect.poll(() => page.locator('.holdings .notices').textContent()).toMatch(/£12,500 .*received/);
    expect(await balance('NBP-GBP')).toBe(String(12_500n * 4800n));
    expect(await cashEntries('NBP-GBP')).toBe(before + 1);

    await form.locator('select[name="cash_direction"]').selectOption('withdrawal');
    await form.locator('input[name="cash_sum"]').fill('£20,000');
    await form.locator('p.error', { hasText: 'would overdraw NBP-GBP' }).waitFor();
    expect(await form.getByRole('button', { name: 'Book…' }).isDisabled()).toBe(true);
    await form.locator('input[name="cash_sum"]').fill('USD 100');
    await form.locator('p.error', { hasText: 'holds GBP, not USD' }).waitFor();
    await form.locator('input[name="cash_sum"]').fill('£2,500');
    await form.getByRole('button', { name: 'Book…' }).click();
    await confirmWith('Book the payment', ['Debit NBP-GBP (NBP) with £2,500', 'after £10,000']);
    await expect.poll(() => balance('NBP-GBP')).toBe(String(10_000n * 4800n));
    await expect.poll(() => page.locator('td[data-balance="NBP-GBP"]').textContent()).toMatch(/£10,000/);
    await shot(page, 'banks-2-cash-booked');
    expect((await verifyStore(desk().served.ingot)).breaches).toEqual([]);

    await signIn('nbc-signatory-1');
    expect(await page.locator('nav.tabs').getByRole('tab', { name: 'Banks', exact: true }).count()).toBe(0);
    expect(await page.locator('form.cash-movement').count()).toBe(0);
    const client = await desk().served.as('nbc-signatory-1');
    const refused = await client.post('/cash/deposits', {
      account_id: 'NBC-GBP',
      amount: { currency: 'GBP', minor: '4800' },
      date: '1961-05-02',
    });
    expect(refused.status).toBe(403);
  });
});
