import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Two files at a time, even on two cores (vitest's default there is one): most of the suite
    // waits on fsync, PostgreSQL, Chromium and child processes, so two overlap well, and CI stays
    // well inside its 20 minutes. Each file has its own temporary folders, ports and schemas.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
