// PostgreSQL's storage faults: which server states, system errors and node-postgres messages mean
// the server or the connection failed (not Ingot), and a pool whose queries report them as
// StorageFaults.
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { codeOf, type FaultKind, fault, lostConnection, StorageFault } from '../faults.ts';

const LOST = lostConnection('the connection to the database was lost');

/** SQLSTATEs of the server that are faults of the storage, not of the request. */
const SERVER_FAULTS: Readonly<Record<string, FaultKind>> = {
  '57P01': lostConnection('the database server ended the connection'),
  '57P02': lostConnection('the database server crashed'),
  '57P03': fault('the database server is not accepting connections yet'),
  '53100': fault("the database server's disk is full"),
  '53300': fault('the database server has no connection to spare'),
  '58030': fault('the database server failed to read or write its disk'),
  '3D000': fault('the database does not exist'),
  '28000': fault('the database refused the sign-in'),
  '28P01': fault('the database refused the password'),
  '25006': fault('the database is read-only'),
};

/** Errors of the network between Ingot and the server, by their system code. */
const NETWORK_FAULTS: Readonly<Record<string, FaultKind>> = {
  ECONNREFUSED: fault('the database server refused the connection'),
  ENOTFOUND: fault('the database host is not known'),
  EAI_AGAIN: fault('the database host could not be looked up'),
  EHOSTUNREACH: fault('the database server cannot be reached'),
  ENETUNREACH: fault('the database server cannot be reached'),
  ETIMEDOUT: lostConnection('the database server did not answer'),
  ECONNRESET: LOST,
  EPIPE: LOST,
};

/** node-postgres's own errors, which carry no code, by how their message starts. */
const CLIENT_FAULTS: readonly (readonly [start: string, code: string, kind: FaultKind])[] = [
  ['Connection terminated', 'connection_terminated', LOST],
  ['Client has encountered a connection error', 'connection_terminated', LOST],
  ['timeout expired', 'connection_timeout', fault('the database server did not answer in time')],
];

/** The StorageFault a PostgreSQL error stands for, or null when it is not a fault of the storage. */
export function postgresFault(error: unknown): StorageFault | null {
  if (error instanceof StorageFault) return error;
  const code = codeOf(error);
  if (code !== undefined) {
    const kind = SERVER_FAULTS[code] ?? NETWORK_FAULTS[code];
    if (kind) return new StorageFault(code, kind, error);
    // Class 08: the connection failed (refused, broken, rejected by the server).
    if (/^08[0-9A-Z]{3}$/.test(code)) return new StorageFault(code, LOST, error);
    return null;
  }
  const message = error instanceof Error ? error.message : '';
  const found = CLIENT_FAULTS.find(([start]) => message.startsWith(start));
  return found ? new StorageFault(found[1], found[2], error) : null;
}

function rethrow(error: unknown): never {
  throw postgresFault(error) ?? error;
}

/** A pool whose connections and queries throw StorageFaults for faults of the storage. */
export function reportingFaults(pool: pg.Pool): PostgresPool {
  const clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const query = (text: unknown, parameters?: readonly unknown[]) =>
      typeof text === 'string'
        ? client.query(text, parameters === undefined ? undefined : [...parameters]).catch(rethrow)
        : client.query(text as pg.Submittable);
    // Kysely passes a cursor only when streaming with one, which Ingot does not; it goes through as is.
    return {
      query: query as unknown as PostgresPoolClient['query'],
      release: (destroy) => client.release(destroy),
    };
  };
  return {
    async connect() {
      const client = await pool.connect().catch(rethrow);
      let wrapped = clients.get(client);
      if (!wrapped) {
        wrapped = wrap(client);
        clients.set(client, wrapped);
      }
      return wrapped;
    },
    end: () => pool.end(),
  };
}
