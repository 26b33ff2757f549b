// MT608, statement of a metal account: the opening balance, every entry, the closing balance. The
// entries must lead from the one balance to the other; that is checked whenever one is read.
import { type Outcome, refuse } from '../outcome.ts';
import { account, reference } from './codecs.ts';
import {
  type FieldJson,
  type FieldProblem,
  type FieldValues,
  fromJson,
  type MessageFormat,
  parseText,
  renderText,
  repeated,
  required,
  toJson,
} from './fields.ts';
import { metal } from './metal.ts';
import { type Balance, balance, signedBalance, statementNumber } from './statement-fields.ts';
import { signedLine, statementLine } from './statement-line.ts';
import { writeFineOunces } from './values.ts';

const FIELDS = {
  reference: required('20', reference),
  account: required('25', account),
  statement_number: required('28', statementNumber),
  metal: required('26C', metal),
  opening: required('60', balance),
  lines: repeated('61', statementLine),
  closing: required('62', balance),
};

/** MT608: one statement (or one page of it: 60M/62M are the intermediate balances between pages). */
export interface MetalStatement extends FieldValues<typeof FIELDS> {
  readonly type: 'MT608';
}
/** The JSON form of an MT608. */
export type MetalStatementJson = { readonly type: 'MT608' } & FieldJson<typeof FIELDS>;

/** A signed balance as a statement writes it: "C 100000, FOZ". */
export function describeSignedBalance(signed: bigint): string {
  return `${signed < 0n ? 'D' : 'C'} ${writeFineOunces(signed < 0n ? -signed : signed)} FOZ`;
}

/** The tag a balance is written under. */
function balanceTag(base: '60' | '62', written: Balance): string {
  return `${base}${written.intermediate ? 'M' : 'F'}`;
}

/** The balance the lines lead to from the opening balance, signed (credit positive). */
export function computedClosing(statement: MetalStatement): bigint {
  return statement.lines.reduce((sum, line) => sum + signedLine(line), signedBalance(statement.opening));
}

/** The lines lead from the opening to the closing balance, and the closing is not dated before it. */
function check(statement: MetalStatement): FieldProblem | null {
  const { opening, closing } = statement;
  const tag = balanceTag('62', closing);
  if (closing.date < opening.date) {
    const reason = `the closing balance is dated ${closing.date}, before the opening one (${opening.date})`;
    return { field: 'closing', reason, tag };
  }
  const computed = computedClosing(statement);
  const stated = signedBalance(closing);
  if (computed !== stated) {
    const difference = stated - computed;
    const magnitude = writeFineOunces(difference < 0n ? -difference : difference);
    const reason =
      `the closing balance ${describeSignedBalance(stated)} is ${magnitude} FOZ ` +
      `${difference > 0n ? 'more' : 'less'} than the ${statement.lines.length} statement lines lead to ` +
      `from the opening balance ${describeSignedBalance(signedBalance(opening))} ` +
      `(${describeSignedBalance(computed)})`;
    return { field: 'closing', reason, tag };
  }
  return null;
}

/** The MT608 format: its fields and checks. */
export const METAL_STATEMENT: MessageFormat<'MT608', typeof FIELDS> = {
  type: 'MT608',
  fields: FIELDS,
  check,
};

/** Checks that a statement follows another of the same account: its opening is the other's closing. */
export function checkStatementFollows(previous: MetalStatement, next: MetalStatement): Outcome<object> {
  const closing = previous.closing;
  const opening = next.opening;
  if (previous.account !== next.account) {
    return refuse('invalid_input', `field 25: account ${next.account} is not ${previous.account}`, '25');
  }
  if (signedBalance(closing) !== signedBalance(opening) || closing.date !== opening.date) {
    const was = `${describeSignedBalance(signedBalance(closing))} on ${closing.date}`;
    const now = `${describeSignedBalance(signedBalance(opening))} on ${opening.date}`;
    const tag = balanceTag('60', opening);
    return refuse(
      'invalid_input',
      `field ${tag}: the opening balance ${now} is not the last closing ${was}`,
      tag,
    );
  }
  return { ok: true };
}

/** Renders an MT608 as text. */
export function renderMetalStatementText(message: MetalStatement): string {
  return renderText(METAL_STATEMENT, message);
}

/** Parses an MT608 from text, listing the fields it left out, and checks that it adds up. */
export function parseMetalStatementText(
  text: string,
): Outcome<{ message: MetalStatement; ignored_fields: string[] }> {
  return parseText(METAL_STATEMENT, text);
}

/** The JSON form of an MT608. */
export function toMetalStatementJson(message: MetalStatement): MetalStatementJson {
  return toJson(METAL_STATEMENT, message);
}

/** Reads an MT608 from its JSON form, and checks that it adds up. */
export function fromMetalStatementJson(value: unknown): Outcome<{ message: MetalStatement }> {
  return fromJson(METAL_STATEMENT, value);
}
