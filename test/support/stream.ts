// The books and the plan of the fault tests' stream: single-bar sales to NBC waiting to settle, and
// transfers of single bars from NBC to another bank drafted and waiting to be signed.
import { runScenario1961 } from '../../src/scenario/1961.ts';
import { draft } from '../../src/service/custody/instructions.ts';
import type { Ingot } from '../../src/service/kernel/context.ts';
import { addParty, openAccount } from '../../src/service/parties/parties.ts';
import { acceptOffer, allocateTrade } from '../../src/service/trading/trades.ts';
import { moveCash } from '../../src/service/vault/cash.ts';
import { heldBarIds, ok } from './desk.ts';

export type StreamItem = { readonly settle: string } | { readonly transfer: string };

/** The business dates of the stream (the 1961 books have a fixing on the settlement date). */
export const STREAM_DATES = { accept: '1961-01-20', settle: '1961-01-31', instruct: '1961-05-02' };

/** The account the transfers move bars into. */
export const TRANSFER_TARGET = 'BNB-GOLD';

/** One bar is at most 430 oz; a trade of that much takes exactly one bar. */
const TRADE_FINE_MILLI_OZ = 430_000n;

/**
 * The 1961 books with `trades` single-bar trades allocated and funded, and `transfers` single-bar
 * transfers drafted; the plan puts one transfer after every few settlements.
 */
export async function streamBooks(ingot: Ingot, trades: number, transfers: number): Promise<StreamItem[]> {
  await runScenario1961(ingot, () => undefined);
  ok(await addParty(ingot, { id: 'BNB', name: 'Another central bank', role: 'client' }));
  ok(await openAccount(ingot, { id: TRANSFER_TARGET, party_id: 'BNB', kind: 'custody', unit: 'XAU' }));
  const amount = { currency: 'GBP' as const, minor: BigInt(trades) * 6_000n * 4800n };
  ok(
    await moveCash(ingot, 'deposit', {
      account_id: 'NBC-GBP',
      amount,
      date: '1961-01-20',
      key: 'stream-fund',
    }),
  );
  const settlements: StreamItem[] = [];
  const asked = { kind: 'quantity' as const, fine_milli_oz: TRADE_FINE_MILLI_OZ };
  for (let index = 0; index < trades; index += 1) {
    const request = {
      offer_id: 'OFFER-1',
      by_party_id: 'NBC',
      date: STREAM_DATES.accept,
      asked,
      key: `s${index}`,
    };
    const { trade_id } = ok(await acceptOffer(ingot, request));
    ok(await allocateTrade(ingot, { trade_id }));
    settlements.push({ settle: trade_id });
  }
  const bars = await heldBarIds(ingot, 'NBC-GOLD', transfers);
  if (bars.length < transfers) throw new Error(`NBC holds ${bars.length} bars, not ${transfers} to transfer`);
  const moves: StreamItem[] = [];
  for (const bar of bars) {
    const drafted = ok(
      await draft(ingot, {
        by_user_id: 'nbc-signatory-1',
        source_account_id: 'NBC-GOLD',
        selection: { kind: 'bars', bar_ids: [bar] },
        details: { kind: 'transfer', target: { kind: 'existing_account', account_id: TRANSFER_TARGET } },
        date: STREAM_DATES.instruct,
      }),
    );
    moves.push({ transfer: drafted.instruction_id });
  }
  const every = Math.max(1, Math.floor(trades / Math.max(1, transfers)));
  const plan: StreamItem[] = [];
  settlements.forEach((item, index) => {
    plan.push(item);
    const move = index % every === every - 1 ? moves.shift() : undefined;
    if (move) plan.push(move);
  });
  return [...plan, ...moves];
}
