// How long the server waits for a client, how many it serves at once, when it is too pressed to
// take more work, and how large a download it makes: a slow or idle client cannot hold a socket for
// ever, no flood of connections can exhaust the process's files, and no bulk job can stall every
// other request or run the process out of memory.
import { getHeapStatistics } from 'node:v8';

export interface ServerLimits {
  /** A request's headers must arrive whole within this, or the connection is closed. */
  readonly headers_timeout_ms: number;
  /** A whole request, body included, must arrive within this. */
  readonly request_timeout_ms: number;
  /**
   * How often the two timeouts above are checked: a client past either is closed (408) at most
   * this much later. Node's own default, 30 s, would let a slow client hold its socket for 40 s.
   */
  readonly timeouts_checked_every_ms: number;
  /** A connection with nothing sent either way for this long is closed. */
  readonly idle_timeout_ms: number;
  /** A kept-alive connection waits this long for its next request. */
  readonly keep_alive_timeout_ms: number;
  /** Connections served at once; one more is closed as soon as it is accepted. */
  readonly connections_max: number;
  /**
   * Mean delay of the event loop over one sample beyond which new requests are answered 503 with
   * Retry-After instead of being queued behind the work that delays it (0: not checked).
   */
  readonly event_loop_delay_ms_max: number;
  /** Heap in use beyond which new requests are answered 503 (0: not checked). */
  readonly heap_used_bytes_max: number;
  /** Resident memory beyond which new requests are answered 503 (0: not checked). */
  readonly rss_bytes_max: number;
  /** How often the event loop's delay and the memory are sampled. */
  readonly pressure_sample_interval_ms: number;
  /** The Retry-After of a 503 answered under pressure, in seconds. */
  readonly retry_after_s: number;
  /** The most bars a bar list printed as PDF may hold; a longer one is refused (CSV has no limit). */
  readonly pdf_bars_max: number;
  /** PDFs printed at once; one more is answered 503 with Retry-After. */
  readonly pdf_renders_max: number;
}

/** Share of V8's heap limit in use beyond which the server refuses new work. */
const HEAP_SHARE_MAX = 0.75;

/** The limits in force unless a test sets smaller ones (the README's "Security model" lists them). */
export const SERVER_LIMITS: ServerLimits = {
  headers_timeout_ms: 10_000,
  // A 50 MB bar list arrives in seconds even over a slow line.
  request_timeout_ms: 300_000,
  timeouts_checked_every_ms: 1_000,
  idle_timeout_ms: 60_000,
  keep_alive_timeout_ms: 5_000,
  // Far below the process's file limit (20,000 here), so files stay for the books and the logs.
  connections_max: 1_000,
  // Checked by a served process (SERVED_LIMITS), not by a server inside a test or a benchmark,
  // whose own work between requests stalls the loop it shares.
  event_loop_delay_ms_max: 0,
  // Well before V8 runs out of heap and the process dies with every request it holds.
  heap_used_bytes_max: Math.floor(getHeapStatistics().heap_size_limit * HEAP_SHARE_MAX),
  rss_bytes_max: 0,
  pressure_sample_interval_ms: 1_000,
  retry_after_s: 10,
  // 3,000,000 bars print as about 60,000 A4 pages; more is no document a person reads.
  pdf_bars_max: 3_000_000,
  // Each print takes a worker thread and one core: two leave the other core to every other request.
  pdf_renders_max: 2,
};

/**
 * What `ingot serve` adds: bulk work yields every few milliseconds, so the loop's mean delay over
 * a sample stays near 0; a mean past a second means the loop was stalled the whole sample, and a
 * request taken now would wait behind the stall, so it is answered 503 with Retry-After.
 */
export const SERVED_LIMITS: Partial<ServerLimits> = { event_loop_delay_ms_max: 1_000 };
