// A workbook's shared strings, kept in a scratch SQLite file rather than on the JS heap. Excel saves
// every text cell as an index into one table of strings (xl/sharedStrings.xml): in a weight list
// nearly every serial is its own entry, so the table grows with the rows; held in an array, a
// million-row list took some 150 MiB more than the same list with its strings inline. On disk it
// costs a page cache of fixed size, whatever the number of rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ScratchStrings } from '../../store/sqlite/scratch.ts';

/** Strings written in one transaction: a batch bounds the memory and amortises the commit. */
const INSERT_BATCH_STRINGS = 10_000;
/** SQLite's page cache for the table, in KiB (a negative cache_size is KiB). */
const PAGE_CACHE_KIB = 4096;
/** Strings looked up recently, kept for the next rows (a list's metal and brands repeat). */
const RECENT_STRINGS_MAX = 1024;
/** The prefix of each table's scratch directory, under the directory given. */
export const SHARED_STRINGS_DIRECTORY_PREFIX = 'ingot-shared-strings-';

/** The shared strings of one workbook, added in the order of their index, then looked up. */
export class SharedStringTable {
  readonly #directory: string;
  readonly #strings: ScratchStrings;
  #pending: [number, string][] = [];
  #recent = new Map<number, string>();
  #closed = false;

  /** Opens an empty table in a new directory under `parent`, removed again by close(). */
  constructor(parent: string) {
    this.#directory = mkdtempSync(join(parent, SHARED_STRINGS_DIRECTORY_PREFIX));
    try {
      this.#strings = new ScratchStrings(join(this.#directory, 'strings.db'), PAGE_CACHE_KIB);
    } catch (error) {
      rmSync(this.#directory, { recursive: true, force: true });
      throw error;
    }
  }

  /** Adds the string at `position` (0-based, as the worksheet's cells refer to it). */
  add(position: number, text: string): void {
    if (this.#closed) throw new Error('shared strings: add after close');
    this.#pending.push([position, text]);
    if (this.#pending.length >= INSERT_BATCH_STRINGS) this.#flush();
  }

  /** The string at `position`; null where the table has none (a cell pointing past its end). */
  text(position: number): string | null {
    if (this.#closed) throw new Error('shared strings: lookup after close');
    const recent = this.#recent.get(position);
    if (recent !== undefined) return recent;
    if (this.#pending.length > 0) this.#flush();
    const found = this.#strings.text(position);
    if (found === undefined) return null;
    if (this.#recent.size >= RECENT_STRINGS_MAX) this.#recent.clear();
    this.#recent.set(position, found);
    return found;
  }

  /** Closes the database and removes its directory; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = [];
    this.#recent.clear();
    try {
      this.#strings.close();
    } finally {
      rmSync(this.#directory, { recursive: true, force: true });
    }
  }

  #flush(): void {
    const batch = this.#pending;
    this.#pending = [];
    this.#strings.insert(batch);
  }
}
