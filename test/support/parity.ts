// The same books asked two ways: the `ingot` command as a process and the API over HTTP, both on
// one SQLite file, so a test can hold what each answers for the same request equal.
import { expect } from 'vitest';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { ingotOver } from '../../src/service/kernel/context.ts';
import { openSqliteStore } from '../../src/store/sqlite/open.ts';
import { type Client, type Served, serveOver } from '../api/support.ts';
import { type Workspace, workspace } from './cli.ts';

export interface Books {
  /** The database file and the `ingot` command on it. */
  readonly cli: Workspace;
  /** The API over the same file. */
  readonly api: Served;
  /** Signs in one of the 1961 scenario's users with the demo password (once). */
  as(userId: string): Promise<Client>;
  close(): Promise<void>;
}

/**
 * Replays the 1961 scenario into a fresh file with the command line, runs `prepare` (more
 * commands, before the server holds the file), then serves the same file.
 */
export async function books1961(prepare: (cli: Workspace) => void = () => undefined): Promise<Books> {
  const cli = workspace();
  try {
    const replay = cli.ingot('scenario', '1961', '--fresh');
    if (replay.code !== 0) throw new Error(`ingot scenario 1961 exited ${replay.code}: ${replay.stderr}`);
    prepare(cli);
    // The depository's auditor reads bar lists and statements, which are confidential: cleared.
    const grants: readonly [string, string][] = [
      ['gosbank-supervisor', 'top secret'],
      ['gosbank-auditor', 'confidential'],
    ];
    for (const [user, level] of grants) {
      const granted = cli.ingot(
        '--user',
        'gosbank-supervisor',
        'clearances',
        'grant',
        user,
        '--level',
        level,
      );
      if (granted.code !== 0) throw new Error(`clearance of ${user}: ${granted.stderr}`);
    }
    const api = await serveOver(ingotOver(await openSqliteStore(cli.db), 'api'));
    const clients = new Map<string, Client>();
    return {
      cli,
      api,
      async as(userId) {
        const known = clients.get(userId);
        if (known) return known;
        const answer = await api
          .client(null)
          .post('/session', { user_id: userId, password: SCENARIO_1961_DEMO_PASSWORD });
        if (answer.status !== 200) throw new Error(`sign-in of ${userId}: ${answer.text}`);
        const client = api.client((answer.body as { token: string }).token);
        clients.set(userId, client);
        return client;
      },
      async close() {
        try {
          await api.close();
        } finally {
          cli.dispose();
        }
      },
    };
  } catch (error) {
    cli.dispose();
    throw error;
  }
}

/** Runs `ingot --db <file> ...args`, failing the test unless it exits 0; returns its stdout. */
export function cliText(cli: Workspace, ...args: string[]): string {
  const run = cli.ingot(...args);
  if (run.code !== 0) throw new Error(`ingot ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

/** GETs `path`, failing the test unless the answer is 200 with `type` (a prefix); returns it. */
export async function apiGet(
  client: Client,
  path: string,
  type = 'application/json',
): Promise<{ body: unknown; text: string }> {
  const answer = await client.get(path);
  if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${answer.text}`);
  expect(answer.headers.get('content-type') ?? '', `content type of GET ${path}`).toMatch(
    new RegExp(`^${type.replaceAll('/', '\\/')}`),
  );
  return { body: answer.body, text: answer.text };
}

/**
 * Holds two parsed JSON answers equal: the same values (a readable diff when not), then the same
 * text once both are written compactly, so the keys come in the same order too.
 */
export function expectSameJson(api: unknown, cli: unknown, what: string): void {
  expect(api, `${what}: the API's answer and the CLI's --json`).toStrictEqual(cli);
  expect(JSON.stringify(api), `${what}: key order`).toBe(JSON.stringify(cli));
}
