// The vault's free stock: its gold less what is reserved for allocated trades. The API states a
// custody account's balance, and each allocated trade its weight; no route states the difference.
import { call, query } from '../../api.ts';
import { useLoad } from '../../hooks.ts';
import type { Page, Trade } from '../../types.ts';

/** Trades read a page at a time while summing what is reserved. */
const TRADE_PAGE_ROWS = 1000;

/** What a vault holds, what is reserved for allocated trades, and what is free to offer. */
export interface Stock {
  readonly held_fine_milli_oz: bigint;
  readonly reserved_fine_milli_oz: bigint;
  readonly free_fine_milli_oz: bigint;
}

async function reservedInAllocatedTrades(): Promise<bigint> {
  let reserved = 0n;
  let cursor: string | undefined;
  do {
    const page = await call<Page<Trade>>(
      'GET',
      `/trades${query({ state: 'allocated', cursor, limit: TRADE_PAGE_ROWS })}`,
    );
    for (const trade of page.items) reserved += BigInt(trade.allocated_fine_milli_oz ?? '0');
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return reserved;
}

/** The free stock of a vault holding `balance` milli-oz (its account's balance), reloaded by `round`. */
export function useFreeStock(balance: string | undefined, round: number): Stock | undefined {
  const reserved = useLoad(reservedInAllocatedTrades, [round]);
  if (balance === undefined || reserved.data === undefined) return undefined;
  const held = BigInt(balance);
  const free = held - reserved.data;
  return {
    held_fine_milli_oz: held,
    reserved_fine_milli_oz: reserved.data,
    free_fine_milli_oz: free > 0n ? free : 0n,
  };
}
