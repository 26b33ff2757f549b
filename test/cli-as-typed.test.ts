// The command line as people type it: every example printed by a command's --help is run as
// written, in a shell, in a folder holding the 1961 books and the files the examples name; and the
// global options work after the command as well as before it.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildProgram } from '../src/cli/main.ts';
import { EXIT } from '../src/cli/output.ts';
import { TEST_KEY_PASSPHRASE } from './support/cli.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'ingot.js');
/** Examples run at once, each in its own copy of the prepared folder. */
const PARALLEL_RUNS = 6;
/** An example still running after this long is stopped, and fails. */
const EXAMPLE_TIMEOUT_MS = 15_000;

interface Example {
  readonly command: string;
  readonly line: string;
}

/** The full help of a command, the text added before and after included. */
function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({
    writeOut: (chunk) => {
      text += chunk;
    },
  });
  command.outputHelp();
  return text;
}

/** The lines of a help's "Example:"/"Examples:" blocks, a line ending in `\` joined to the next. */
function examplesIn(help: string): string[] {
  const found: string[] = [];
  let inBlock = false;
  let pending = '';
  for (const raw of help.split('\n')) {
    if (/^Examples?:$/.test(raw.trim())) {
      inBlock = true;
      continue;
    }
    if (!inBlock) continue;
    if (!raw.startsWith(' ') || raw.trim() === '') {
      inBlock = false;
      continue;
    }
    const line = raw.trim();
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    found.push(pending + line);
    pending = '';
  }
  return found.filter((line) => /(^|\| )ingot /.test(line));
}

/** Every example of every command's help, with the command whose help printed it. */
function allExamples(): Example[] {
  const examples: Example[] = [];
  const walk = (command: Command, path: string): void => {
    for (const line of examplesIn(helpOf(command))) examples.push({ command: path, line });
    for (const child of command.commands) walk(child, `${path} ${child.name()}`);
  };
  walk(buildProgram(), 'ingot');
  return examples;
}

/**
 * Examples that start something which runs until stopped (a server, the relay, a watching sync):
 * these are parsed by the real program with the command's action replaced, not run.
 */
function runsUntilStopped(line: string): boolean {
  return /^ingot (--db \S+ )?(serve|relay(?! pin))\b/.test(line) || /\bsync\b.*--watch/.test(line);
}

/** The words of a line as the shell splits it: double quotes only, as the examples use. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
}

const STATEMENT = `{1:F01GOSBSUMMAXXX0000000000}{2:O608BNCUCUHHXXXXN}{4:
:20:ST910201
:25:0001-UNALL
:28:3/1
:26C:/LONDON/UNALLGOLD
:60F:C910115FOZ150000,
:61:910117D12500,S604F77441200
:61:910124C3000,S607CRESZZ4105
:62F:C910131FOZ140500,
-}
`;

const STOCK = [
  'serial,refiner,year,gross_oz,fineness,fine_oz',
  'EX-1,MSK,1960,401.125,995.8,399.440',
  'EX-2,MSK,1960,400.000,999.9,399.960',
].join('\n');

const GOOD_DELIVERY_LIST = [
  'brand_code,name,country,status,listed_on,removed_on',
  'MSK,Moscow refinery (illustrative),USSR,current,1935-01-01,',
  'NSK,Novosibirsk refinery (illustrative),USSR,current,1935-01-01,',
  'KRS,Krasnoyarsk refinery (illustrative),USSR,current,1935-01-01,',
  'SVR,Sverdlovsk refinery (illustrative),USSR,current,1935-01-01,',
  'PRK,Prioksky refinery (illustrative),USSR,current,1935-01-01,',
].join('\n');

let prepared = '';
/** The two parts of the enrolment secret of `ana`, as its proposer and its approver were shown them. */
let secret = { first: '', second: '' };

/** Runs `ingot ...args` in the prepared folder, failing the setup if it does not succeed. */
function setUp(...args: string[]): string {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: prepared,
    encoding: 'utf8',
    env: environment(),
    input: '',
  });
  if (run.status !== 0) throw new Error(`setup: ingot ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return run.stdout;
}

/** The environment of an example: `ingot` on the PATH, no INGOT_DB, the tests' key passphrase. */
function environment(): NodeJS.ProcessEnv {
  const { INGOT_DB: _unset, ...rest } = process.env;
  return {
    ...rest,
    PATH: `${join(prepared, '.bin')}:${process.env.PATH ?? ''}`,
    INGOT_KEY_PASSPHRASE: TEST_KEY_PASSPHRASE,
    FIRST: secret.first,
    SECOND: secret.second,
  };
}

beforeAll(() => {
  prepared = mkdtempSync(join(tmpdir(), 'ingot-as-typed-'));
  mkdirSync(join(prepared, '.bin'));
  // `ingot` as a user has it on the PATH; each exit code is noted, so a pipeline's is seen too.
  const wrapper = join(prepared, '.bin', 'ingot');
  writeFileSync(
    wrapper,
    `#!/bin/sh\n"${process.execPath}" "${BIN}" "$@"\nstatus=$?\necho "$status" >> exits.log\nexit $status\n`,
  );
  chmodSync(wrapper, 0o755);
  setUp('--db', 'ingot.db', 'scenario', '1961');
  copyFileSync(join(prepared, 'ingot.db'), join(prepared, 'nbc.db'));
  setUp('--db', 'ingot.db', 'keys', 'generate', '--bank', 'GOSBANK', '--mode', 'depository');
  setUp('--db', 'nbc.db', 'keys', 'generate', '--bank', 'NBC', '--mode', 'client');
  setUp('--db', 'ingot.db', 'keys', 'pin', '--bank', 'NBC', '--file', 'NBC.public.json');
  setUp('--db', 'nbc.db', 'keys', 'pin', '--bank', 'GOSBANK', '--file', 'GOSBANK.public.json');
  for (const copy of ['gosbank.db', 'books.db'])
    copyFileSync(join(prepared, 'ingot.db'), join(prepared, copy));
  writeFileSync(join(prepared, 'statement.txt'), STATEMENT);
  writeFileSync(join(prepared, 'stock.csv'), `${STOCK}\n`);
  writeFileSync(join(prepared, 'good-delivery-list.csv'), `${GOOD_DELIVERY_LIST}\n`);
  writeFileSync(join(prepared, 'fixings.csv'), 'date,currency,price\n1961-02-02,GBP,250s 8d\n');
  writeFileSync(join(prepared, 'gold_pm.json'), '[{"d":"2024-01-02","v":[2064.4,1624.95,1872.18]}]');
  const fields = JSON.parse(setUp('--json', 'message', 'parse', 'statement.txt')) as { fields: unknown };
  writeFileSync(join(prepared, 'confirmation.json'), JSON.stringify(fields.fields));
  setUp('bars', 'export', '--account', 'GOSBANK-VAULT', '--out', 'vault-count-1961-12-31.csv');
  const approval = JSON.parse(
    setUp(
      '--json',
      '--user',
      'gosbank-operator',
      'users',
      'propose',
      'ana',
      '--party',
      'GOSBANK',
      '--role',
      'depository_operator',
      '--name',
      'Ana',
    ),
  ) as { pending_approval: string; enrolment_secret_part: string };
  const shown = JSON.parse(setUp('--json', 'approvals', 'show', approval.pending_approval)) as {
    digest: string;
  };
  const approved = JSON.parse(
    setUp(
      '--json',
      '--user',
      'gosbank-supervisor',
      'approvals',
      'approve',
      approval.pending_approval,
      '--digest',
      shown.digest,
    ),
  ) as { outcome: { enrolment_secret_part: string } };
  secret = { first: approval.enrolment_secret_part, second: approved.outcome.enrolment_secret_part };
});

afterAll(() => {
  if (prepared !== '') rmSync(prepared, { recursive: true, force: true });
});

interface Ran {
  readonly example: Example;
  readonly exits: number[];
  readonly stderr: string;
}

/** Runs an example in a shell, in a fresh copy of the prepared folder; the exits of its `ingot`s. */
function runExample(example: Example): Promise<Ran> {
  const folder = mkdtempSync(join(tmpdir(), 'ingot-example-'));
  cpSync(prepared, folder, { recursive: true });
  rmSync(join(folder, 'exits.log'), { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', example.line], {
      cwd: folder,
      env: { ...environment(), PATH: `${join(folder, '.bin')}:${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: EXAMPLE_TIMEOUT_MS,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', () => {
      const exitLog = join(folder, 'exits.log');
      const log = existsSync(exitLog) ? readFileSync(exitLog, 'utf8') : '';
      rmSync(folder, { recursive: true, force: true });
      const exits = log
        .split('\n')
        .filter((line) => line !== '')
        .map(Number);
      resolve({ example, exits, stderr });
    });
  });
}

/** Runs the examples a few at a time. */
async function runAll(examples: readonly Example[]): Promise<Ran[]> {
  const results: Ran[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < examples.length) {
      const example = examples[next];
      next += 1;
      if (example) results.push(await runExample(example));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_RUNS }, worker));
  return results;
}

describe('every --help example runs as written', () => {
  const examples = allExamples();

  test('the help of the commands has examples to run', () => {
    expect(examples.length).toBeGreaterThan(40);
    expect(examples.map((e) => e.line)).toContain('ingot message parse statement.txt --json');
  });

  // A refusal by a business rule (exit 1: the party exists already, the trade is settled) is an
  // answer; bad input (2) or a bug (70) is not. Only the exits of `ingot` count: a pipeline's
  // other tools (hledger) are not under test.
  test('each runs without a bad-input or bug exit', async () => {
    const ran = await runAll(examples.filter((e) => !runsUntilStopped(e.line)));
    const failed = ran
      .filter(
        (r) => r.exits.length === 0 || r.exits.some((code) => code === EXIT.bad_input || code === EXIT.bug),
      )
      .map((r) => `${r.example.line}\n  exits ${r.exits.join(',')}: ${r.stderr.trim()}`);
    expect(failed).toEqual([]);
    // No bound of its own: about 50 processes, 6 at a time, took 31 s alone on 2 cores and over
    // 50 s beside another test file in CI. An example that hangs is killed at EXAMPLE_TIMEOUT_MS
    // and named above; the suite's own timeout stops the rest.
  });

  // A server, the relay and a watching sync run until stopped: their examples are parsed by the
  // real program, each command's action replaced by one that does nothing.
  test('the examples that start something parse', async () => {
    const lines = examples.map((e) => e.line).filter(runsUntilStopped);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const program = buildProgram();
      const stub = (command: Command): void => {
        command.action(() => undefined);
        for (const child of command.commands) stub(child);
      };
      for (const command of program.commands) stub(command);
      program.configureOutput({ writeErr: () => undefined });
      await expect(program.parseAsync(['node', ...words(line)]), line).resolves.toBeDefined();
    }
  });
});

/** Runs `ingot ...args` in a fresh copy of the prepared folder; the run and the folder's files. */
function inCopy(...args: string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
  files: string[];
} {
  const folder = mkdtempSync(join(tmpdir(), 'ingot-example-'));
  try {
    cpSync(prepared, folder, { recursive: true });
    const run = spawnSync(process.execPath, [BIN, ...args], {
      cwd: folder,
      encoding: 'utf8',
      env: environment(),
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, files: readdirSync(folder) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('global options after the command', () => {
  test('ingot verify --db books.db --json', () => {
    const run = inCopy('verify', '--db', 'books.db', '--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ breaches: [] });
  });

  test('given before and after the command, the one after wins', () => {
    const run = inCopy('--db', 'elsewhere.db', 'statement', 'NBC-GOLD', '--db', 'books.db');
    expect([run.status, run.files.includes('elsewhere.db')]).toEqual([0, false]);
    expect(run.stdout).toContain('NBC-GOLD');
  });

  test("the relay's own --db keeps its meaning: the relay's file, not the books", () => {
    const args = ['relay', 'pin', '--bank', 'NBC', '--file', 'NBC.public.json', '--db', 'relay.db'];
    const run = inCopy('--db', 'books.db', ...args);
    expect([run.status, run.files.includes('relay.db')]).toEqual([0, true]);
  });
});
