// Builds the desk (web/) into dist/web with Vite when it is missing or older than its sources
// (web/ and the pure core it imports, src/domain/). `--force` builds regardless.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', 'web', '.built');

function newest(folder) {
  let time = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    const mtime = entry.isDirectory() ? newest(path) : statSync(path).mtimeMs;
    if (mtime > time) time = mtime;
  }
  return time;
}

/** True when dist/web is missing or older than a source. */
export function webIsStale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return newest(join(root, 'web')) > built || newest(join(root, 'src', 'domain')) > built;
}

/** Builds the desk if it is stale (or always, with force); returns whether it built. */
export async function buildWeb({ force = false, quiet = false } = {}) {
  if (!force && !webIsStale()) return false;
  const { build } = await import('vite');
  const started = Date.now();
  await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: quiet ? 'error' : 'warn' });
  writeFileSync(stamp, new Date().toISOString());
  if (!quiet)
    console.error(`ingot: the desk built into dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWeb({ force: process.argv.includes('--force') });
}
