// Reads that do not wait for the writer. A store has one connection that writes, and a write
// transaction holds it across every `await` inside it: an import of a large weight list holds it
// for its whole length. A read outside any transaction needs no such wait in WAL mode, so the
// store's driver sends each one to a reader connection of its own, which sees the last commit;
// everything else (writes, transactions, pragmas, a connection held with `db.connection()` once it
// has written) goes to the writer's connection, as before.
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SelectQueryNode,
  type SqliteDatabase,
  SqliteDialect,
  type TransactionSettings,
} from 'kysely';
import type { Database } from '../schema.ts';

/** Reader connections: one shared by single queries, others lent to one stream at a time. */
export interface Readers {
  /**
   * The reader single queries run on, one after another: better-sqlite3 runs each to its end
   * synchronously, so they never wait long for one another, and no connection is opened per read.
   */
  shared(): Kysely<Database>;
  /** A reader of the caller's own until given back, for a stream or a snapshot. */
  borrow(): Promise<Kysely<Database>>;
  /** Gives a reader back; one whose use failed is closed instead of lent again. */
  giveBack(reader: Kysely<Database>, failed?: boolean): Promise<void>;
}

/**
 * Whether a query only reads, so a reader may run it: a select, built or written as SQL (a
 * `with` query too, unless it names a write). A write sent to a reader would fail, never pass:
 * readers are opened `query_only`.
 */
export function onlyReads(query: CompiledQuery): boolean {
  if (SelectQueryNode.is(query.query)) return true;
  if (query.query.kind !== 'RawNode') return false;
  if (/^\s*select\b/i.test(query.sql)) return true;
  return /^\s*with\b/i.test(query.sql) && !/\b(insert|update|delete|replace)\b/i.test(query.sql);
}

/**
 * The writer's dialect with reads outside transactions sent to `readers`. Pass it a database in a
 * file: one in memory has no second connection to read from.
 */
export function routingDialect(database: SqliteDatabase, readers: Readers): Dialect {
  const writer = new SqliteDialect({ database });
  return {
    createAdapter: () => writer.createAdapter(),
    createDriver: () => new RoutingDriver(writer.createDriver(), readers),
    createIntrospector: (db) => writer.createIntrospector(db),
    createQueryCompiler: () => writer.createQueryCompiler(),
  };
}

class RoutingDriver implements Driver {
  readonly #writer: Driver;
  readonly #readers: Readers;

  constructor(writer: Driver, readers: Readers) {
    this.#writer = writer;
    this.#readers = readers;
  }

  init(): Promise<void> {
    return this.#writer.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutingConnection(this.#writer, this.#readers);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.#writer.beginTransaction(await pinned(connection), settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#writer.commitTransaction(await pinned(connection));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#writer.rollbackTransaction(await pinned(connection));
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await this.#writer.savepoint?.(await pinned(connection), name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ) {
    await this.#writer.rollbackToSavepoint?.(await pinned(connection), name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ) {
    await this.#writer.releaseSavepoint?.(await pinned(connection), name, compile);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutingConnection).release();
  }

  destroy(): Promise<void> {
    return this.#writer.destroy();
  }
}

function pinned(connection: DatabaseConnection): Promise<DatabaseConnection> {
  return (connection as RoutingConnection).pin();
}

/**
 * One use of the store's connection by Kysely: a query, a transaction, or `db.connection()`. It
 * takes the writer's connection at the first query a reader may not run (or at `begin`) and keeps
 * it to the end, so a transaction's reads see its own writes.
 */
class RoutingConnection implements DatabaseConnection {
  readonly #writer: Driver;
  readonly #readers: Readers;
  #pinning: Promise<DatabaseConnection> | undefined;

  constructor(writer: Driver, readers: Readers) {
    this.#writer = writer;
    this.#readers = readers;
  }

  pin(): Promise<DatabaseConnection> {
    this.#pinning ??= this.#writer.acquireConnection();
    return this.#pinning;
  }

  async release(): Promise<void> {
    if (this.#pinning) await this.#writer.releaseConnection(await this.#pinning);
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#pinning || !onlyReads(query)) return (await this.pin()).executeQuery<R>(query);
    return this.#readers.shared().executeQuery<R>(query as CompiledQuery<R>);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    if (this.#pinning || !onlyReads(query)) {
      yield* (await this.pin()).streamQuery<R>(query, chunkSize);
      return;
    }
    // The reader is the stream's until it ends (better-sqlite3 runs nothing else on a connection
    // while one of its statements is iterated): a stream abandoned unclosed would keep it, and its
    // read transaction would keep the WAL from being checkpointed past it.
    const reader = await this.#readers.borrow();
    let failed = false;
    try {
      yield* reader.getExecutor().stream<R>(query as CompiledQuery<R>, chunkSize ?? 1);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      await this.#readers.giveBack(reader, failed);
    }
  }
}
