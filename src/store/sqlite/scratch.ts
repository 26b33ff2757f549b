// A scratch SQLite file of numbered strings: written once, then looked up by number, off the JS heap.
// Not the books: a file of its own that nobody else opens, removed by its owner when done (see
// src/service/vault/shared-string-table.ts, which keeps a workbook's shared strings in one).
import BetterSqlite3 from 'better-sqlite3';

/** Strings kept in a scratch SQLite file, each at a position (an integer key). */
export class ScratchStrings {
  readonly #database: BetterSqlite3.Database;
  readonly #select: BetterSqlite3.Statement<[number], { text: string }>;
  readonly #insertBatch: (batch: readonly (readonly [number, string])[]) => void;

  /**
   * Creates the file at `path` with an empty table, its page cache `pageCacheKib` KiB. Throws if
   * it cannot; the file (or its directory) is then the caller's to remove.
   */
  constructor(path: string, pageCacheKib: number) {
    const database = new BetterSqlite3(path);
    try {
      // A scratch file read once: no journal, no sync; a crash loses nothing worth keeping.
      database.pragma('journal_mode = OFF');
      database.pragma('synchronous = OFF');
      database.pragma(`cache_size = -${pageCacheKib}`);
      database.exec('create table strings (position integer primary key, text text not null)');
    } catch (error) {
      database.close();
      throw error;
    }
    this.#database = database;
    const insert = database.prepare<[number, string]>('insert into strings (position, text) values (?, ?)');
    this.#select = database.prepare<[number], { text: string }>(
      'select text from strings where position = ?',
    );
    this.#insertBatch = database.transaction((batch: readonly (readonly [number, string])[]) => {
      for (const [position, text] of batch) insert.run(position, text);
    });
  }

  /** Writes the strings of a batch, each at its position, in one transaction. */
  insert(batch: readonly (readonly [number, string])[]): void {
    this.#insertBatch(batch);
  }

  /** The string at `position`, or undefined where there is none. */
  text(position: number): string | undefined {
    return this.#select.get(position)?.text;
  }

  /** Closes the file (it stays on disk for its owner to remove). */
  close(): void {
    this.#database.close();
  }
}
