// What reweighing a bar reads and writes (reweigh.ts): the bar, its owner's account, the bar's new
// weights and the record of each reweighing. Each function runs on the executor it is given (the
// store's handle or a transaction), so it runs where its caller's statements run.
import { sql } from 'kysely';
import type { AccountRow, BarRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** The kind of an account (custody, cash, …), if it exists. */
export function accountKind(tx: Tx, id: string): Promise<Pick<AccountRow, 'kind'> | undefined> {
  return tx.selectFrom('accounts').select('kind').where('id', '=', id).executeTakeFirst();
}

/** The balance of an account, if it exists. */
export function accountBalance(tx: Tx, id: string): Promise<Pick<AccountRow, 'balance'> | undefined> {
  return tx.selectFrom('accounts').select('balance').where('id', '=', id).executeTakeFirst();
}

/** The number of a bar's last reweighing (0 before the first). */
export async function lastReweighNumber(tx: Tx, barId: bigint): Promise<bigint> {
  const numbered = await sql<{ n: bigint | null }>`select max(number) as n from bar_reweighs
    where bar_id = ${barId}`.execute(tx);
  return BigInt(numbered.rows[0]?.n ?? 0);
}

/** A reweighing as recorded: the bar's weights before and after, its entry, why and by whom. */
export interface ReweighRecord {
  readonly bar_id: bigint;
  readonly number: bigint;
  readonly entry_id: bigint;
  readonly reweigh_date: string;
  readonly gross_before: bigint;
  readonly fineness_before: bigint;
  readonly fine_before: bigint;
  readonly gross_milli_oz: bigint;
  readonly fineness: bigint;
  readonly fine_milli_oz: bigint;
  readonly reason: string;
  readonly made_by: string;
  readonly checked_by: string;
}

/** Records a reweighing of a bar. */
export async function recordReweigh(tx: Tx, r: ReweighRecord): Promise<void> {
  await sql`insert into bar_reweighs (bar_id, number, entry_id, reweigh_date, gross_before, fineness_before,
    fine_before, gross_milli_oz, fineness, fine_milli_oz, reason, made_by, checked_by)
    values (${r.bar_id}, ${r.number}, ${r.entry_id}, ${r.reweigh_date}, ${r.gross_before}, ${r.fineness_before},
    ${r.fine_before}, ${r.gross_milli_oz}, ${r.fineness}, ${r.fine_milli_oz}, ${r.reason},
    ${r.made_by}, ${r.checked_by})`.execute(tx);
}

/** Records a bar's new weights: gross, fineness and the fine weight that follows from them. */
export async function setBarWeights(
  tx: Tx,
  barId: bigint,
  weights: Pick<BarRow, 'gross_milli_oz' | 'fineness' | 'fine_milli_oz'>,
): Promise<void> {
  await tx
    .updateTable('bars')
    .set({
      gross_milli_oz: weights.gross_milli_oz,
      fineness: weights.fineness,
      fine_milli_oz: weights.fine_milli_oz,
    })
    .where('id', '=', barId)
    .execute();
}
