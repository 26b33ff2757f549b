// How long the server waits for a client, and how many it serves at once: a slow or idle client
// cannot hold a socket for ever, and no flood of connections can exhaust the process's files.

export interface ServerLimits {
  /** A request's headers must arrive whole within this, or the connection is closed. */
  readonly headers_timeout_ms: number;
  /** A whole request, body included, must arrive within this. */
  readonly request_timeout_ms: number;
  /** A connection with nothing sent either way for this long is closed. */
  readonly idle_timeout_ms: number;
  /** A kept-alive connection waits this long for its next request. */
  readonly keep_alive_timeout_ms: number;
  /** Connections served at once; one more is closed as soon as it is accepted. */
  readonly connections_max: number;
}

/** The limits in force unless a test sets smaller ones (the README's "Security model" lists them). */
export const SERVER_LIMITS: ServerLimits = {
  headers_timeout_ms: 10_000,
  // A 50 MB bar list arrives in seconds even over a slow line.
  request_timeout_ms: 300_000,
  idle_timeout_ms: 60_000,
  keep_alive_timeout_ms: 5_000,
  // Far below the process's file limit (20,000 here), so files stay for the books and the logs.
  connections_max: 1_000,
};
