// The books every Ingot benchmark starts from: a seller with a vault, a buyer, and their accounts.
import type { BarListRules } from '../src/domain/barlist.ts';
import { verifyStore } from '../src/service/journal/verify.ts';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { addParty, openAccount } from '../src/service/parties/parties.ts';
import { createOffer } from '../src/service/trading/offers.ts';
import { type BarImportOutcome, importBars } from '../src/service/vault/bars.ts';
import type { SqliteOptions } from '../src/store/sqlite/open.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { expectOk } from './support.ts';

/** The accounts of the benchmark's seller (the depository) and buyer (a client bank). */
export const ACCOUNTS = {
  seller_stock: 'SELLER-VAULT',
  seller_cash: 'SELLER-GBP',
  buyer_custody: 'BUYER-GOLD',
  buyer_cash: 'BUYER-GBP',
} as const;

/** Bar list rules every generated bar satisfies. */
export const GOOD_DELIVERY_RULES: BarListRules = { minimum_fineness: 9950n, good_delivery: true };

/** The business dates of the benchmark books (1961, as in the scenario). */
export const DATES = { stock: '1961-01-02', offer: '1961-01-11', accept: '1961-01-17', settle: '1961-01-31' };

/** Opens a fresh SQLite store at `path` with the two parties and their four accounts. */
export async function openBooks(path: string, options: SqliteOptions = {}): Promise<Ingot> {
  const ingot = ingotOver(await openSqliteStore(path, options), 'bench');
  expectOk(await addParty(ingot, { id: 'SELLER', name: 'Depository', role: 'depository' }), 'seller');
  expectOk(await addParty(ingot, { id: 'BUYER', name: 'Client bank', role: 'client' }), 'buyer');
  const accounts = [
    [ACCOUNTS.seller_stock, 'SELLER', 'custody', 'XAU'],
    [ACCOUNTS.seller_cash, 'SELLER', 'cash', 'GBP'],
    [ACCOUNTS.buyer_custody, 'BUYER', 'custody', 'XAU'],
    [ACCOUNTS.buyer_cash, 'BUYER', 'cash', 'GBP'],
  ] as const;
  for (const [id, party_id, kind, unit] of accounts) {
    expectOk(await openAccount(ingot, { id, party_id, kind, unit }), `account ${id}`);
  }
  return ingot;
}

/** Imports bar list lines into the seller's vault, refusing the run if the list is refused. */
export async function importVault(
  ingot: Ingot,
  lines: AsyncIterable<string>,
  source: string,
): Promise<{ bars: number; fine_milli_oz: bigint }> {
  const outcome: BarImportOutcome = await importBars(ingot, {
    account_id: ACCOUNTS.seller_stock,
    lines,
    rules: GOOD_DELIVERY_RULES,
    date: DATES.stock,
    key: `bench-import-${source}`,
    source,
  });
  return expectOk(outcome, `import of ${source}`);
}

/** Offers the buyer up to `maximum` fine milli-oz of the seller's vault, priced in GBP. */
export async function offerGold(ingot: Ingot, maximum: bigint, name = 'offer'): Promise<string> {
  const terms = {
    seller_party_id: 'SELLER',
    buyer_party_id: 'BUYER',
    seller_stock_account_id: ACCOUNTS.seller_stock,
    seller_cash_account_id: ACCOUNTS.seller_cash,
    buyer_custody_account_id: ACCOUNTS.buyer_custody,
    buyer_cash_account_id: ACCOUNTS.buyer_cash,
    maximum_fine_milli_oz: maximum,
    minimum_fineness: 9900n,
    currency: 'GBP' as const,
    pricing: 'london_fixing_of_payment_day' as const,
    custody_fee_per_year_per10k: 0n,
    valid_from: DATES.offer,
    valid_until: '1961-12-31',
  };
  return expectOk(await createOffer(ingot, terms, `bench-${name}`), 'offer').offer_id;
}

/** Runs every check of the books and throws, naming each breach, if any fails. */
export async function verifyOrThrow(ingot: Ingot, benchmark: string): Promise<number> {
  const verified = await verifyStore(ingot);
  if (verified.breaches.length > 0) {
    const details = verified.breaches.map((b) => `  ${b.rule}: ${b.detail}`).join('\n');
    throw new Error(`bench ${benchmark}: verify found ${verified.breaches.length} breach(es)\n${details}`);
  }
  return verified.checks;
}
