// A statement as JSON text, written a piece at a time: the bar list is read a page at a time as it
// is written, so a statement of a vault of millions of bars never holds them (the CLI's --json
// and the API's statement both write it so).

import { assert } from '../../domain/outcome.ts';
import type { Ingot } from '../kernel/context.ts';
import { streamInSnapshot } from '../kernel/snapshot.ts';
import { barView } from './bar-view.ts';
import { type Statement, statement, statementBars } from './statement.ts';

/** Characters gathered before a piece is handed on: large enough that writes stay few. */
export const STATEMENT_JSON_PIECE_CHARS = 1 << 16;

export interface StatementJsonForm {
  /** Spaces per level, as JSON.stringify's third argument: 2 for people, 0 for compact text. */
  readonly indent: number;
  /** Whether the bar list is wanted; without it, or for an account holding no bars, it is null. */
  readonly with_bars: boolean;
}

/** Bigints as decimal strings: amounts and weights never pass through a JSON number. */
function exact(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/**
 * The statement's JSON text in pieces: the same text JSON.stringify would give for the statement
 * with its `bars` (last) as an array, or null when there is no list. With a bar list, the
 * statement and its bars are read in one snapshot of the books, opened when the first piece is
 * asked for: the statement is read again in it (the same as `st` when `st` was made in the
 * caller's snapshot), so balances and bars agree however many settlements commit while a vault of
 * millions of bars is written. A bar list that does not add up to the closing balance stops the
 * text before it ends (statementBars throws).
 */
export function statementJson(ingot: Ingot, st: Statement, form: StatementJsonForm): AsyncGenerator<string> {
  if (!(form.with_bars && st.account.kind === 'custody')) return whole(st, form);
  return streamInSnapshot(ingot, async function* (reading) {
    const request = { account_id: st.account.id, from: st.from, to: st.to };
    const made = await statement(reading, request);
    assert(made.ok, `the account ${st.account.id} of a statement made is no longer in the books`);
    yield* listed(reading, made.statement, form);
  });
}

async function* whole(st: Statement, form: StatementJsonForm): AsyncGenerator<string> {
  yield JSON.stringify({ ...st, bars: null }, exact, form.indent);
}

async function* listed(ingot: Ingot, st: Statement, form: StatementJsonForm): AsyncGenerator<string> {
  const head = JSON.stringify({ ...st, bars: [] }, exact, form.indent);
  // `bars` is the last key and its array is empty: the bars go between its brackets.
  const open = head.lastIndexOf('[]') + 1;
  const item = form.indent > 0 ? `\n${' '.repeat(2 * form.indent)}` : '';
  const close = form.indent > 0 ? `\n${' '.repeat(form.indent)}` : '';
  let piece = head.slice(0, open);
  let separator = item;
  let count = 0;
  for await (const bar of statementBars(ingot, st)) {
    const text = JSON.stringify(barView(bar), exact, form.indent);
    piece += separator + (item === '' ? text : text.replaceAll('\n', item));
    separator = `,${item}`;
    count += 1;
    if (piece.length >= STATEMENT_JSON_PIECE_CHARS) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}${count > 0 ? close : ''}${head.slice(open)}`;
}
