// Faults of the storage under the books (a full disk, a read-only file, a database server gone
// away) told apart from bugs. Each dialect's driver turns such an error into a StorageFault naming
// its cause; the transaction under way is then rolled back whole, so the edges can say so plainly
// instead of printing a stack trace.

/** What a storage fault is, for people and for programs. */
export interface FaultKind {
  /** The cause in a few words: "the disk is full". */
  readonly reason: string;
  /**
   * Whether the connection to the database was lost: a commit under way at that moment may or may
   * not have been made (the server cannot say so to a client it no longer hears).
   */
  readonly connection_lost: boolean;
}

/** An error of the storage, not of Ingot: the code the database or the system gave, and why. */
export class StorageFault extends Error {
  override name = 'StorageFault';
  readonly reason: string;
  readonly connection_lost: boolean;

  constructor(
    /** The database's or the system's own code: SQLITE_FULL, 57P01, ECONNREFUSED. */
    readonly code: string,
    kind: FaultKind,
    cause: unknown,
  ) {
    super(`${kind.reason} (${code}): ${messageOf(cause)}`, { cause });
    this.reason = kind.reason;
    this.connection_lost = kind.connection_lost;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The string `code` an error carries (SqliteError, pg's errors, Node's system errors), if any. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A fault that is not about a lost connection. */
export function fault(reason: string): FaultKind {
  return { reason, connection_lost: false };
}

/** A fault that cut the connection to the database. */
export function lostConnection(reason: string): FaultKind {
  return { reason, connection_lost: true };
}
