#!/usr/bin/env node
// Entry point for `npx ingot`. Runs a bundle of the TypeScript sources, rebuilt with esbuild
// whenever a source is newer (about 0.1 s), since loading each module through a TypeScript
// loader costs seconds per start. Falls back to the loader if the bundle cannot be written.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The bundle is split at dynamic imports, so the server's and the PDF printer's packages load only
// for the commands that use them. Each build goes to a folder of its own, then is renamed into place.
const bundleDir = join(root, 'dist', 'cli');
const bundle = join(bundleDir, 'main.js');

// A closed pipe (`ingot bars export | head`) ends the command quietly.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

function newestSource(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    const time = entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

async function load() {
  const fresh = existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource(join(root, 'src'));
  if (!fresh) {
    try {
      const { build } = await import('esbuild');
      const partial = `${bundleDir}.${process.pid}.tmp`;
      await build({
        entryPoints: [join(root, 'src', 'cli', 'main.ts')],
        outdir: partial,
        splitting: true,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        sourcemap: 'inline',
        logLevel: 'error',
      });
      rmSync(bundleDir, { recursive: true, force: true });
      try {
        renameSync(partial, bundleDir);
      } catch {
        // Another process put its build in place first: use that one.
        rmSync(partial, { recursive: true, force: true });
      }
    } catch {
      const { register } = await import('tsx/esm/api');
      register();
      return import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
    }
  }
  return import(pathToFileURL(bundle).href);
}

const { main } = await load();
process.exitCode = await main(process.argv);
