// The 1961 arrangement replayed: the State Bank of the USSR sells gold to the National Bank of Cuba
// for about USD 20 million, settled against sterling at the London fixing of the payment day.
import {
  convert,
  formatLsd,
  formatMoney,
  type Money,
  parseFxRate,
  parseMoney,
  parsePrice,
} from '../domain/money.ts';
import { describeOffer } from '../domain/offer.ts';
import type { Outcome } from '../domain/outcome.ts';
import { describeWeight, formatFineness, parseQuantity } from '../domain/weight.ts';
import { verifyStore } from '../service/journal/verify.ts';
import type { Ingot } from '../service/kernel/context.ts';
import { addParty, openAccount } from '../service/parties/parties.ts';
import { recordFixings } from '../service/trading/fixings.ts';
import { createOffer } from '../service/trading/offers.ts';
import { settleTrade } from '../service/trading/settle.ts';
import { acceptOffer, allocateTrade } from '../service/trading/trades.ts';
import { importBars } from '../service/vault/bars.ts';
import { moveCash } from '../service/vault/cash.ts';
import { type Statement, statement, statementBars } from '../service/vault/statement.ts';
import { runCustody1961 } from './1961-custody.ts';
import { runTreasury1961 } from './1961-treasury.ts';
import { generateStock } from './stock.ts';

export const SCENARIO_1961 = {
  offer_date: '1961-01-11',
  decision_date: '1961-01-17',
  funding_date: '1961-01-20',
  payment_date: '1961-01-31',
  statement_date: '1961-03-31',
  stock_bars: 2500,
  fixing: '254s 0d',
  fixing_source:
    'illustrative: January 1961 average of the London morning fixing, USD 35.560 (Deutsche Bundesbank ' +
    'series from the Bank of England Quarterly Bulletin) at USD 2.80 per £; no daily fixing is sourced',
  budget: 'USD 20,000,000',
  parity_usd_per_gbp: '2.80',
  funding: '£7,500,000',
} as const;

/** Unwraps an outcome the scenario expects to succeed; a refusal here is a bug in Ingot. */
function expectOk<T extends object>(outcome: Outcome<T> | { ok: false; message: string }, step: string): T {
  if (!outcome.ok) throw new Error(`scenario 1961, ${step}: ${outcome.message}`);
  return outcome;
}

function parsed<T>(result: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

/** Runs the scenario into an empty store and returns the account of it, line by line. */
/** A statement's bar list in a line: how many bars, and the first three. */
async function describeBars(ingot: Ingot, st: Statement): Promise<string> {
  let count = 0;
  const first: string[] = [];
  for await (const bar of statementBars(ingot, st)) {
    count += 1;
    if (first.length < 3) first.push(`${bar.refiner} ${bar.serial} ${formatFineness(bar.fineness)}‰`);
  }
  return `${count} bars; first: ${first.join('; ')} …`;
}

export async function runScenario1961(
  ingot: Ingot,
  say: (line: string) => void,
): Promise<{ verified: boolean }> {
  const s = SCENARIO_1961;
  say('Ingot — the 1961 arrangement (State Bank of the USSR and National Bank of Cuba)');
  expectOk(
    await addParty(ingot, { id: 'GOSBANK', name: 'State Bank of the USSR', role: 'depository' }),
    'party',
  );
  expectOk(await addParty(ingot, { id: 'NBC', name: 'National Bank of Cuba', role: 'client' }), 'party');
  for (const [id, party_id, kind, unit] of [
    ['GOSBANK-VAULT', 'GOSBANK', 'custody', 'XAU'],
    ['GOSBANK-GBP', 'GOSBANK', 'cash', 'GBP'],
    ['NBC-GOLD', 'NBC', 'custody', 'XAU'],
    ['NBC-GBP', 'NBC', 'cash', 'GBP'],
  ] as const) {
    expectOk(await openAccount(ingot, { id, party_id, kind, unit }), `account ${id}`);
  }
  const stock = expectOk(
    await importBars(ingot, {
      account_id: 'GOSBANK-VAULT',
      lines: generateStock(s.stock_bars),
      rules: { minimum_fineness: 9950n, good_delivery: true },
      date: '1961-01-02',
      key: 'scenario-1961-stock',
      source: 'scenario-1961-stock.csv (generated; bar marks are illustrative)',
    }),
    'stock',
  );
  say(`1961-01-02  Vault stock: ${stock.bars} Good Delivery bars, ${describeWeight(stock.fine_milli_oz)}.`);
  const fixing = parsed(parsePrice(s.fixing));
  expectOk(
    await recordFixings(ingot, [
      { date: s.payment_date, currency: 'GBP', minor_per_oz: fixing.minor_per_oz, source: s.fixing_source },
    ]),
    'fixing',
  );
  const terms = {
    seller_party_id: 'GOSBANK',
    buyer_party_id: 'NBC',
    seller_stock_account_id: 'GOSBANK-VAULT',
    seller_cash_account_id: 'GOSBANK-GBP',
    buyer_custody_account_id: 'NBC-GOLD',
    buyer_cash_account_id: 'NBC-GBP',
    maximum_fine_milli_oz: parsed(parseQuantity('30 t')),
    minimum_fineness: 9900n,
    currency: 'GBP' as const,
    pricing: 'london_fixing_of_payment_day' as const,
    custody_fee_per_year_per10k: 0n,
    valid_from: s.offer_date,
    valid_until: '1961-03-31',
  };
  const offer = expectOk(await createOffer(ingot, terms, 'scenario-1961-offer'), 'offer');
  say(
    `${s.offer_date}  ${offer.offer_id}: ${describeOffer({ ...terms, id: offer.offer_id })}; custody free of fees.`,
  );
  await runTreasury1961(ingot, say);
  const usd = parsed(parseMoney(s.budget));
  const rate = parsed(parseFxRate(s.parity_usd_per_gbp, 'GBP', 'USD'));
  const budget: Money = convert(usd, rate, 'GBP', s.decision_date);
  const stated = `${formatMoney(usd)} at USD ${s.parity_usd_per_gbp} per £ (official parity)`;
  const trade = expectOk(
    await acceptOffer(ingot, {
      offer_id: offer.offer_id,
      by_party_id: 'NBC',
      date: s.decision_date,
      asked: { kind: 'amount', budget, stated },
      key: 'scenario-1961-accept',
    }),
    'acceptance',
  );
  say(`${s.decision_date}  NBC accepts ${trade.trade_id}: gold for ${stated} = ${formatLsd(budget.minor)}.`);
  const funding = parsed(parseMoney(s.funding));
  expectOk(
    await moveCash(ingot, 'deposit', {
      account_id: 'NBC-GBP',
      amount: funding,
      date: s.funding_date,
      key: 'scenario-1961-funding',
      memo: 'sterling placed at the State Bank by NBC (illustrative)',
    }),
    'funding',
  );
  say(`${s.funding_date}  NBC places ${formatLsd(funding.minor)} in NBC-GBP at the State Bank.`);
  const allocation = expectOk(
    await allocateTrade(ingot, { trade_id: trade.trade_id, reference_date: s.payment_date }),
    'allocation',
  );
  say(
    `${s.payment_date}  Fixing ${formatLsd(fixing.minor_per_oz, { shillingsOnly: true })} per fine oz (${s.fixing_source}).`,
  );
  say(
    `${s.payment_date}  Allocated ${allocation.bars} bars, ${describeWeight(allocation.allocated_fine_milli_oz)}; ` +
      `asked ${describeWeight(allocation.target_fine_milli_oz)}, gap ${allocation.gap_fine_milli_oz} milli-oz.`,
  );
  const settled = expectOk(
    await settleTrade(ingot, { trade_id: trade.trade_id, date: s.payment_date, key: 'scenario-1961-settle' }),
    'settlement',
  );
  const paid: Money = { currency: 'GBP', minor: settled.consideration_minor };
  say(
    `${s.payment_date}  Settled delivery versus payment: NBC-GBP debited ${formatLsd(paid.minor)} (${formatMoney(paid)}), NBC-GOLD credited ${describeWeight(settled.fine_milli_oz)}.`,
  );
  await runCustody1961(ingot, say);
  for (const account_id of ['NBC-GOLD', 'NBC-GBP']) {
    const result = expectOk(
      await statement(ingot, { account_id, from: s.offer_date, to: s.statement_date }),
      'statement',
    );
    const st = result.statement;
    const show = (v: bigint) => (st.account.unit === 'XAU' ? describeWeight(v) : formatLsd(v));
    say(
      `Statement ${account_id} ${st.from}..${st.to}: opening ${show(st.opening)}, closing ${show(st.closing)}`,
    );
    for (const line of st.lines)
      say(`  ${line.value_date}  #${line.entry_id}  ${show(line.amount)}  ${line.memo}`);
    if (st.account.kind === 'custody') say(`  bar list: ${await describeBars(ingot, st)}`);
  }
  const verified = await verifyStore(ingot);
  say(
    verified.breaches.length === 0
      ? `verify: ${verified.checks} checks passed; the books balance to the ounce and the farthing.`
      : `verify: ${verified.breaches.length} breach(es)`,
  );
  return { verified: verified.breaches.length === 0 };
}
