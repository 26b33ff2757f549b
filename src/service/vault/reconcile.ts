// Reconciliation: a physical count of the vault (a bar list) against the books, bar for bar.
// The count streams into a temporary table and the database compares: nothing is held whole.
import { sql } from 'kysely';
import {
  type BarListHeader,
  type BarListProblem,
  isBlankLine,
  parseBarListHeader,
  parseBarRow,
} from '../../domain/barlist.ts';
import { type Outcome, refuse } from '../../domain/outcome.ts';
import { INSERT_CHUNK_ROWS, type Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { readingNow } from '../kernel/lines.ts';
import { findAccount } from '../parties/parties.ts';

/** Bars named in each list of differences; the counts are always complete. */
export const RECONCILE_EXAMPLES_MAX = 100;

export interface CountedBar {
  readonly refiner: string;
  readonly serial: string;
  readonly gross_milli_oz: bigint;
  readonly fineness: bigint;
  readonly fine_milli_oz: bigint;
}

export interface Reconciliation {
  readonly counted: bigint;
  readonly booked: bigint;
  readonly matched: bigint;
  readonly missing: { readonly count: bigint; readonly bars: CountedBar[] };
  readonly unexpected: { readonly count: bigint; readonly bars: CountedBar[] };
  readonly differing: {
    readonly count: bigint;
    readonly bars: { readonly booked: CountedBar; readonly counted: CountedBar }[];
  };
}

export interface ReconcileRequest {
  readonly lines: AsyncIterable<string>;
  /** Compare with one custody account's bars; by default every bar in the vault. */
  readonly account_id?: string;
  readonly on_progress?: (rows: number) => void;
}

export type ReconcileOutcome =
  | Outcome<{ reconciliation: Reconciliation }>
  | { ok: false; code: 'bar_list_invalid'; message: string; problems: BarListProblem[] };

/** Compares a counted bar list with the books: bars missing, unexpected, and differing. */
export async function reconcile(ingot: Ingot, bareRequest: ReconcileRequest): Promise<ReconcileOutcome> {
  const request = { ...bareRequest, lines: readingNow(bareRequest.lines) };
  if (request.account_id) {
    const found = await findAccount(ingot.store.db, request.account_id);
    if (!found.ok) return found;
    if (found.account.kind !== 'custody') {
      return refuse('account_unit_mismatch', `${request.account_id} is not a custody account`, 'account');
    }
  }
  return ingot.store.write(async (tx) => {
    await sql`create temporary table counted (refiner text not null, serial text not null,
      gross_milli_oz bigint not null, fineness bigint not null, fine_milli_oz bigint not null)`.execute(tx);
    try {
      const loaded = await loadCount(tx, request);
      if (loaded.problems.length > 0) {
        return {
          ok: false,
          code: 'bar_list_invalid',
          message: `the count could not be read: ${loaded.problems.length} problem(s)`,
          problems: loaded.problems.slice(0, RECONCILE_EXAMPLES_MAX),
        } as const;
      }
      await sql`create index counted_identity on counted (refiner, serial)`.execute(tx);
      return { ok: true, reconciliation: await compare(tx, request.account_id) } as const;
    } finally {
      await sql`drop table counted`.execute(tx);
    }
  });
}

async function loadCount(tx: Tx, request: ReconcileRequest): Promise<{ problems: BarListProblem[] }> {
  // A count states what is in the vault, fine or not: no contract rules apply to it.
  const rules = { minimum_fineness: 0n, good_delivery: false };
  const problems: BarListProblem[] = [];
  let header: BarListHeader | undefined;
  let chunk: CountedBar[] = [];
  let row = 0;
  const flush = async () => {
    if (chunk.length > 0) await sql`insert into counted values ${sql.join(chunk.map(valuesOf))}`.execute(tx);
    chunk = [];
  };
  for await (const line of request.lines) {
    row += 1;
    if (row % 10_000 === 0) request.on_progress?.(row);
    if (!header) {
      const parsed = parseBarListHeader(line);
      if (!parsed.ok) return { problems: parsed.problems };
      header = parsed.header;
    } else if (!isBlankLine(line)) {
      const parsed = parseBarRow(line, row, header, rules);
      if (!parsed.ok) problems.push(...parsed.problems);
      else chunk.push({ ...parsed.bar, refiner: parsed.bar.refiner.toUpperCase() });
      if (chunk.length >= INSERT_CHUNK_ROWS / 2) await flush();
    }
  }
  await flush();
  if (!header) problems.push({ row: 1, column: null, reason: 'the file is empty' });
  return { problems };
}

function valuesOf(bar: CountedBar) {
  return sql`(${bar.refiner}, ${bar.serial}, ${bar.gross_milli_oz}, ${bar.fineness}, ${bar.fine_milli_oz})`;
}

async function compare(tx: Tx, accountId: string | undefined): Promise<Reconciliation> {
  // The books: every bar in custody (not delivered out), or one account's.
  const books = accountId
    ? sql`(select * from bars where owner_account_id = ${accountId})`
    : sql`(select b.* from bars b join accounts a on a.id = b.owner_account_id where a.kind = 'custody')`;
  const barColumns = sql`b.refiner, b.serial, b.gross_milli_oz, b.fineness, b.fine_milli_oz`;
  const countColumns = sql`c.refiner, c.serial, c.gross_milli_oz, c.fineness, c.fine_milli_oz`;
  const missingFrom = sql`from ${books} b left join counted c on c.refiner = b.refiner and c.serial = b.serial
    where c.serial is null`;
  const unexpectedFrom = sql`from counted c left join ${books} b on b.refiner = c.refiner and b.serial = c.serial
    where b.serial is null`;
  const differingFrom = sql`from ${books} b join counted c on c.refiner = b.refiner and c.serial = b.serial
    where b.gross_milli_oz <> c.gross_milli_oz or b.fineness <> c.fineness or b.fine_milli_oz <> c.fine_milli_oz`;
  const limit = sql.raw(String(RECONCILE_EXAMPLES_MAX));
  const count = async (from: ReturnType<typeof sql>) =>
    BigInt((await sql<{ n: bigint }>`select count(*) as n ${from}`.execute(tx)).rows[0]?.n ?? 0n);
  const list = async (columns: ReturnType<typeof sql>, from: ReturnType<typeof sql>) =>
    (await sql<CountedBar>`select ${columns} ${from} order by 1, 2 limit ${limit}`.execute(tx)).rows;
  const differing = await sql<Record<string, bigint | string>>`select ${barColumns},
      c.gross_milli_oz as counted_gross, c.fineness as counted_fineness, c.fine_milli_oz as counted_fine
      ${differingFrom} order by 1, 2 limit ${limit}`.execute(tx);
  const counted = BigInt(
    (await sql<{ n: bigint }>`select count(*) as n from counted`.execute(tx)).rows[0]?.n ?? 0n,
  );
  const booked = BigInt(
    (await sql<{ n: bigint }>`select count(*) as n from ${books} b`.execute(tx)).rows[0]?.n ?? 0n,
  );
  const missing = { count: await count(missingFrom), bars: await list(barColumns, missingFrom) };
  const unexpected = { count: await count(unexpectedFrom), bars: await list(countColumns, unexpectedFrom) };
  const differingCount = await count(differingFrom);
  return {
    counted,
    booked,
    matched: booked - missing.count - differingCount,
    missing,
    unexpected,
    differing: { count: differingCount, bars: differing.rows.map(splitDiffering) },
  };
}

function splitDiffering(row: Record<string, bigint | string>) {
  const refiner = String(row.refiner);
  const serial = String(row.serial);
  const big = (key: string) => BigInt(row[key] ?? 0n);
  return {
    booked: {
      refiner,
      serial,
      gross_milli_oz: big('gross_milli_oz'),
      fineness: big('fineness'),
      fine_milli_oz: big('fine_milli_oz'),
    },
    counted: {
      refiner,
      serial,
      gross_milli_oz: big('counted_gross'),
      fineness: big('counted_fineness'),
      fine_milli_oz: big('counted_fine'),
    },
  };
}
