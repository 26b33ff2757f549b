// Export of the journal to the plain-text format hledger and ledger-cli read: one transaction per
// entry, one posting per line, every amount exact.
//
// Commodities. XAU is fine gold in troy ounces with three decimals (Ingot's 0.001 oz, exact).
// USD and EUR are written in their major unit with two decimals (cents, exact). Sterling cannot be:
// Ingot counts 1/4800 £ and 4800 has a factor 3, so neither a farthing (1/960 £) nor one unit is a
// finite decimal of a pound. In old pence (1/240 £) one unit is exactly 0.05d, so sterling is
// exported as the commodity GBPd: old pence with two decimals. £12 10s 4½d is 3004.50 GBPd;
// a decimal penny (£0.01) is 2.40 GBPd; divide by 240 for pounds.
import { formatScaled } from '../decimal.ts';
import type { AccountKind, LedgerUnit, Posting } from '../ledger.ts';
import { assert } from '../outcome.ts';

/** How one ledger unit is written: its commodity symbol and decimals. */
export interface HledgerCommodity {
  readonly symbol: string;
  readonly decimals: number;
  /** The exported amount, scaled by 10^decimals, is the Ingot amount times this. */
  readonly scaled_per_minor: bigint;
}

/** Sterling: one Ingot unit (1/4800 £) is 0.05 old pence, 5 hundredths of a penny. */
export const STERLING_HUNDREDTHS_OF_PENNY_PER_UNIT = 5n;

export const HLEDGER_COMMODITIES: Readonly<Record<LedgerUnit, HledgerCommodity>> = {
  XAU: { symbol: 'XAU', decimals: 3, scaled_per_minor: 1n },
  GBP: { symbol: 'GBPd', decimals: 2, scaled_per_minor: STERLING_HUNDREDTHS_OF_PENNY_PER_UNIT },
  USD: { symbol: 'USD', decimals: 2, scaled_per_minor: 1n },
  EUR: { symbol: 'EUR', decimals: 2, scaled_per_minor: 1n },
};

/** An account as the export names it. */
export interface ExportAccount {
  readonly id: string;
  readonly party_id: string;
  readonly kind: AccountKind;
  readonly unit: LedgerUnit;
}

/** An entry as the export writes it (a chain entry is one). */
export interface ExportEntry {
  readonly id: bigint;
  readonly kind: string;
  readonly value_date: string;
  readonly memo: string;
  readonly postings: readonly Pick<Posting, 'account_id' | 'unit' | 'amount'>[];
}

const ACCOUNT_ROOTS: Readonly<Record<AccountKind, string>> = {
  cash: 'assets:cash',
  custody: 'assets:custody',
  external: 'equity:external',
};

/** Keeps letters, digits, '.', '_' and '-'; writes any other byte as %XX, so names never collide. */
function encodeSegment(text: string): string {
  return [...new TextEncoder().encode(text)]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9._-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** The hledger account name: `assets:custody:NBC:NBC-GOLD`, `equity:external:EXTERNAL-XAU`. */
export function hledgerAccountName(account: ExportAccount): string {
  const root = ACCOUNT_ROOTS[account.kind];
  if (account.kind === 'external') return `${root}:${encodeSegment(account.id)}`;
  return `${root}:${encodeSegment(account.party_id)}:${encodeSegment(account.id)}`;
}

/** An amount in minor units of a ledger unit, as hledger reads it: "-3004.50 GBPd", "399.440 XAU". */
export function hledgerAmount(unit: LedgerUnit, amount: bigint): string {
  const commodity = HLEDGER_COMMODITIES[unit];
  return `${formatScaled(amount * commodity.scaled_per_minor, commodity.decimals)} ${commodity.symbol}`;
}

/** One line of free text, safe in a description: no line breaks, no ';' (which starts a comment). */
function oneLine(text: string): string {
  return text
    .replace(/\p{Cc}+/gu, ' ')
    .replaceAll(';', ',')
    .trim();
}

const INDENT = '    ';
const NAME_WIDTH = 48;

/** The transaction of one entry; an entry without postings is kept, so entry numbers stay complete. */
export function hledgerTransaction(entry: ExportEntry, accounts: ReadonlyMap<string, ExportAccount>): string {
  assert(
    /^\d{4}-\d{2}-\d{2}$/.test(entry.value_date),
    `entry ${entry.id} has value date ${entry.value_date}`,
  );
  const memo = oneLine(entry.memo);
  const lines = [
    `${entry.value_date} (${entry.id}) ${oneLine(entry.kind)}${memo === '' ? '' : ` | ${memo}`}`,
  ];
  lines.push(`${INDENT}; ingot-entry: ${entry.id}`);
  for (const posting of entry.postings) {
    const account = accounts.get(posting.account_id);
    assert(account, `entry ${entry.id} posts to unknown account ${posting.account_id}`);
    assert(account.unit === posting.unit, `entry ${entry.id} posts ${posting.unit} to ${account.id}`);
    const name = hledgerAccountName(account);
    lines.push(`${INDENT}${name.padEnd(NAME_WIDTH)}  ${hledgerAmount(posting.unit, posting.amount)}`);
  }
  return lines.join('\n');
}

/** Declarations, so `hledger check --strict` accepts the file: every commodity and account used. */
function declarations(accounts: readonly ExportAccount[]): string[] {
  const lines = [
    '; Ingot journal export. Amounts are exact:',
    '; XAU = fine troy ounces (3 decimals); USD, EUR = dollars, euros (2 decimals);',
    '; GBPd = sterling in old pence (2 decimals): 240 GBPd = £1, 2.40 GBPd = one decimal penny.',
    '',
  ];
  for (const unit of Object.keys(HLEDGER_COMMODITIES) as LedgerUnit[]) {
    lines.push(`commodity ${hledgerAmount(unit, 0n)}`);
  }
  lines.push('');
  const names = [...new Set(accounts.map(hledgerAccountName))].sort();
  for (const name of names) lines.push(`account ${name}`);
  return lines;
}

/**
 * What opens an export: the declarations of every commodity and account, and the accounts by id
 * for `hledgerTransaction`. Transactions follow, each after a blank line, as `exportHledger` writes.
 */
export function hledgerPreamble(accounts: readonly ExportAccount[]): {
  text: string;
  by_id: ReadonlyMap<string, ExportAccount>;
} {
  const byId = new Map(accounts.map((account) => [account.id, account]));
  assert(byId.size === accounts.length, 'an account is listed twice');
  const names = new Set(accounts.map(hledgerAccountName));
  assert(names.size === accounts.length, 'two accounts share an hledger name');
  return { text: declarations(accounts).join('\n'), by_id: byId };
}

/** The whole journal as hledger text: declarations, then one transaction per entry, in entry order. */
export function exportHledger(entries: Iterable<ExportEntry>, accounts: readonly ExportAccount[]): string {
  const preamble = hledgerPreamble(accounts);
  const blocks = [preamble.text];
  for (const entry of entries) blocks.push(hledgerTransaction(entry, preamble.by_id));
  return `${blocks.join('\n\n')}\n`;
}

/** The balances hledger should report, by hledger account name and formatted amount, for comparison. */
export function expectedHledgerBalances(
  accounts: readonly (ExportAccount & { readonly balance: bigint })[],
): Map<string, string> {
  const expected = new Map<string, string>();
  for (const account of accounts) {
    if (account.balance !== 0n)
      expected.set(hledgerAccountName(account), hledgerAmount(account.unit, account.balance));
  }
  return expected;
}
