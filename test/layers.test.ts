// The layers hold: the HTTP and command-line edges reach the books only through the application
// layer. Biome's noRestrictedImports keeps Kysely and the table types out of their imports; this
// test keeps out what an import rule cannot see, a query built on the store's handle.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const EDGES = ['src/server', 'src/cli'];
const FORBIDDEN: readonly [RegExp, string][] = [
  [/\bstore\.db\b/, 'the store’s raw handle'],
  [/\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\(/, 'a query builder'],
  [/\bsql`/, 'SQL text'],
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

/** Every line of the edges that reaches past the application layer, as `file:line: what`. */
function breaches(): string[] {
  const found: string[] = [];
  for (const file of EDGES.flatMap((edge) => sources(join(ROOT, edge)))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (/^\s*(\/\/|\*)/.test(line)) return;
      for (const [pattern, what] of FORBIDDEN) {
        if (pattern.test(line)) found.push(`${relative(ROOT, file)}:${index + 1}: ${what}`);
      }
    });
  }
  return found;
}

describe('layers', () => {
  test('no file of the server or the command line builds a query or names a table type', () => {
    expect(breaches()).toEqual([]);
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
