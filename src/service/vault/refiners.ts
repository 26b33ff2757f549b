// The Good Delivery List of refiners, kept current by import, and read by the bar import to refuse
// or flag a bar whose brand the list does not vouch for (docs/WEIGHT-LISTS.md, "Refiners").
import type { BarListProblem } from '../../domain/barlist.ts';
import { assert, type Refusal } from '../../domain/outcome.ts';
import {
  checkRefiner,
  parseRefinerList,
  type Refiner,
  type RefinerList,
  type RefinerPolicy,
  type RefinerStatus,
  replaceRefinerList,
  sameRefiner,
} from '../../domain/refiners.ts';
import type { RefinerRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { lastRefinerId, presentRefiners, recordRefiners, replacePresentRefiners } from './queries.ts';

export interface RefinerImportRequest {
  /** The file's lines, header first. */
  readonly lines: readonly string[];
  /** The day the list takes effect: a refiner the list leaves out is former from this date. */
  readonly date: string;
}

export type RefinerImportOutcome =
  | {
      ok: true;
      current: number;
      former: number;
      /** Brand codes left out of this list and kept as former, removed on the import's date. */
      removed: string[];
      /** Nothing changed: the list imported is the present list. */
      unchanged: boolean;
    }
  | (Refusal<'invalid_input'> & { problems: BarListProblem[] });

function toRefiner(row: RefinerRow): Refiner {
  assert(
    row.status === 'current' || row.status === 'former',
    `refiner ${row.brand_code}: status ${row.status}`,
  );
  return {
    brand_code: row.brand_code,
    name: row.name,
    country: row.country,
    status: row.status as RefinerStatus,
    listed_on: row.listed_on,
    removed_on: row.removed_on,
  };
}

/** The present list, in brand-code order. */
async function presentRows(db: Tx): Promise<Refiner[]> {
  return (await presentRefiners(db)).map(toRefiner);
}

/** The present Good Delivery List of refiners, in brand-code order (empty before any import). */
export async function listRefiners(ingot: Ingot): Promise<Refiner[]> {
  return presentRows(ingot.store.db);
}

/**
 * Imports a Good Delivery List of refiners: all rows or none, every problem naming its row. The
 * list replaces the present one; a refiner it leaves out is kept as former, removed on the date.
 */
export async function importRefiners(
  ingot: Ingot,
  request: RefinerImportRequest,
): Promise<RefinerImportOutcome> {
  const parsed = parseRefinerList(request.lines);
  if (!parsed.ok) {
    const count = parsed.problems.length;
    return {
      ok: false,
      code: 'invalid_input',
      field: 'file',
      message: `refiners list refused, nothing imported: ${count} problem(s)`,
      problems: parsed.problems,
    };
  }
  return ingot.store.write(async (tx) => {
    const present = await presentRows(tx);
    const next = replaceRefinerList(present, parsed.refiners, request.date);
    const named = new Set(parsed.refiners.map((r) => r.brand_code));
    const removed = present.filter((r) => r.status === 'current' && !named.has(r.brand_code));
    const counts = {
      current: next.filter((r) => r.status === 'current').length,
      former: next.filter((r) => r.status === 'former').length,
      removed: removed.map((r) => r.brand_code),
    };
    const byBrand = new Map(present.map((r) => [r.brand_code, r]));
    const same =
      next.length === present.length &&
      next.every((r) => {
        const before = byBrand.get(r.brand_code);
        return before !== undefined && sameRefiner(before, r);
      });
    if (same) return { ok: true as const, ...counts, unchanged: true };
    const now = ingot.now();
    await replacePresentRefiners(tx, now);
    const first = (await lastRefinerId(tx)) + 1n;
    await recordRefiners(tx, next, first, { now, by: ingot.user });
    return { ok: true as const, ...counts, unchanged: false };
  });
}

/** How the bar import treats refiners: off, or the present list and what to do with a bar it refuses. */
export type RefinerScreen =
  | { readonly policy: 'off' }
  | { readonly policy: 'refuse' | 'flag'; readonly list: RefinerList };

/**
 * The screen an import applies: the policy asked for, or by default refuse once a list has been
 * imported and off before. Asking to refuse or flag with no list imported is refused.
 */
export async function refinerScreen(
  tx: Tx,
  policy: RefinerPolicy | undefined,
): Promise<RefinerScreen | Refusal<'invalid_input'>> {
  if (policy === 'off') return { policy: 'off' };
  const list: RefinerList = new Map((await presentRows(tx)).map((r) => [r.brand_code, r]));
  if (list.size === 0 && policy === undefined) return { policy: 'off' };
  if (list.size === 0) {
    const message = `--refiners ${policy} needs a Good Delivery List of refiners: none has been imported`;
    return { ok: false, code: 'invalid_input', field: 'refiners', message };
  }
  return { policy: policy ?? 'refuse', list };
}

/** A bar's row and why the list does not vouch for its brand, for the import's result and memo. */
export interface RefinerFlag {
  /** The workbook sheet (null for CSV and Ingot's own lines). */
  sheet: string | null;
  row: number;
  brand: string;
  reason: string;
}

/** A bar against the screen: null when it passes (or the screen is off), else why not. */
export function screenBar(screen: RefinerScreen, brand: string, year: number): string | null {
  if (screen.policy === 'off') return null;
  const checked = checkRefiner(screen.list, brand, year);
  return checked.ok ? null : checked.reason;
}

/** Flags shown in a result at most; the memo counts them all by brand. */
export const REFINER_FLAGS_SHOWN_MAX = 200;

/** The memo's sentence for flagged bars: how many, by brand. */
export function describeFlags(counts: ReadonlyMap<string, number>): string {
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const brands = [...counts.entries()].map(([brand, n]) => `${brand} ${n}`).join(', ');
  return `; ${total} bar(s) flagged, their brand not vouched for by the Good Delivery List of refiners (${brands})`;
}
