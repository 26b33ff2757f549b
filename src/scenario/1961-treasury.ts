// The National Bank of Cuba's treasury in January 1961, as the record of 17 January tells it: USD 25
// million in its account at Moscow Narodny Bank in London, a transfer of USD 8 million under way,
// and "the sum of over 20 million dollars" needed for other expenses; so USD 20 million for gold.
// The payer of the USD 8 million, the value dates after the 17th and the conversion of USD 21
// million into the £7,500,000 placed at the State Bank are illustrative.
import { formatLsd, formatMoney, parseFxRate, parseMoney } from '../domain/money.ts';
import type { Ingot } from '../service/kernel/context.ts';
import {
  addCorrespondent,
  closeTransferOf,
  recordBalance,
  recordEarmark,
  recordTransfer,
  treasuryView,
} from '../service/treasury/treasury.ts';

type Say = (line: string) => void;

export const TREASURY_1961 = {
  party: 'NBC',
  correspondent: 'MNB-LONDON-USD',
  bank: 'Moscow Narodny Bank, London',
  decision_date: '1961-01-17',
  held: 'USD 25,000,000',
  under_way: 'USD 8,000,000',
  other_needs: 'USD 13,000,000',
  /** After the USD 8 million arrived and USD 21 million were sold for the £7,500,000 placed in Moscow. */
  held_after_funding: 'USD 12,000,000',
  /** Recorded by NBC's first signatory; the treasury is the bank's own. */
  by: 'nbc-signatory-1',
} as const;

function must<O extends { ok: boolean }>(outcome: O, step: string): Extract<O, { ok: true }> {
  if (!outcome.ok)
    throw new Error(`scenario 1961, treasury, ${step}: ${(outcome as { message?: string }).message}`);
  return outcome as Extract<O, { ok: true }>;
}

function usd(text: string) {
  const parsed = parseMoney(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

/** Records NBC's treasury of January 1961; says what was left for gold on the 17th. */
export async function runTreasury1961(bookkeeper: Ingot, say: Say): Promise<void> {
  const t = TREASURY_1961;
  const ingot: Ingot = { ...bookkeeper, user: t.by };
  const key = (name: string) => `scenario-1961-treasury-${name}`;
  must(
    await addCorrespondent(ingot, t.party, {
      id: t.correspondent,
      bank: t.bank,
      currency: 'USD',
      account_reference: '',
    }),
    'correspondent',
  );
  const balance = { correspondent_id: t.correspondent, as_of: t.decision_date, amount: usd(t.held) };
  must(await recordBalance(ingot, t.party, balance, key('balance-17')), 'balance');
  const transfer = must(
    await recordTransfer(
      ingot,
      t.party,
      {
        amount: usd(t.under_way),
        source: { kind: 'outside', name: 'payer not named in the record (illustrative)' },
        target: { kind: 'correspondent', correspondent_id: t.correspondent },
        sent_on: '1961-01-16',
        expected_on: '1961-01-19',
        note: '"presently processing a transfer of 8 million dollars" (record of 17 January 1961)',
      },
      key('transfer'),
    ),
    'transfer',
  );
  const purpose =
    'other expenses of the Cuban government: the sum over USD 20 million (record of 17 January)';
  const earmark = { amount: usd(t.other_needs), purpose, from: t.decision_date, until: '1961-12-31' };
  must(await recordEarmark(ingot, t.party, earmark, key('earmark')), 'earmark');
  await sayLeft(ingot, say);
  // Later in January (illustrative): the USD 8 million arrive; USD 21 million are sold for sterling.
  must(
    await closeTransferOf(ingot, t.party, { id: transfer.id, event: 'arrive', on: '1961-01-19', note: null }),
    'arrival',
  );
  const after = { correspondent_id: t.correspondent, as_of: '1961-01-20', amount: usd(t.held_after_funding) };
  must(await recordBalance(ingot, t.party, after, key('balance-20')), 'balance after funding');
}

async function sayLeft(ingot: Ingot, say: Say): Promise<void> {
  const t = TREASURY_1961;
  const rate = parseFxRate('2.80', 'GBP', 'USD');
  if (!rate.ok) throw new Error(rate.reason);
  const view = await treasuryView(ingot, t.party, t.decision_date, { USD: rate.value });
  const dollars = view.position.currencies.find((c) => c.currency === 'USD');
  if (!dollars || !view.sterling.ok) throw new Error('scenario 1961, treasury: no dollar position');
  const sterling = view.sterling.lines.find((l) => l.currency === 'USD')?.sterling_minor ?? 0n;
  say(
    `${t.decision_date}  NBC's treasury: ${t.held} at ${t.bank}, ${t.under_way} under way, ` +
      `${t.other_needs} needed for other expenses: ${formatMoney({ currency: 'USD', minor: dollars.left })} ` +
      `left for gold, ${formatLsd(sterling)} at USD 2.80 per £.`,
  );
}
