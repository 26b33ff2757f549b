// The bar list of an account at a date, printed for a cleared user as it is read: the same header,
// copy number and bars as `printFromBooks` gives, but the bars streamed from one snapshot of the
// books a page at a time instead of gathered into one message, so a vault of millions of bars
// prints in bounded memory. The count is known before the copy is numbered, so a caller can refuse
// a list longer than it prints before anything is numbered or drawn.
import type { BarListPlan } from '../../documents/barlist-stream.ts';
import type { PrintedBar } from '../../documents/pdf.ts';
import type { Classification } from '../../domain/correspondence/classification.ts';
import { metalAt, partyOf } from '../../domain/correspondence/compose.ts';
import { type CorrespondenceOutcome, refuseCorrespondence } from '../../domain/correspondence/refusal.ts';
import type { BarRow } from '../../store/schema.ts';
import type { Ingot } from '../kernel/context.ts';
import { streamInSnapshot } from '../kernel/snapshot.ts';
import { depositoryPartyId } from '../parties/users.ts';
import { barCountAtDate } from '../vault/bars.ts';
import { barsAtDate, statement, statementBars } from '../vault/statement.ts';
import { mayRead } from './clearance.ts';
import { PRINTABLE_TITLES } from './printable.ts';
import { partyName } from './queries-books.ts';
import { printBookCopy } from './register.ts';

/** What to print: an account's bar list at the end of a date, for a user. */
export interface BarListPrintOrder {
  readonly account_id: string;
  readonly date: string;
  readonly user_id: string;
  readonly classification: Classification;
}

/** A bar list ready to draw: its plan (header, count, place) and its bars, read as they are drawn. */
export interface BarListPrint {
  readonly plan: BarListPlan;
  readonly bars: AsyncGenerator<PrintedBar>;
}

/** A bar list opened in a snapshot and counted, not yet numbered: printed, or let go. */
export interface OpenedBarList {
  /** The bars the list holds. */
  readonly bars: number;
  /** Numbers the copy for the user and hands back what to draw. */
  print(): Promise<CorrespondenceOutcome<{ print: BarListPrint }>>;
  /** Lets the snapshot go without printing. */
  cancel(): Promise<void>;
}

/** What the snapshot yields first: the account's list as the books state it, or why there is none. */
type Opening =
  | { readonly kind: 'refused'; readonly refusal: CorrespondenceOutcome<never> }
  | { readonly kind: 'list'; readonly bars: number; readonly party_id: string; readonly first: BarRow };

type Item = Opening | { readonly kind: 'bar'; readonly bar: BarRow };

/** How many bars an account held at the end of a date: from the index, else counted. */
async function countAt(reading: Ingot, account_id: string, date: string): Promise<number> {
  const known = await barCountAtDate(reading, account_id, date);
  if (known !== undefined) return known;
  let count = 0;
  for await (const _bar of barsAtDate(reading, account_id, date)) count += 1;
  return count;
}

/** The list in one snapshot: the statement's closing balance, the count, then every bar. */
function listed(ingot: Ingot, account_id: string, date: string): AsyncGenerator<Item> {
  return streamInSnapshot(ingot, async function* (reading): AsyncGenerator<Item> {
    const made = await statement(reading, { account_id, from: date, to: date });
    if (!made.ok) {
      yield { kind: 'refused', refusal: made };
      return;
    }
    const bars = statementBars(reading, made.statement);
    const first = await bars.next();
    if (first.done) {
      const refusal = refuseCorrespondence(
        'document_not_available',
        `${account_id} holds no bars on ${date}`,
        'account',
      );
      yield { kind: 'refused', refusal };
      return;
    }
    const count = await countAt(reading, account_id, date);
    yield { kind: 'list', bars: count, party_id: made.statement.account.party_id, first: first.value };
    yield { kind: 'bar', bar: first.value };
    for await (const bar of bars) yield { kind: 'bar', bar };
  });
}

/** The bars of the list, after its opening. */
async function* barsOf(items: AsyncGenerator<Item>): AsyncGenerator<PrintedBar> {
  for await (const item of items) if (item.kind === 'bar') yield item.bar;
}

/** A bank's name as the header shows it: the lines its party field would carry, else its id. */
async function bankText(ingot: Ingot, id: string, identifier: string): Promise<string> {
  const name = (await partyName(ingot.store.db, id)) ?? id;
  const lines = partyOf(name, identifier).lines;
  return lines.length === 0 ? name : lines.join(' ');
}

/**
 * Opens the bar list for printing: clears the user and reads the count in a snapshot. Printing
 * it numbers the copy and hands back the plan and the bars (same snapshot), which the caller must
 * read to the end or stop with `return()`; or the caller lets it go with `cancel()`.
 */
export async function openBarListPrint(
  ingot: Ingot,
  order: BarListPrintOrder,
): Promise<CorrespondenceOutcome<{ opened: OpenedBarList }>> {
  const { account_id, date, user_id, classification } = order;
  const cleared = await mayRead(ingot, { user_id, kind: 'barlist', action: 'print', classification });
  if (!cleared.ok) return cleared;
  const items = listed(ingot, account_id, date);
  const opening = (await items.next()).value as Opening | undefined;
  if (opening === undefined || opening.kind === 'refused') {
    await items.return(undefined);
    return opening?.refusal ?? refuseCorrespondence('document_not_available', 'no bar list', 'account');
  }
  const cancel = async () => {
    await items.return(undefined);
  };
  const print = async (): Promise<CorrespondenceOutcome<{ print: BarListPrint }>> => {
    const document = `barlist:${account_id}:${date}`;
    const copy = await printBookCopy(ingot, { document, classification, user_id });
    if (!copy.ok) {
      await cancel();
      return copy;
    }
    const depository = (await depositoryPartyId(ingot)) ?? '';
    const header = {
      title: PRINTABLE_TITLES.barlist,
      classification,
      copy_number: copy.copy_number,
      from: await bankText(ingot, depository, depository),
      to: await bankText(ingot, opening.party_id, account_id),
      account: account_id,
      date,
      reference: `BL-${date.slice(2).replaceAll('-', '')}`,
      related: null,
    };
    const location = metalAt(opening.first.vault).location;
    return { ok: true, print: { plan: { header, bars: opening.bars, location }, bars: barsOf(items) } };
  };
  return { ok: true, opened: { bars: opening.bars, print, cancel } };
}
