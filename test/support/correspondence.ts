// The depository's books of 1961 up to the offer, and the people who act on them, for the tests of
// correspondence: parties, accounts, 2,500 bars, the fixing, NBC's sterling, the offer; operators,
// signatories, and a representative of NBC registered under four eyes. And the relay's side: a
// bank's signing key pinned at the relay, so its requests are accepted.
import { readPublicKeyFile } from '../../src/channel/keyfile.ts';
import { pinRelayBank } from '../../src/channel/relay-pin.ts';
import { parseMoney, parsePrice } from '../../src/domain/money.ts';
import { parseQuantity } from '../../src/domain/weight.ts';
import { SCENARIO_1961 } from '../../src/scenario/1961.ts';
import { SCENARIO_1961_DEMO_PASSWORD, SCENARIO_1961_USERS } from '../../src/scenario/1961-custody.ts';
import { generateStock } from '../../src/scenario/stock.ts';
import { approve, proposeRepresentative } from '../../src/service/custody/approvals.ts';
import type { Ingot } from '../../src/service/kernel/context.ts';
import { addParty, openAccount } from '../../src/service/parties/parties.ts';
import { addUser } from '../../src/service/parties/users.ts';
import { recordFixings } from '../../src/service/trading/fixings.ts';
import { createOffer } from '../../src/service/trading/offers.ts';
import { importBars } from '../../src/service/vault/bars.ts';
import { moveCash } from '../../src/service/vault/cash.ts';
import { ok } from './desk.ts';

export { TEST_KEY_PASSPHRASE } from './cli.ts';

function value<T>(result: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

/** The depository's books up to the offer of 11 January 1961, with its users and REP-1. */
export async function depository1961(
  ingot: Ingot,
  stockBars: number = SCENARIO_1961.stock_bars,
): Promise<void> {
  ok(await addParty(ingot, { id: 'GOSBANK', name: 'State Bank of the USSR', role: 'depository' }));
  ok(await addParty(ingot, { id: 'NBC', name: 'National Bank of Cuba', role: 'client' }));
  for (const [id, party_id, kind, unit] of [
    ['GOSBANK-VAULT', 'GOSBANK', 'custody', 'XAU'],
    ['GOSBANK-GBP', 'GOSBANK', 'cash', 'GBP'],
    ['NBC-GOLD', 'NBC', 'custody', 'XAU'],
    ['NBC-GBP', 'NBC', 'cash', 'GBP'],
  ] as const) {
    ok(await openAccount(ingot, { id, party_id, kind, unit }));
  }
  const rules = { minimum_fineness: 9950n, good_delivery: true };
  const lines = generateStock(stockBars);
  ok(
    await importBars(ingot, {
      account_id: 'GOSBANK-VAULT',
      lines,
      rules,
      date: '1961-01-02',
      key: 'stock',
      source: 's',
    }),
  );
  const fixing = value(parsePrice(SCENARIO_1961.fixing));
  ok(
    await recordFixings(ingot, [
      { date: '1961-01-31', currency: 'GBP', minor_per_oz: fixing.minor_per_oz, source: 't' },
    ]),
  );
  const funding = value(parseMoney(SCENARIO_1961.funding));
  ok(
    await moveCash(ingot, 'deposit', {
      account_id: 'NBC-GBP',
      amount: funding,
      date: '1961-01-20',
      key: 'fund',
    }),
  );
  ok(
    await createOffer(
      ingot,
      {
        seller_party_id: 'GOSBANK',
        buyer_party_id: 'NBC',
        seller_stock_account_id: 'GOSBANK-VAULT',
        seller_cash_account_id: 'GOSBANK-GBP',
        buyer_custody_account_id: 'NBC-GOLD',
        buyer_cash_account_id: 'NBC-GBP',
        maximum_fine_milli_oz: value(parseQuantity('30 t')),
        minimum_fineness: 9900n,
        currency: 'GBP',
        pricing: 'london_fixing_of_payment_day',
        custody_fee_per_year_per10k: 0n,
        valid_from: '1961-01-11',
        valid_until: '1961-03-31',
      },
      'offer',
    ),
  );
  await people(ingot);
}

/** The scenario's users and NBC's first representative in Moscow. */
async function people(ingot: Ingot): Promise<void> {
  for (const user of SCENARIO_1961_USERS) {
    ok(await addUser(ingot, { ...user, password: SCENARIO_1961_DEMO_PASSWORD, created_by: 'test' }));
  }
  const representative = {
    id: 'REP-1',
    client_party_id: 'NBC',
    name: 'First representative of NBC in Moscow (illustrative)',
    identity_document: 'diplomatic passport Cuba D-0001',
    authority_valid_from: '1961-02-01',
    authority_valid_until: '1961-12-31',
    revoked_on: null,
    account_ids: ['NBC-GOLD'],
    limit_fine_milli_oz: value(parseQuantity('1000 oz')),
  };
  const made = ok(await proposeRepresentative(ingot, 'nbc-signatory-1', representative));
  ok(await approve(ingot, { approval_id: made.pending_approval, by_user_id: 'nbc-signatory-2' }));
}

/** Pins at the relay whose store is `relayDb` the signing key in a bank's public file. */
export function pinAtRelay(relayDb: string, bank: string, publicFile: string): void {
  const read = readPublicKeyFile(publicFile);
  if (!read.ok) throw new Error(read.message);
  const pinned = pinRelayBank(relayDb, {
    bank_id: bank,
    file: read.file,
    replace: false,
    now: new Date().toISOString(),
  });
  if (!pinned.ok) throw new Error(pinned.message);
}
