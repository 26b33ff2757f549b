// The vault's free stock, as the books sum it (GET /vault/stock): its gold, less what allocated
// trades and accepted instructions hold reserved. The desk no longer derives it from pages of trades.
import { call } from '../../api.ts';
import { useLoad } from '../../hooks.ts';
import type { AccountStock, Items } from '../../types.ts';

/** What a vault holds, what is reserved for trades and instructions, and what is free to offer. */
export interface Stock {
  readonly held_fine_milli_oz: bigint;
  readonly reserved_fine_milli_oz: bigint;
  readonly free_fine_milli_oz: bigint;
}

/** The free stock of the vault account `vault`, read again when `round` changes. */
export function useFreeStock(vault: string, round: number): Stock | undefined {
  const stock = useLoad(() => call<Items<AccountStock>>('GET', '/vault/stock'), [round]);
  const shown = stock.data?.items.find((item) => item.account_id === vault);
  if (!shown) return undefined;
  return {
    held_fine_milli_oz: BigInt(shown.held_fine_milli_oz),
    reserved_fine_milli_oz: BigInt(shown.reserved_fine_milli_oz),
    free_fine_milli_oz: BigInt(shown.free_fine_milli_oz),
  };
}
