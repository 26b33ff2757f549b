// What carrying out an instruction's step reads and writes besides the journal (instruction-plans.ts):
// the accounts it opens, the client's cash account, the bars it moves, and what a representative
// has received so far. Each function runs on the executor it is given (the store's handle or a
// transaction), so it runs where its caller's statements run.
import type { AccountRow, BarMoveRow, BarRow, InstructionRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** Opens an account at a zero balance, unless one of its id is open already. */
export async function openAccountOnce(
  tx: Tx,
  account: Pick<AccountRow, 'id' | 'party_id' | 'kind' | 'unit'>,
  now: string,
): Promise<void> {
  await tx
    .insertInto('accounts')
    .values({ ...account, balance: 0n, created_at: now })
    .onConflict((c) => c.column('id').doNothing())
    .execute();
}

/** The id of a party's first cash account in a currency (by id), if it has one. */
export async function cashAccountId(tx: Tx, partyId: string, currency: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('accounts')
    .select('id')
    .where('party_id', '=', partyId)
    .where('kind', '=', 'cash')
    .where('unit', '=', currency)
    .orderBy('id')
    .executeTakeFirst();
  return row?.id;
}

/** The bars kept for an instruction in a state, in id order. */
export function instructionBarsIn(
  tx: Tx,
  instructionId: string,
  state: string,
): Promise<Pick<BarRow, 'id' | 'fine_milli_oz' | 'owner_account_id' | 'instruction_id'>[]> {
  return tx
    .selectFrom('bars')
    .select(['id', 'fine_milli_oz', 'owner_account_id', 'instruction_id'])
    .where('instruction_id', '=', instructionId)
    .where('state', '=', state)
    .orderBy('id')
    .execute();
}

/** The releases executed, every representative's, in no particular order. */
export function executedReleases(tx: Tx): Promise<Pick<InstructionRow, 'id' | 'body'>[]> {
  return tx
    .selectFrom('instructions')
    .select(['id', 'body'])
    .where('kind', '=', 'release')
    .where('state', '=', 'executed')
    .execute();
}

/** The fine weight of the bars recorded as an instruction's; 0 for none. */
export async function fineOfInstructionBars(tx: Tx, instructionId: string): Promise<bigint> {
  const moved = await tx
    .selectFrom('instruction_bars')
    .innerJoin('bars', 'bars.id', 'instruction_bars.bar_id')
    .select((eb) => eb.fn.sum<bigint>('bars.fine_milli_oz').as('fine'))
    .where('instruction_bars.instruction_id', '=', instructionId)
    .executeTakeFirst();
  return BigInt(moved?.fine ?? 0n);
}

/** Records a bar's move in a journal entry. */
export async function recordBarMove(tx: Tx, row: BarMoveRow): Promise<void> {
  await tx.insertInto('bar_moves').values(row).execute();
}

/**
 * Moves a bar from its source account to its target, in a new state, kept for an instruction or
 * for none; returns how many bars moved (1, or 0 when it was not in the source account).
 */
export async function moveBar(
  tx: Tx,
  move: Omit<BarMoveRow, 'entry_id'>,
  state: string,
  instructionId: string | null,
): Promise<bigint> {
  const updated = await tx
    .updateTable('bars')
    .set({ owner_account_id: move.target_account_id, state, instruction_id: instructionId })
    .where('id', '=', move.bar_id)
    .where('owner_account_id', '=', move.source_account_id)
    .executeTakeFirst();
  return updated.numUpdatedRows;
}
