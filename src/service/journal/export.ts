// The journal written out for other tools: the plain-text format hledger and ledger-cli read,
// streamed a page of entries at a time (see src/domain/custody/hledger.ts for the commodities).

import { type ExportAccount, hledgerPreamble, hledgerTransaction } from '../../domain/custody/hledger.ts';
import type { AccountKind, LedgerUnit } from '../../domain/ledger.ts';
import type { Ingot } from '../kernel/context.ts';
import { journalPages } from './chain.ts';
import { accountsInIdOrder } from './queries.ts';
import { lastEntryIn } from './queries-chain.ts';

/** The formats the journal exports to. */
export const JOURNAL_FORMATS = ['hledger'] as const;
export type JournalFormat = (typeof JOURNAL_FORMATS)[number];

/** Every account, as the export names it. */
export async function exportAccounts(ingot: Ingot): Promise<ExportAccount[]> {
  const rows = await accountsInIdOrder(ingot);
  return rows.map((row) => ({
    id: row.id,
    party_id: row.party_id,
    kind: row.kind as AccountKind,
    unit: row.unit as LedgerUnit,
  }));
}

/**
 * Writes the journal as hledger text through `write`, entry by entry, up to the last entry at the
 * start: the accounts are read after it, so every account its entries post to is declared.
 */
export async function exportJournal(
  ingot: Ingot,
  write: (text: string) => void | Promise<void>,
): Promise<{ entries: bigint; through: bigint }> {
  const through = await lastEntryIn(ingot.store.db);
  const preamble = hledgerPreamble(await exportAccounts(ingot));
  await write(`${preamble.text}\n`);
  let entries = 0n;
  for await (const page of journalPages(ingot.store.db, { with_moves: false, through })) {
    for (const entry of page) {
      await write(`\n${hledgerTransaction(entry, preamble.by_id)}\n`);
      entries += 1n;
    }
  }
  return { entries, through };
}
