// A workbook's shared strings, kept in a scratch SQLite file rather than on the JS heap. Excel saves
// every text cell as an index into one table of strings (xl/sharedStrings.xml): in a weight list
// nearly every serial is its own entry, so the table grows with the rows; held in an array, a
// million-row list took some 150 MiB more than the same list with its strings inline. On disk it
// costs a page cache of fixed size, whatever the number of rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

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
  readonly #database: BetterSqlite3.Database;
  readonly #insert: BetterSqlite3.Statement<[number, string]>;
  readonly #select: BetterSqlite3.Statement<[number], { text: string }>;
  readonly #insertBatch: (batch: readonly (readonly [number, string])[]) => void;
  #pending: [number, string][] = [];
  #recent = new Map<number, string>();
  #closed = false;

  /** Opens an empty table in a new directory under `parent`, removed again by close(). */
  constructor(parent: string) {
    this.#directory = mkdtempSync(join(parent, SHARED_STRINGS_DIRECTORY_PREFIX));
    try {
      this.#database = new BetterSqlite3(join(this.#directory, 'strings.db'));
      // A scratch file read once: no journal, no sync; a crash loses nothing worth keeping.
      this.#database.pragma('journal_mode = OFF');
      this.#database.pragma('synchronous = OFF');
      this.#database.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
      this.#database.exec('create table strings (position integer primary key, text text not null)');
    } catch (error) {
      rmSync(this.#directory, { recursive: true, force: true });
      throw error;
    }
    this.#insert = this.#database.prepare('insert into strings (position, text) values (?, ?)');
    this.#select = this.#database.prepare('select text from strings where position = ?');
    this.#insertBatch = this.#database.transaction((batch) => {
      for (const [position, text] of batch) this.#insert.run(position, text);
    });
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
    const found = this.#select.get(position);
    if (found === undefined) return null;
    if (this.#recent.size >= RECENT_STRINGS_MAX) this.#recent.clear();
    this.#recent.set(position, found.text);
    return found.text;
  }

  /** Closes the database and removes its directory; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = [];
    this.#recent.clear();
    try {
      this.#database.close();
    } finally {
      rmSync(this.#directory, { recursive: true, force: true });
    }
  }

  #flush(): void {
    const batch = this.#pending;
    this.#pending = [];
    this.#insertBatch(batch);
  }
}
