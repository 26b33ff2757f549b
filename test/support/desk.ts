// A small desk for tests: two banks, a vault, a fixing, client money, an open offer.
import { generateStock } from '../../src/scenario/stock.ts';
import type { Ingot } from '../../src/service/kernel/context.ts';
import { addParty, openAccount } from '../../src/service/parties/parties.ts';
import { recordFixings } from '../../src/service/trading/fixings.ts';
import { createOffer } from '../../src/service/trading/offers.ts';
import { acceptOffer, allocateTrade } from '../../src/service/trading/trades.ts';
import { importBars } from '../../src/service/vault/bars.ts';
import { moveCash } from '../../src/service/vault/cash.ts';

export function ok<T extends { ok: boolean }>(outcome: T): Extract<T, { ok: true }> {
  if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome)}`);
  return outcome as Extract<T, { ok: true }>;
}

/** Two banks, a vault of `bars` bars, a fixing, `funds` (in 1/4800 £) in the client's account. */
export async function world(ingot: Ingot, bars: number, funds: bigint): Promise<void> {
  ok(await addParty(ingot, { id: 'DEP', name: 'Depository', role: 'depository' }));
  ok(await addParty(ingot, { id: 'CLI', name: 'Client', role: 'client' }));
  for (const [id, party_id, kind, unit] of [
    ['DEP-VAULT', 'DEP', 'custody', 'XAU'],
    ['DEP-GBP', 'DEP', 'cash', 'GBP'],
    ['CLI-GOLD', 'CLI', 'custody', 'XAU'],
    ['CLI-GBP', 'CLI', 'cash', 'GBP'],
  ] as const) {
    ok(await openAccount(ingot, { id, party_id, kind, unit }));
  }
  const rules = { minimum_fineness: 9950n, good_delivery: true };
  const stock = { account_id: 'DEP-VAULT', lines: generateStock(bars, 7), rules, date: '1961-01-02' };
  ok(await importBars(ingot, { ...stock, key: 'stock', source: 'stock.csv' }));
  ok(
    await recordFixings(ingot, [{ date: '1961-01-31', currency: 'GBP', minor_per_oz: 60_960n, source: 't' }]),
  );
  const amount = { currency: 'GBP' as const, minor: funds };
  ok(await moveCash(ingot, 'deposit', { account_id: 'CLI-GBP', amount, date: '1961-01-03', key: 'fund' }));
  const terms = {
    seller_party_id: 'DEP',
    buyer_party_id: 'CLI',
    seller_stock_account_id: 'DEP-VAULT',
    seller_cash_account_id: 'DEP-GBP',
    buyer_custody_account_id: 'CLI-GOLD',
    buyer_cash_account_id: 'CLI-GBP',
    maximum_fine_milli_oz: 1_000_000_000n,
    minimum_fineness: 9950n,
    currency: 'GBP' as const,
    pricing: 'london_fixing_of_payment_day' as const,
    custody_fee_per_year_per10k: 0n,
    valid_from: '1961-01-01',
    valid_until: '1961-12-31',
  };
  ok(await createOffer(ingot, terms, 'offer'));
}

export async function acceptAndAllocate(ingot: Ingot, quantity: bigint, key: string): Promise<string> {
  const asked = { kind: 'quantity' as const, fine_milli_oz: quantity };
  const request = { offer_id: 'OFFER-1', by_party_id: 'CLI', date: '1961-01-17', asked, key };
  const { trade_id } = ok(await acceptOffer(ingot, request));
  ok(await allocateTrade(ingot, { trade_id }));
  return trade_id;
}

/** A desk with `count` single-bar trades allocated and funded, ready to settle on 1961-01-31. */
export async function allocatedTrades(ingot: Ingot, count: number): Promise<string[]> {
  await world(ingot, count + 5, BigInt(count) * 6_000n * 4800n);
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1)
    ids.push(await acceptAndAllocate(ingot, 430_000n, `t${index}`));
  return ids;
}

/** The ids of the first `count` bars an account holds free, in custody order. */
export async function heldBarIds(ingot: Ingot, account_id: string, count: number): Promise<bigint[]> {
  const rows = await ingot.store.db
    .selectFrom('bars')
    .select('id')
    .where('owner_account_id', '=', account_id)
    .where('state', '=', 'held')
    .orderBy('id')
    .limit(count)
    .execute();
  return rows.map((row) => row.id);
}
