// A count of the vault as the counters would write it: the bar list of every custody account (the
// columns of a weight list), less the bars they did not find, plus lines for bars the books lack.

import type { Ingot } from '../../src/service/kernel/context.ts';
import { exportBars } from '../../src/service/vault/bars.ts';

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
