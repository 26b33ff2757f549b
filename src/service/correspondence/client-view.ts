// A client bank's own view of its holdings, fed only by the messages it receives: advices move bars
// in and out of its accounts by number, bar lists weigh them, statements are reconciled against it.
import {
  type AdvicePlan,
  planBarList,
  planCredit,
  planDebit,
  reconcileStatement,
  type ViewBar,
  viewKey,
} from '../../domain/correspondence/view.ts';
import type { Message } from '../../domain/messages/index.ts';
import { writeFineOunces } from '../../domain/messages/values.ts';
import { barsText } from '../../domain/weight.ts';
import type { ViewBarRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import {
  debitViewBar,
  heldFineWeightsOf,
  heldViewBars,
  heldViewBarsOf,
  recordViewBars,
  recordViewEntry,
  viewAccountIds,
  viewEntriesOf,
  weighViewBar,
} from './queries-view.ts';
import { nextRowId } from './register.ts';

/** What applying a message did, for the register. */
export interface Applied {
  readonly applied: string;
  readonly linked: string | null;
}

/** The bars held in the view, by refiner and serial. */
async function heldBars(tx: Tx): Promise<Map<string, ViewBar>> {
  const rows = await heldViewBars(tx);
  const held = new Map<string, ViewBar>();
  for (const row of rows) {
    held.set(viewKey(row), {
      account_id: row.account_id,
      refiner: row.refiner,
      serial: row.serial,
      year: Number(row.year),
      gross_milli_oz: row.gross_milli_oz,
      fineness: row.fineness,
      fine_milli_oz: row.fine_milli_oz,
    });
  }
  return held;
}

/** Writes an advice's entry on the account. */
async function writeEntry(tx: Tx, messageId: bigint, plan: AdvicePlan): Promise<void> {
  await recordViewEntry(tx, {
    id: await nextRowId(tx, 'view_entries'),
    account_id: plan.account_id,
    value_date: plan.value_date,
    mark: plan.mark,
    fine_milli_oz: plan.fine_milli_oz,
    reference: plan.reference,
    message: messageId,
  });
}

/** Bars inserted at once. */
const VIEW_INSERT_CHUNK = 500;

/** Credits the advised bars to the account, their weights to come from a bar list. */
async function applyCredit(tx: Tx, messageId: bigint, plan: AdvicePlan): Promise<void> {
  const first = await nextRowId(tx, 'view_bars');
  const rows = plan.bars.map((bar, index) => ({
    id: first + BigInt(index),
    account_id: plan.account_id,
    refiner: bar.refiner,
    serial: bar.serial,
    year: BigInt(bar.year),
    gross_milli_oz: null,
    fineness: null,
    fine_milli_oz: null,
    credited_by: messageId,
    credited_on: plan.value_date,
    debited_by: null,
    debited_on: null,
  }));
  for (let start = 0; start < rows.length; start += VIEW_INSERT_CHUNK) {
    await recordViewBars(tx, rows.slice(start, start + VIEW_INSERT_CHUNK));
  }
  await writeEntry(tx, messageId, plan);
}

/** Debits the advised bars from the account. */
async function applyDebit(tx: Tx, messageId: bigint, plan: AdvicePlan): Promise<void> {
  for (const bar of plan.bars) {
    await debitViewBar(tx, bar, { debited_by: messageId, debited_on: plan.value_date });
  }
  await writeEntry(tx, messageId, plan);
}

/** The balance of an account in the view: its credits less its debits, up to a date if given. */
async function viewBalance(tx: Tx, accountId: string, upTo?: string): Promise<bigint> {
  const rows = await viewEntriesOf(tx, accountId, upTo);
  return rows.reduce((sum, row) => sum + (row.mark === 'C' ? row.fine_milli_oz : -row.fine_milli_oz), 0n);
}

/** Weighs the bars held that a list names; notes what does not match. */
async function applyBarList(tx: Tx, message: Extract<Message, { type: 'INGOT-BARLIST' }>): Promise<string> {
  const plan = planBarList(message, await heldBars(tx));
  for (const bar of plan.weighed) {
    await weighViewBar(tx, bar);
  }
  const rows = await heldFineWeightsOf(tx, plan.account_id);
  const unweighed = rows.filter((row) => row.fine_milli_oz === null).length;
  const weighed = rows.reduce((sum, row) => sum + (row.fine_milli_oz ?? 0n), 0n);
  const balance = await viewBalance(tx, plan.account_id);
  const advised = `${balance < 0n ? '-' : ''}${writeFineOunces(balance < 0n ? -balance : balance)} FOZ`;
  const held = `the bars held weigh ${writeFineOunces(weighed)} FOZ fine`;
  const agreement =
    unweighed > 0
      ? `${unweighed} bars held are still unweighed`
      : weighed === balance
        ? `${held}, as the advices say`
        : `${held} but the advices make ${advised}`;
  return [`${plan.weighed.length} bars of ${plan.account_id} weighed; ${agreement}`, ...plan.notes].join(
    '; ',
  );
}

/** Applies a received message to the view; what it did, or why not, is noted in the register. */
export async function applyToView(tx: Tx, messageId: bigint, message: Message): Promise<Applied> {
  switch (message.type) {
    case 'MT607':
    case 'MT606': {
      const held = await heldBars(tx);
      const planned = message.type === 'MT607' ? planCredit(message, held) : planDebit(message, held);
      if (!planned.ok) return { applied: `not applied: ${planned.message}`, linked: null };
      const { plan } = planned;
      if (plan.mark === 'C') await applyCredit(tx, messageId, plan);
      else await applyDebit(tx, messageId, plan);
      const verb = plan.mark === 'C' ? 'credited to' : 'debited from';
      const weight = writeFineOunces(plan.fine_milli_oz);
      const what = `${barsText(plan.bars.length)}, ${weight} FOZ ${verb} ${plan.account_id}`;
      return { applied: [what, ...plan.notes].join('; '), linked: message.related_reference };
    }
    case 'INGOT-BARLIST':
      return { applied: await applyBarList(tx, message), linked: message.related_reference };
    case 'MT608': {
      const balance = await viewBalance(tx, message.account, message.closing.date);
      return { applied: reconcileStatement(message, balance), linked: message.account };
    }
    default:
      return { applied: 'recorded', linked: null };
  }
}

/** An account in the view: its balance by the advices, and the bars held. */
export interface ViewAccount {
  readonly account_id: string;
  readonly balance_fine_milli_oz: bigint;
  readonly bars: number;
  readonly weighed_fine_milli_oz: bigint;
  readonly unweighed_bars: number;
}

/** The view's accounts, or one of them. */
export async function viewAccounts(ingot: Ingot, accountId?: string): Promise<ViewAccount[]> {
  const db = ingot.store.db;
  const accounts: ViewAccount[] = [];
  for (const { account_id } of await viewAccountIds(db, accountId)) {
    const bars = await viewBars(ingot, account_id);
    accounts.push({
      account_id,
      balance_fine_milli_oz: await viewBalance(db, account_id),
      bars: bars.length,
      weighed_fine_milli_oz: bars.reduce((sum, bar) => sum + (bar.fine_milli_oz ?? 0n), 0n),
      unweighed_bars: bars.filter((bar) => bar.fine_milli_oz === null).length,
    });
  }
  return accounts;
}

/** A bar of the client's own view: its identity, weight, account, and the advice that debited it. */
export type HeldViewBar = ViewBarRow;

/** The bars held in an account of the view, in the order they were credited. */
export async function viewBars(ingot: Ingot, accountId: string): Promise<HeldViewBar[]> {
  return heldViewBarsOf(ingot.store.db, accountId);
}
