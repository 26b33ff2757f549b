#!/usr/bin/env node
// Entry point for `npx ingot`. Runs a bundle of the TypeScript sources, rebuilt with esbuild
// whenever a source is newer (about 0.1 s), since loading each module through a TypeScript
// loader costs seconds per start. Falls back to the loader if the bundle cannot be written.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The bundle is split at dynamic imports, so the server's and the PDF printer's packages load only
// for the commands that use them. Each build goes to a folder named by the sources' newest time,
// written apart and then renamed into place; a process still running an older build keeps its
// files, which are removed only once they are an hour stale.
const bundles = join(root, 'dist');
const STALE_MS = 3_600_000;

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

function removeStale(keep) {
  for (const entry of existsSync(bundles) ? readdirSync(bundles) : []) {
    const path = join(bundles, entry);
    if (!entry.startsWith('cli-') || path === keep) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

async function load() {
  const bundleDir = join(bundles, `cli-${Math.floor(newestSource(join(root, 'src')))}`);
  const bundle = join(bundleDir, 'main.js');
  if (!existsSync(bundle)) {
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
      try {
        renameSync(partial, bundleDir);
      } catch {
        // Another process put the same build in place first: use that one.
        rmSync(partial, { recursive: true, force: true });
      }
      removeStale(bundleDir);
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
