// The layers hold: the HTTP and command-line edges reach the books only through the application
// layer. Biome's noRestrictedImports keeps Kysely and the table types out of their imports; this
// test keeps out what an import rule cannot see, a query built on the store's handle. Inside the
// application layer, SQL is written only in each feature's queries modules (queries.ts and
// queries-<topic>.ts), so a newcomer sees which files touch the database.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const EDGES = ['src/server', 'src/cli'];
const FORBIDDEN: readonly [RegExp, string][] = [
  [/\bstore\.db\b/, 'the store’s raw handle'],
  [/\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\(/, 'a query builder'],
  [/\bsql(<[^`]*>)?`/, 'SQL text'],
  [/from 'kysely(\/[^']*)?'/, 'Kysely'],
  [/store\/schema\.ts'/, 'the table types'],
  [/store\/(?!schema\.ts|open\.ts|faults\.ts|write-log\.ts)[\w/-]+\.ts'/, 'the store’s inner parts'],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** What writes SQL: a query builder, SQL text, raw SQL through Kysely or a driver's statement. */
const SQL: readonly [RegExp, string][] = [
  [/\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(/, 'a query builder'],
  [/\bsql(<[^`]*>)?(`|\.raw\b|\.ref\b|\.table\b|\.id\b|\.lit\b|\.join\b)/, 'SQL text'],
  [/\.prepare\(\s*['`]/, 'a driver’s statement'],
  [/CompiledQuery\.raw\(/, 'SQL text'],
];

/** A feature's queries module: the one place in src/service where SQL is written. */
const QUERIES = /^src\/service\/[a-z]+\/queries(-[a-z-]+)?\.ts$/;

/** Every line of `files` one of `patterns` finds, as `file:line: what`; comments aside. */
function found(files: readonly string[], patterns: readonly [RegExp, string][]): string[] {
  const lines: string[] = [];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (/^\s*(\/\/|\*)/.test(line)) return;
        for (const [pattern, what] of patterns) {
          if (pattern.test(line)) lines.push(`${relative(ROOT, file)}:${index + 1}: ${what}`);
        }
      });
  }
  return lines;
}

/** Every line of the edges that reaches past the application layer. */
function breaches(): string[] {
  return found(
    EDGES.flatMap((edge) => sources(join(ROOT, edge))),
    FORBIDDEN,
  );
}

/** Every line of the application layer outside a queries module that writes SQL (tests aside). */
function sqlOutsideQueries(): string[] {
  const files = sources(join(ROOT, 'src/service')).filter(
    (file) => !file.endsWith('.test.ts') && !QUERIES.test(relative(ROOT, file)),
  );
  return found(files, SQL);
}

describe('layers', () => {
  test('no file of the server or the command line builds a query or names a table type', () => {
    expect(breaches()).toEqual([]);
  });

  test('no file of the application layer writes SQL but a feature’s queries modules', () => {
    expect(sqlOutsideQueries()).toEqual([]);
  });

  test('the scan sees SQL where there is some, and knows a queries module', () => {
    const named = (text: string) => SQL.filter(([p]) => p.test(text)).map(([, what]) => what);
    expect(named("await tx.selectFrom('bars').selectAll().execute();")).toEqual(['a query builder']);
    expect(named('await sql.raw(`savepoint nested_1`).execute(tx);')).toEqual(['SQL text']);
    expect(named('const rows = await sql<{ n: number }>`select 1`.execute(db);')).toEqual(['SQL text']);
    expect(named('await sql`select 1`.execute(db);')).toEqual(['SQL text']);
    expect(named("db.prepare('select 1').get();")).toEqual(['a driver’s statement']);
    expect(QUERIES.test('src/service/vault/queries-history.ts')).toBe(true);
    expect(QUERIES.test('src/service/vault/queries.ts')).toBe(true);
    expect(QUERIES.test('src/service/vault/history.ts')).toBe(false);
  });

  test('the scan sees a breach where there is one', () => {
    // A check that cannot fail proves nothing: the same patterns on a line that breaks the rule.
    const line = "const row = await ingot.store.db.selectFrom('bars').selectAll().execute();";
    expect(FORBIDDEN.filter(([pattern]) => pattern.test(line)).map(([, what]) => what)).toEqual([
      'the store’s raw handle',
      'a query builder',
    ]);
    const named = (text: string) => FORBIDDEN.filter(([p]) => p.test(text)).map(([, what]) => what);
    expect(named("import { jsonArrayFrom } from 'kysely/helpers/postgres';")).toEqual(['Kysely']);
    expect(named("import { openPostgres } from '../../store/postgres/open.ts';")).toEqual([
      'the store’s inner parts',
    ]);
    expect(named("import { openStore } from '../store/open.ts';")).toEqual([]);
  });
});
