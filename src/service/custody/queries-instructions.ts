// What an instruction's life reads and writes (instructions.ts, proposal.ts): the instruction, its
// steps, the bars it names or holds, and its remarks. Each function runs on the executor it is given
// (the store's handle or a transaction), so it runs where its caller's statements run.
import type { BarRow, InstructionRow, InstructionStepRow, RemarkRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** An instruction's stored body, or undefined when there is no instruction of that id. */
export function instructionBody(tx: Tx, id: string): Promise<Pick<InstructionRow, 'body'> | undefined> {
  return tx.selectFrom('instructions').select('body').where('id', '=', id).executeTakeFirst();
}

/** Records a new instruction. */
export async function recordInstruction(tx: Tx, row: InstructionRow): Promise<void> {
  await tx.insertInto('instructions').values(row).execute();
}

/** Records an instruction's new state and body. */
export async function recordInstructionChange(
  tx: Tx,
  id: string,
  change: Pick<InstructionRow, 'state' | 'body' | 'updated_at'>,
): Promise<void> {
  await tx
    .updateTable('instructions')
    .set({ state: change.state, body: change.body, updated_at: change.updated_at })
    .where('id', '=', id)
    .execute();
}

/** What custody checks of each of the bars (at most a chunk of 1000): weight, owner, reservations. */
export function custodyBarsIn(
  tx: Tx,
  ids: readonly bigint[],
): Promise<Pick<BarRow, 'id' | 'fine_milli_oz' | 'owner_account_id' | 'trade_id' | 'instruction_id'>[]> {
  return tx
    .selectFrom('bars')
    .select(['id', 'fine_milli_oz', 'owner_account_id', 'trade_id', 'instruction_id'])
    .where('id', 'in', ids)
    .execute();
}

/** The fine weight of an account's bars reserved (for trades or instructions); 0 for none. */
export async function reservedFineOf(tx: Tx, accountId: string): Promise<bigint> {
  const reserved = await tx
    .selectFrom('bars')
    .select((eb) => eb.fn.sum<bigint>('fine_milli_oz').as('fine'))
    .where('owner_account_id', '=', accountId)
    .where('state', '=', 'reserved')
    .executeTakeFirst();
  return BigInt(reserved?.fine ?? 0n);
}

/** The number of an instruction's last step (0 before the first). */
export async function lastStepNumber(tx: Tx, instructionId: string): Promise<bigint> {
  const last = await tx
    .selectFrom('instruction_steps')
    .select((eb) => eb.fn.max('number').as('number'))
    .where('instruction_id', '=', instructionId)
    .executeTakeFirst();
  return last?.number ?? 0n;
}

/** Records a step of an instruction. */
export async function recordStepRow(tx: Tx, row: InstructionStepRow): Promise<void> {
  await tx.insertInto('instruction_steps').values(row).execute();
}

/** The latest step of an instruction that recorded an account with this digest, if any did. */
export function stepWithDigest(
  tx: Tx,
  instructionId: string,
  digest: string,
): Promise<Pick<InstructionStepRow, 'number' | 'account'> | undefined> {
  return tx
    .selectFrom('instruction_steps')
    .select(['number', 'account'])
    .where('instruction_id', '=', instructionId)
    .where('digest', '=', digest)
    .orderBy('number', 'desc')
    .executeTakeFirst();
}

/**
 * Reserves for an instruction those of the bars (a chunk of at most 1000) held in its account;
 * returns how many were.
 */
export async function reserveBars(
  tx: Tx,
  instruction: { id: string; source_account_id: string },
  ids: readonly bigint[],
): Promise<bigint> {
  const updated = await tx
    .updateTable('bars')
    .set({ state: 'reserved', instruction_id: instruction.id })
    .where('id', 'in', ids)
    .where('state', '=', 'held')
    .where('owner_account_id', '=', instruction.source_account_id)
    .executeTakeFirst();
  return updated.numUpdatedRows;
}

/** Records the bars (a chunk of at most 1000) as the instruction's, once each. */
export async function recordInstructionBars(tx: Tx, instructionId: string, ids: readonly bigint[]) {
  await tx
    .insertInto('instruction_bars')
    .values(ids.map((bar_id) => ({ instruction_id: instructionId, bar_id })))
    .onConflict((c) => c.columns(['instruction_id', 'bar_id']).doNothing())
    .execute();
}

/** Frees the bars reserved for an instruction: held again, for nothing. */
export async function freeReservedBars(tx: Tx, instructionId: string): Promise<void> {
  await tx
    .updateTable('bars')
    .set({ state: 'held', instruction_id: null })
    .where('instruction_id', '=', instructionId)
    .where('state', '=', 'reserved')
    .execute();
}

/** The bars an instruction holds (reserved, moved), in no particular order. */
export function barsHeldBy(tx: Tx, instructionId: string): Promise<{ bar_id: bigint }[]> {
  return tx
    .selectFrom('instruction_bars')
    .select('bar_id')
    .where('instruction_id', '=', instructionId)
    .execute();
}

/** The bars of the ids, as stored, in id order. */
export function barsInOrder(tx: Tx, ids: readonly bigint[]): Promise<BarRow[]> {
  return tx
    .selectFrom('bars')
    .selectAll()
    .where('id', 'in', [...ids])
    .orderBy('id')
    .execute();
}

/** Records a remark on an instruction. */
export async function recordRemark(tx: Tx, row: RemarkRow): Promise<void> {
  await tx.insertInto('remarks').values(row).execute();
}

/** An instruction's remarks as stored, in order. */
export function remarkRows(tx: Tx, instructionId: string): Promise<RemarkRow[]> {
  return tx
    .selectFrom('remarks')
    .selectAll()
    .where('instruction_id', '=', instructionId)
    .orderBy('number')
    .execute();
}
