// Installs dependencies when they are missing, so `npm start` and `npm test` work as the very
// first command on a fresh clone. A no-op when node_modules already matches the lock file.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
const installed = existsSync(marker) && existsSync(join(root, 'node_modules', 'better-sqlite3'));
const stale = installed && existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000;
if (!installed || stale) {
  console.error('ingot: installing dependencies (npm ci; better-sqlite3 compiles, about 3 minutes)...');
  execSync(existsSync(lock) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund', {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
