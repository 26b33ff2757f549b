// A printed document is the same whichever edge prints it: the 1961 books printed by the command
// line and then over HTTP from the same database give PDFs whose text differs only in the copy
// number, which both edges count under one key.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SCENARIO_1961_DEMO_PASSWORD } from '../src/scenario/1961-custody.ts';
import { ingotOver } from '../src/service/kernel/context.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { type Served, serveOver } from './api/support.ts';
import { type Workspace, workspace } from './support/cli.ts';

/**
 * The text runs of a PDF written by pdfkit, in drawing order: each compressed content stream is
 * inflated and each `[<hex> kern <hex>] TJ` array read back as one run of Latin-1 text.
 */
function textRuns(pdf: Buffer): string[] {
  const runs: string[] = [];
  const latin1 = pdf.toString('latin1');
  for (const stream of latin1.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(stream[1] ?? '', 'latin1')).toString('latin1');
    } catch {
      // Fonts and images are streams too; only the page contents are text.
      continue;
    }
    for (const array of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const hex = [...(array[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((part) => part[1]).join('');
      runs.push(Buffer.from(hex, 'hex').toString('latin1'));
    }
  }
  return runs;
}

/** The runs with the copy number written as `n`. */
function asCopy(runs: readonly string[], copy: number): string[] {
  return runs.map((run) => run.replace(/([Cc]opy No\. )\d+$/, `$1${copy}`));
}

let books: Workspace;
let served: Served | undefined;

beforeAll(async () => {
  books = workspace();
  expect(books.ingot('scenario', '1961').code).toBe(0);
  const grant = (user: string, level: string) =>
    books.ingot('--user', 'gosbank-supervisor', 'clearances', 'grant', user, '--level', level).code;
  expect(grant('gosbank-supervisor', 'top secret')).toBe(0);
  expect(grant('nbc-signatory-1', 'confidential')).toBe(0);
}, 60_000);

afterAll(async () => {
  await served?.close();
  books?.dispose();
});

describe('a document printed by the command line and over HTTP', () => {
  const cases = [
    ['confirmation', ['--trade', 'TRADE-1'], '/trades/TRADE-1/confirmation.pdf'],
    [
      'barlist',
      ['--account', 'NBC-GOLD', '--date', '1961-01-31'],
      '/accounts/NBC-GOLD/bars.pdf?date=1961-01-31',
    ],
    [
      'statement',
      ['--account', 'NBC-GOLD', '--from', '1961-01-01', '--date', '1961-03-31'],
      '/accounts/NBC-GOLD/statement.pdf?from=1961-01-01&to=1961-03-31',
    ],
  ] as const;

  test.each(cases)(
    '%s: the same text, the next copy number',
    async (kind, args, path) => {
      const file = join(books.dir, `${kind}.pdf`);
      const printed = books.ingot(
        '--user',
        'gosbank-supervisor',
        'documents',
        'pdf',
        kind,
        ...args,
        '--out',
        file,
      );
      expect([printed.code, printed.stderr]).toEqual([0, '']);
      const fromCli = textRuns(readFileSync(file));
      // The command line has finished with the database; the server opens the same file after it.
      served ??= await serveOver(ingotOver(await openSqliteStore(books.db), 'test'));
      const signIn = await served
        .client(null)
        .post('/session', { user_id: 'nbc-signatory-1', password: SCENARIO_1961_DEMO_PASSWORD });
      const token = (signIn.body as { token: string }).token;
      const response = await fetch(`${served.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      const fromApi = textRuns(Buffer.from(await response.arrayBuffer()));
      expect(fromCli).toContain('Copy No. 1');
      expect(fromCli.join('\n')).toMatch(/National Bank of Cuba|NBC/);
      expect(fromApi).toEqual(asCopy(fromCli, 2));
    },
    60_000,
  );
});
