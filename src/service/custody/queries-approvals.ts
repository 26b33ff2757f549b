// What four eyes reads and writes (approvals-store.ts, approvals.ts, instructions.ts): approvals
// proposed, read back, waiting for a step, approved or declined. Each function runs on the executor
// it is given (the store's handle or a transaction), so it runs where its caller's statements run.
import type { ApprovalRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** The highest number of any approval (0 before the first). */
export async function lastApprovalId(tx: Tx): Promise<bigint> {
  const last = await tx
    .selectFrom('approvals')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return last?.id ?? 0n;
}

/** Records a proposed approval. */
export async function recordApproval(tx: Tx, row: ApprovalRow): Promise<void> {
  await tx.insertInto('approvals').values(row).execute();
}

/** An approval as stored, or undefined when there is none of that number. */
export function approvalRow(tx: Tx, id: bigint): Promise<ApprovalRow | undefined> {
  return tx.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The approval a step waits as (its pending-step key), if one does. */
export function approvalPendingAs(tx: Tx, pendingStep: string): Promise<{ id: bigint } | undefined> {
  return tx.selectFrom('approvals').select('id').where('pending_step', '=', pendingStep).executeTakeFirst();
}

/** Approvals, pending first, optionally of one party or subject. */
export async function listApprovals(
  tx: Tx,
  filter: { party_id?: string; status?: string; subject?: string } = {},
): Promise<ApprovalRow[]> {
  let query = tx.selectFrom('approvals').selectAll().orderBy('id');
  if (filter.party_id) query = query.where('party_id', '=', filter.party_id);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.subject) query = query.where('subject', '=', filter.subject);
  return query.execute();
}

/** Records an approval's decision (approved or declined), by whom, with what, and when. */
export async function recordDecision(
  tx: Tx,
  id: bigint,
  decision: Pick<ApprovalRow, 'status' | 'checker_user_id' | 'outcome' | 'decided_at'>,
): Promise<void> {
  await tx
    .updateTable('approvals')
    .set({
      status: decision.status,
      checker_user_id: decision.checker_user_id,
      outcome: decision.outcome,
      decided_at: decision.decided_at,
      pending_step: null,
    })
    .where('id', '=', id)
    .execute();
}
