import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Three files at a time on two cores (vitest's default there is one): most of the suite waits
    // on fsync, PostgreSQL, Chromium and child processes, so three overlap well, and CI stays inside
    // its 20 minutes (two at a time took 18.5 of them). Each file has its own temporary folders,
    // ports and schemas.
    maxWorkers: 3,
    // Limits on a hung test, not on speed: a browser flow of thirty steps takes 50 s on a loaded
    // 2-core machine, two files at a time. No test asserts a time.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // expect.poll waits as long as Playwright's locators do (15 s), not vitest's default second: the
    // page and the server answer late on a loaded machine, and a poll that gives up early is a flake.
    expect: { poll: { timeout: 15_000 } },
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
