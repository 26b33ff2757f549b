// Runs the real `ingot` command as a process, the way a user meets it, on a scratch database.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ingot.js');

/** The passphrase the tests' banks encrypt their private keys under (INGOT_KEY_PASSPHRASE). */
export const TEST_KEY_PASSPHRASE = 'a passphrase for the tests of 1961';
/** The environment of a spawned `ingot`: no database named by env, the tests' key passphrase. */
const ENVIRONMENT = { ...process.env, INGOT_DB: '', INGOT_KEY_PASSPHRASE: TEST_KEY_PASSPHRASE };

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Workspace {
  readonly dir: string;
  readonly db: string;
  /** Runs `ingot --db <db> ...args`. */
  ingot(...args: string[]): Run;
  /** Runs `ingot --db <db> --json ...args` and parses the output. */
  json<T = unknown>(...args: string[]): T;
  /** Every table's rows, for checking that a refused command changed nothing. */
  snapshot(): string;
  dispose(): void;
}

/** Runs `ingot ...args` as a process, resolving when it exits, so a test can act while it runs. */
export function ingotProcess(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: ENVIRONMENT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A scratch directory with its own database. */
export function workspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'ingot-test-'));
  const db = join(dir, 'books.db');
  const ingot = (...args: string[]): Run => {
    const result = spawnSync(process.execPath, [BIN, '--db', db, ...args], {
      encoding: 'utf8',
      cwd: dir,
      env: ENVIRONMENT,
    });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  };
  return {
    dir,
    db,
    ingot,
    json<T>(...args: string[]): T {
      const run = ingot('--json', ...args);
      if (run.code !== 0) throw new Error(`ingot ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
      return JSON.parse(run.stdout) as T;
    },
    snapshot() {
      const database = new BetterSqlite3(db, { readonly: true });
      try {
        database.defaultSafeIntegers(true);
        const tables = database
          .prepare(`select name from sqlite_master where type = 'table' order by name`)
          .all() as { name: string }[];
        return tables
          .map(({ name }) => {
            const rows = database.prepare(`select * from "${name}"`).all() as Record<string, unknown>[];
            // A refused settlement may note why the trade waits; nothing else may change.
            const kept = rows.map((row) => (name === 'trades' ? { ...row, pending_reason: null } : row));
            return `${name}:${JSON.stringify(kept, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`;
          })
          .join('\n');
      } finally {
        database.close();
      }
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The 1961 books in a workspace, as the command line's tests of confidentiality read them: the
 * supervisor cleared top secret, the first NBC signatory confidential; the auditor, the viewer and
 * the second signatory not cleared.
 */
export function clearedScenario(): Workspace {
  const books = workspace();
  const run = books.ingot('scenario', '1961');
  if (run.code !== 0) throw new Error(`scenario 1961 exited ${run.code}: ${run.stderr}`);
  for (const [user, level] of [
    ['gosbank-supervisor', 'top secret'],
    ['nbc-signatory-1', 'confidential'],
  ] as const) {
    const granted = books.ingot(
      '--user',
      'gosbank-supervisor',
      'clearances',
      'grant',
      user,
      '--level',
      level,
    );
    if (granted.code !== 0)
      throw new Error(`clearances grant ${user} exited ${granted.code}: ${granted.stderr}`);
  }
  return books;
}
