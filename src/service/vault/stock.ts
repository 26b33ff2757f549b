// The depository's free stock: for each of its custody accounts, the gold it holds, what of it is
// reserved (for allocated trades and accepted instructions), and what is free to offer. Summed by
// the database from the bars, so the desk never derives it from pages of trades.
import type { Ingot } from '../kernel/context.ts';
import { barTotalsByState, custodyAccountsOf } from './queries.ts';

/** One custody account's stock, in fine milli-oz and in bars. */
export interface AccountStock {
  readonly account_id: string;
  readonly held_fine_milli_oz: bigint;
  readonly reserved_fine_milli_oz: bigint;
  readonly free_fine_milli_oz: bigint;
  readonly held_bars: bigint;
  readonly reserved_bars: bigint;
  readonly free_bars: bigint;
}

/** Bar states of gold still in the vault: free, or reserved for a trade or an instruction. */
const IN_VAULT = ['held', 'reserved'] as const;

/** The stock of each custody account of `party` (the depository), in account order. */
export async function vaultStock(ingot: Ingot, party: string): Promise<AccountStock[]> {
  const db = ingot.store.db;
  const accounts = await custodyAccountsOf(db, party);
  if (accounts.length === 0) return [];
  const sums = await barTotalsByState(db, accounts, IN_VAULT);
  const of = (account: string, state: string) => {
    const row = sums.find((sum) => sum.owner_account_id === account && sum.state === state);
    return { bars: BigInt(row?.bars ?? 0n), fine: BigInt(row?.fine ?? 0n) };
  };
  return accounts.map((id) => {
    const free = of(id, 'held');
    const reserved = of(id, 'reserved');
    return {
      account_id: id,
      held_fine_milli_oz: free.fine + reserved.fine,
      reserved_fine_milli_oz: reserved.fine,
      free_fine_milli_oz: free.fine,
      held_bars: free.bars + reserved.bars,
      reserved_bars: reserved.bars,
      free_bars: free.bars,
    };
  });
}
