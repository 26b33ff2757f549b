import { describe, expect, test } from 'vitest';
import { postgresFault } from './postgres/faults.ts';
import { sqliteFault } from './sqlite/faults.ts';

function failure(code: string | undefined, message = 'failed'): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

describe('faults of the storage, told apart from refusals and bugs', () => {
  // [code the database gives, the reason named, or null when it is not a fault of the storage]
  test.each([
    ['SQLITE_FULL', 'the disk is full'],
    ['SQLITE_IOERR_WRITE', 'the disk failed to read or write'],
    ['SQLITE_READONLY_DBMOVED', 'the database is read-only'],
    ['SQLITE_BUSY', 'another process kept the database locked'],
    ['SQLITE_CORRUPT', 'the database file is damaged'],
    ['SQLITE_CONSTRAINT_UNIQUE', null],
    ['SQLITE_ERROR', null],
    ['SQLITE_FULLNESS', null],
  ])('SQLite %s → %s', (code, reason) => {
    expect(sqliteFault(failure(code), ':memory:')?.reason ?? null).toBe(reason);
  });

  test.each([
    ['57P01', 'the database server ended the connection', true],
    ['53100', "the database server's disk is full", false],
    ['08006', 'the connection to the database was lost', true],
    ['ECONNREFUSED', 'the database server refused the connection', false],
    ['ECONNRESET', 'the connection to the database was lost', true],
    ['40001', null, false],
    ['40P01', null, false],
    ['23505', null, false],
  ])('PostgreSQL %s → %s', (code, reason, lost) => {
    const found = postgresFault(failure(code));
    expect(found?.reason ?? null).toBe(reason);
    expect(found?.connection_lost ?? false).toBe(lost);
  });

  test('node-postgres errors without a code are read by their message', () => {
    expect(postgresFault(failure(undefined, 'Connection terminated unexpectedly'))?.code).toBe(
      'connection_terminated',
    );
    expect(postgresFault(failure(undefined, 'relation "bars" does not exist'))).toBeNull();
  });

  test('a fault keeps the code and the message of the error it stands for', () => {
    const found = sqliteFault(failure('SQLITE_FULL', 'database or disk is full'), ':memory:');
    expect(found?.code).toBe('SQLITE_FULL');
    expect(found?.message).toBe('the disk is full (SQLITE_FULL): database or disk is full');
  });
});
