// Writing many bars at once on PostgreSQL: a bar import by COPY (copyBarSink), and for a few bars
// one INSERT over an array per column (unnest), one short statement the server parses once.
import { CompiledQuery, sql } from 'kysely';
import { type CopyStreamQuery, from as copyFrom } from 'pg-copy-streams';
import { BAR_COLUMN_LIST, BAR_COLUMNS } from '../bar-columns.ts';
import type { BarSink, Collision } from '../bar-sink.ts';
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
 * Writes bars in `tx`, skipping those whose refiner and serial are known already; returns how
 * many were written.
 */
export async function writeBars(tx: Tx, bars: readonly BarRow[]): Promise<number> {
  if (bars.length === 0) return 0;
  const arrays = BAR_COLUMNS.map(
    (column) => sql`${bars.map((bar) => bar[column])}::${sql.raw(ARRAY_TYPES[column])}`,
  );
  const result = await sql`insert into bars (${sql.raw(BAR_COLUMN_LIST)})
    select * from unnest(${sql.join(arrays)})
    on conflict (refiner, serial) do nothing`.execute(tx);
  return Number(result.numAffectedRows ?? 0n);
}

/** Staging tables made so far by this process, so each import's has a name of its own. */
let stagingTables = 0;

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

/** Resolves once `stream` can take more (its 'drain'); rejects when it fails or closes first. */
function drained(stream: CopyStreamQuery): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: unknown) => {
      stream.off('drain', done);
      stream.off('error', failed);
      stream.off('close', closed);
      if (error === undefined) resolve();
      else reject(error);
    };
    const done = () => settle();
    const failed = (error: unknown) => settle(error);
    const closed = () => settle(new Error('the COPY of bars ended early'));
    stream.once('drain', done);
    stream.once('error', failed);
    stream.once('close', closed);
  });
}

/** Resolves once the server has taken the whole COPY ('finish'); rejects when it fails first. */
function ending(stream: CopyStreamQuery): Promise<void> {
  const ended = new Promise<void>((resolve, reject) => {
    stream.once('finish', () => resolve());
    stream.once('error', reject);
    stream.once('close', () => reject(new Error('the COPY of bars ended early')));
  });
  // Awaited when the import finishes; a failure before then is met by the next write.
  ended.catch(() => undefined);
  return ended;
}

/** The unique key a bar's refiner and serial must not break. */
const UNIQUE_VIOLATION = '23505';

/**
 * A bar import by COPY: every chunk streams into a temporary table of the transaction (no index,
 * no key: the server only stores rows, while the next chunk is read and checked), then one
 * INSERT … SELECT moves them into `bars`, where the keys, the foreign keys and the indexes do their
 * work once per bar. A bar whose refiner and serial are known makes that statement fail; it ran in
 * a savepoint, so it is rolled back and the staged bars tell which collided, and with what.
 */
export async function copyBarSink(tx: Tx): Promise<BarSink> {
  stagingTables += 1;
  const staging = `bars_staged_${stagingTables}`;
  await sql.raw(`create temporary table ${staging} (like bars) on commit drop`).execute(tx);
  const stream = await startCopy(tx, `copy ${staging} (${BAR_COLUMN_LIST}) from stdin`);
  // The stream's error is awaited by whichever step meets it; until then it must not go unobserved.
  let failure: unknown;
  stream.on('error', (error) => {
    failure ??= error;
  });
  const ended = ending(stream);
  let pending: Promise<void> = Promise.resolve();
  let open = true;
  const fault = (error: unknown) => postgresFault(error) ?? error;
  return {
    async write(bars) {
      if (failure !== undefined) throw fault(failure);
      await pending.catch((error: unknown) => Promise.reject(fault(error)));
      if (bars.length === 0) return;
      if (!stream.write(copyText(bars))) pending = drained(stream);
    },
    async finish(limit, write) {
      await pending.catch((error: unknown) => Promise.reject(fault(error)));
      if (failure !== undefined) throw fault(failure);
      open = false;
      stream.end();
      await ended.catch((error: unknown) => Promise.reject(fault(error)));
      const collisions = write
        ? await moveStaged(tx, staging, stream.rowCount, limit)
        : await stagedCollisions(tx, staging, limit);
      await sql.raw(`drop table ${staging}`).execute(tx);
      return collisions;
    },
    async abandon() {
      if (!open) return;
      open = false;
      // COPY fails on the server (CopyFail), which ends it so the rollback behind it can run.
      stream.destroy(new Error('bar import abandoned'));
      await ended.catch(() => undefined);
    },
  };
}

/** Moves the staged bars into `bars`; when a key collides, moves none and returns the collisions. */
async function moveStaged(tx: Tx, staging: string, staged: number, limit: number): Promise<Collision[]> {
  await sql.raw('savepoint bars_staged').execute(tx);
  try {
    const moved = await sql
      .raw(`insert into bars (${BAR_COLUMN_LIST}) select ${BAR_COLUMN_LIST} from ${staging}`)
      .execute(tx);
    const count = Number(moved.numAffectedRows ?? -1n);
    if (count !== staged) throw new Error(`${count} of ${staged} staged bars were written`);
    await sql.raw('release savepoint bars_staged').execute(tx);
    return [];
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
    await sql.raw('rollback to savepoint bars_staged').execute(tx);
    await sql.raw('release savepoint bars_staged').execute(tx);
  }
  const collisions = await stagedCollisions(tx, staging, limit);
  if (collisions.length === 0) throw new Error('a staged bar collided with none in the vault or the list');
  return collisions;
}

/**
 * The staged bars whose refiner and serial are in the vault (the bar there named) or earlier among
 * the staged ones (the first of them named), in id order.
 */
async function stagedCollisions(tx: Tx, staging: string, limit: number): Promise<Collision[]> {
  const found = await sql<{
    id: bigint;
    refiner: string;
    serial: string;
    vault_id: bigint | null;
    vault_entry_id: bigint | null;
    first_id: bigint;
    received_entry_id: bigint;
  }>`with staged as (
      select id, refiner, serial, received_entry_id,
        min(id) over (partition by refiner, serial) as first_id
      from ${sql.table(staging)})
    select s.id, s.refiner, s.serial, s.first_id, s.received_entry_id,
      v.id as vault_id, v.received_entry_id as vault_entry_id
    from staged s left join bars v on v.refiner = s.refiner and v.serial = s.serial
    where v.id is not null or s.first_id < s.id
    order by s.id
    limit ${limit}`.execute(tx);
  return found.rows.map((row) => ({
    id: row.id,
    refiner: row.refiner,
    serial: row.serial,
    other_id: row.vault_id ?? row.first_id,
    other_received_entry_id: row.vault_entry_id ?? row.received_entry_id,
  }));
}
