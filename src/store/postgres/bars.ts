// Writing many bars at once on PostgreSQL: by COPY, in a savepoint; when a bar's refiner and serial
// are known already, by one INSERT over an array per column (unnest) that skips it.
import { CompiledQuery, sql } from 'kysely';
import { type CopyStreamQuery, from as copyFrom } from 'pg-copy-streams';
import { BAR_COLUMN_LIST, BAR_COLUMNS } from '../bar-columns.ts';
import type { BarRow } from '../schema.ts';
import type { Tx } from '../store.ts';
import { postgresFault } from './faults.ts';

/** The SQL type of each column's array. */
const ARRAY_TYPES: Readonly<Record<(typeof BAR_COLUMNS)[number], string>> = {
  id: 'bigint[]',
  refiner: 'text[]',
  serial: 'text[]',
  year: 'bigint[]',
  gross_milli_oz: 'bigint[]',
  fineness: 'bigint[]',
  fine_milli_oz: 'bigint[]',
  vault: 'text[]',
  location: 'text[]',
  external_bar_id: 'text[]',
  owner_account_id: 'text[]',
  state: 'text[]',
  trade_id: 'text[]',
  received_entry_id: 'bigint[]',
  instruction_id: 'text[]',
};

/**
 * Writes bars in `tx` by one INSERT over arrays, skipping those whose refiner and serial are known
 * already; returns how many were written.
 */
async function insertSkippingKnown(tx: Tx, bars: readonly BarRow[]): Promise<number> {
  if (bars.length === 0) return 0;
  const arrays = BAR_COLUMNS.map(
    (column) => sql`${bars.map((bar) => bar[column])}::${sql.raw(ARRAY_TYPES[column])}`,
  );
  const result = await sql`insert into bars (${sql.raw(BAR_COLUMN_LIST)})
    select * from unnest(${sql.join(arrays)})
    on conflict (refiner, serial) do nothing`.execute(tx);
  return Number(result.numAffectedRows ?? 0n);
}

/** A column's value in COPY's text format: NULL as \N; backslash, tab and line ends escaped. */
function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'bigint' || typeof value === 'number') return value.toString();
  if (typeof value !== 'string') throw new Error(`a bar's value of type ${typeof value} cannot be copied`);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, escapeCopyCharacter) : value;
}

const COPY_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

function escapeCopyCharacter(character: string): string {
  return COPY_ESCAPES[character] ?? character;
}

/** A chunk of bars as the lines of a COPY in text format, columns in the order of BAR_COLUMNS. */
export function copyText(bars: readonly BarRow[]): string {
  let text = '';
  for (const bar of bars) {
    text +=
      `${copyField(bar.id)}\t${copyField(bar.refiner)}\t${copyField(bar.serial)}\t` +
      `${copyField(bar.year)}\t${copyField(bar.gross_milli_oz)}\t${copyField(bar.fineness)}\t` +
      `${copyField(bar.fine_milli_oz)}\t${copyField(bar.vault)}\t${copyField(bar.location)}\t` +
      `${copyField(bar.external_bar_id)}\t${copyField(bar.owner_account_id)}\t${copyField(bar.state)}\t` +
      `${copyField(bar.trade_id)}\t${copyField(bar.received_entry_id)}\t${copyField(bar.instruction_id)}\n`;
  }
  return text;
}

/**
 * Starts a COPY on the connection of `tx`. Kysely hands the query's text to node-postgres as it
 * is, and node-postgres runs anything with a `submit` method as the query (the way cursors go), so
 * the COPY stream travels where the SQL text would: on the transaction's own connection.
 */
async function startCopy(tx: Tx, text: string): Promise<CopyStreamQuery> {
  const stream = copyFrom(text);
  await tx.executeQuery(CompiledQuery.raw(stream as unknown as string));
  return stream;
}

/** Resolves once the server has taken the whole COPY ('finish'); rejects when it fails. */
function copied(stream: CopyStreamQuery, text: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    stream.once('finish', () => resolve());
    stream.once('error', (error) => reject(postgresFault(error) ?? error));
    stream.end(text);
  });
}

/** The unique key a bar's refiner and serial must not break. */
const UNIQUE_VIOLATION = '23505';

/**
 * Writes bars in `tx`, skipping those whose refiner and serial are known already; returns how
 * many were written. The bars go by COPY, in a savepoint: the server parses nothing but their
 * values, and its work per bar is that of its keys, foreign keys and indexes. A bar whose refiner
 * and serial are known fails the COPY; it is rolled back and the bars are written again by INSERT,
 * skipping those, so the caller can tell which they were (an import refused, the rare case).
 */
export async function writeBars(tx: Tx, bars: readonly BarRow[]): Promise<number> {
  if (bars.length === 0) return 0;
  await sql.raw('savepoint bars_copy').execute(tx);
  try {
    const stream = await startCopy(tx, `copy bars (${BAR_COLUMN_LIST}) from stdin`);
    await copied(stream, copyText(bars));
    await sql.raw('release savepoint bars_copy').execute(tx);
    return stream.rowCount;
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
    await sql.raw('rollback to savepoint bars_copy').execute(tx);
    await sql.raw('release savepoint bars_copy').execute(tx);
  }
  return insertSkippingKnown(tx, bars);
}
