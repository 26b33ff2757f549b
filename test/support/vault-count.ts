// A count of the vault as the counters would write it: the bar list of every custody account (the
// columns of a weight list), less the bars they did not find, plus lines for bars the books lack;
// and a bar free to count or reweigh (in custody, not allocated nor held for an instruction).

import type { Ingot } from '../../src/service/kernel/context.ts';
import { exportBars } from '../../src/service/vault/bars.ts';
import type { Client } from '../api/support.ts';

/** Every bar in custody as a CSV bar list, less `leaveOut` (by serial), plus `extra` lines. */
export async function countOfVault(
  ingot: Ingot,
  leaveOut: readonly string[],
  extra: readonly string[],
): Promise<string> {
  const accounts = await ingot.store.db
    .selectFrom('accounts')
    .select('id')
    .where('kind', '=', 'custody')
    .orderBy('id')
    .execute();
  const lines: string[] = [];
  for (const { id } of accounts) {
    await exportBars(ingot, id, (line) => {
      if (lines.length > 0 && line.startsWith('serial,')) return;
      lines.push(line);
    });
  }
  const kept = lines.filter((line) => !leaveOut.some((serial) => line.startsWith(`${serial},`)));
  return `${[...kept, ...extra].join('\n')}\n`;
}

/** A bar of an account's list, as the API gives it. */
export interface BarItem {
  refiner: string;
  serial: string;
  gross_milli_oz: string;
  fineness: string;
  fine_milli_oz: string;
  state?: string;
}

/** The first bar of `account`'s list that is free, read by `client` (who must be cleared for it). */
export async function firstFree(client: Client, account: string): Promise<BarItem> {
  const listed = (await client.get(`/accounts/${account}/bars?limit=50`)).body as { items: BarItem[] };
  const bar = listed.items.find((b) => b.state === undefined || b.state === 'held');
  if (!bar) throw new Error(`${account} holds no free bar`);
  return bar;
}
