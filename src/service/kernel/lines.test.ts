import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, expect, test } from 'vitest';
import { readingNow } from './lines.ts';

const dir = mkdtempSync(join(tmpdir(), 'ingot-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(lines: number): string {
  const path = join(dir, `lines-${lines}.csv`);
  writeFileSync(path, Array.from({ length: lines }, (_, index) => `line ${index}\n`).join(''));
  return path;
}

async function collectAfterAWait(lines: AsyncIterable<string>): Promise<string[]> {
  // The file is read and its lines emitted while the caller waits, as for a database round trip.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const seen: string[] = [];
  for await (const line of lines) seen.push(line);
  return seen;
}

test.each([3, 50_000])('no line of a %i-line file is lost while the service first waits', async (count) => {
  const input = createReadStream(fileOf(count), 'utf8');
  const lines = readingNow(createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY }));
  const seen = await collectAfterAWait(lines);
  expect(seen.length).toBe(count);
  expect(seen[0]).toBe('line 0');
  expect(seen.at(-1)).toBe(`line ${count - 1}`);
});
