// Following the primary of a highly available PostgreSQL (pg_auto_failover, Patroni…): of the hosts
// a multi-host URL names, the pool connects to the one that accepts writes, found as libpq's
// target_session_attrs=read-write finds it (not in recovery, not read-only). After a failover the
// connections to the old primary fail; the first fault makes the pool forget it and look again, at
// most once per backoff interval, so a store follows the new primary without a restart.
import pg from 'pg';
import { fault, StorageFault } from '../faults.ts';
import { postgresFault } from './faults.ts';
import type { HostList } from './hosts.ts';

/** How long a probe of one host may take to connect. */
const PROBE_TIMEOUT_MS = 2000;
/** The wait before looking again after a search found no primary, doubling up to the maximum. */
const BACKOFF_MS_MIN = 100;
const BACKOFF_MS_MAX = 1000;
/** Connections tried for one request: a refused one sends the pool to look for the primary again. */
const CONNECT_ATTEMPTS = 2;

const WRITABLE = `select not pg_is_in_recovery() and current_setting('transaction_read_only') = 'off' as writable`;

/** Which host is the writable primary, as last found; looked for again after a fault. */
export class PrimaryFinder {
  /** Bumped each time the primary is forgotten: connections made before are not used again. */
  generation = 0;
  private index: number | undefined;
  private search: Promise<void> | undefined;
  private backoffMs = 0;
  private retryAtMs = 0;
  private failure: StorageFault | undefined;

  constructor(readonly hosts: HostList) {}

  /** The URL of the primary, once found (the first host's before). */
  url(): string {
    return this.hosts.urls[this.index ?? 0] ?? '';
  }

  /** Resolves once the primary is known; a StorageFault naming each host's state when none is. */
  ready(): Promise<void> {
    if (this.index !== undefined) return Promise.resolve();
    this.search ??= this.find().finally(() => {
      this.search = undefined;
    });
    return this.search;
  }

  /** Takes note of an error on a connection: a fault of the storage may mean a failover. */
  noticed(error: unknown): void {
    if (this.index === undefined || postgresFault(error) === null) return;
    this.index = undefined;
    this.generation += 1;
  }

  private async find(): Promise<void> {
    // Within the backoff after a failed search, the same answer without asking the servers again.
    if (this.failure && Date.now() < this.retryAtMs) throw this.failure;
    const states: string[] = [];
    for (const [index, url] of this.hosts.urls.entries()) {
      const state = await probe(url);
      if (state === 'writable') {
        this.index = index;
        this.backoffMs = 0;
        this.failure = undefined;
        return;
      }
      states.push(`${this.hosts.names[index]} ${state}`);
    }
    this.backoffMs = Math.min(BACKOFF_MS_MAX, Math.max(BACKOFF_MS_MIN, this.backoffMs * 2));
    this.retryAtMs = Date.now() + this.backoffMs;
    const reason = 'no database server accepts writes, a failover may be under way';
    this.failure = new StorageFault('no_primary', fault(reason), new Error(states.join('; ')));
    throw this.failure;
  }
}

/** Whether the server at `url` accepts writes, or what it is instead, in words. */
async function probe(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const answer = await client.query<{ writable: boolean }>(WRITABLE);
    return answer.rows[0]?.writable ? 'writable' : 'is a standby or read-only';
  } catch (error) {
    const found = postgresFault(error);
    return found ? `${found.reason} (${found.code})` : `failed: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

type Callback = (error: Error | undefined, client: pg.PoolClient | undefined, done: () => void) => void;

/**
 * A pool whose connections go to the primary `finder` knows, found first if need be. A connection
 * made before the primary was last forgotten is closed instead of handed out.
 */
export function followingPool(finder: PrimaryFinder, config: pg.PoolConfig): pg.Pool {
  class PrimaryClient extends pg.Client {
    readonly generation = finder.generation;

    constructor(options: pg.ClientConfig = {}) {
      super({ ...options, connectionString: finder.url() });
      this.on('error', (error) => finder.noticed(error));
    }

    // Every failed query is shown to the finder, whoever made it (Kysely, two-step writes, probes).
    override query(...args: unknown[]): never {
      const result = (super.query as (...a: unknown[]) => unknown).apply(this, args);
      if (result instanceof Promise) result.catch((error: unknown) => finder.noticed(error));
      return result as never;
    }
  }

  class FollowingPool extends pg.Pool {
    override connect(): Promise<pg.PoolClient>;
    override connect(callback: Callback): void;
    override connect(callback?: Callback): Promise<pg.PoolClient> | undefined {
      if (callback) {
        finder.ready().then(
          () => super.connect(callback),
          (error: Error) => callback(error, undefined, () => undefined),
        );
        return undefined;
      }
      return this.current();
    }

    private async current(): Promise<pg.PoolClient> {
      for (let attempt = 1; ; attempt += 1) {
        await finder.ready();
        const client = await super.connect().catch((error: unknown) => {
          // Nothing was sent on a connection never made: after a failover, look again at once.
          finder.noticed(error);
          if (attempt < CONNECT_ATTEMPTS && postgresFault(error)) return undefined;
          throw error;
        });
        if (client === undefined) continue;
        if ((client as unknown as PrimaryClient).generation === finder.generation) return client;
        client.release(true);
      }
    }
  }

  return new FollowingPool({ ...config, Client: PrimaryClient });
}
