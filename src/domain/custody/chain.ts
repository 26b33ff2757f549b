// The tamper-evident journal: each entry's hash covers its content and the previous entry's hash,
// so an entry edited, removed or reordered by hand breaks the chain from that entry on.
import { createHash } from 'node:crypto';
import type { LedgerUnit } from '../ledger.ts';
import { assert } from '../outcome.ts';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);
/** Bumped when the canonical form changes, so old and new hashes are never compared. */
export const CHAIN_FORMAT_VERSION = 'ingot-journal-1';

/** A posting as it is chained: its line number fixes its place in the entry. */
export interface ChainedPosting {
  readonly line: bigint;
  readonly account_id: string;
  readonly unit: LedgerUnit;
  readonly amount: bigint;
}

/** A bar move as it is chained. */
export interface ChainedBarMove {
  readonly bar_id: bigint;
  readonly source_account_id: string;
  readonly target_account_id: string;
}

/** A bar received into the vault, as chained: what it is, never where it is or who holds it. */
export interface ChainedBar {
  readonly id: bigint;
  readonly refiner: string;
  readonly serial: string;
  readonly year: bigint;
  readonly gross_milli_oz: bigint;
  readonly fineness: bigint;
  readonly fine_milli_oz: bigint;
  readonly external_bar_id: string | null;
}

/** The bars an entry received, digested one by one in id order, so millions never sit in memory. */
export interface ReceivedBars {
  readonly count: bigint;
  readonly fine_milli_oz: bigint;
  /** SHA-256, in hex, of each bar's canonical JSON followed by a newline, in id order. */
  readonly digest: string;
}

/** The content of a journal entry the hash covers. */
export interface ChainEntry {
  readonly id: bigint;
  readonly kind: string;
  readonly value_date: string;
  readonly recorded_at: string;
  readonly memo: string;
  readonly postings: readonly ChainedPosting[];
  readonly bar_moves: readonly ChainedBarMove[];
  /** Only for an entry that brought bars into the vault; absent, the canonical form omits it. */
  readonly received_bars?: ReceivedBars;
}

/** A stored entry with the hash written beside it. */
export interface HashedEntry extends ChainEntry {
  readonly hash: string;
}

/** A value the canonical form can write: no numbers, so no floating point and no ambiguity. */
export type CanonicalValue =
  | string
  | bigint
  | boolean
  | null
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue };

/**
 * Canonical JSON: object keys sorted by code unit, no white space, bigints as decimal strings,
 * strings escaped as JSON does. The same content always gives the same text.
 */
export function canonicalJson(value: CanonicalValue): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item: CanonicalValue) => canonicalJson(item)).join(',')}]`;
  const record = value as { readonly [key: string]: CanonicalValue };
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key] ?? null)}`).join(',')}}`;
}

/** Canonical text gathered before it is hashed: hashing in large pieces costs less, digests alike. */
const DIGEST_PIECE_CHARS = 1 << 16;

/**
 * A received bar's canonical JSON written out key by key: the very text `canonicalJson` gives for
 * it (keys in code-unit order, bigints as decimal strings), without sorting keys for every bar.
 */
export function canonicalBar(bar: ChainedBar): string {
  const external = bar.external_bar_id === null ? 'null' : JSON.stringify(bar.external_bar_id);
  return (
    `{"external_bar_id":${external},"fine_milli_oz":"${bar.fine_milli_oz}",` +
    `"fineness":"${bar.fineness}","gross_milli_oz":"${bar.gross_milli_oz}","id":"${bar.id}",` +
    `"refiner":${JSON.stringify(bar.refiner)},"serial":${JSON.stringify(bar.serial)},"year":"${bar.year}"}`
  );
}

/** Digests received bars as they stream past, in id order; `finish` gives what the entry chains. */
export class ReceivedBarsDigest {
  readonly #hash = createHash('sha256');
  #count = 0n;
  #fine = 0n;
  #last = 0n;
  #piece = '';

  /** Adds the next bar; bars must come in increasing id order. */
  add(bar: ChainedBar): void {
    assert(bar.id > this.#last, `bar ${bar.id} comes after bar ${this.#last}: bars must come in id order`);
    this.#last = bar.id;
    this.#count += 1n;
    this.#fine += bar.fine_milli_oz;
    this.#piece += `${canonicalBar(bar)}\n`;
    if (this.#piece.length >= DIGEST_PIECE_CHARS) {
      this.#hash.update(this.#piece, 'utf8');
      this.#piece = '';
    }
  }

  /** The digest of every bar added; the digest can be finished once. */
  finish(): ReceivedBars {
    this.#hash.update(this.#piece, 'utf8');
    this.#piece = '';
    return { count: this.#count, fine_milli_oz: this.#fine, digest: this.#hash.digest('hex') };
  }
}

/** The canonical text of an entry: postings in line order, bar moves in bar order. */
export function canonicalEntry(entry: ChainEntry): string {
  const postings = [...entry.postings].sort((a, b) => compare(a.line, b.line));
  const moves = [...entry.bar_moves].sort((a, b) => compare(a.bar_id, b.bar_id));
  const received = entry.received_bars;
  return canonicalJson({
    ...(received
      ? {
          received_bars: {
            count: received.count,
            fine_milli_oz: received.fine_milli_oz,
            digest: received.digest,
          },
        }
      : {}),
    format: CHAIN_FORMAT_VERSION,
    id: entry.id,
    kind: entry.kind,
    value_date: entry.value_date,
    recorded_at: entry.recorded_at,
    memo: entry.memo,
    postings: postings.map((p) => ({
      line: p.line,
      account_id: p.account_id,
      unit: p.unit,
      amount: p.amount,
    })),
    bar_moves: moves.map((m) => ({
      bar_id: m.bar_id,
      source_account_id: m.source_account_id,
      target_account_id: m.target_account_id,
    })),
  });
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SHA-256, in lower-case hex, of the previous hash, a newline and the canonical entry. */
export function entryHash(previous_hash: string, canonical: string): string {
  assert(/^[0-9a-f]{64}$/.test(previous_hash), `previous hash ${previous_hash} is not a SHA-256 in hex`);
  return createHash('sha256').update(`${previous_hash}\n${canonical}`, 'utf8').digest('hex');
}

/** The hash to store with an entry that follows `previous_hash`. */
export function hashEntry(previous_hash: string, entry: ChainEntry): string {
  return entryHash(previous_hash, canonicalEntry(entry));
}

/** Where a chain check starts: from the beginning, or after an entry already verified. */
export interface ChainStart {
  readonly previous_id: bigint;
  readonly previous_hash: string;
}

export const CHAIN_START: ChainStart = { previous_id: 0n, previous_hash: GENESIS_HASH };

/** Why a chain is broken: an entry's id skips one (removed), or its hash does not match its content. */
export type ChainBreak = 'journal_entry_missing' | 'journal_entry_altered';

export type ChainCheck =
  | { readonly ok: true; readonly count: bigint; readonly last: ChainStart }
  | {
      readonly ok: false;
      readonly code: ChainBreak;
      readonly entry_id: bigint;
      readonly message: string;
    };

/**
 * Recomputes the chain over entries in id order and names the first broken one. Pass `start`
 * to continue from a page already verified; pass `head` (the hash recorded elsewhere for the
 * last entry) to detect entries removed from the end.
 */
export function verifyChain(
  entries: Iterable<HashedEntry>,
  start = CHAIN_START,
  head?: ChainStart,
): ChainCheck {
  let last = start;
  let count = 0n;
  for (const entry of entries) {
    if (entry.id !== last.previous_id + 1n) {
      const message = `entry ${entry.id} follows entry ${last.previous_id}: entries are missing or reordered`;
      return { ok: false, code: 'journal_entry_missing', entry_id: entry.id, message };
    }
    const expected = hashEntry(last.previous_hash, entry);
    if (expected !== entry.hash) {
      const message = `entry ${entry.id} does not match its hash: it, or the one before it, was altered`;
      return { ok: false, code: 'journal_entry_altered', entry_id: entry.id, message };
    }
    last = { previous_id: entry.id, previous_hash: entry.hash };
    count += 1n;
  }
  if (head && (head.previous_id !== last.previous_id || head.previous_hash !== last.previous_hash)) {
    const missing = head.previous_id > last.previous_id ? head.previous_id : last.previous_id;
    const message = `the journal ends at entry ${last.previous_id}; its recorded head is ${head.previous_id}`;
    return { ok: false, code: 'journal_entry_missing', entry_id: missing, message };
  }
  return { ok: true, count, last };
}
